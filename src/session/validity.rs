//! How long a handed-out token must still last: `--min-valid DURATION` of `token`, `env`, `exec`
//! and `api`, for jobs that outlive the default 10-minute margin.
use crate::error::{Error, Result};
use crate::store::token::REUSE_MARGIN;
use std::time::Duration;

/// The longest `--min-valid` accepted: IMS's access tokens last 24 hours, so no token could
/// satisfy a longer one and every run would exchange anew.
pub const MAX_MIN_VALID: Duration = Duration::from_secs(24 * 3600);

/// The reuse margin when no flag is given.
pub const DEFAULT_MIN_VALID: Duration = REUSE_MARGIN;

/// Parses `--min-valid`: `90s`, `30m`, `2h`, `1h30m` (humantime's syntax), more than zero and at
/// most 24 hours.
pub fn parse_min_valid(text: &str) -> Result<Duration> {
    // The face names the flag (clap: "invalid value '25h' for '--min-valid <DURATION>'").
    let hint = "give a duration such as 90s, 30m, 2h or 1h30m, at most 24h (a token's lifetime)";
    let duration = humantime::parse_duration(text.trim())
        .map_err(|e| Error::usage(format!("{text:?} is not a duration ({e})")).with_hint(hint))?;
    if duration.is_zero() {
        return Err(Error::usage(format!("{text:?} is no time at all")).with_hint(hint));
    }
    if duration > MAX_MIN_VALID {
        return Err(Error::usage(format!(
            "{text:?} is longer than an access token lives (24h): no token could last that long"
        ))
        .with_hint(
            "give at most 24h; a longer job renews its token on the way (`places-setup token --min-valid 1h` before each long step)",
        ));
    }
    Ok(duration)
}

/// What a cache must still hold to be handed out: the asked duration, never less than the
/// default margin (a token that dies within 10 minutes is not worth handing to anyone).
pub fn effective_min_valid(asked: Option<Duration>) -> Duration {
    asked.map_or(DEFAULT_MIN_VALID, |d| d.max(DEFAULT_MIN_VALID))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_the_usual_units() {
        for (text, secs) in [
            ("90s", 90),
            ("30m", 1800),
            ("2h", 7200),
            ("1h30m", 5400),
            ("24h", 86400),
        ] {
            assert_eq!(
                parse_min_valid(text).unwrap(),
                Duration::from_secs(secs),
                "{text}"
            );
        }
    }

    #[test]
    fn nonsense_zero_and_more_than_a_day_are_refused_naming_the_flag() {
        for text in ["", "2", "two hours", "0s", "25h", "2d"] {
            let e = parse_min_valid(text).unwrap_err();
            assert!(e.message.contains(&format!("{text:?}")), "{text}: {e:?}");
            assert!(e.hint.unwrap().contains("at most 24h"), "{text}");
        }
        assert!(
            parse_min_valid("25h")
                .unwrap_err()
                .message
                .contains("lives (24h)")
        );
    }

    #[test]
    fn the_default_margin_is_a_floor() {
        assert_eq!(effective_min_valid(None), REUSE_MARGIN);
        assert_eq!(
            effective_min_valid(Some(Duration::from_secs(60))),
            REUSE_MARGIN
        );
        assert_eq!(
            effective_min_valid(Some(Duration::from_secs(7200))),
            Duration::from_secs(7200)
        );
    }
}
