//! An HTTP answer written as text, so that seeds read like what a server sends:
//! `STATUS\nname: value\n…\n\nBODY` (the body is taken as raw bytes).
use bytes::Bytes;
use places_setup::http::Answer;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

pub fn answer(data: &[u8]) -> Option<Answer> {
    let split = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .map_or((data, &[][..]), |i| (&data[..i], &data[i + 2..]));
    let (head, body) = split;
    let mut lines = head.split(|&b| b == b'\n');
    let status = std::str::from_utf8(lines.next()?).ok()?.trim();
    let status = StatusCode::from_u16(status.parse().ok()?).ok()?;
    let mut headers = HeaderMap::new();
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        // Whatever reqwest would have refused on the wire never reaches the parsers.
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&line[..colon]),
            HeaderValue::from_bytes(line[colon + 1..].trim_ascii()),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    Some(Answer {
        status,
        headers,
        body: Bytes::copy_from_slice(body),
        attempts: 1,
        sent: Vec::new(),
    })
}
