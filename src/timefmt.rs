//! Times as people read them.
use std::time::{Duration, SystemTime};

/// `23h 59m`, `9m 5s`, `42 days`.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {}s", s / 60, s % 60),
        3600..172_800 => format!("{}h {}m", s / 3600, (s % 3600) / 60),
        _ => format!("{} days", s / 86_400),
    }
}

/// RFC 3339 in UTC, to the second. A time past the year 9999, which RFC 3339 cannot write (and
/// humantime panics on), is shown as the last second it can.
pub fn rfc3339(t: SystemTime) -> String {
    // 9999-12-31T23:59:59Z
    let last = SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799);
    if t > last {
        return "after 9999-12-31T23:59:59Z".to_string();
    }
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Whole seconds from `now` until `t`, negative when past.
pub fn seconds_until(t: SystemTime, now: SystemTime) -> i64 {
    match t.duration_since(now) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// Whole days left until `t`, counting a started day: a certificate made today for 365 days has 365.
pub fn days_left(t: SystemTime, now: SystemTime) -> i64 {
    let secs = seconds_until(t, now);
    if secs > 0 {
        (secs + 86_399) / 86_400
    } else {
        secs.div_euclid(86_400)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_far_date_is_shown_not_a_panic() {
        let far = SystemTime::UNIX_EPOCH + Duration::from_secs(300_000_000_000);
        assert_eq!(rfc3339(far), "after 9999-12-31T23:59:59Z");
        let last = SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799);
        assert_eq!(rfc3339(last), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn spans() {
        assert_eq!(span(Duration::from_secs(59)), "59s");
        assert_eq!(span(Duration::from_secs(605)), "10m 5s");
        assert_eq!(span(Duration::from_secs(86_399)), "23h 59m");
        assert_eq!(span(Duration::from_secs(86_400 * 30)), "30 days");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(100);
        assert_eq!(seconds_until(now + Duration::from_secs(5), now), 5);
        assert_eq!(seconds_until(now - Duration::from_secs(5), now), -5);
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            days_left(now + Duration::from_secs(365 * 86_400 - 30), now),
            365
        );
        assert_eq!(days_left(now + Duration::from_secs(1), now), 1);
        assert_eq!(days_left(now - Duration::from_secs(1), now), -1);
    }
}
