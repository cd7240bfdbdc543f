//! The project JSON the Adobe Developer Console downloads ("Download all" on a project, the file
//! `aio app use` reads): the organization ID and the OAuth Server-to-Server credentials in it.
//! Read by `init --console-json` and by the wizard's import; the file holds the client secret in clear.
use crate::error::{Error, Result};
use crate::ids;
use secrecy::SecretString;
use serde_json::Value;

/// One OAuth Server-to-Server credential of the project.
#[derive(Debug, Clone)]
pub struct ConsoleCredential {
    /// The name given in the Console (what `--credential` and the wizard's list choose by).
    pub name: String,
    pub client_id: ids::ClientId,
    /// The first of `client_secrets`.
    pub client_secret: SecretString,
    pub technical_account_id: Option<ids::TechnicalAccountId>,
    pub scopes: Vec<String>,
}

/// What the file holds, as far as this tool reads it.
#[derive(Debug, Clone)]
pub struct ConsoleProject {
    pub org_id: ids::OrgId,
    pub credentials: Vec<ConsoleCredential>,
    /// The other credentials, as "NAME (integration_type)", to name them when none fits.
    pub others: Vec<String>,
}

/// The kind of value a JSON node is, in words.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(source: &str, path: &str, expected: &str, found: Option<&Value>) -> Error {
    let problem = match found {
        None => "is missing".to_string(),
        Some(v) => format!("is {}, expected {expected}", kind(v)),
    };
    Error::usage(format!("{source}: {path} {problem}")).with_hint(
        "download the project's JSON again from the Developer Console (the project's page → Download all), and give that file unchanged",
    )
}

fn field<'a>(
    source: &str,
    node: &'a Value,
    path: &str,
    key: &str,
    expected: &str,
) -> Result<&'a Value> {
    node.get(key)
        .filter(|v| !v.is_null())
        .ok_or_else(|| wrong(source, &format!("{path}.{key}"), expected, None))
}

fn string<'a>(source: &str, node: &'a Value, path: &str, key: &str) -> Result<&'a str> {
    let value = field(source, node, path, key, "a string")?;
    value
        .as_str()
        .ok_or_else(|| wrong(source, &format!("{path}.{key}"), "a string", Some(value)))
}

fn array<'a>(source: &str, node: &'a Value, path: &str, key: &str) -> Result<&'a Vec<Value>> {
    let value = field(source, node, path, key, "an array")?;
    value
        .as_array()
        .ok_or_else(|| wrong(source, &format!("{path}.{key}"), "an array", Some(value)))
}

/// A value that failed the identifier checks, placed in the file.
fn in_file(source: &str, path: &str, e: Error) -> Error {
    Error {
        message: format!("{source}: {path}: {}", e.message),
        ..e
    }
}

/// The most of a project JSON that is read: the Console's are a few kilobytes.
pub const MAX_JSON: u64 = 1024 * 1024;

/// Reads the project JSON; `source` names the file (or standard input) in errors.
pub fn parse(text: &str, source: &str) -> Result<ConsoleProject> {
    // serde_json's message ends with the line and column.
    let root: Value = serde_json::from_str(text).map_err(|e| {
        Error::usage(format!("{source} is not valid JSON: {e}")).with_hint(
            "download the project's JSON again from the Developer Console if it was edited or cut short",
        )
    })?;
    if !root.is_object() {
        return Err(wrong(source, "the top level", "an object", Some(&root)));
    }
    let project = field(source, &root, "", "project", "an object")?;
    let org = field(source, project, "project", "org", "an object")?;
    let org_id = string(source, org, "project.org", "ims_org_id")?;
    let org_id = ids::org_id(org_id).map_err(|e| in_file(source, "project.org.ims_org_id", e))?;
    let workspace = field(source, project, "project", "workspace", "an object")?;
    let details = field(
        source,
        workspace,
        "project.workspace",
        "details",
        "an object",
    )?;
    let entries = array(source, details, "project.workspace.details", "credentials")?;
    let mut credentials = Vec::new();
    let mut others = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = format!("project.workspace.details.credentials[{i}]");
        if !entry.is_object() {
            return Err(wrong(source, &path, "an object", Some(entry)));
        }
        let name = string(source, entry, &path, "name")?.to_string();
        let integration = entry
            .get("integration_type")
            .and_then(Value::as_str)
            .unwrap_or("unknown type");
        let Some(oauth) = entry.get("oauth_server_to_server").filter(|v| !v.is_null()) else {
            others.push(format!("{name} ({integration})"));
            continue;
        };
        let path = format!("{path}.oauth_server_to_server");
        if !oauth.is_object() {
            return Err(wrong(source, &path, "an object", Some(oauth)));
        }
        let client_id = ids::client_id(string(source, oauth, &path, "client_id")?)
            .map_err(|e| in_file(source, &format!("{path}.client_id"), e))?;
        let secrets = array(source, oauth, &path, "client_secrets")?;
        let first = secrets.first().ok_or_else(|| {
            Error::usage(format!("{source}: {path}.client_secrets is empty"))
                .with_hint("generate a client secret on the credential's page in the Developer Console, then download the project's JSON again")
        })?;
        let secret = first.as_str().ok_or_else(|| {
            wrong(
                source,
                &format!("{path}.client_secrets[0]"),
                "a string",
                Some(first),
            )
        })?;
        let client_secret = ids::client_secret(secret)
            .map_err(|e| in_file(source, &format!("{path}.client_secrets[0]"), e))?;
        let technical_account_id = match oauth.get("technical_account_id") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(
                ids::technical_account_id(t)
                    .map_err(|e| in_file(source, &format!("{path}.technical_account_id"), e))?,
            ),
            Some(other) => {
                return Err(wrong(
                    source,
                    &format!("{path}.technical_account_id"),
                    "a string",
                    Some(other),
                ));
            }
        };
        let mut scopes = Vec::new();
        for (j, scope) in array(source, oauth, &path, "scopes")?.iter().enumerate() {
            let scope = scope.as_str().ok_or_else(|| {
                wrong(
                    source,
                    &format!("{path}.scopes[{j}]"),
                    "a string",
                    Some(scope),
                )
            })?;
            scopes.extend(
                ids::list(
                    "scope",
                    scope,
                    "download the project's JSON again from the Developer Console",
                )
                .map_err(|e| in_file(source, &format!("{path}.scopes[{j}]"), e))?,
            );
        }
        if scopes.is_empty() {
            return Err(Error::usage(format!("{source}: {path}.scopes is empty"))
                .with_hint("check the credential's Scopes tab in the Developer Console, then download the project's JSON again"));
        }
        credentials.push(ConsoleCredential {
            name,
            client_id,
            client_secret,
            technical_account_id,
            scopes,
        });
    }
    Ok(ConsoleProject {
        org_id,
        credentials,
        others,
    })
}

impl ConsoleProject {
    /// The credential to import: the one named, else the only one.
    pub fn choose(&self, name: Option<&str>, source: &str) -> Result<&ConsoleCredential> {
        let names = || {
            self.credentials
                .iter()
                .map(|c| format!("{:?}", c.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.credentials.is_empty() {
            let held = if self.others.is_empty() {
                "no credentials at all".to_string()
            } else {
                format!("only {}", self.others.join(", "))
            };
            return Err(Error::usage(format!(
                "{source} holds no OAuth Server-to-Server credential ({held})"
            ))
            .with_hint("in the Developer Console, add the Places API to the project with an OAuth Server-to-Server credential, then download the project's JSON again"));
        }
        match name {
            Some(name) => self
                .credentials
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| {
                    Error::usage(format!(
                        "{source} has no OAuth Server-to-Server credential named {name:?}"
                    ))
                    .with_hint(format!("choose one of: {}", names()))
                }),
            None if self.credentials.len() == 1 => Ok(&self.credentials[0]),
            None => Err(Error::usage(format!(
                "{source} holds {} OAuth Server-to-Server credentials",
                self.credentials.len()
            ))
            .with_hint(format!("choose one with --credential NAME: {}", names()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const ORG: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";

    fn project(credentials: Value) -> String {
        serde_json::json!({"project": {"id": "1", "name": "places", "org": {"ims_org_id": ORG},
            "workspace": {"name": "Production", "details": {"credentials": credentials}}}})
        .to_string()
    }

    fn oauth(name: &str, client: &str) -> Value {
        serde_json::json!({"id": "7", "name": name, "integration_type": "oauth_server_to_server",
            "oauth_server_to_server": {"client_id": client, "client_secrets": ["p8e-first", "p8e-second"],
              "technical_account_email": "x@techacct.adobe.com",
              "technical_account_id": "0123456789ABCDEF01234567@techacct.adobe.com",
              "scopes": ["openid", "AdobeID", "read_organizations"]}})
    }

    #[test]
    fn reads_the_one_credential() {
        let text = project(serde_json::json!([
            {"id": "1", "name": "old", "integration_type": "service",
             "jwt": {"client_id": "x"}},
            oauth("Places S2S", "0123456789abcdef0123456789abcdef")
        ]));
        let p = parse(&text, "places.json").unwrap();
        assert_eq!(p.org_id, ORG);
        assert_eq!(p.others, vec!["old (service)"]);
        let c = p.choose(None, "places.json").unwrap();
        assert_eq!(c.client_id, "0123456789abcdef0123456789abcdef");
        assert_eq!(c.client_secret.expose_secret(), "p8e-first");
        assert_eq!(
            c.technical_account_id.as_deref(),
            Some("0123456789ABCDEF01234567@techacct.adobe.com")
        );
        assert_eq!(c.scopes, ["openid", "AdobeID", "read_organizations"]);
    }

    #[test]
    fn several_credentials_need_a_name() {
        let text = project(serde_json::json!([
            oauth("first", "0123456789abcdef0123456789abcdef"),
            oauth("second", "fedcba9876543210fedcba9876543210")
        ]));
        let p = parse(&text, "f.json").unwrap();
        let e = p.choose(None, "f.json").unwrap_err();
        assert!(e.message.contains("holds 2 OAuth"), "{e:?}");
        assert!(e.hint.unwrap().contains("\"first\", \"second\""));
        let c = p.choose(Some("second"), "f.json").unwrap();
        assert_eq!(c.client_id, "fedcba9876543210fedcba9876543210");
        let e = p.choose(Some("third"), "f.json").unwrap_err();
        assert!(e.message.contains("named \"third\""), "{e:?}");
    }

    #[test]
    fn no_credential_names_what_the_file_holds() {
        let text = project(serde_json::json!([
            {"name": "legacy", "integration_type": "service", "jwt": {}}
        ]));
        let e = parse(&text, "f.json")
            .unwrap()
            .choose(None, "f.json")
            .unwrap_err();
        assert_eq!(
            e.message,
            "f.json holds no OAuth Server-to-Server credential (only legacy (service))"
        );
        let e = parse(&project(serde_json::json!([])), "f.json")
            .unwrap()
            .choose(None, "f.json")
            .unwrap_err();
        assert!(e.message.contains("no credentials at all"), "{e:?}");
    }

    #[test]
    fn malformed_json_gives_line_and_column() {
        let e = parse("{\"project\": {\n  \"org\": ,\n}}", "f.json").unwrap_err();
        assert!(e.message.starts_with("f.json is not valid JSON"), "{e:?}");
        assert!(e.message.ends_with("line 2 column 10"), "{e:?}");
    }

    #[test]
    fn wrong_types_name_the_field() {
        let text = r#"{"project": {"org": {"ims_org_id": 42}}}"#;
        let e = parse(text, "f.json").unwrap_err();
        assert_eq!(
            e.message,
            "f.json: project.org.ims_org_id is a number, expected a string"
        );
        let mut bad = oauth("x", "0123456789abcdef0123456789abcdef");
        bad["oauth_server_to_server"]["scopes"] = serde_json::json!("openid");
        let e = parse(&project(serde_json::json!([bad])), "f.json").unwrap_err();
        assert!(
            e.message.ends_with(
                "credentials[0].oauth_server_to_server.scopes is a string, expected an array"
            ),
            "{e:?}"
        );
        let mut bad = oauth("x", "not hex");
        bad["oauth_server_to_server"]["client_secrets"] = serde_json::json!([]);
        let e = parse(&project(serde_json::json!([bad])), "f.json").unwrap_err();
        assert!(e.message.contains("client_id: client ID"), "{e:?}");
    }
}
