//! The shapes of Adobe identifiers, and cleaning of values pasted from the Developer Console.
use crate::error::{Error, Result};
use secrecy::SecretString;

/// Removes what copying from a web page tends to add: surrounding white space and newlines,
/// and one pair of matching quotes around the value.
pub fn clean_pasted(raw: &str) -> String {
    let mut value = raw.trim();
    for (open, close) in [('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')] {
        if value.len() >= open.len_utf8() + close.len_utf8()
            && value.starts_with(open)
            && value.ends_with(close)
        {
            value = value[open.len_utf8()..value.len() - close.len_utf8()].trim();
            break;
        }
    }
    value.to_string()
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The shapes alone, for telling a slip from a wrong value without checking again (which would
/// recurse once per trailing character).
fn is_org_id(s: &str) -> bool {
    matches!(s.split_once('@'), Some((hex, "AdobeOrg")) if is_hex(hex, 24))
}

fn is_technical_account_id(s: &str) -> bool {
    matches!(s.split_once('@'), Some((hex, "techacct.adobe.com")) if is_hex(hex, 24))
}

/// An organization ID: 24 hexadecimal characters followed by `@AdobeOrg`.
pub fn org_id(raw: &str) -> Result<OrgId> {
    let value = clean_pasted(raw);
    match value.split_once('@') {
        Some((hex, "AdobeOrg")) if is_hex(hex, 24) => Ok(OrgId(value)),
        Some((hex, suffix)) if is_hex(hex, 24) && suffix.eq_ignore_ascii_case("AdobeOrg") => {
            Err(Error::invalid(
                "org ID",
                format!("it ends in \"@{suffix}\"; Adobe writes \"@AdobeOrg\" (capital A and O)"),
                format!(
                    "write it as {hex}@AdobeOrg, or copy it again from the Console's Overview tab"
                ),
            ))
        }
        None if is_hex(&value, 24) => Err(Error::invalid(
            "org ID",
            "the @AdobeOrg ending is missing: add it",
            format!("write it as {value}@AdobeOrg, as the Console's Overview tab shows it"),
        )),
        None if is_hex(&value, 32) => Err(Error::invalid(
            "org ID",
            "this looks like the client ID (32 hex characters), not the org ID",
            "copy the Organization ID from the Console's Overview tab: it ends in @AdobeOrg",
        )),
        _ => Err(shape_error(
            "org ID",
            &value,
            "expected 24 hexadecimal characters followed by @AdobeOrg, e.g. 18FB61145BAC2FFB0A494777@AdobeOrg (the Console's Overview tab)",
            is_org_id,
        )),
    }
}

/// A technical account ID: 24 hexadecimal characters followed by `@techacct.adobe.com`.
pub fn technical_account_id(raw: &str) -> Result<TechnicalAccountId> {
    let value = clean_pasted(raw);
    match value.split_once('@') {
        Some((hex, "techacct.adobe.com")) if is_hex(hex, 24) => Ok(TechnicalAccountId(value)),
        Some((local, "techacct.adobe.com")) if local.contains('-') => Err(Error::invalid(
            "technical account ID",
            "this looks like the technical account email, not its ID",
            "copy the \"Technical account ID\" field (24 hexadecimal characters followed by @techacct.adobe.com), not the email below it",
        )),
        _ => Err(shape_error(
            "technical account ID",
            &value,
            "expected 24 hexadecimal characters followed by @techacct.adobe.com, e.g. 0123456789ABCDEF01234567@techacct.adobe.com",
            is_technical_account_id,
        )),
    }
}

/// An API key, also called client ID: 32 hexadecimal characters.
pub fn client_id(raw: &str) -> Result<ClientId> {
    let value = clean_pasted(raw);
    if is_hex(&value, 32) {
        Ok(ClientId(value))
    } else if is_org_id(&value) {
        Err(Error::invalid(
            "client ID (API key)",
            "this is the org ID, not the client ID",
            "copy the Client ID (API key) from the Console's Credentials tab: 32 hexadecimal characters",
        ))
    } else {
        Err(shape_error(
            "client ID (API key)",
            &value,
            "expected 32 hexadecimal characters, e.g. 0123456789abcdef0123456789abcdef (the Console's Credentials tab)",
            |v| is_hex(v, 32),
        ))
    }
}

/// A client secret: free-form, but not empty and on one line.
pub fn client_secret(raw: &str) -> Result<SecretString> {
    let value = clean_pasted(raw);
    if value.is_empty() {
        return Err(Error::invalid(
            "client secret",
            "it is empty",
            "copy it from the Console's Credentials tab (\"Retrieve client secret\")",
        ));
    }
    if value.chars().any(char::is_control) || value.contains(' ') {
        return Err(Error::invalid(
            "client secret",
            "it contains spaces or control characters",
            "paste only the secret itself, from the Console's Credentials tab",
        ));
    }
    if value.len() > MAX_SECRET_LEN {
        return Err(too_long("client secret", value.len()));
    }
    // Adobe's secrets are dozens of characters (p8e-…): a few is a slip of the paste.
    let count = value.chars().count();
    if count < MIN_SECRET_LENGTH {
        return Err(Error::invalid(
            "client secret",
            format!(
                "only {count} character{}: is that the whole secret?",
                if count == 1 { "" } else { "s" }
            ),
            "the Console's secrets are much longer (they start p8e-): press \"Retrieve client secret\" and copy all of it",
        ));
    }
    Ok(SecretString::from(value))
}

/// A profile name: letters, digits, `-` and `_`, at most 64 characters (it names files).
pub fn profile_name(raw: &str) -> Result<ProfileName> {
    let ok = !raw.is_empty()
        && raw.len() <= 64
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(ProfileName(raw.to_string()))
    } else {
        Err(Error::invalid(
            "profile",
            format!("{} is not a valid profile name", crate::text::excerpt(raw)),
            "use 1 to 64 letters, digits, '-' or '_'",
        ))
    }
}

/// A value that passed its check once: made only by the check of the same name in this module,
/// read back from a file through it too. Reads as the text it holds (`Deref<Target = str>`);
/// `Debug` and `Display` show it as its text did, so messages read as before.
macro_rules! checked {
    ($(#[$doc:meta])* $name:ident, $check:path) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // As a string does, widths and alignment included.
                f.pad(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            /// The check's message and fix, as a file's reader shows them beside the line.
            fn try_from(value: String) -> std::result::Result<$name, String> {
                $check(&value).map_err(|e| match e.hint {
                    Some(hint) => format!("{} ({hint})", e.message),
                    None => e.message,
                })
            }
        }

        /// Tests write their values as text; one that fails its check fails the test.
        #[cfg(test)]
        impl From<&str> for $name {
            fn from(value: &str) -> $name {
                $check(value).expect("a value of the right shape")
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

checked!(
    /// An organization ID, as `org_id` accepts it.
    OrgId,
    org_id
);
checked!(
    /// An API key (client ID), as `client_id` accepts it.
    ClientId,
    client_id
);
checked!(
    /// A technical account ID, as `technical_account_id` accepts it.
    TechnicalAccountId,
    technical_account_id
);
checked!(
    /// A profile name, as `profile_name` accepts it: safe to name a folder with.
    ProfileName,
    profile_name
);

impl ProfileName {
    /// The profile every command uses when none is named.
    pub fn default_name() -> ProfileName {
        ProfileName("default".to_string())
    }

    /// ` --profile NAME` for a command shown to the person, empty for the profile named
    /// `default`: the one way every message writes it.
    pub fn flag(&self) -> String {
        if self.0 == "default" {
            String::new()
        } else {
            format!(" --profile {}", self.0)
        }
    }
}

/// A comma-separated list (metascopes, OAuth scopes, as the Console shows them), cleaned and
/// without duplicates. One rule for the wizard as it is typed, `init`'s flags and the Console's
/// JSON: entries are separated by commas (spaces around them and one per line are fine); an
/// empty entry, a `;`, a space inside an entry or an empty list are refused with their fix, as
/// IMS would refuse them later with less to go on.
pub fn list(field: &str, raw: &str, fix: &str) -> Result<Vec<String>> {
    let mut items: Vec<String> = Vec::new();
    let cleaned = clean_pasted(raw);
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == ',' || c.is_whitespace()) {
        return Err(Error::invalid(field, "the list is empty", fix));
    }
    let entries: Vec<&str> = cleaned.split([',', '\n']).map(str::trim).collect();
    let count = entries.len();
    for (n, item) in entries.into_iter().enumerate() {
        if item.is_empty() {
            let problem = if n == 0 {
                "it starts with a comma"
            } else if n + 1 == count {
                "it ends in a comma"
            } else {
                "an empty entry between two commas"
            };
            return Err(Error::invalid(
                field,
                problem,
                "remove the extra comma: entries are separated by one comma each",
            ));
        }
        if item.contains(';') {
            return Err(Error::invalid(
                field,
                "a \";\" between entries",
                "separate the entries with commas, not semicolons",
            ));
        }
        if let Some(space) = item.split_whitespace().nth(1) {
            return Err(Error::invalid(
                field,
                format!(
                    "a space inside an entry (before {})",
                    crate::text::excerpt(space)
                ),
                "separate the entries with commas, as the Console lists them",
            ));
        }
        // Quotes inside a list are never part of a scope, typographic ones included (a list
        // copied from a document): refused here rather than by IMS later.
        if item
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '\'' | '`' | '“' | '”' | '‘' | '’'))
        {
            return Err(Error::wrong_shape(
                field,
                format!("{} is not a valid entry", crate::text::excerpt(item)),
                fix,
            ));
        }
        if item.len() > MAX_LIST_ITEM_LEN {
            return Err(Error::wrong_shape(
                field,
                format!(
                    "an entry of {} characters is longer than the {MAX_LIST_ITEM_LEN} a scope may be",
                    item.chars().count()
                ),
                fix,
            ));
        }
        if !items.iter().any(|i| i == item) {
            items.push(item.to_string());
        }
        if items.len() > MAX_LIST_ITEMS {
            return Err(Error::invalid(
                field,
                format!("more than {MAX_LIST_ITEMS} entries"),
                fix,
            ));
        }
    }
    if items.is_empty() {
        return Err(Error::invalid(field, "the list is empty", fix));
    }
    Ok(items)
}

/// Shorter than any client secret the Console gives (they are 30 characters or more).
pub const MIN_SECRET_LENGTH: usize = 8;

/// The longest secret (client secret, key passphrase) kept, in bytes: the Console's secrets are
/// about 40, and Windows' Credential Manager holds at most 2,560 bytes. Refused when typed, so
/// that nothing is saved that could not be read back.
pub const MAX_SECRET_LEN: usize = 1024;

/// The most items a scope or metascope list holds, and the longest item.
pub const MAX_LIST_ITEMS: usize = 64;
pub const MAX_LIST_ITEM_LEN: usize = 256;

/// A secret longer than `MAX_SECRET_LEN`.
pub fn too_long(field: &str, len: usize) -> Error {
    Error::invalid(
        field,
        format!("it is {len} bytes long, more than the {MAX_SECRET_LEN} places-setup keeps"),
        "paste only the secret itself (a client secret is about 40 characters); nothing was saved",
    )
}

/// A key passphrase, as typed or given: not empty, and at most `MAX_SECRET_LEN` bytes.
pub fn key_passphrase(
    field: &str,
    value: SecretString,
    fix_if_empty: &str,
) -> Result<SecretString> {
    use secrecy::ExposeSecret;
    let len = value.expose_secret().len();
    if len == 0 {
        return Err(Error::invalid(field, "is empty", fix_if_empty));
    }
    if len > MAX_SECRET_LEN {
        return Err(too_long(field, len));
    }
    Ok(value)
}

/// A value refused by an identifier's shape check: a slip named precisely (empty, a trailing
/// comma pasted with a value that `fits` without it) when there is one, else the value is of the
/// wrong shape.
fn shape_error(field: &str, value: &str, fix: &str, fits: impl Fn(&str) -> bool) -> Error {
    let slip = value
        .chars()
        .last()
        .filter(|c| matches!(c, ',' | ';' | '.'))
        .filter(|c| fits(&value[..value.len() - c.len_utf8()]));
    if value.is_empty() {
        Error::invalid(field, "it is empty", fix)
    } else if value.contains(char::is_whitespace) && fits(&value.replace(char::is_whitespace, "")) {
        // Spaces around a pasted value are removed; one inside is named, not guessed away.
        Error::invalid(
            field,
            "it has a space inside: paste it again, without spaces",
            fix,
        )
    } else if let Some(last) = slip {
        Error::invalid(
            field,
            format!("a trailing {last:?} was pasted with it: remove it"),
            fix,
        )
    } else if value.chars().count() > 80 {
        Error::wrong_shape(
            field,
            format!(
                "a value of {} characters does not have that shape",
                value.chars().count()
            ),
            fix,
        )
    } else {
        Error::wrong_shape(
            field,
            format!(
                "{} does not have the expected shape",
                crate::text::excerpt(value)
            ),
            fix,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn a_refusal_carries_its_field_and_problem_as_data() {
        let shape = |e: Error| {
            let i = e.invalid.expect("a refused value says which field");
            (i.field, i.problem, i.wrong_shape)
        };
        assert_eq!(
            shape(org_id("").unwrap_err()),
            ("org ID".into(), "it is empty".into(), false)
        );
        let (field, problem, wrong_shape) =
            shape(client_id("0123456789abcdef0123456789abcdef,").unwrap_err());
        assert_eq!(field, "client ID (API key)");
        assert!(
            problem.contains("trailing ','") && !wrong_shape,
            "{problem}"
        );
        let (_, problem, wrong_shape) = shape(technical_account_id("abc").unwrap_err());
        assert!(
            problem.contains("does not have") && wrong_shape,
            "{problem}"
        );
        let (_, _, wrong_shape) = shape(list("scopes", "a, \"b\"", "").unwrap_err());
        assert!(wrong_shape);
        // The message still reads whole on a command line.
        let e = org_id("").unwrap_err();
        assert_eq!(e.message, "org ID: it is empty");
        assert_eq!(e.problem(), "it is empty");
    }

    #[test]
    fn slips_of_the_paste_are_named_with_their_fix() {
        let e = org_id("18FB61145BAC2FFB0A494777@adobeorg").unwrap_err();
        assert!(e.message.contains("\"@adobeorg\""), "{}", e.message);
        assert!(
            e.hint
                .unwrap()
                .contains("18FB61145BAC2FFB0A494777@AdobeOrg"),
            "the fix is the value written right"
        );
        assert!(org_id("18FB61145BAC2FFB0A494777@ADOBEORG").is_err());
        for (e, what) in [
            (
                org_id("18FB61145BAC2FFB0A494777@AdobeOrg,").map(drop),
                "org ID",
            ),
            (
                client_id("0123456789abcdef0123456789abcdef,").map(drop),
                "client ID",
            ),
            (
                technical_account_id("0123456789ABCDEF01234567@techacct.adobe.com,").map(drop),
                "technical account ID",
            ),
        ] {
            let e = e.unwrap_err();
            assert!(e.message.contains("trailing ','"), "{what}: {}", e.message);
        }
        let e = client_secret("x").unwrap_err();
        assert!(
            e.message
                .contains("only 1 character: is that the whole secret?"),
            "{}",
            e.message
        );
        assert!(client_secret("p8e-0123456789").is_ok());
    }

    #[test]
    fn a_value_pasted_into_the_wrong_field_or_cut_short_is_named_with_its_fix() {
        let problem = |e: Error| e.invalid.unwrap().problem;
        assert_eq!(
            problem(org_id("18FB61145BAC2FFB0A494777").unwrap_err()),
            "the @AdobeOrg ending is missing: add it"
        );
        assert!(
            problem(org_id("0123456789abcdef0123456789abcdef").unwrap_err()).contains("client ID")
        );
        assert!(
            problem(org_id("18FB61145BAC 2FFB0A494777@AdobeOrg").unwrap_err()).contains("space")
        );
        assert!(
            problem(client_id("0a0a0a0a 0a0a0a0a0a0a0a0a0a0a0a0a").unwrap_err())
                .contains("space inside")
        );
        // A list pasted into the field: not "a trailing comma", which would not make it an ID.
        let (p, wrong_shape) = {
            let i = org_id("openid, AdobeID, read_organizations,")
                .unwrap_err()
                .invalid
                .unwrap();
            (i.problem, i.wrong_shape)
        };
        assert!(!p.contains("trailing") && wrong_shape, "{p}");
        assert!(
            problem(client_id("18FB61145BAC2FFB0A494777@AdobeOrg").unwrap_err()).contains("org ID")
        );
    }

    #[test]
    fn a_long_run_of_pasted_punctuation_is_refused_without_recursing_per_character() {
        // Checked once per value: the old recursion, once per trailing character, overflowed
        // the stack at 100,000 (the process aborted, a wizard's terminal left raw).
        let value = ",".repeat(100_000);
        assert!(org_id(&value).is_err());
        assert!(client_id(&value).is_err());
        assert!(technical_account_id(&value).is_err());
    }

    #[test]
    fn cleaning_removes_whitespace_newlines_and_quotes() {
        assert_eq!(clean_pasted("  abc\n"), "abc");
        assert_eq!(clean_pasted("\"abc\"\r\n"), "abc");
        assert_eq!(clean_pasted("'abc'"), "abc");
        assert_eq!(clean_pasted("“abc”"), "abc");
        assert_eq!(clean_pasted("\"abc"), "\"abc");
        assert_eq!(clean_pasted("\""), "\"");
    }

    #[test]
    fn org_id_shape() {
        assert_eq!(
            org_id(" 18FB61145BAC2FFB0A494777@AdobeOrg\n").unwrap(),
            "18FB61145BAC2FFB0A494777@AdobeOrg"
        );
        let err = org_id("18FB61145BAC2FFB0A49477@AdobeOrg").unwrap_err();
        assert!(err.message.starts_with("org ID:"), "{err:?}");
        assert!(err.hint.unwrap().contains("@AdobeOrg"));
        assert!(org_id("18FB61145BAC2FFB0A494777@adobeorg").is_err());
        assert!(org_id("18FB61145BAC2FFB0A49477G@AdobeOrg").is_err());
        assert!(org_id("").is_err());
    }

    #[test]
    fn technical_account_email_is_named_as_such() {
        assert!(technical_account_id("0123456789ABCDEF01234567@techacct.adobe.com").is_ok());
        let err = technical_account_id("a1b2c3d4-1234-5678-9abc-def012345678@techacct.adobe.com")
            .unwrap_err();
        assert!(err.message.contains("email"), "{err:?}");
        assert!(technical_account_id("0123456789ABCDEF01234567@AdobeOrg").is_err());
    }

    #[test]
    fn client_id_and_secret() {
        assert!(client_id("0123456789abcdef0123456789abcdef").is_ok());
        assert!(client_id("0123456789abcdef0123456789abcde").is_err());
        assert!(client_id("0123456789abcdef0123456789abcdeg").is_err());
        assert_eq!(
            client_secret(" 'p8e-secret'\n").unwrap().expose_secret(),
            "p8e-secret"
        );
        assert!(client_secret(" \n").is_err());
        assert!(client_secret("two words").is_err());
    }

    #[test]
    fn lists_split_and_dedupe() {
        assert_eq!(
            list("scopes", "openid, AdobeID,openid\n", "fix").unwrap(),
            vec!["openid", "AdobeID"]
        );
        assert!(list("scopes", " , ", "fix").is_err());
        // Found by fuzz/fuzz_targets/pasted.rs: typographic quotes went into the saved list.
        assert!(list("scopes", "“openid”, AdobeID", "fix").is_err());
        assert_eq!(
            list("scopes", "“openid, AdobeID”", "fix").unwrap(),
            vec!["openid", "AdobeID"]
        );
    }

    #[test]
    fn a_list_is_checked_as_typed_with_the_fix_named() {
        let problem = |raw: &str| {
            list("scopes", raw, "fix")
                .unwrap_err()
                .problem()
                .to_string()
        };
        assert_eq!(problem(""), "the list is empty");
        assert_eq!(problem(" ,, "), "the list is empty");
        assert_eq!(
            problem("openid,,AdobeID"),
            "an empty entry between two commas"
        );
        assert_eq!(problem("openid,AdobeID,"), "it ends in a comma");
        assert_eq!(problem(",openid"), "it starts with a comma");
        assert_eq!(problem("openid;AdobeID"), "a \";\" between entries");
        assert!(problem("openid AdobeID").contains("a space inside an entry"));
        let e = list("scopes", "openid;AdobeID", "fix").unwrap_err();
        assert!(e.hint.unwrap().contains("commas, not semicolons"));
        // As the Console shows them, and one per line: fine.
        assert_eq!(
            list("scopes", "openid, AdobeID, read_organizations", "fix").unwrap(),
            vec!["openid", "AdobeID", "read_organizations"]
        );
        assert_eq!(
            list(
                "metascopes",
                "ent_places_sdk\nhttps://ims-na1.adobelogin.com/s/ent_other",
                "fix"
            )
            .unwrap(),
            vec![
                "ent_places_sdk",
                "https://ims-na1.adobelogin.com/s/ent_other"
            ]
        );
    }

    #[test]
    fn profile_names() {
        assert!(profile_name("prod-eu_1").is_ok());
        assert!(profile_name("../etc").is_err());
        assert!(profile_name("").is_err());
        assert!(profile_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn long_values_are_not_echoed() {
        let err = client_id(&"x".repeat(200)).unwrap_err();
        assert!(!err.message.contains(&"x".repeat(100)));
    }
}
