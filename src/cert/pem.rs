//! PEM as OpenSSL reads and writes it: the first block of the wanted kind is taken, whatever text
//! or other blocks come before it; its base64 may be wrapped at any width, with CR LF or LF.
use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::{DecodePaddingMode, general_purpose};
use zeroize::Zeroizing;

/// Standard base64 read the way OpenSSL's decoder reads it: the unused bits of the last character
/// are not checked, and the padding may be left out.
pub(crate) const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// base64url, read as leniently.
pub(crate) const URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// base64url without padding, as JWTs write it.
pub(crate) const URL: GeneralPurpose = general_purpose::URL_SAFE_NO_PAD;

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block.
pub(crate) struct Block<'a> {
    pub label: &'a str,
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`): OpenSSL's legacy encryption.
    pub headers: bool,
    /// The header lines themselves, when there are any.
    header_text: &'a [u8],
    body: &'a [u8],
}

impl Block<'_> {
    /// The body's base64 text, without its line breaks and other white space.
    fn base64(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(
            self.body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect(),
        )
    }

    /// The cipher a legacy-encrypted block names (`DEK-Info: AES-256-CBC,…`), upper-cased.
    pub fn dek_cipher(&self) -> Option<String> {
        String::from_utf8_lossy(self.header_text)
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("DEK-Info:")
                    .map(str::trim)
                    .map(str::to_string)
            })
            .and_then(|v| v.split(',').next().map(|c| c.trim().to_ascii_uppercase()))
    }

    /// The DER inside, or `None` when the body is not base64.
    pub fn der(&self) -> Option<Zeroizing<Vec<u8>>> {
        let text = self.base64();
        LENIENT
            .decode(&*text)
            .ok()
            .map(Zeroizing::new)
            .filter(|der| !der.is_empty())
    }

    /// The block as OpenSSL's own PEM reader wants it: LF line ends, the headers, a blank line,
    /// the base64 in lines of 64. For the legacy encrypted form, whose headers OpenSSL reads.
    pub fn normalized(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::new());
        out.extend_from_slice(format!("-----BEGIN {}-----\n", self.label).as_bytes());
        for line in self.header_text.split(|&b| b == b'\n') {
            let line = line.trim_ascii();
            if !line.is_empty() {
                out.extend_from_slice(line);
                out.push(b'\n');
            }
        }
        out.push(b'\n');
        let text = self.base64();
        for line in text.chunks(64) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out.extend_from_slice(format!("-----END {}-----\n", self.label).as_bytes());
        out
    }
}

const BEGIN: &[u8] = b"-----BEGIN ";
const DASHES: &[u8] = b"-----";

/// Every complete block of `text`, in order.
pub(crate) fn blocks(text: &[u8]) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find(rest, BEGIN) {
        let after = &rest[start + BEGIN.len()..];
        let line_end = after
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(after.len());
        let Some(label_end) = find(&after[..line_end], DASHES) else {
            rest = after;
            continue;
        };
        let Ok(label) = std::str::from_utf8(&after[..label_end]) else {
            rest = after;
            continue;
        };
        let body_start = &after[(label_end + DASHES.len()).min(line_end)..];
        let end_marker = [b"-----END ", label.as_bytes(), DASHES].concat();
        let Some(end) = find(body_start, &end_marker) else {
            rest = after;
            continue;
        };
        let (header_text, body) = split_headers(&body_start[..end]);
        out.push(Block {
            label,
            headers: header_text.is_some(),
            header_text: header_text.unwrap_or_default(),
            body,
        });
        rest = &body_start[end + end_marker.len()..];
    }
    out
}

/// Headers are the `Name: value` lines at the start of a body, up to a blank line.
fn split_headers(body: &[u8]) -> (Option<&[u8]>, &[u8]) {
    let first = body
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|line| !line.is_empty());
    if !first.is_some_and(|line| line.contains(&b':')) {
        return (None, body);
    }
    let mut offset = 0;
    let mut seen_header = false;
    for line in body.split_inclusive(|&b| b == b'\n') {
        offset += line.len();
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() && seen_header {
            break;
        }
        seen_header |= !trimmed.is_empty();
    }
    let offset = offset.min(body.len());
    (Some(&body[..offset]), &body[offset..])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A PEM block as OpenSSL writes one: base64 in lines of 64, LF line ends.
pub(crate) fn encode(label: &str, der: &[u8]) -> Zeroizing<String> {
    let base64 = Zeroizing::new(STANDARD.encode(der));
    let mut out = String::with_capacity(base64.len() + base64.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for line in base64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    Zeroizing::new(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_among_text_and_read_whatever_their_line_ends() {
        let der = (0u8..=200).collect::<Vec<_>>();
        let pem = encode("CERTIFICATE", &der);
        let text = format!(
            "junk\n{}\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n-----BEGIN X-----\nno end",
            pem.replace('\n', "\r\n")
        );
        let found = blocks(text.as_bytes());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].label, "CERTIFICATE");
        assert!(!found[0].headers);
        assert_eq!(found[0].der().unwrap().as_slice(), der.as_slice());
        assert_eq!(found[1].label, "RSA PRIVATE KEY");
        assert!(found[1].headers);
        assert_eq!(found[1].der().unwrap().as_slice(), [0, 0, 0]);
        assert_eq!(
            found[1].normalized().as_slice(),
            b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"
        );
        assert!(
            blocks(b"-----BEGIN A-----\n!!\n-----END A-----\n")[0]
                .der()
                .is_none()
        );
    }

    #[test]
    fn written_as_openssl_writes_it() {
        let pem = encode("PRIVATE KEY", &[0xAB; 100]);
        let lines: Vec<&str> = pem.lines().collect();
        assert_eq!(lines[0], "-----BEGIN PRIVATE KEY-----");
        assert_eq!(lines[1].len(), 64);
        assert_eq!(lines[3], "q6urqw==");
        assert_eq!(lines[4], "-----END PRIVATE KEY-----");
        assert!(pem.ends_with("-----\n"));
    }
}
