//! Text from outside the program (a server's answer, a file edited by hand, a value typed on the
//! command line) made safe to show: no control character reaches the terminal, and long values are
//! cut to a readable length.

/// The longest excerpt of an outside value an error message quotes.
pub const EXCERPT_CHARS: usize = 80;

/// `text` with every control character (C0, DEL, C1: ESC, CSI, OSC…) written as a visible
/// `\u001b`-style escape, so a server cannot clear the screen, set the title, write the clipboard
/// (OSC 52) or hide a link (OSC 8). Newlines and tabs are kept when `keep_lines`. The escape is
/// also JSON's, so JSON text stays valid JSON with the same value: outside strings, JSON allows
/// only space, tab, newline and carriage return, and serde_json already escapes C0 inside them.
pub fn printable(text: &str, keep_lines: bool) -> String {
    if !text.chars().any(|c| needs_escape(c, keep_lines)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c, keep_lines) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char, keep_lines: bool) -> bool {
    // Bidirectional overrides and isolates reorder what follows them on screen.
    let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    (c.is_control() && !(keep_lines && matches!(c, '\n' | '\t'))) || bidi
}

/// A value quoted in a message: printable, and at most `EXCERPT_CHARS` characters, with how long
/// it really was when cut.
pub fn excerpt(value: &str) -> String {
    let count = value.chars().count();
    if count <= EXCERPT_CHARS {
        return format!("\"{}\"", printable(value, false));
    }
    let head: String = value.chars().take(EXCERPT_CHARS - 20).collect();
    format!("\"{}…\" ({count} characters)", printable(&head, false))
}

/// The most of a server's own words (IMS's `error_description`, the gateway's `message`, an ID
/// header) that a message quotes: enough for any real one, and a 900 KB echo stays one screen.
pub const MAX_SERVER_TEXT: usize = 512;

/// What a server says, fit to show: every value the tool sent it (`sent`: the client secret, the
/// JWT, the access token) replaced by `[REDACTED]` — as sent and as a form body encodes it, since
/// a server may echo the request — then control characters made visible, then cut to
/// `MAX_SERVER_TEXT` bytes with how many more there were. Redacted before it is cut, so a cut
/// never leaves half a secret that no longer matches.
pub fn from_server(text: &str, sent: &[&str]) -> String {
    let mut text = text.to_string();
    // Longest first: a value inside another (a secret inside a form body) would otherwise leave
    // the rest of the longer one shown beside "[REDACTED]".
    let mut sent: Vec<&str> = sent.iter().copied().filter(|v| !v.is_empty()).collect();
    sent.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for value in sent {
        let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let percent = url::form_urlencoded::byte_serialize(value.as_bytes())
            .collect::<String>()
            .replace('+', "%20");
        for form in [value.to_string(), encoded, percent] {
            if text.contains(&form) {
                text = text.replace(&form, "[REDACTED]");
            }
        }
    }
    if text.len() <= MAX_SERVER_TEXT {
        return printable(&text, false);
    }
    let mut end = MAX_SERVER_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}… ({} bytes more)",
        printable(&text[..end], false),
        text.len() - end
    )
}

/// `text` broken between words into lines of at most `width` characters; a word longer than that
/// (a path) is broken after a `/`, else left whole on a line of its own.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let words = text
        .split(' ')
        .filter(|w| !w.is_empty())
        .flat_map(|w| split_path(w, width));
    for word in words {
        let wanted = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && wanted > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `first` then `text`, which wraps between words at `width` (when given, and when that leaves
/// room) with each continuation under its own start: a terminal's report whose values never wrap
/// at column 1. Lines joined with `\n`, trailing spaces removed.
pub fn hang(first: &str, text: &str, width: Option<usize>) -> String {
    let indent = first.chars().count();
    let parts = match width {
        Some(w) if w > indent + 20 => wrap_words(text, w - indent),
        _ => vec![text.to_string()],
    };
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let lead = if i == 0 {
                first.to_string()
            } else {
                " ".repeat(indent)
            };
            format!("{lead}{part}").trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The width of the terminal standard output is, when it is one: what `hang` wraps to.
pub fn terminal_width(is_terminal: bool) -> Option<usize> {
    match is_terminal {
        true => crossterm::terminal::size()
            .ok()
            .map(|(w, _)| usize::from(w)),
        false => None,
    }
}

/// A word longer than `width` in pieces that each end at a `/` (the last excepted), as long as
/// fit; a word that fits, or has no `/`, whole.
fn split_path(word: &str, width: usize) -> Vec<&str> {
    if word.chars().count() <= width || !word.contains('/') {
        return vec![word];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (i, c) in word.char_indices() {
        if c == '/' {
            let candidate = i + 1;
            if word[start..candidate].chars().count() > width && end > start {
                pieces.push(&word[start..end]);
                start = end;
            }
            end = candidate;
        }
    }
    if word[start..].chars().count() > width && end > start && end < word.len() {
        pieces.push(&word[start..end]);
        start = end;
    }
    pieces.push(&word[start..]);
    pieces
}

/// Single-quotes a value for PowerShell, which ends a single-quoted string on any of ' and the
/// typographic U+2018..U+201B; each is escaped by doubling it. Inside, nothing else is special.
pub fn powershell_quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('\'');
    for c in value.chars() {
        if matches!(c, '\'' | '\u{2018}'..='\u{201b}') {
            quoted.push(c);
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

/// Single-quotes a value for fish, where only \\ and \' are escapes inside single quotes.
/// (POSIX sh needs no escape but for ' itself: `places::shell_quote`.)
pub fn fish_quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_hung_value_continues_under_itself() {
        let shown = hang(
            "  secrets   ",
            "file /a/long/path/client_secret (mode 0600)",
            Some(44),
        );
        assert_eq!(
            shown,
            "  secrets   file /a/long/path/client_secret\n            (mode 0600)"
        );
        assert_eq!(hang("  a ", "b c", None), "  a b c");
        // Too narrow to hang under: left whole rather than a column of single words.
        assert_eq!(hang(&" ".repeat(30), "b c", Some(40)).trim(), "b c");
    }

    #[test]
    fn words_wrap_without_being_cut() {
        assert_eq!(
            wrap_words("one two three four", 9),
            vec!["one two", "three", "four"]
        );
        assert_eq!(
            wrap_words("a /a/very/long/path b", 5),
            vec!["a /a/", "very/", "long/", "path", "b"]
        );
        assert_eq!(wrap_words("", 5), vec![""]);
        // A path longer than the line breaks after a slash, never inside a name.
        assert_eq!(
            wrap_words("in /tmp/tester2/cfg2/profiles/default/client_secret", 24),
            vec![
                "in /tmp/tester2/cfg2/",
                "profiles/default/",
                "client_secret"
            ]
        );
        for line in wrap_words("/a/very/long/path/of/many/parts/x", 10) {
            assert!(line.chars().count() <= 10, "{line}");
        }
    }
    use super::*;

    #[test]
    fn server_text_shows_no_value_sent_and_is_cut() {
        let secret = "p8e-a+b/c=d e";
        let echoed =
            format!("client_secret=p8e-a%2Bb%2Fc%3Dd+e&x={secret}&y=p8e-a%2Bb%2Fc%3Dd%20e");
        assert_eq!(
            from_server(&echoed, &[secret, ""]),
            "client_secret=[REDACTED]&x=[REDACTED]&y=[REDACTED]"
        );
        let long = format!("{}{secret}", "é".repeat(600));
        let shown = from_server(&long, &[secret]);
        assert!(!shown.contains("p8e"), "{shown}");
        // 600 two-byte characters and the 10 bytes of [REDACTED], cut after 512 bytes.
        assert!(shown.ends_with("… (698 bytes more)"), "{shown}");
        assert_eq!(from_server("a\u{1b}[2Jb", &[]), "a\\u001b[2Jb");
    }

    #[test]
    fn control_characters_become_visible_escapes() {
        let hostile = "bad\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\r\nnext\u{202e}";
        let shown = printable(hostile, false);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown}");
        assert_eq!(
            shown,
            "bad\\u001b]52;c;aGk=\\u0007\\u001b[2J\\u009b31m\\u000d\\u000anext\\u202e"
        );
        assert_eq!(printable("a\n\tb\r", true), "a\n\tb\\u000d");
        assert_eq!(printable("plain text", false), "plain text");
    }

    #[test]
    fn json_stays_valid_with_the_same_value() {
        let value = serde_json::json!({"name": "x\u{9b}2J\u{7f}\u{1b}y\u{85}"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let shown = printable(&text, true);
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'));
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn long_values_are_cut() {
        let long = "p".repeat(10_000);
        let shown = excerpt(&long);
        assert!(shown.len() < 120, "{shown}");
        assert!(shown.ends_with("(10000 characters)"), "{shown}");
        assert_eq!(excerpt("short"), "\"short\"");
    }

    #[test]
    fn powershell_doubles_every_quote_it_knows() {
        assert_eq!(
            powershell_quote("a'b\u{2018}c\u{2019}d\u{201a}e\u{201b}f\u{201c}"),
            "'a''b\u{2018}\u{2018}c\u{2019}\u{2019}d\u{201a}\u{201a}e\u{201b}\u{201b}f\u{201c}'"
        );
        assert_eq!(fish_quote(r"a\'b"), r"'a\\\'b'");
    }

    #[test]
    fn a_value_inside_another_sent_value_leaves_nothing_of_the_longer_one() {
        let shown = from_server("echo: sec-ret-and-more", &["sec-ret", "sec-ret-and-more"]);
        assert_eq!(shown, "echo: [REDACTED]");
    }
}
