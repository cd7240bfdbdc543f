//! Requests and answers as bytes: what the emulator reads off a connection (by hyper or by hand, for the
//! socket-level faults), the form bodies IMS accepts, and the answers it writes with their headers.

use std::fmt::Write as _;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

pub(super) const JSON: &str = "application/json;charset=utf-8";
pub(super) const MAX_BODY: usize = 1 << 20;
const MAX_HEAD: usize = 64 << 10;

/// A request read off the wire, by hyper or by hand.
pub(super) struct Received {
    pub(super) method: String,
    pub(super) path: String,
    /// The query string, without `?`; empty when there is none.
    pub(super) query: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Bytes,
}

impl Received {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        lookup(&self.headers, name)
    }
}

/// A response before it is written; `finish` adds the headers every response carries.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) content_type: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Answer {
    pub(super) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            content_type: content_type.to_string(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub(super) fn json(status: u16, value: &Value) -> Answer {
        Answer::new(status, JSON, serde_json::to_vec(value).unwrap_or_default())
    }

    pub(super) fn error(status: u16, error: &str, description: &str) -> Answer {
        Answer::json(
            status,
            &json!({ "error": error, "error_description": description }),
        )
    }

    /// The API gateway in front of Places has its own error shape.
    pub(super) fn gateway(status: u16, code: &str, message: &str) -> Answer {
        Answer::json(status, &json!({ "error_code": code, "message": message }))
    }

    /// The bytes of an HTTP/1.1 response, announcing `declared_length` as its length.
    pub(super) fn to_http(&self, declared_length: usize) -> Vec<u8> {
        let reason = StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unknown");
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\n",
            self.status, self.content_type
        );
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        let _ = write!(
            head,
            "content-length: {declared_length}\r\nconnection: close\r\n\r\n"
        );
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    pub(super) fn into_response(self) -> Response<Full<Bytes>> {
        let mut builder = Response::builder()
            .status(self.status)
            .header("content-type", self.content_type);
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        builder
            .body(Full::new(Bytes::from(self.body)))
            .unwrap_or_else(|_| {
                // Only a test's own fault can carry an invalid header; say so rather than panic in the server.
                let mut response =
                    Response::new(Full::new(Bytes::from_static(b"invalid fault headers")));
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                response
            })
    }
}

/// Reads one request by hand (head and a `Content-Length` body), for the faults hyper cannot commit.
pub(super) async fn read_request<S: tokio::io::AsyncRead + Unpin>(
    stream: &mut S,
) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position + 4;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > MAX_HEAD {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = std::str::from_utf8(&buffer[..head_end]).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (path, query) = (path.to_string(), query.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let length = lookup(&headers, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut body = buffer.split_off(head_end);
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Some(Received {
        method,
        path,
        query,
        headers,
        body: Bytes::from(body),
    })
}

pub(super) fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The fields of a form body; anything but urlencoded (or multipart, where allowed) is refused as IMS does.
pub(super) fn form_fields(
    request: &Received,
    allow_multipart: bool,
) -> Result<Vec<(String, String)>, Answer> {
    let content_type = request.header("content-type").unwrap_or_default();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "application/x-www-form-urlencoded" => Ok(urlencoded_fields(&request.body)),
        "multipart/form-data" if allow_multipart => multipart_fields(content_type, &request.body)
            .ok_or_else(|| {
                Answer::error(400, "invalid_request", "malformed multipart/form-data body")
            }),
        _ => Err(Answer::error(
            415,
            "invalid_request",
            &format!(
                "unsupported content type {content_type:?}: send application/x-www-form-urlencoded"
            ),
        )),
    }
}

fn urlencoded_fields(body: &[u8]) -> Vec<(String, String)> {
    body.split(|&byte| byte == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut halves = pair.splitn(2, |&byte| byte == b'=');
            let name = percent_decode(halves.next().unwrap_or_default());
            (name, percent_decode(halves.next().unwrap_or_default()))
        })
        .collect()
}

fn percent_decode(text: &[u8]) -> String {
    let hex = |byte: Option<&u8>| byte.and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(text.len());
    let mut index = 0;
    while let Some(&byte) = text.get(index) {
        index += 1;
        match (byte, hex(text.get(index)), hex(text.get(index + 1))) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 2;
            }
            (b'+', _, _) => out.push(b' '),
            (byte, _, _) => out.push(byte),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn multipart_fields(content_type: &str, body: &[u8]) -> Option<Vec<(String, String)>> {
    let boundary = content_type
        .split(';')
        .find_map(|part| part.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let body = std::str::from_utf8(body).ok()?;
    let mut fields = Vec::new();
    for part in body.split(&format!("--{boundary}")).skip(1) {
        if part.starts_with("--") {
            return Some(fields);
        }
        let (head, value) = part.strip_prefix("\r\n")?.split_once("\r\n\r\n")?;
        let name = head
            .split("\r\n")
            .filter(|line| {
                line.to_ascii_lowercase()
                    .starts_with("content-disposition:")
            })
            .find_map(|line| {
                line.split(';')
                    .find_map(|item| item.trim().strip_prefix("name="))
            })?;
        fields.push((
            name.trim_matches('"').to_string(),
            value.strip_suffix("\r\n").unwrap_or(value).to_string(),
        ));
    }
    None
}

/// IMF-fixdate (RFC 9110), e.g. `Tue, 14 Nov 2023 22:13:20 GMT`.
pub(super) fn http_date(epoch_secs: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = epoch_secs.div_euclid(86_400);
    let seconds = epoch_secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_imf_fixdate() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(http_date(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(http_date(4_102_444_800), "Fri, 01 Jan 2100 00:00:00 GMT");
    }
}
