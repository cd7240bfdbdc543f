//! The misbehaviours the emulator can serve instead of a normal answer, so that retries, timeouts and
//! error handling meet the failures a real network and a real gateway produce: error statuses, HTML and
//! non-JSON bodies at the HTTP level, and truncation, reset, hang and trickle on the raw socket.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::Shared;
use super::wire::{Answer, JSON, read_request};

/// A misbehaviour served to one request instead of the normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// An answer with this status, content type, body and optional `Retry-After` header.
    Status {
        status: u16,
        content_type: String,
        body: String,
        retry_after: Option<String>,
    },
    /// 502 with an HTML page, as a proxy in front of IMS sends.
    Html,
    /// 200 with a text/plain body.
    NonJson,
    /// A `Content-Length` larger than the body, then the connection closes.
    Truncated,
    /// The request is read, then the connection is reset (RST, not FIN).
    Reset,
    /// The request is read and never answered; the socket stays open.
    Hang,
    /// The normal answer, sent at this many bytes per second.
    Trickle { bytes_per_sec: usize },
}

impl Fault {
    pub(super) fn is_socket_level(&self) -> bool {
        matches!(
            self,
            Fault::Truncated | Fault::Reset | Fault::Hang | Fault::Trickle { .. }
        )
    }
}

impl Answer {
    pub(super) fn fault(fault: &Fault) -> Option<Answer> {
        match fault {
            Fault::Status {
                status,
                content_type,
                body,
                retry_after,
            } => {
                let mut answer = Answer::new(*status, content_type, body.as_bytes());
                if let Some(seconds) = retry_after {
                    answer.headers.push(("retry-after".into(), seconds.clone()));
                }
                Some(answer)
            }
            Fault::Html => Some(Answer::new(
                502,
                "text/html; charset=utf-8",
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
            )),
            Fault::NonJson => Some(Answer::new(200, "text/plain", "OK")),
            _ => None,
        }
    }
}

pub(super) async fn misbehave(shared: &Shared, mut stream: TcpStream, fault: Fault) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    shared.record(&request);
    match fault {
        Fault::Reset => {
            // SO_LINGER 0 makes the close send RST: the client sees "connection reset", not a clean EOF.
            let _ = stream.set_zero_linger();
        }
        Fault::Hang => {
            // The task holds the socket until the runtime drops it at shutdown.
            std::future::pending::<()>().await;
        }
        Fault::Truncated => {
            let answer = shared.finish(Answer::new(
                200,
                JSON,
                r#"{"token_type":"bearer","access_tok"#,
            ));
            let _ = stream
                .write_all(&answer.to_http(answer.body.len() + 512))
                .await;
            let _ = stream.shutdown().await;
        }
        Fault::Trickle { bytes_per_sec } => {
            let answer = shared.finish(shared.route(&request));
            let bytes = answer.to_http(answer.body.len());
            let rate = bytes_per_sec.max(1);
            let chunk = (rate / 10).max(1);
            let pause = Duration::from_secs_f64(chunk as f64 / rate as f64);
            for piece in bytes.chunks(chunk) {
                if stream.write_all(piece).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
                tokio::time::sleep(pause).await;
            }
            let _ = stream.shutdown().await;
        }
        Fault::Status { .. } | Fault::Html | Fault::NonJson => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::ims::EXCHANGE_PATH;
    use crate::emulator::test_support::*;
    use serde_json::{Value, json};
    use std::io;
    use std::time::Instant;

    #[tokio::test]
    async fn answer_faults_come_in_order_then_normal_answers_resume() {
        let emulator = emulator();
        let throttled = Fault::Status {
            status: 429,
            content_type: JSON.into(),
            body: r#"{"error":"too_many_requests"}"#.into(),
            retry_after: Some("7".into()),
        };
        emulator.push_faults([throttled, Fault::Html, Fault::NonJson]);
        let token = jwt(&claims(&emulator));
        let reply = exchange_jwt(&emulator, &token).await;
        assert_eq!((reply.status, reply.header("retry-after")), (429, "7"));
        assert_eq!(reply.json["error"], "too_many_requests");
        let reply = exchange_jwt(&emulator, &token).await;
        assert_eq!(reply.status, 502);
        assert!(reply.header("content-type").starts_with("text/html"));
        let reply = exchange_jwt(&emulator, &token).await;
        assert_eq!(
            (reply.status, reply.header("content-type"), &reply.json),
            (200, "text/plain", &Value::Null)
        );
        assert_eq!(exchange_jwt(&emulator, &token).await.status, 200);
        assert_eq!(
            (emulator.exchange_count(), emulator.request_count()),
            (4, 4)
        );
    }

    #[tokio::test]
    async fn socket_faults_break_the_connection_as_promised() {
        let emulator = emulator();
        let url = format!("{}{EXCHANGE_PATH}", emulator.url());
        let fields = [
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("jwt_token", "x"),
        ];

        emulator.push_faults([Fault::Reset]);
        let error = client().post(&url).form(&fields).send().await.unwrap_err();
        let reset = std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source())
            .filter_map(|e| e.downcast_ref::<io::Error>())
            .any(|e| e.kind() == io::ErrorKind::ConnectionReset);
        assert!(reset, "{error:?}");

        emulator.push_faults([Fault::Truncated]);
        let response = client().post(&url).form(&fields).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let error = response.bytes().await.unwrap_err();
        assert!(error.is_body() || error.is_decode(), "{error:?}");

        emulator.push_faults([Fault::Hang]);
        let started = Instant::now();
        let impatient = crate::http::builder()
            .no_proxy()
            .timeout(Duration::from_secs(1))
            .build()
            .unwrap();
        let error = impatient.post(&url).form(&fields).send().await.unwrap_err();
        assert!(
            error.is_timeout() && started.elapsed() < Duration::from_secs(3),
            "{error:?}"
        );
        // The hung connection blocks neither other requests nor shutdown.
        assert_eq!(
            exchange_jwt(&emulator, &jwt(&claims(&emulator)))
                .await
                .status,
            200
        );
        assert_eq!(emulator.exchange_count(), 4);
        let started = Instant::now();
        drop(emulator);
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn trickle_sends_a_valid_answer_slowly() {
        let emulator = emulator();
        emulator.push_faults([Fault::Trickle {
            bytes_per_sec: 2000,
        }]);
        let started = Instant::now();
        let reply = exchange_jwt(&emulator, &jwt(&claims(&emulator))).await;
        assert_eq!(
            (reply.status, &reply.json["expires_in"]),
            (200, &json!(86_400_000))
        );
        // An Adobe-shaped answer is over a kilobyte: at 2 kB/s it takes at least half a second.
        assert!(
            started.elapsed() >= Duration::from_millis(450),
            "{:?}",
            started.elapsed()
        );
        let token = reply.json["access_token"].as_str().unwrap();
        assert_eq!(
            libraries(&emulator, token, Some(CLIENT), ORG).await.status,
            200
        );
    }
}
