//! What the model computes from its state instead of storing it: the choices offered, the kind of
//! credential and the flow's steps, the checklist shown, the fields of the screen and their focus,
//! the key files named, the claims to be signed.
use super::*;

impl Model {
    /// What the welcome screen offers: each saved profile (a draft is resumed, a working one
    /// refreshed), then the new integrations.
    pub fn choices(&self) -> Vec<Choice> {
        let mut choices: Vec<Choice> = self
            .profiles
            .iter()
            .map(|p| match p.untested {
                true => Choice::Resume(p.name.clone()),
                false => Choice::Refresh(p.name.clone()),
            })
            .collect();
        choices.push(Choice::New(Auth::Oauth));
        choices.push(Choice::Import);
        choices.push(Choice::New(Auth::Jwt));
        choices
    }

    /// The kind of credential the flow sets up or refreshes.
    pub fn auth(&self) -> Auth {
        match &self.flow {
            Flow::Oauth | Flow::Import { .. } => Auth::Oauth,
            Flow::Jwt => Auth::Jwt,
            Flow::Refresh {
                migrating: true, ..
            } => Auth::Oauth,
            Flow::Refresh { auth, .. } => *auth,
        }
    }

    /// The saved profile whose token is being refreshed (or carried across to OAuth).
    pub fn refreshing(&self) -> Option<&ProfileName> {
        match &self.flow {
            Flow::Refresh { profile, .. } => Some(profile),
            _ => None,
        }
    }

    /// The saved JWT profile being carried across to OAuth (the `o` key on a refresh's refusal).
    pub fn migrating(&self) -> Option<&ProfileName> {
        match &self.flow {
            Flow::Refresh {
                profile,
                migrating: true,
                ..
            } => Some(profile),
            _ => None,
        }
    }

    /// The credential and file the form was filled from, when imported.
    pub fn imported_from(&self) -> Option<&str> {
        match &self.flow {
            Flow::Import { from } => from.as_deref(),
            _ => None,
        }
    }

    /// The checklist on the prerequisites screen: the one its ticks belong to.
    pub fn prerequisites(&self) -> &[Prerequisite] {
        self.run.checklists.for_auth(self.checklist.auth)
    }

    /// The IMS the exchange asks, as the session completes the profile: the environment's (or
    /// Adobe's), except for a resumed draft made against another, which keeps its own unless
    /// the environment names one.
    pub fn ims_url(&self) -> &str {
        match &self.credentials.resumed_urls {
            Some((ims, _))
                if !ims.is_empty() && self.run.ims_url == crate::ims::DEFAULT_IMS_URL =>
            {
                ims
            }
            _ => &self.run.ims_url,
        }
    }

    /// The Places API the token is checked against: the one it was checked at, else the run's.
    pub fn places_url(&self) -> &str {
        match &self.token.token {
            Some(t) if !t.places_url.is_empty() => &t.places_url,
            _ => &self.run.places_url,
        }
    }

    /// The current step's place among the steps of the way chosen, and how many steps that way
    /// has: the one definition of each way's steps. None on Welcome, where no way is chosen yet.
    pub fn position(&self) -> Option<(usize, usize)> {
        use Step::*;
        if self.step == Welcome {
            return None;
        }
        let way: &[Step] = if self.imported_from().is_some() || self.step == Import {
            &[Import, Credentials, Exchange, Token]
        } else if self.migrating().is_some() {
            &[Credentials, Exchange, Token]
        } else if self.refreshing().is_some() {
            &[Exchange, Token]
        } else if self.auth() == Auth::Oauth {
            &[Prerequisites, Console, Credentials, Exchange, Token]
        } else {
            &[
                Prerequisites,
                KeyFiles,
                Subject,
                Generating,
                Credentials,
                Exchange,
                Token,
            ]
        };
        let at = way.iter().position(|s| *s == self.step)?;
        Some((at + 1, way.len()))
    }

    /// The profile just saved, as Welcome lists it: it works now, so a draft typed later under its
    /// name is not saved over it, and going back to Welcome offers to refresh it.
    pub(super) fn remember_saved(&mut self) {
        let Ok(draft) = credentials::draft(self) else {
            return;
        };
        let summary = ProfileSummary {
            // A migrated profile keeps its own name, whichever profile the wizard was started on.
            name: self.refreshing().cloned().unwrap_or(draft.name),
            auth: draft.profile.auth(),
            org_id: draft.profile.org_id,
            client_id: draft.profile.client_id,
            token_expires_at: self.token.token.as_ref().map(|t| t.expires_at),
            certificate_expires_at: match self.auth() {
                Auth::Jwt => self.pair.written.as_ref().map(|p| p.expires_at),
                Auth::Oauth => None,
            },
            untested: false,
            // As the save recorded it: a token the Places API refused is not listed as working.
            places: self
                .token
                .token
                .as_ref()
                .and_then(|t| t.places.clone())
                .and_then(Result::err),
        };
        match self.profiles.iter_mut().find(|p| p.name == summary.name) {
            Some(p) => *p = summary,
            None => self.profiles.push(summary),
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1
    }

    /// Whether something on screen moves, so the loop must tick.
    pub fn animating(&self) -> bool {
        matches!(self.pair.keygen, KeyGen::Running { .. })
            && matches!(self.step, Step::Subject | Step::Generating)
            || matches!(self.exchange.state, Exchange::Running { .. })
            || matches!(self.token.verification, Verification::Running { .. })
            || (self.step == Step::Token && self.token.token.is_some())
    }

    /// The credentials fields shown for the current kind of integration, in order.
    pub fn credential_fields(&self) -> Vec<CredentialField> {
        if self.migrating().is_some() {
            // The saved profile keeps its IDs and secret: only the scopes are new.
            return vec![CredentialField::Scopes];
        }
        match self.auth() {
            Auth::Jwt => vec![
                CredentialField::OrgId,
                CredentialField::ClientId,
                CredentialField::TechnicalAccountId,
                CredentialField::ClientSecret,
                CredentialField::Scopes,
            ],
            Auth::Oauth => vec![
                CredentialField::OrgId,
                CredentialField::ClientId,
                CredentialField::ClientSecret,
                CredentialField::Scopes,
            ],
        }
    }

    pub fn credential(&self, field: CredentialField) -> &TextField {
        let form = &self.credentials;
        match field {
            CredentialField::OrgId => &form.org_id,
            CredentialField::ClientId => &form.client_id,
            CredentialField::TechnicalAccountId => &form.technical_account_id,
            CredentialField::ClientSecret => &form.client_secret,
            CredentialField::Scopes if self.auth() == Auth::Jwt => &form.metascopes,
            CredentialField::Scopes => &form.scopes,
        }
    }

    pub(super) fn credential_mut(&mut self, field: CredentialField) -> &mut TextField {
        let jwt = self.auth() == Auth::Jwt;
        let form = &mut self.credentials;
        match field {
            CredentialField::OrgId => &mut form.org_id,
            CredentialField::ClientId => &mut form.client_id,
            CredentialField::TechnicalAccountId => &mut form.technical_account_id,
            CredentialField::ClientSecret => &mut form.client_secret,
            CredentialField::Scopes if jwt => &mut form.metascopes,
            CredentialField::Scopes => &mut form.scopes,
        }
    }

    /// The text field that has the focus on this screen, if any.
    pub fn focused_field(&mut self) -> Option<&mut TextField> {
        match self.step {
            Step::KeyFiles => Some(if self.key_files.focus == 0 {
                &mut self.key_files.dir
            } else {
                &mut self.key_files.name
            }),
            Step::Subject => self.subject.fields.get_mut(self.subject.focus),
            Step::Credentials => {
                let field = *self.credential_fields().get(self.credentials.focus)?;
                Some(self.credential_mut(field))
            }
            Step::Import if self.import.project.is_none() => Some(&mut self.import.path),
            _ => None,
        }
    }

    pub(super) fn field_count(&self) -> usize {
        match self.step {
            Step::KeyFiles => 2,
            Step::Subject => self.subject.fields.len(),
            Step::Credentials => self.credential_fields().len(),
            Step::Prerequisites => self.prerequisites().len(),
            Step::Welcome => self.choices().len(),
            Step::Import => self
                .import
                .project
                .as_ref()
                .map_or(0, |p| p.credentials.len()),
            _ => 0,
        }
    }

    pub(super) fn focus_mut(&mut self) -> Option<&mut usize> {
        match self.step {
            Step::KeyFiles => Some(&mut self.key_files.focus),
            Step::Subject => Some(&mut self.subject.focus),
            Step::Credentials => Some(&mut self.credentials.focus),
            Step::Prerequisites => Some(&mut self.checklist.focus),
            Step::Welcome => Some(&mut self.welcome.choice),
            Step::Import => Some(&mut self.import.choice),
            _ => None,
        }
    }

    pub(super) fn move_focus(&mut self, forward: bool) {
        let count = self.field_count();
        if let Some(focus) = self.focus_mut()
            && count > 0
        {
            *focus = if forward {
                (*focus + 1) % count
            } else {
                (*focus + count - 1) % count
            };
        }
    }

    /// The folder the form names: `~` and `~/…` are the home folder (as a shell would read
    /// them), and a relative folder is taken from the working folder, so that the path shown is
    /// the file a person uploads.
    pub fn key_folder(&self) -> PathBuf {
        let expanded =
            crate::session::expand_home(self.key_files.dir.text().trim(), self.run.home.as_deref());
        match &self.run.cwd {
            Some(cwd) if expanded.is_relative() => cwd.join(expanded),
            _ => expanded,
        }
    }

    /// The key files the form names.
    pub fn pair_paths(&self) -> crate::session::PairPaths {
        crate::session::PairPaths::new(&self.key_folder(), self.key_files.name.text())
    }

    /// The claims the exchange will sign, for display (no secret among them).
    pub fn claims_preview(&self, ims_url: &str) -> Vec<(String, String)> {
        let ims = ims_url.trim_end_matches('/');
        let form = &self.credentials;
        let mut claims = vec![
            ("iss".to_string(), form.org_id.text().to_string()),
            (
                "sub".to_string(),
                form.technical_account_id.text().to_string(),
            ),
            (
                "aud".to_string(),
                format!("{ims}/c/{}", form.client_id.text()),
            ),
            (
                "exp".to_string(),
                "now + 300 s (signed afresh for every attempt)".to_string(),
            ),
        ];
        for m in form
            .metascopes
            .text()
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            claims.push((crate::session::metascope_claim(ims, m), "true".to_string()));
        }
        claims
    }

    /// The demo's prefilled values also serve the switch to OAuth.
    pub(super) fn demo_oauth_client(&self) -> Option<String> {
        self.run.demo_values.as_ref().map(|v| v[4].clone())
    }
}
