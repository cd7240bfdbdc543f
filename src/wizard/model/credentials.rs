//! Step 6, credentials: the IDs and secret from the Adobe Developer Console, checked as typed.
use super::{CredentialField, Draft, Effect, Model, exchange, is_ctrl};
use crate::ids;
use crate::session::{Auth, Credential, JwtCredential, OauthCredential, Profile};
use crossterm::event::{KeyCode, KeyEvent};
use secrecy::SecretString;

/// Re-checks the focused field as it is typed.
pub(super) fn revalidate(model: &mut Model) {
    let Some(&field) = model.credential_fields().get(model.credentials.focus) else {
        return;
    };
    let auth = model.auth();
    let f = model.credential_mut(field);
    let value = f.text().to_string();
    // An empty field is not an error until the form is submitted.
    f.error = if value.is_empty() {
        None
    } else {
        check_credential(field, auth, &value).err()
    };
}

/// Ctrl-R shows or hides the secret; typing edits and checks the focused field; Enter checks
/// all, cleans them and starts the exchange.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if is_ctrl(&key, 'r') {
        let secret = &mut model.credentials.client_secret;
        secret.revealed = !secret.revealed;
        return vec![];
    }
    if key.code != KeyCode::Enter {
        super::edit(model, key);
        return vec![];
    }
    let auth = model.auth();
    let fields = model.credential_fields();
    for &field in &fields {
        let f = model.credential_mut(field);
        let value = f.text().to_string();
        f.error = check_credential(field, auth, &value).err();
    }
    if let Some(first) = fields
        .iter()
        .position(|&f| model.credential(f).error.is_some())
    {
        model.credentials.focus = first;
        return vec![];
    }
    // Cleaned values are what is shown and saved.
    for &field in &fields {
        let f = model.credential_mut(field);
        let cleaned = ids::clean_pasted(f.text());
        f.set(&cleaned);
    }
    exchange::start(model)
}

/// Validates one credentials field; the short text is shown beside it.
pub fn check_credential(field: CredentialField, auth: Auth, value: &str) -> Result<(), String> {
    let (result, expected) = match field {
        CredentialField::OrgId => (
            ids::org_id(value).map(drop),
            "expected 24 hex characters + @AdobeOrg",
        ),
        CredentialField::ClientId => (
            ids::client_id(value).map(drop),
            "expected 32 hex characters",
        ),
        CredentialField::TechnicalAccountId => (
            ids::technical_account_id(value).map(drop),
            "expected 24 hex characters + @techacct.adobe.com",
        ),
        CredentialField::ClientSecret => (ids::client_secret(value).map(drop), ""),
        CredentialField::Scopes => {
            let name = if auth == Auth::Jwt {
                "metascopes"
            } else {
                "scopes"
            };
            (
                ids::list(name, value, "").map(drop),
                "a comma-separated list",
            )
        }
    };
    result.map_err(|e| {
        let wrong_shape = e.invalid.as_ref().is_some_and(|i| i.wrong_shape);
        if value.trim().is_empty() {
            "required".to_string()
        } else if wrong_shape && field == CredentialField::ClientId {
            // How far off it is: a character lost or doubled in the copy.
            format!("{expected}; this has {}", value.trim().chars().count())
        } else if wrong_shape && !expected.is_empty() {
            // The shape expected says more than the value echoed.
            expected.to_string()
        } else if field == CredentialField::Scopes
            && let Some(fix) = e.hint.as_deref().filter(|h| !h.is_empty())
        {
            // A list's slip and how to write it ("a \";\" between entries — separate the
            // entries with commas, not semicolons").
            format!("{} — {fix}", e.problem())
        } else {
            // A problem named precisely (@adobeorg, a trailing comma, a short secret, an email).
            e.problem().to_string()
        }
    })
}

/// The profile the form describes (IMS URL and paths are completed by the runner): the one place
/// the wizard builds a `Profile`. An error for a value the form did not check, and for a JWT
/// profile without a key pair on screen, as it could sign with nothing the person has seen.
pub fn draft(model: &Model) -> Result<Draft, crate::error::Error> {
    let list = |text: &str| ids::list("list", text, "").unwrap_or_default();
    let form = &model.credentials;
    let technical_account_id = form.technical_account_id.text();
    let credential = match model.auth() {
        Auth::Jwt => {
            let pair = model.pair.written.as_ref().ok_or_else(|| {
                crate::error::Error::new("this Service Account (JWT) profile has no key pair on screen")
                    .with_hint("go back to the key pair (Esc), write or choose one, and upload its certificate")
            })?;
            Credential::Jwt(JwtCredential {
                technical_account_id: ids::technical_account_id(technical_account_id)?,
                private_key: pair.private_key.clone(),
                certificate: Some(pair.certificate.clone()),
                metascopes: list(form.metascopes.text()),
            })
        }
        Auth::Oauth => Credential::Oauth(OauthCredential {
            scopes: list(form.scopes.text()),
            // An imported OAuth credential keeps its technical account, as `init --console-json` does.
            technical_account_id: match technical_account_id {
                "" => None,
                _ if model.imported_from().is_none() => None,
                t => Some(ids::technical_account_id(t)?),
            },
        }),
    };
    Ok(Draft {
        name: model.profile_name.clone(),
        profile: Profile {
            org_id: ids::org_id(form.org_id.text())?,
            client_id: ids::client_id(form.client_id.text())?,
            ims_url: form
                .resumed_urls
                .as_ref()
                .map_or_else(String::new, |(ims, _)| ims.clone()),
            secret_store: crate::session::SecretStore::File,
            untested: false,
            places_url: form.resumed_urls.as_ref().and_then(|(_, p)| p.clone()),
            places: None,
            credential,
        },
        client_secret: SecretString::from(form.client_secret.text().to_string()),
    })
}
