//! The end of Service Account (JWT) credentials: Adobe converted every remaining one to OAuth
//! Server-to-Server on 2026-03-01 at the latest, keeping the client ID, client secret, technical
//! account and product profiles. One date, and the words for it before and after.
use std::time::{Duration, SystemTime};

/// The day Adobe's conversion of JWT credentials was complete.
pub const JWT_CONVERSION_DATE: &str = "2026-03-01";

/// 2026-03-01T00:00:00Z (a test checks it against `JWT_CONVERSION_DATE`).
const JWT_CONVERSION_EPOCH: u64 = 1_772_323_200;

/// The instant the conversion was complete.
pub fn conversion_instant() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(JWT_CONVERSION_EPOCH)
}

/// Whether, on `today`, Adobe no longer accepts any JWT exchange.
pub fn converted(today: SystemTime) -> bool {
    today >= conversion_instant()
}

/// One sentence on the end of JWT, in the tense `today` calls for.
pub fn notice(today: SystemTime) -> String {
    let date = JWT_CONVERSION_DATE;
    if converted(today) {
        format!(
            "Adobe stopped accepting Service Account (JWT) credentials on {date}: each was converted to OAuth Server-to-Server, keeping its client ID, client secret and product profiles."
        )
    } else {
        format!(
            "Adobe stops accepting Service Account (JWT) credentials on {date} (sooner when a credential's certificate expires): each is converted to OAuth Server-to-Server, keeping its client ID, client secret and product profiles."
        )
    }
}

/// The command that carries a JWT profile across (`profile_flag` is ` --profile NAME` or empty).
pub fn migrate_command(profile_flag: &str) -> String {
    format!("places-setup{profile_flag} migrate --scopes SCOPES")
}

/// The warning for a saved JWT profile.
pub fn profile_warning(today: SystemTime, profile_flag: &str) -> String {
    let date = JWT_CONVERSION_DATE;
    let what = if converted(today) {
        format!("Adobe stopped accepting JWT credentials on {date}")
    } else {
        format!("Adobe stops accepting JWT credentials on {date}")
    };
    format!(
        "this profile is Service Account (JWT): {what}; carry it across to OAuth Server-to-Server (same client ID and secret) with `{}`, SCOPES from the credential's Scopes tab",
        migrate_command(profile_flag)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constant_and_the_instant_agree() {
        assert_eq!(
            humantime::parse_rfc3339(&format!("{JWT_CONVERSION_DATE}T00:00:00Z")).unwrap(),
            conversion_instant()
        );
    }

    #[test]
    fn wording_before_and_after_the_date() {
        let day = Duration::from_secs(86_400);
        let before = conversion_instant() - day;
        let after = conversion_instant() + day;
        assert!(!converted(before));
        assert!(converted(conversion_instant()));
        assert!(notice(before).starts_with("Adobe stops accepting"));
        assert!(notice(before).contains("each is converted"));
        assert!(notice(after).starts_with("Adobe stopped accepting"));
        assert!(notice(after).contains("on 2026-03-01: each was converted"));
        assert!(
            profile_warning(before, "")
                .contains("Adobe stops accepting JWT credentials on 2026-03-01")
        );
        let warning = profile_warning(after, " --profile prod");
        assert!(warning.contains("Adobe stopped accepting JWT credentials on 2026-03-01"));
        assert!(warning.contains("`places-setup --profile prod migrate --scopes SCOPES`"));
    }
}
