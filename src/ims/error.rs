//! IMS's refusals, and what a person should do about each.
use crate::auth::Auth;
use crate::error::Error;
use crate::http::Answer;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// An error answer from IMS: its own code and description, and the `x-debug-id` Adobe support asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImsError {
    pub status: u16,
    pub code: String,
    pub description: String,
    pub debug_id: Option<String>,
    /// IMS's clock, from the `Date` header: tells clock skew apart from other expiry problems.
    pub server_date: Option<String>,
    pub path: String,
}

impl ImsError {
    /// IMS's answer, its words redacted of every value sent and cut (`Answer::server_text`).
    pub fn from_answer(answer: &Answer, body: &Value, path: &str) -> ImsError {
        let shown = |text: &str| answer.server_text(text);
        let text = |key: &str| body.get(key).and_then(Value::as_str).map(shown);
        ImsError {
            status: answer.status.as_u16(),
            code: text("error").unwrap_or_else(|| "unknown_error".to_string()),
            description: text("error_description").unwrap_or_default(),
            debug_id: answer.header("x-debug-id").map(shown),
            server_date: answer.header("date").map(shown),
            path: path.to_string(),
        }
    }
}

/// What the hints need to know about the profile that was refused.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub profile: &'a crate::ids::ProfileName,
    pub auth: Auth,
    pub org_id: &'a str,
    pub client_id: &'a str,
    pub private_key: Option<&'a Path>,
    pub certificate: Option<&'a Path>,
    pub metascopes: &'a [String],
}

impl Context<'_> {
    fn profile_flag(&self) -> String {
        self.profile.flag()
    }

    /// The certificate to upload: the one on record, else the one named like the key.
    fn certificate_to_upload(&self) -> String {
        if let Some(c) = self.certificate {
            return c.display().to_string();
        }
        self.private_key
            .map(|k| {
                let name = k
                    .file_name()
                    .map(|n| n.to_string_lossy().replace("_private.key", "_public.crt"));
                name.map_or_else(|| PathBuf::from("NAME_public.crt"), |n| k.with_file_name(n))
                    .display()
                    .to_string()
            })
            .unwrap_or_else(|| "NAME_public.crt".to_string())
    }

    /// The exact command that carries this profile across to OAuth Server-to-Server, keeping its IDs and secret.
    pub fn switch_to_oauth_command(&self) -> String {
        super::retirement::migrate_command(&self.profile_flag())
    }
}

/// The full message and hint for an IMS refusal.
pub fn explain(e: &ImsError, ctx: &Context<'_>) -> Error {
    let mut message = format!(
        "IMS refused the token request: {} (HTTP {})",
        e.code, e.status
    );
    if !e.description.is_empty() {
        message.push_str(&format!(": {}", e.description));
    }
    if let Some(id) = &e.debug_id {
        message.push_str(&format!(" [x-debug-id: {id}]"));
    }
    Error::new(message).with_hint(hint(e, ctx))
}

/// What to say when a JWT profile is refused the way a converted credential is.
fn converted(ctx: &Context<'_>) -> String {
    format!(
        "{} If the Console shows this credential as OAuth Server-to-Server, copy SCOPES from its Scopes tab and carry the profile across with:\n  {}",
        super::retirement::notice(std::time::SystemTime::now()),
        ctx.switch_to_oauth_command()
    )
}

/// A credentials field an IMS refusal can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    OrgId,
    ClientId,
    TechnicalAccountId,
    ClientSecret,
    /// The scopes of OAuth Server-to-Server, the metascopes of JWT.
    Scopes,
}

/// What IMS's refusal means, read once from its code and description: the command line's hint
/// and the wizard's "press e to correct FIELD" both derive from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    WrongSecret,
    /// An OAuth request to an IMS that holds the credential as JWT (only an emulator still does).
    NotOauthHere,
    UnknownClient,
    /// The JWT's signature matches no certificate uploaded to the integration.
    CertificateNotUploaded,
    ClockSkew,
    /// IMS could not use the JWT's claims; `field` is the ID it named.
    JwtRefused {
        field: Field,
    },
    BadSignature,
    ScopesRefused,
    /// A claim of the wrong form; `field` is the ID it named.
    BadClaim {
        field: Field,
    },
    /// JWT refused the way a credential Adobe converted to OAuth Server-to-Server is.
    Converted,
    Other,
}

impl Problem {
    pub fn of(e: &ImsError, auth: Auth) -> Problem {
        let description = e.description.to_ascii_lowercase();
        // IMS names a claim at the start of its description ("iss is not the integration's org").
        let names = |claim: &str| {
            description.starts_with(&format!("{claim} "))
                || description.contains(&format!(" {claim} "))
        };
        let id_field = if names("iss") {
            Field::OrgId
        } else {
            Field::TechnicalAccountId
        };
        match (e.code.as_str(), auth) {
            ("invalid_client", _) if e.status == 401 || description.contains("secret") => {
                Problem::WrongSecret
            }
            ("invalid_client", Auth::Oauth) if description.contains("client_credentials") => {
                Problem::NotOauthHere
            }
            ("invalid_client", _) => Problem::UnknownClient,
            ("invalid_token", _)
                if description.contains("binding") || description.contains("signature") =>
            {
                Problem::CertificateNotUploaded
            }
            ("invalid_token", _) if description.contains("expired") => Problem::ClockSkew,
            ("invalid_token", _) => Problem::JwtRefused { field: id_field },
            ("invalid_signature", _) => Problem::BadSignature,
            ("invalid_scope", _) => Problem::ScopesRefused,
            ("bad_request", _) => Problem::BadClaim { field: id_field },
            ("internal_error", Auth::Jwt) => Problem::Converted,
            _ => Problem::Other,
        }
    }

    /// The field to correct, when one can fix it.
    pub fn field(self) -> Option<Field> {
        match self {
            Problem::WrongSecret => Some(Field::ClientSecret),
            Problem::UnknownClient | Problem::NotOauthHere => Some(Field::ClientId),
            Problem::ScopesRefused => Some(Field::Scopes),
            Problem::JwtRefused { field } | Problem::BadClaim { field } => Some(field),
            _ => None,
        }
    }

    /// The fix is an upload in the Console, not a field.
    pub fn certificate(self) -> bool {
        matches!(
            self,
            Problem::CertificateNotUploaded | Problem::BadSignature
        )
    }

    /// A JWT credential refused this way may have been converted to OAuth Server-to-Server.
    pub fn suggests_oauth(self, auth: Auth) -> bool {
        auth == Auth::Jwt
            && matches!(
                self,
                Problem::Converted | Problem::WrongSecret | Problem::UnknownClient
            )
    }
}

fn hint(e: &ImsError, ctx: &Context<'_>) -> String {
    let secret_fix = format!(
        "the client secret is wrong: re-copy it from the Console's Credentials tab (\"Retrieve client secret\") and save it with:\n  \
         places-setup{} init --client-secret-stdin   (paste it, then Ctrl-D)",
        ctx.profile_flag()
    );
    match (Problem::of(e, ctx.auth), ctx.auth) {
        (Problem::WrongSecret, Auth::Jwt) => format!("{secret_fix}\nIf the secret is right: {}", converted(ctx)),
        (Problem::WrongSecret, Auth::Oauth) => secret_fix,
        (Problem::NotOauthHere, _) => format!(
            "this IMS still holds the credential as a Service Account (JWT), so it cannot use OAuth Server-to-Server \
             (Adobe converted every JWT credential by {}; only an emulator keeps them). Set it up as JWT \
             (places-setup{} init --auth jwt …), or create an OAuth Server-to-Server credential in the Console",
            super::retirement::JWT_CONVERSION_DATE,
            ctx.profile_flag()
        ),
        (Problem::UnknownClient, _) => format!(
            "IMS does not know client ID {} here: check the API key (Client ID) on the Console's Credentials tab, and that \
             --ims-url names the IMS environment the integration lives in (production: https://ims-na1.adobelogin.com)",
            ctx.client_id
        ),
        (Problem::CertificateNotUploaded, _) => format!(
            "the private key's certificate is not uploaded to this integration: upload {} (the certificate that belongs to \
             this private key) in the Console under Credentials → Service Account (JWT) → Public keys certificates, then retry",
            ctx.certificate_to_upload()
        ),
        (Problem::ClockSkew, _) => {
            let theirs = e.server_date.as_deref().unwrap_or("unknown");
            let ours = humantime::format_rfc3339_seconds(std::time::SystemTime::now());
            format!(
                "the JWT had expired when IMS read it: this machine's clock and IMS's disagree (IMS's Date header: {theirs}; \
                 this machine: {ours}). Set the clock right (e.g. {}) and retry",
                crate::platform::hints::set_clock(crate::platform::Os::CURRENT)
            )
        }
        (Problem::JwtRefused { .. }, _) => format!(
            "IMS could not use the JWT: check that the org ID ({}) and technical account ID belong to this integration \
             (the Console's Credentials tab), then retry",
            ctx.org_id
        ),
        (Problem::BadSignature, _) => format!(
            "the JWT's signature does not match the uploaded certificate: upload {} (made from this private key) and retry",
            ctx.certificate_to_upload()
        ),
        (Problem::ScopesRefused, Auth::Jwt) => format!(
            "the integration is not allowed the metascope{} {}: in the Console, add the Places Service API to the project \
             and select a product profile (ask your administrator for Places Core Service access if none is offered)",
            if ctx.metascopes.len() == 1 { "" } else { "s" },
            ctx.metascopes.join(", ")
        ),
        (Problem::ScopesRefused, Auth::Oauth) => format!(
            "the scopes do not match the credential: copy them from the Console's Scopes tab and save them with:\n  \
             places-setup{} init --scopes SCOPES",
            ctx.profile_flag()
        ),
        (Problem::BadClaim { .. }, _) => "a JWT claim has the wrong form: check the org ID and technical account ID with `places-setup status`".to_string(),
        (Problem::Converted, _) => converted(ctx),
        (Problem::Other, _) => "try again later; if it persists, quote the x-debug-id above to Adobe support".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, code: &str, description: &str) -> ImsError {
        ImsError {
            status,
            code: code.into(),
            description: description.into(),
            debug_id: Some("abc-123".into()),
            server_date: Some("Tue, 24 Nov 2026 10:00:00 GMT".into()),
            path: "/ims/exchange/jwt".into(),
        }
    }

    fn ctx(auth: Auth) -> Context<'static> {
        Context {
            profile: Box::leak(Box::new("prod".into())),
            auth,
            org_id: "18FB61145BAC2FFB0A494777@AdobeOrg",
            client_id: "0123456789abcdef0123456789abcdef",
            private_key: Some(Path::new("/k/places_integration_test_private.key")),
            certificate: None,
            metascopes: &[],
        }
    }

    #[test]
    fn message_quotes_ims() {
        let e = explain(
            &err(401, "invalid_client", "invalid client_secret parameter"),
            &ctx(Auth::Oauth),
        );
        assert_eq!(
            e.message,
            "IMS refused the token request: invalid_client (HTTP 401): invalid client_secret parameter [x-debug-id: abc-123]"
        );
        assert!(e.hint.unwrap().contains("Credentials tab"));
    }

    #[test]
    fn every_code_has_its_fix() {
        let cases = [
            (
                err(401, "invalid_client", "invalid client_secret parameter"),
                Auth::Jwt,
                "places-setup --profile prod migrate --scopes SCOPES",
            ),
            (
                err(400, "invalid_client", "invalid client_id parameter"),
                Auth::Jwt,
                "IMS does not know client ID",
            ),
            (
                err(
                    400,
                    "invalid_token",
                    "Could not match JWT signature to any of the bindings",
                ),
                Auth::Jwt,
                "/k/places_integration_test_public.crt",
            ),
            (
                err(400, "invalid_token", "JWT token has expired"),
                Auth::Jwt,
                "Tue, 24 Nov 2026 10:00:00 GMT",
            ),
            (
                err(400, "invalid_signature", ""),
                Auth::Jwt,
                "places_integration_test_public.crt",
            ),
            (
                err(
                    400,
                    "invalid_scope",
                    "The metascopes in the JWT are not a subset",
                ),
                Auth::Jwt,
                "product profile",
            ),
            (err(400, "invalid_scope", ""), Auth::Oauth, "Scopes tab"),
            (
                err(500, "internal_error", "Please try again later"),
                Auth::Jwt,
                "stopped accepting Service Account (JWT) credentials on 2026-03-01",
            ),
            (
                err(500, "internal_error", "Please try again later"),
                Auth::Oauth,
                "x-debug-id",
            ),
            (err(400, "bad_request", ""), Auth::Jwt, "wrong form"),
        ];
        for (e, auth, expected) in cases {
            let hint = explain(&e, &ctx(auth)).hint.unwrap();
            assert!(hint.contains(expected), "{e:?}: {hint}");
        }
    }

    #[test]
    fn the_problem_names_the_claim_ims_named() {
        let field = |code: &str, description: &str| {
            Problem::of(&err(400, code, description), Auth::Jwt).field()
        };
        assert_eq!(
            field("invalid_token", "iss is not the integration's org"),
            Some(Field::OrgId)
        );
        assert_eq!(
            field(
                "invalid_token",
                "sub is not the integration's technical account"
            ),
            Some(Field::TechnicalAccountId)
        );
        assert_eq!(
            field("bad_request", "iss must be an org ID (…@AdobeOrg)"),
            Some(Field::OrgId)
        );
        assert_eq!(
            field(
                "invalid_token",
                "Could not match JWT signature to any of the bindings"
            ),
            None
        );
        let converted = Problem::of(&err(500, "internal_error", ""), Auth::Jwt);
        assert!(converted.suggests_oauth(Auth::Jwt));
        assert!(
            !Problem::of(&err(500, "internal_error", ""), Auth::Oauth).suggests_oauth(Auth::Oauth)
        );
        assert!(Problem::of(&err(400, "invalid_signature", ""), Auth::Jwt).certificate());
    }
}
