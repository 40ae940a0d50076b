//! What the emulator refuses, and why: web pages on other origins reading the control API, DNS
//! rebinding, slow and oversized WebSocket clients, slowloris connections, unbounded control calls,
//! content sniffing, and pre-signed URLs used past their expiry or for what they were not signed for.

mod common;

use std::time::{Duration, Instant};

use common::*;
use connect_emulator::time::parse_iso8601;
use connect_emulator::Config;
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

fn cors_headers(r: &Reply) -> Vec<&str> {
    r.headers.iter().map(|(k, _)| k.as_str()).filter(|k| k.to_lowercase().starts_with("access-control-")).collect()
}

/// Bytes sent as they are (any Host, or none), and everything the server answers until it closes.
async fn raw(base: &str, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await.unwrap().unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

fn status_of(response: &str) -> u16 {
    response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn the_control_api_refuses_pages_on_other_origins() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    for origin in ["https://attacker.example", "null", "http://127.0.0.1.attacker.example:8787", "http://192.168.0.2"] {
        let started = request(&base, "POST", "/emulator/start-chat", &[("Origin", origin)], b"{}").await;
        assert_eq!(started.status, 403, "{origin}");
        assert_eq!(started.header("x-amzn-ErrorType"), Some("AccessDeniedException"));
        assert!(started.json()["message"].as_str().unwrap().contains("loopback"));
        assert_eq!(cors_headers(&started), Vec::<&str>::new(), "no CORS headers for {origin}");
        let listed = request(&base, "GET", "/emulator/contacts", &[("Origin", origin)], b"").await;
        assert_eq!(listed.status, 403);
        assert!(!String::from_utf8_lossy(&listed.body).contains("Token"));
        let preflight = request(
            &base,
            "OPTIONS",
            "/emulator/contacts",
            &[("Origin", origin), ("Access-Control-Request-Method", "GET")],
            b"",
        )
        .await;
        assert_eq!((preflight.status, cors_headers(&preflight)), (403, vec![]));
    }
    // Refused before any effect: no chat was started.
    let listed = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    assert_eq!(listed["Contacts"], json!([]));

    // Loopback pages (the demo, browser tests on a random port) and callers without an Origin are served.
    for origin in ["http://127.0.0.1:41234", "http://localhost:3000", "http://[::1]:5173"] {
        let preflight = request(
            &base,
            "OPTIONS",
            "/emulator/start-chat",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type"),
            ],
            b"",
        )
        .await;
        assert_eq!(preflight.status, 200, "{origin}");
        assert_eq!(preflight.header("Access-Control-Allow-Origin"), Some("*"));
        let started = request(&base, "POST", "/emulator/start-chat", &[("Origin", origin)], b"{}").await;
        assert_eq!((started.status, started.header("Access-Control-Allow-Origin")), (200, Some("*")), "{origin}");
    }
    assert_eq!(request(&base, "POST", "/emulator/start-chat", &[], b"{}").await.status, 200);
    // The Participant Service answers every origin, as AWS does.
    let chat = request(
        &base,
        "PUT",
        "/contact/chat",
        &[("Origin", "https://shop.example"), ("Content-Type", "application/json")],
        br#"{"ParticipantDetails":{"DisplayName":"C"}}"#,
    )
    .await;
    assert_eq!((chat.status, chat.header("Access-Control-Allow-Origin")), (200, Some("*")));
    emu.stop().await;
}

#[tokio::test]
async fn requests_must_name_the_emulator_in_host() {
    let dir = std::env::temp_dir().join(format!("connect-emulator-host-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
    let emu = emulator(Config { static_dir: Some(dir.clone()), ..Config::default() }).await;
    let base = emu.base_url();
    let port = emu.addr.port();
    let get = |target: &str, host: Option<String>, version: &str| {
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        format!("GET {target} {version}\r\n{host}Connection: close\r\n\r\n")
    };
    for good in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")] {
        let r = raw(&base, get("/emulator/health", Some(good.clone()), "HTTP/1.1").as_bytes()).await;
        assert_eq!(status_of(&r), 200, "{good}: {r}");
    }
    let rebound = [
        get("/emulator/health", Some(format!("attacker.example:{port}")), "HTTP/1.1"),
        get("/participant/connection", Some(format!("attacker.example:{port}")), "HTTP/1.1"),
        get("/", Some(format!("attacker.example:{port}")), "HTTP/1.1"),
        get("/emulator/health", Some(format!("127.0.0.1:{}", port.wrapping_add(1))), "HTTP/1.1"),
        get("/emulator/health", Some("127.0.0.1".into()), "HTTP/1.1"),
        get(&format!("http://attacker.example:{port}/emulator/health"), Some(format!("127.0.0.1:{port}")), "HTTP/1.1"),
        get("/emulator/health", None, "HTTP/1.0"),
    ];
    for request in rebound {
        let r = raw(&base, request.as_bytes()).await;
        assert_eq!(status_of(&r), 421, "{request:?}: {r}");
        let body: Value = serde_json::from_str(r.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert!(body["message"].as_str().unwrap().contains("Host"), "{body}");
        assert!(!r.to_lowercase().contains("access-control-allow-origin"));
    }
    // WebSocket upgrades too.
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut upgrade = url.as_str().into_client_request().unwrap();
    upgrade.headers_mut().insert("Host", format!("attacker.example:{port}").parse().unwrap());
    match tokio_tungstenite::connect_async(upgrade).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => assert_eq!(res.status().as_u16(), 421),
        other => panic!("expected a refused upgrade, got {:?}", other.map(|_| ())),
    }
    let _ = subscribed(&url).await;
    emu.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_client_that_does_not_read_is_dropped_and_one_that_reads_gets_everything() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut idle = subscribed(&url).await;
    let (url, _) = connect(&base, &chat).await;
    let mut reader = subscribed(&url).await;
    // Well past what the kernel's socket buffers and the 4,096-frame queue hold together (~8,000 frames).
    const COUNT: usize = 20_000;
    let reading = tokio::spawn(async move {
        let mut seen = 0;
        while seen < COUNT {
            match tokio::time::timeout(Duration::from_secs(5), reader.next()).await {
                Ok(Some(Ok(Message::Text(t)))) if t.contains("burst ") => seen += 1,
                Ok(Some(Ok(_))) => {}
                other => panic!("the reading socket ended after {seen}: {other:?}"),
            }
        }
        (seen, reader)
    });
    let burst = post(
        &base,
        &format!("/emulator/contacts/{}/burst", chat.contact_id),
        None,
        json!({"Count": COUNT, "Store": false}),
    )
    .await;
    assert_eq!(burst.json()["Count"], COUNT);
    // The reading socket was waited for and got everything; the idle one overflowed its queue and was
    // dropped.
    let (seen, _reader) = reading.await.unwrap();
    assert_eq!(seen, COUNT);
    let contacts = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    assert_eq!(contacts["Contacts"][0]["Sockets"], 1, "{contacts}");
    // What the idle client had been sent before the drop is still readable, then the connection ends.
    let mut buffered = 0;
    let end = loop {
        match next(&mut idle, Duration::from_secs(3)).await {
            Ok(_) => buffered += 1,
            Err(e) => break e,
        }
    };
    assert_ne!(end, "timeout", "the connection is closed");
    assert!(buffered < COUNT, "dropped before everything was sent ({buffered})");
    emu.stop().await;
}

#[tokio::test]
async fn frames_over_32_kb_close_the_socket_with_1009() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    // Under the limit: answered (as an invalid request, being no aws/ topic).
    send(&mut ws, &"x".repeat(30 * 1024)).await;
    assert!(next(&mut ws, Duration::from_secs(2)).await.unwrap().contains("Invalid request"));
    send(&mut ws, &"x".repeat(40 * 1024)).await;
    assert_eq!(next(&mut ws, Duration::from_secs(2)).await, Err("close Some(1009)".into()));
    emu.stop().await;
}

#[tokio::test]
async fn a_connection_that_does_not_finish_its_headers_is_closed() {
    let timeout = Duration::from_millis(400);
    let emu = emulator(Config { header_read_timeout: timeout, ..Config::default() }).await;
    let base = emu.base_url();
    let addr = base.trim_start_matches("http://").to_owned();
    for partial in [&b"GET /emulator/health HT"[..], b""] {
        let opened = Instant::now();
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream.write_all(partial).await.unwrap();
        let mut out = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut out)).await;
        assert!(closed.is_ok(), "still open after 3 s with {:?}", String::from_utf8_lossy(partial));
        let took = opened.elapsed();
        assert!(took >= timeout - Duration::from_millis(50) && took < Duration::from_secs(2), "{took:?}");
    }
    // Complete requests are served; a WebSocket outlives the timeout (it has no headers to wait for).
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    tokio::time::sleep(timeout * 2).await;
    send(&mut ws, r#"{"topic":"aws/heartbeat"}"#).await;
    assert_eq!(next(&mut ws, Duration::from_secs(2)).await, Ok(r#"{"topic":"aws/heartbeat"}"#.into()));
    // Shutdown is still graceful and prompt with an idle keep-alive connection open.
    let mut idle = TcpStream::connect(&addr).await.unwrap();
    idle.write_all(format!("GET /emulator/health HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes()).await.unwrap();
    let mut buf = [0; 512];
    assert!(idle.read(&mut buf).await.unwrap() > 0);
    tokio::time::timeout(Duration::from_secs(2), emu.stop()).await.unwrap();
}

#[tokio::test]
async fn one_control_call_has_a_bounded_cost() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let contact = format!("/emulator/contacts/{}", chat.contact_id);
    let too_much = [
        (format!("{contact}/burst"), json!({"Count": 100_001, "Store": false})),
        (format!("{contact}/stream"), json!({"Chunks": vec!["x"; 100], "IntervalMs": 1000})),
        (format!("{contact}/stream"), json!({"Chunks": vec!["x"; 1001], "IntervalMs": 0})),
        (format!("{contact}/stream"), json!({"Chunks": ["x"], "IntervalMs": 10_001})),
        ("/emulator/faults/api".to_owned(), json!({"Operation": "SendMessage", "DelayMs": 60_001})),
        ("/emulator/faults/connection".to_owned(), json!({"DelayMs": 600_000})),
    ];
    for (path, body) in too_much {
        let r = post(&base, &path, None, body.clone()).await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")), "{path} {body}");
    }
    let ok = post(&base, "/emulator/faults/api", None, json!({"Operation": "SendMessage", "DelayMs": 60_000})).await;
    assert_eq!(ok.status, 200);
    // Bodies are limited too (only the upload URL takes megabytes). One byte over, so that the whole body
    // is read before the refusal and the connection closes cleanly.
    let huge = vec![b' '; 1024 * 1024 + 1];
    assert_eq!(request(&base, "POST", "/emulator/start-chat", &[], &huge).await.status, 413);
    emu.stop().await;
}

/// A chat with a completed attachment: (ConnectionToken, AttachmentId, upload URL path).
async fn attached(base: &str, content_type: &str, bytes: &[u8]) -> (String, String, String) {
    let chat = start_chat(base).await;
    let (_, token) = connect(base, &chat).await;
    let started = post(
        base,
        "/participant/start-attachment-upload",
        Some(&token),
        json!({"ContentType": content_type, "AttachmentSizeInBytes": bytes.len(), "AttachmentName": "a.txt", "ClientToken": "u"}),
    )
    .await
    .json();
    let id = started["AttachmentId"].as_str().unwrap().to_owned();
    let upload = started["UploadMetadata"]["Url"].as_str().unwrap().trim_start_matches(base).to_owned();
    // The URL expires when UploadMetadata.UrlExpiry says.
    let expiry = parse_iso8601(started["UploadMetadata"]["UrlExpiry"].as_str().unwrap()).unwrap();
    assert_eq!(query(&upload, "expires").parse::<i64>().unwrap() * 1000, expiry);
    let lifetime = expiry - connect_emulator::time::now_ms();
    assert!((298_000..=300_000).contains(&lifetime), "{lifetime}");
    let put = request(base, "PUT", &upload, &[("Content-Type", content_type)], bytes).await;
    assert_eq!(put.status, 200, "{}", String::from_utf8_lossy(&put.body));
    let done = post(
        base,
        "/participant/complete-attachment-upload",
        Some(&token),
        json!({"AttachmentIds": [id], "ClientToken": "c"}),
    )
    .await;
    assert_eq!(done.status, 200);
    (token, id, upload)
}

fn query<'a>(url: &'a str, key: &str) -> &'a str {
    url.split_once('?')
        .unwrap()
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        .unwrap_or_else(|| panic!("{key} in {url}"))
}

fn with_query(url: &str, key: &str, value: &str) -> String {
    let (path, q) = url.split_once('?').unwrap();
    let q: Vec<String> = q
        .split('&')
        .map(|kv| if kv.starts_with(&format!("{key}=")) { format!("{key}={value}") } else { kv.to_owned() })
        .collect();
    format!("{path}?{}", q.join("&"))
}

async fn download_url(base: &str, token: &str, body: Value) -> (String, Value) {
    let got = post(base, "/participant/attachment", Some(token), body).await;
    assert_eq!(got.status, 200, "{}", String::from_utf8_lossy(&got.body));
    let got = got.json();
    (got["Url"].as_str().unwrap().trim_start_matches(base).to_owned(), got)
}

#[tokio::test]
async fn downloads_are_never_sniffed() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let html = b"<html><script>alert(document.domain)</script></html>";
    let (token, id, _) = attached(&base, "text/plain", html).await;
    for disposition in ["ATTACHMENT", "INLINE"] {
        let (url, _) =
            download_url(&base, &token, json!({"AttachmentId": id, "UrlContentDisposition": disposition})).await;
        // Fetched by the customer's page, wherever it is served from.
        let r = request(&base, "GET", &url, &[("Origin", "https://shop.example")], b"").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body, html);
        assert_eq!(r.header("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(r.header("Content-Type"), Some("text/plain"));
        let expected = format!("{}; filename*=UTF-8''a.txt", disposition.to_lowercase());
        assert_eq!(r.header("Content-Disposition"), Some(expected.as_str()));
        assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    }
    emu.stop().await;
}

#[tokio::test]
async fn download_urls_expire_and_cannot_be_extended() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let (token, id, upload) = attached(&base, "text/plain", b"hello").await;
    // The default is 5 minutes; the range 5 to 300 s.
    let (url, got) = download_url(&base, &token, json!({"AttachmentId": id})).await;
    let expiry = parse_iso8601(got["UrlExpiry"].as_str().unwrap()).unwrap();
    assert_eq!(query(&url, "expires").parse::<i64>().unwrap() * 1000, expiry);
    assert!((298_000..=300_000).contains(&(expiry - connect_emulator::time::now_ms())));
    for bad in [4, 301] {
        let r = post(
            &base,
            "/participant/attachment",
            Some(&token),
            json!({"AttachmentId": id, "UrlExpiryInSeconds": bad}),
        )
        .await;
        assert_eq!(r.status, 400, "{bad}");
    }
    let (url, got) = download_url(&base, &token, json!({"AttachmentId": id, "UrlExpiryInSeconds": 5})).await;
    let expiry = parse_iso8601(got["UrlExpiry"].as_str().unwrap()).unwrap();
    assert_eq!(request(&base, "GET", &url, &[], b"").await.status, 200);
    // Editing the expiry, the disposition or the attachment breaks the signature.
    let later = (expiry / 1000 + 3600).to_string();
    for edited in [
        with_query(&url, "expires", &later),
        with_query(&url, "disposition", "inline"),
        with_query(&url, "sig", "00"),
        url.split('?').next().unwrap().to_owned(),
    ] {
        let r = request(&base, "GET", &edited, &[], b"").await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (403, Some("AccessDeniedException")), "{edited}");
    }
    // The upload URL is also signed with its expiry.
    let r = request(&base, "PUT", &with_query(&upload, "expires", &later), &[("Content-Type", "text/plain")], b"hello")
        .await;
    assert_eq!(r.status, 403);
    // Once UrlExpiry has passed, the URL is refused.
    let wait = expiry - connect_emulator::time::now_ms() + 100;
    tokio::time::sleep(Duration::from_millis(wait.max(0) as u64)).await;
    let r = request(&base, "GET", &url, &[], b"").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["message"], "Request has expired");
    emu.stop().await;
}

#[tokio::test]
async fn upload_and_download_signatures_are_not_interchangeable() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let (token, id, upload) = attached(&base, "text/plain", b"hello").await;
    let (download, _) =
        download_url(&base, &token, json!({"AttachmentId": id, "UrlContentDisposition": "ATTACHMENT"})).await;
    let download_path = download.split('?').next().unwrap();
    let upload_path = upload.split('?').next().unwrap();
    // The upload's sig and expires on the download URL of the same attachment (with every disposition,
    // including none, which signs what the upload signs besides the grant), and the other way round.
    for disposition in ["", "&disposition=", "&disposition=attachment", "&disposition=inline"] {
        let upload_as_download =
            format!("{download_path}?sig={}&expires={}{disposition}", query(&upload, "sig"), query(&upload, "expires"));
        let r = request(&base, "GET", &upload_as_download, &[], b"").await;
        assert_eq!(r.status, 403, "{upload_as_download}: {}", String::from_utf8_lossy(&r.body));
    }
    let download_as_upload =
        format!("{upload_path}?sig={}&expires={}", query(&download, "sig"), query(&download, "expires"));
    let r = request(&base, "PUT", &download_as_upload, &[("Content-Type", "text/plain")], b"hello").await;
    // 403, not the 409 (already complete) a valid signature would get.
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(request(&base, "GET", &download, &[], b"").await.status, 200);
    emu.stop().await;
}
