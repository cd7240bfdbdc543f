//! Outside text made safe to show (`text::printable`, `text::excerpt`, `text::from_server`) and values quoted for a
//! shell (`text::powershell_quote`, `text::fish_quote`, `places::shell_quote`): nothing that could
//! drive a terminal comes out, JSON stays valid with the same value, and each shell reads back
//! exactly the value quoted (checked with a small reader of that shell's single quotes).
#![no_main]
use libfuzzer_sys::fuzz_target;
use places_setup::places::shell_quote;
use places_setup::text::{excerpt, fish_quote, from_server, powershell_quote, printable};

fn drives_terminal(c: char, keep_lines: bool) -> bool {
    (c.is_control() && !(keep_lines && matches!(c, '\n' | '\t')))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn is_ps_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}'..='\u{201b}')
}

/// PowerShell's reading of a single-quoted string: any of its quote characters ends it, unless
/// doubled.
fn read_powershell(quoted: &str) -> Option<String> {
    let mut chars = quoted.chars().peekable();
    if !is_ps_quote(chars.next()?) {
        return None;
    }
    let mut value = String::new();
    while let Some(c) = chars.next() {
        if is_ps_quote(c) {
            if chars.peek().is_some_and(|n| is_ps_quote(*n)) {
                value.push(chars.next()?);
            } else {
                // The string ended: nothing may follow.
                return chars.next().is_none().then_some(value);
            }
        } else {
            value.push(c);
        }
    }
    None
}

/// fish's reading of a single-quoted string: \\ and \' are escapes, anything else is literal.
fn read_fish(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('\'')?;
    let mut chars = inner.chars();
    let mut value = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                e @ ('\\' | '\'') => value.push(e),
                other => {
                    value.push('\\');
                    value.push(other);
                }
            },
            '\'' => return chars.next().is_none().then_some(value),
            c => value.push(c),
        }
    }
    None
}

/// POSIX sh's reading of a word made of '…' runs and \' between them.
fn read_sh(quoted: &str) -> Option<String> {
    let mut chars = quoted.chars();
    let mut value = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => value.push(c),
                }
            },
            '\\' => value.push(chars.next()?),
            _ => return None,
        }
    }
    Some(value)
}

/// Whether `printable` could have written an escape at byte `at` of `shown`: `\u` and the four
/// lowercase hex digits of a character it escapes.
fn escape_at(shown: &str, at: usize) -> bool {
    let Some(hex) = shown.get(at..at + 6).and_then(|e| e.strip_prefix("\\u")) else {
        return false;
    };
    hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .is_some_and(|c| drives_terminal(c, false))
}

/// Where `sent` comes out of `from_server` as the server wrote it: an occurrence in `shown` that
/// does not begin inside an escape. Every occurrence is checked, overlapping ones too (in "\u0000"
/// and ten zeros, "0000000000" is found both from the escape's digits and after it).
///
/// Why not just `shown.contains(sent)`: the escape of a control character is made of `u`, `0`-`9`
/// and `a`-`f`, which a value of letters and digits may hold too. A server text of NUL, 40 `0` and
/// `T` shows as `\u0000` then `000…0T`, which contains 44 `0` and `T` although the server never
/// wrote them in a row: the first four come from the escape. Such a value was not in the text, so
/// there was nothing to redact; only its tail (shorter than the value) was. Since the value has no
/// `\`, an occurrence can start in at most one escape, within its last five characters, and what
/// follows is the server's own text. An occurrence that starts anywhere else is the value written
/// whole by the server, and means redaction missed it. (An escape-looking `\u001b` written as text
/// by the server reads the same; excusing what follows it would need the redaction to have failed
/// there, which the fuzzer also finds without the backslash.)
fn leaked(shown: &str, sent: &str) -> Option<usize> {
    (0..shown.len()).find(|&at| {
        shown.as_bytes()[at..].starts_with(sent.as_bytes())
            && !(1..=5).any(|back| at >= back && escape_at(shown, at - back))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for keep_lines in [false, true] {
        let shown = printable(text, keep_lines);
        assert!(
            !shown.chars().any(|c| drives_terminal(c, keep_lines)),
            "{shown:?}"
        );
    }
    let cut = excerpt(text);
    assert!(!cut.chars().any(|c| drives_terminal(c, false)));
    // At most 80 characters of the value, each at worst a 6-character escape, and the length.
    assert!(
        cut.chars().count() <= places_setup::text::EXCERPT_CHARS * 6 + 40,
        "{} chars",
        cut.chars().count()
    );

    let value = serde_json::json!({ "v": text, "list": [text] });
    let json = serde_json::to_string_pretty(&value).expect("JSON");
    let shown = printable(&json, true);
    let back: serde_json::Value = serde_json::from_str(&shown).expect("still JSON");
    assert_eq!(back, value);

    // A server's text with a value the tool sent somewhere in it: the first line is the value.
    // A value of letters, digits and dashes (as secrets and tokens are) longer than "REDACTED"
    // never comes out, whole, however the text around it is made or cut (`leaked`: other than
    // by coincidence with the digits of an escape).
    if let Some((sent, said)) = text.split_once('\n')
        && sent.len() > 8
        && sent.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        let shown = from_server(said, &[sent]);
        assert!(leaked(&shown, sent).is_none(), "{sent:?} in {shown:?}");
        assert!(!shown.chars().any(|c| drives_terminal(c, false)));
        assert!(shown.len() <= places_setup::text::MAX_SERVER_TEXT * 6 + 40, "{}", shown.len());
    }
    let shown = from_server(text, &[]);
    assert!(!shown.chars().any(|c| drives_terminal(c, false)));

    assert_eq!(read_powershell(&powershell_quote(text)).as_deref(), Some(text));
    assert_eq!(read_fish(&fish_quote(text)).as_deref(), Some(text));
    assert_eq!(read_sh(&shell_quote(text)).as_deref(), Some(text));
});
