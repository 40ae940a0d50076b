//! A contact's life over HTTP and WebSocket: joining, receipts, paging, token lifetimes, idempotent
//! retries, many sockets, static files and the binary's command line.

mod common;

use std::time::Duration;

use common::*;
use connect_emulator::Config;
use serde_json::{json, Value};

const EVENT: &str = "application/vnd.amazonaws.connect.event.";

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

async fn control_transcript(base: &str, contact: &str) -> Vec<Value> {
    let r = request(base, "GET", &format!("/emulator/contacts/{contact}/transcript"), &[], b"").await;
    r.json()["Transcript"].as_array().cloned().unwrap_or_default()
}

fn types(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["Type"].as_str().unwrap_or("?").to_owned()).collect()
}

#[tokio::test]
async fn start_chat_contact_takes_the_connect_body_and_ignores_signatures() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let body = json!({
        "InstanceId": "11111111-2222-3333-4444-555555555555",
        "ContactFlowId": "flow",
        "ParticipantDetails": {"DisplayName": "Jane"},
        "InitialMessage": {"ContentType": "text/plain", "Content": "I need help"},
    });
    let signed = [
        ("Content-Type", "application/json"),
        ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-west-2/connect/aws4_request, SignedHeaders=host, Signature=abc"),
        ("X-Amz-Date", "20240101T000000Z"),
    ];
    let r = request(&base, "PUT", "/contact/chat", &signed, body.to_string().as_bytes()).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(keys(&v), ["ContactId", "ParticipantId", "ParticipantToken"]);
    let items = control_transcript(&base, v["ContactId"].as_str().unwrap()).await;
    assert_eq!(types(&items), ["MESSAGE"]);
    assert_eq!((items[0]["Content"].as_str(), items[0]["DisplayName"].as_str()), (Some("I need help"), Some("Jane")));

    let r = request(&base, "PUT", "/contact/chat", &signed, br#"{"ParticipantDetails":{}}"#).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")));

    // The demo's stand-in for a website backend answers the same JSON.
    let r = post(&base, "/emulator/start-chat", None, json!({})).await;
    assert_eq!(keys(&r.json()), ["ContactId", "ParticipantId", "ParticipantToken"]);
    let listing = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    let contact = listing["Contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ContactId"] == r.json()["ContactId"])
        .cloned()
        .unwrap();
    let roles: Vec<&str> =
        contact["Participants"].as_array().unwrap().iter().map(|p| p["ParticipantRole"].as_str().unwrap()).collect();
    assert_eq!(roles, ["CUSTOMER", "AGENT"]);
    assert_eq!(contact["Participants"][0]["DisplayName"], "Customer");
    emu.stop().await;
}

#[tokio::test]
async fn joined_is_announced_once_and_an_ended_chat_refuses_new_connections() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, token) = connect(&base, &chat).await;
    assert!(url.starts_with(&format!("{}/ws?token=", base.replace("http://", "ws://"))), "{url}");
    connect(&base, &chat).await;
    let items = control_transcript(&base, &chat.contact_id).await;
    assert_eq!(types(&items), ["PARTICIPANT_JOINED"]);
    assert_eq!(items[0]["ParticipantId"].as_str(), Some(chat.participant_id.as_str()));
    assert_eq!(items[0]["ContentType"], format!("{EVENT}participant.joined"));

    let ended = post(
        &base,
        &format!("/emulator/contacts/{}/events", chat.contact_id),
        None,
        json!({"ContentType": format!("{EVENT}chat.ended")}),
    )
    .await;
    assert_eq!(ended.status, 200);
    assert_eq!(keys(&ended.json()), ["AbsoluteTime", "Id"]);
    let r = post(&base, "/participant/connection", Some(&chat.participant_token), json!({"Type": ["WEBSOCKET"]})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (403, Some("AccessDeniedException")));
    let r =
        post(&base, "/participant/message", Some(&token), json!({"ContentType": "text/plain", "Content": "x"})).await;
    assert_eq!(r.status, 403);
    // The transcript of an ended chat can still be read.
    let r = post(&base, "/participant/transcript", Some(&token), json!({})).await;
    assert_eq!(r.status, 200);
    assert_eq!(types(r.json()["Transcript"].as_array().unwrap()), ["CHAT_ENDED", "PARTICIPANT_JOINED"]);

    let r = post(&base, "/emulator/contacts/no-such-contact/messages", None, json!({"Content": "x"})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (404, Some("ResourceNotFoundException")));
    emu.stop().await;
}

#[tokio::test]
async fn receipts_are_pushed_as_metadata_and_kept_on_the_message() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, token) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    let sent = post(&base, &format!("/emulator/contacts/{}/messages", chat.contact_id), None, json!({"Content": "hi"}))
        .await
        .json();
    let message_id = sent["Id"].as_str().unwrap().to_owned();
    let receipt = json!({"messageId": message_id}).to_string();
    let r = post(
        &base,
        "/participant/event",
        Some(&token),
        json!({"ContentType": format!("{EVENT}message.read"), "Content": receipt}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let meta = loop {
        let item = next_item(&mut ws).await;
        if item["Type"] == "MESSAGEMETADATA" {
            break item;
        }
    };
    assert_eq!(meta["ContentType"], format!("{EVENT}message.read"));
    assert_eq!(meta["MessageMetadata"]["MessageId"].as_str(), Some(message_id.as_str()));
    let receipts = meta["MessageMetadata"]["Receipts"].as_array().unwrap();
    assert_eq!(keys(&receipts[0]), ["ReadTimestamp", "RecipientParticipantId"]);
    assert_eq!(receipts[0]["RecipientParticipantId"].as_str(), Some(chat.participant_id.as_str()));

    // Kept on the message, not as an item of its own.
    let items = control_transcript(&base, &chat.contact_id).await;
    assert!(!types(&items).contains(&"MESSAGEMETADATA".to_owned()));
    let message = items.iter().find(|i| i["Id"] == message_id.as_str()).unwrap();
    assert_eq!(message["MessageMetadata"]["Receipts"].as_array().map(Vec::len), Some(1));

    for bad in ["not json", r#"{"messageId":"nope"}"#, r#"{"other":1}"#] {
        let r = post(
            &base,
            "/participant/event",
            Some(&token),
            json!({"ContentType": format!("{EVENT}message.delivered"), "Content": bad}),
        )
        .await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")), "{bad}");
    }
    // The agent's receipts come through the control API.
    let mine = post(&base, "/participant/message", Some(&token), json!({"ContentType": "text/plain", "Content": "yo"}))
        .await
        .json();
    let r = post(
        &base,
        &format!("/emulator/contacts/{}/events", chat.contact_id),
        None,
        json!({"ContentType": format!("{EVENT}message.delivered"), "Content": json!({"messageId": mine["Id"]}).to_string()}),
    )
    .await;
    assert_eq!(r.status, 200);
    let meta = loop {
        let item = next_item(&mut ws).await;
        if item["Type"] == "MESSAGEMETADATA" {
            break item;
        }
    };
    assert!(meta["MessageMetadata"]["Receipts"][0]["DeliveredTimestamp"].is_string());
    assert_eq!(meta["ParticipantRole"], "AGENT");
    emu.stop().await;
}

#[tokio::test]
async fn transcripts_page_over_http() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (_, token) = connect(&base, &chat).await;
    for i in 0..23 {
        let r = post(
            &base,
            "/participant/message",
            Some(&token),
            json!({"ContentType": "text/plain", "Content": format!("m{i}")}),
        )
        .await;
        assert_eq!(r.status, 200);
    }
    let all: Vec<Value> = control_transcript(&base, &chat.contact_id).await;
    assert_eq!(all.len(), 24);

    // Oldest first, following NextToken to the end.
    let mut seen = Vec::new();
    let mut next_token: Option<String> = None;
    loop {
        let mut body = json!({"MaxResults": 10, "ScanDirection": "FORWARD", "SortOrder": "ASCENDING"});
        if let Some(t) = &next_token {
            body["NextToken"] = json!(t);
        }
        let page = post(&base, "/participant/transcript", Some(&token), body).await.json();
        seen.extend(page["Transcript"].as_array().unwrap().iter().cloned());
        match page["NextToken"].as_str() {
            Some(t) => {
                assert_eq!(keys(&page), ["InitialContactId", "NextToken", "Transcript"]);
                next_token = Some(t.to_owned());
            }
            None => {
                assert_eq!(keys(&page), ["InitialContactId", "Transcript"]);
                break;
            }
        }
    }
    assert_eq!(seen, all);

    // Defaults: the newest 15, newest first.
    let page = post(&base, "/participant/transcript", Some(&token), json!({})).await.json();
    let got = page["Transcript"].as_array().unwrap();
    assert_eq!(got.len(), 15);
    assert_eq!(got[0], all[23]);
    assert_eq!(page["InitialContactId"].as_str(), Some(chat.contact_id.as_str()));

    // From an item, inclusive, forward by default: how a client fills a gap after a reconnect.
    let start = all[20]["Id"].clone();
    let page = post(
        &base,
        "/participant/transcript",
        Some(&token),
        json!({"StartPosition": {"Id": start}, "SortOrder": "ASCENDING", "MaxResults": 100}),
    )
    .await
    .json();
    assert_eq!(page["Transcript"].as_array().unwrap()[..], all[20..]);

    for bad in [
        json!({"NextToken": "garbage"}),
        json!({"StartPosition": {"Id": "not-an-item"}}),
        json!({"MaxResults": -1}),
        json!({"SortOrder": "RANDOM"}),
        json!({"ContactId": "someone-else"}),
    ] {
        let r = post(&base, "/participant/transcript", Some(&token), bad.clone()).await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")), "{bad}");
    }
    emu.stop().await;
}

#[tokio::test]
async fn expired_connection_tokens_are_refused() {
    let emu = emulator(Config { connection_token_ttl: Duration::from_millis(300), ..Config::default() }).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (_, token) = connect(&base, &chat).await;
    let body = json!({"ContentType": "text/plain", "Content": "x"});
    assert_eq!(post(&base, "/participant/message", Some(&token), body.clone()).await.status, 200);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let r = post(&base, "/participant/message", Some(&token), body).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (403, Some("AccessDeniedException")));
    // The ParticipantToken still works for a fresh one.
    connect(&base, &chat).await;
    emu.stop().await;
}

#[tokio::test]
async fn retried_calls_with_a_client_token_get_the_first_answer() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (_, token) = connect(&base, &chat).await;

    let typing = json!({"ContentType": format!("{EVENT}typing"), "ClientToken": "t-1"});
    let a = post(&base, "/participant/event", Some(&token), typing.clone()).await.json();
    let b = post(&base, "/participant/event", Some(&token), typing).await.json();
    assert_eq!(a, b);

    let start = json!({"ContentType": "text/plain", "AttachmentSizeInBytes": 3, "AttachmentName": "a.txt", "ClientToken": "s-1"});
    let a = post(&base, "/participant/start-attachment-upload", Some(&token), start.clone()).await.json();
    let b = post(&base, "/participant/start-attachment-upload", Some(&token), start).await.json();
    assert_eq!(a["AttachmentId"], b["AttachmentId"]);
    let id = a["AttachmentId"].as_str().unwrap().to_owned();
    let url = a["UploadMetadata"]["Url"].as_str().unwrap().trim_start_matches(&base).to_owned();
    assert_eq!(request(&base, "PUT", &url, &[("Content-Type", "text/plain")], b"abc").await.status, 200);
    let complete = json!({"AttachmentIds": [id], "ClientToken": "c-1"});
    for _ in 0..2 {
        let r = post(&base, "/participant/complete-attachment-upload", Some(&token), complete.clone()).await;
        assert_eq!((r.status, r.json()), (200, json!({})));
    }
    let items = control_transcript(&base, &chat.contact_id).await;
    assert_eq!(types(&items), ["PARTICIPANT_JOINED", "ATTACHMENT"]);

    // A disconnect revokes the token it came with; its retry still gets the first answer.
    for _ in 0..2 {
        let r = post(&base, "/participant/disconnect", Some(&token), json!({"ClientToken": "bye"})).await;
        assert_eq!((r.status, r.json()), (200, json!({})));
    }
    let r = post(&base, "/participant/disconnect", Some(&token), json!({"ClientToken": "other"})).await;
    assert_eq!(r.status, 403);
    let items = control_transcript(&base, &chat.contact_id).await;
    assert_eq!(types(&items), ["PARTICIPANT_JOINED", "ATTACHMENT", "PARTICIPANT_LEFT", "CHAT_ENDED"]);
    emu.stop().await;
}

#[tokio::test]
async fn attachment_urls_are_checked() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (_, token) = connect(&base, &chat).await;
    for bad in [
        json!({"ContentType": "application/x-msdownload", "AttachmentSizeInBytes": 3, "AttachmentName": "a.exe", "ClientToken": "x"}),
        json!({"ContentType": "text/plain", "AttachmentSizeInBytes": 0, "AttachmentName": "a.txt", "ClientToken": "x"}),
        json!({"ContentType": "text/plain", "AttachmentSizeInBytes": 3, "AttachmentName": "", "ClientToken": "x"}),
        json!({"ContentType": "text/plain", "AttachmentSizeInBytes": 3, "AttachmentName": "a.txt"}),
    ] {
        let r = post(&base, "/participant/start-attachment-upload", Some(&token), bad.clone()).await;
        assert_eq!(r.status, 400, "{bad}");
    }
    let start = post(
        &base,
        "/participant/start-attachment-upload",
        Some(&token),
        json!({"ContentType": "image/png", "AttachmentSizeInBytes": 4, "AttachmentName": "dot.png", "ClientToken": "s"}),
    )
    .await
    .json();
    let id = start["AttachmentId"].as_str().unwrap().to_owned();
    let url = start["UploadMetadata"]["Url"].as_str().unwrap().trim_start_matches(&base).to_owned();
    let (path, _) = url.split_once("?sig=").unwrap();
    let forged = format!("{path}?sig=forged");
    assert_eq!(request(&base, "PUT", &forged, &[("Content-Type", "image/png")], b"\x89PNG").await.status, 403);
    // Browsers preflight the PUT (a non-simple Content-Type).
    let pre = request(
        &base,
        "OPTIONS",
        &url,
        &[("Origin", "http://localhost:3000"), ("Access-Control-Request-Method", "PUT")],
        b"",
    )
    .await;
    assert!(pre.status == 200 || pre.status == 204);
    assert!(pre.header("Access-Control-Allow-Methods").unwrap().contains("PUT"));
    assert_eq!(request(&base, "PUT", &url, &[("Content-Type", "image/png")], b"\x89PNG").await.status, 200);
    // Not complete yet: GetAttachment does not know it.
    let r = post(&base, "/participant/attachment", Some(&token), json!({"AttachmentId": id})).await;
    assert_eq!(r.status, 400);
    post(
        &base,
        "/participant/complete-attachment-upload",
        Some(&token),
        json!({"AttachmentIds": [id], "ClientToken": "c"}),
    )
    .await;
    let got = post(
        &base,
        "/participant/attachment",
        Some(&token),
        json!({"AttachmentId": id, "UrlContentDisposition": "INLINE"}),
    )
    .await
    .json();
    assert_eq!(keys(&got), ["AttachmentSizeInBytes", "Url", "UrlExpiry"]);
    let download = request(&base, "GET", got["Url"].as_str().unwrap().trim_start_matches(&base), &[], b"").await;
    assert_eq!(download.header("Content-Type"), Some("image/png"));
    assert!(download.header("Content-Disposition").unwrap().starts_with("inline;"));
    assert_eq!(download.header("Access-Control-Allow-Origin"), Some("*"));
    emu.stop().await;
}

#[tokio::test]
async fn items_reach_every_socket_while_others_come_and_go() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut customer = subscribed(&url).await;
    // The agent's side, as the agent console joins it.
    let listing = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    let agent_token = listing["Contacts"][0]["AgentParticipantToken"].as_str().unwrap().to_owned();
    let agent_chat =
        Chat { contact_id: chat.contact_id.clone(), participant_id: String::new(), participant_token: agent_token };
    let (agent_url, _) = connect(&base, &agent_chat).await;
    let mut agent = subscribed(&agent_url).await;

    const COUNT: usize = 2000;
    let burst_base = base.clone();
    let contact = chat.contact_id.clone();
    let burst = tokio::spawn(async move {
        post(&burst_base, &format!("/emulator/contacts/{contact}/burst"), None, json!({"Count": COUNT})).await
    });
    // Meanwhile sockets open, subscribe and go away, cleanly or not.
    for i in 0..10 {
        let (url, _) = connect(&base, &chat).await;
        let ws = subscribed(&url).await;
        if i % 2 == 0 {
            drop(ws);
        } else {
            let mut ws = ws;
            let _ = futures_util::SinkExt::close(&mut ws).await;
        }
    }
    assert_eq!(burst.await.unwrap().json()["Count"], COUNT);
    for ws in [&mut customer, &mut agent] {
        let mut expected = 0;
        while expected < COUNT {
            let item = next_item(ws).await;
            if item["Type"] == "MESSAGE" {
                assert_eq!(item["Content"], format!("burst {expected}"));
                expected += 1;
            }
        }
    }
    emu.stop().await;
}

#[tokio::test]
async fn preflights_allow_every_sdk_header() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let asked = "content-type,x-amz-bearer,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,authorization,\
x-amz-date,x-amz-content-sha256,x-amz-security-token";
    // The control API answers pages on loopback origins only (limits.rs has the refusals).
    for (path, origin) in [
        ("/participant/connection", "https://shop.example"),
        ("/contact/chat", "https://shop.example"),
        ("/emulator/uploads/x", "https://shop.example"),
        ("/emulator/contacts/x/messages", "http://127.0.0.1:5173"),
        ("/anything", "https://shop.example"),
    ] {
        let r = request(
            &base,
            "OPTIONS",
            path,
            &[("Origin", origin), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", asked)],
            b"",
        )
        .await;
        assert!(r.status == 200 || r.status == 204, "{path}");
        assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
        let allowed = r.header("Access-Control-Allow-Headers").unwrap().to_lowercase();
        for h in asked.split(',') {
            assert!(allowed.contains(h), "{h} in {allowed}");
        }
        let methods = r.header("Access-Control-Allow-Methods").unwrap();
        for m in ["GET", "POST", "PUT", "DELETE", "OPTIONS"] {
            assert!(methods.contains(m), "{m} in {methods}");
        }
        assert!(r.header("Access-Control-Max-Age").is_some());
    }
    let r = request(&base, "GET", "/emulator/health", &[], b"").await;
    // Header names, so compared without case (tower-http writes them in lower case).
    let exposed = r.header("Access-Control-Expose-Headers").unwrap().to_lowercase();
    assert!(exposed.contains("x-amzn-errortype") && exposed.contains("x-amzn-requestid"), "{exposed}");
    assert!(r.header("x-amzn-RequestId").is_some_and(|id| id.len() == 36));
    emu.stop().await;
}

#[tokio::test]
async fn static_files_are_served_under_the_api() {
    let dir = std::env::temp_dir().join(format!("connect-emulator-static-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(dir.join("pkg/app.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("pkg/app.js"), "export {}").unwrap();
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/index.html"), "docs").unwrap();
    std::fs::write(dir.join("a b.txt"), "spaced").unwrap();
    let emu = emulator(Config { static_dir: Some(dir.clone()), ..Config::default() }).await;
    let base = emu.base_url();
    let index = request(&base, "GET", "/", &[], b"").await;
    assert_eq!(index.status, 200);
    assert!(index.header("Content-Type").unwrap().starts_with("text/html"));
    assert_eq!(index.header("Cache-Control"), Some("no-cache"));
    let wasm = request(&base, "GET", "/pkg/app.wasm", &[], b"").await;
    assert_eq!((wasm.status, wasm.header("Content-Type")), (200, Some("application/wasm")));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");
    let js = request(&base, "GET", "/pkg/app.js", &[], b"").await;
    assert!(js.header("Content-Type").unwrap().starts_with("text/javascript"));
    assert_eq!(wasm.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(wasm.header("Cache-Control"), Some("no-cache"));
    // A directory's index.html is served as it is, without a redirect to the trailing slash.
    for dir_path in ["/docs", "/docs/"] {
        let docs = request(&base, "GET", dir_path, &[], b"").await;
        assert_eq!((docs.status, docs.body.as_slice()), (200, &b"docs"[..]), "{dir_path}");
    }
    let spaced = request(&base, "GET", "/a%20b.txt", &[], b"").await;
    assert_eq!((spaced.status, spaced.body.as_slice()), (200, &b"spaced"[..]));
    let head = request(&base, "HEAD", "/pkg/app.js", &[], b"").await;
    assert_eq!((head.status, head.body.len()), (200, 0));
    for missing in
        ["/nope.html", "/../Cargo.toml", "/pkg/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e/Cargo.toml", "/a%5c..%5cx", "/%zz"]
    {
        assert_eq!(request(&base, "GET", missing, &[], b"").await.status, 404, "{missing}");
    }
    // Only GET and HEAD reach a file; anything else is not found, as a path no route has.
    assert_eq!(request(&base, "POST", "/index.html", &[], b"").await.status, 404);
    assert_eq!(request(&base, "DELETE", "/pkg/app.js", &[], b"").await.status, 404);
    // API paths win over files.
    assert_eq!(request(&base, "GET", "/emulator/health", &[], b"").await.json(), json!({"ok": true}));
    emu.stop().await;
    let _ = std::fs::remove_dir_all(dir);
    // Without --static, no file is served.
    let emu = emulator(Config::default()).await;
    assert_eq!(request(&emu.base_url(), "GET", "/", &[], b"").await.status, 404);
    emu.stop().await;
}

#[tokio::test]
async fn the_binary_explains_itself_refuses_bad_flags_and_stops_on_sigterm() {
    let bin = env!("CARGO_BIN_EXE_connect-emulator");
    let help = tokio::process::Command::new(bin).arg("--help").output().await.unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--websocket-url-ttl"));
    let bad = tokio::process::Command::new(bin).arg("--frobnicate").output().await.unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--frobnicate"));

    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(bin)
        .args(["--port", "0", "--websocket-url-ttl", "2.5"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(5), lines.next_line()).await.unwrap().unwrap().unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    let pid = child.id().unwrap().to_string();
    let killed = tokio::process::Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(5), child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "a clean exit on SIGTERM, got {status:?}");
}

/// Contact attributes (a pre-chat form's answers) given to StartChatContact or to the demo's start-chat
/// are kept on the contact and listed for the agent; a value that is not a string is refused.
#[tokio::test]
async fn contact_attributes_are_kept_for_the_agent() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let attributes = json!({"email": "jane@example.com", "topic": "Returns"});
    let started =
        post(&base, "/emulator/start-chat", None, json!({"DisplayName": "Jane", "Attributes": attributes})).await;
    assert_eq!(started.status, 200);
    let id = started.json()["ContactId"].as_str().unwrap().to_owned();
    let body = json!({"ParticipantDetails": {"DisplayName": "Kim"}, "Attributes": {"plan": "gold"}});
    let direct =
        request(&base, "PUT", "/contact/chat", &[("Content-Type", "application/json")], body.to_string().as_bytes())
            .await;
    assert_eq!(direct.status, 200);
    let direct_id = direct.json()["ContactId"].as_str().unwrap().to_owned();
    let listing = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    let of = |id: &str| listing["Contacts"].as_array().unwrap().iter().find(|c| c["ContactId"] == id).cloned().unwrap();
    assert_eq!(of(&id)["Attributes"], attributes);
    assert_eq!(of(&direct_id)["Attributes"], json!({"plan": "gold"}));
    let bad = post(&base, "/emulator/start-chat", None, json!({"Attributes": {"age": 42}})).await;
    assert_eq!(bad.status, 400, "a number is not an attribute value");
    let none =
        post(&base, "/emulator/start-chat", None, json!({})).await.json()["ContactId"].as_str().unwrap().to_owned();
    let listing = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    let plain =
        listing["Contacts"].as_array().unwrap().iter().find(|c| c["ContactId"] == none.as_str()).cloned().unwrap();
    assert!(plain.get("Attributes").is_none(), "no attributes, no member");
}
