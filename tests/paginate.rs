//! `api --paginate` against a Places API that never ends its list: a next link to the same page,
//! a new page made up every time, a link just outside the API's path. Each run ends, and the token
//! goes nowhere else.
mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A Places API on loopback whose page N (from 1) is `page(port, N)`; counts the requests.
fn places_api(page: impl Fn(u16, usize) -> String + Send + 'static) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let body = page(port, n);
            let _ = stream.write_all(&answer(200, "application/json", body.as_bytes()));
        }
    });
    (
        format!("http://127.0.0.1:{port}/places/placesapi/v1"),
        count,
    )
}

/// Every page links to a new one (`?p=N+1`), forever, with `data` in it.
fn endless_pages(data: &str) -> (String, Arc<AtomicUsize>) {
    let data = data.to_string();
    places_api(move |_, n| {
        format!(
            r#"{{"data":["{data}"],"_links":{{"next":{{"href":"?p={}"}}}}}}"#,
            n + 1
        )
    })
}

fn paginate(home: &Home, places_url: &str, extra: &[&str]) -> Run {
    let mut args = vec!["api", "/libraries", "--paginate"];
    args.extend_from_slice(extra);
    home.run_env(&args, &[("PLACES_SETUP_PLACES_URL", places_url)])
}

#[test]
fn a_new_page_every_time_stops_at_the_page_cap() {
    let home = Home::new();
    home.oauth_profile();
    let (places_url, requests) = endless_pages("x");
    let run = paginate(&home, &places_url, &["--max-pages", "25"]).fails(1);
    run.stderr_has("stopped after 25 pages");
    run.stderr_has("--max-pages");
    assert_eq!(
        run.stdout.lines().count(),
        25,
        "every page within the cap printed"
    );
    assert_eq!(
        requests.load(Ordering::SeqCst),
        26,
        "one page past the cap, then no more"
    );
    // The default cap ends it too.
    let (places_url, requests) = endless_pages("x");
    paginate(&home, &places_url, &[])
        .fails(1)
        .stderr_has("stopped after 1000 pages");
    assert_eq!(requests.load(Ordering::SeqCst), 1001);
}

#[test]
fn a_next_link_to_the_same_page_stops_at_once() {
    let home = Home::new();
    home.oauth_profile();
    let places = Hostile::json(200, r#"{"data":[],"_links":{"next":{"href":"?p=1"}}}"#);
    let places_url = format!("{}/places/placesapi/v1", places.url());
    let run = paginate(&home, &places_url, &[]).fails(1);
    run.stderr_has("linked back to a page already fetched");
    assert_eq!(
        places.connections(),
        3,
        "/libraries, ?p=1, and ?p=1 once more"
    );
}

#[test]
fn the_total_size_is_capped() {
    let home = Home::new();
    home.oauth_profile();
    // Pages of 600 KiB each, each linking to the next.
    let (places_url, requests) = endless_pages(&"x".repeat(600 * 1024));
    let run = paginate(&home, &places_url, &["--max-mib", "2"]).fails(1);
    run.stderr_has("2 MiB, the most --paginate reads");
    assert_eq!(
        requests.load(Ordering::SeqCst),
        4,
        "the fourth page passes 2 MiB"
    );
    assert_eq!(run.stdout.lines().count(), 3);
}

#[test]
fn a_next_link_beside_the_api_path_or_with_a_user_is_not_followed() {
    let home = Home::new();
    home.oauth_profile();
    for next in [
        "/places/placesapi/v1evil/libraries",
        "//someone@127.0.0.1:PORT/places/placesapi/v1/libraries",
        "http://someone:pw@127.0.0.1:PORT/places/placesapi/v1/libraries",
    ] {
        let (places_url, requests) = places_api(move |port, _| {
            let href = next.replace("PORT", &port.to_string());
            format!(r#"{{"data":[],"_links":{{"next":{{"href":"{href}"}}}}}}"#)
        });
        let run = paginate(&home, &places_url, &[]).fails(1);
        run.stderr_has("not following the next page link");
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "{next}: only the first page was asked"
        );
    }
}
