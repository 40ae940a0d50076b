//! The emulator over real HTTP and WebSocket connections: shapes, errors, lifetimes and faults.

mod common;

use std::time::Duration;

use common::*;
use connect_emulator::Config;
use serde_json::{json, Value};

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test]
async fn start_chat_and_create_connection_have_the_real_shapes() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let r = post(
        &base,
        "/participant/connection",
        Some(&chat.participant_token),
        json!({"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"], "ConnectParticipant": true}),
    )
    .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(keys(&v), ["ConnectionCredentials", "Websocket"]);
    assert_eq!(keys(&v["Websocket"]), ["ConnectionExpiry", "Url"]);
    assert_eq!(keys(&v["ConnectionCredentials"]), ["ConnectionToken", "Expiry"]);
    assert!(v["Websocket"]["Url"].as_str().unwrap().starts_with(&base.replace("http://", "ws://")));
    let expiry = connect_emulator::time::parse_iso8601(v["Websocket"]["ConnectionExpiry"].as_str().unwrap()).unwrap();
    let ttl = expiry - connect_emulator::time::now_ms();
    assert!((98_000..=100_000).contains(&ttl), "{ttl}");
    let only = post(&base, "/participant/connection", Some(&chat.participant_token), json!({"Type": ["WEBSOCKET"]}))
        .await
        .json();
    assert_eq!(keys(&only), ["Websocket"]);
    emu.stop().await;
}

#[tokio::test]
async fn errors_are_rest_json_with_the_error_type_header() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let r = post(&base, "/participant/connection", None, json!({"Type": ["WEBSOCKET"]})).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.header("x-amzn-ErrorType"), Some("AccessDeniedException"));
    assert_eq!(keys(&r.json()), ["message"]);
    assert!(r.header("x-amzn-RequestId").is_some());

    let chat = start_chat(&base).await;
    // A ParticipantToken where a ConnectionToken belongs, and the other way round.
    let r = post(
        &base,
        "/participant/message",
        Some(&chat.participant_token),
        json!({"ContentType": "text/plain", "Content": "x"}),
    )
    .await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (403, Some("AccessDeniedException")));
    let (_, token) = connect(&base, &chat).await;
    let r = post(&base, "/participant/connection", Some(&token), json!({"Type": ["WEBSOCKET"]})).await;
    assert_eq!(r.status, 403);

    for (path, body) in [
        ("/participant/message", json!({"ContentType": "text/plain"})),
        ("/participant/message", json!({"ContentType": "text/plain", "Content": ""})),
        ("/participant/message", json!({"ContentType": "text/html", "Content": "x"})),
        ("/participant/message", json!({"ContentType": "text/plain", "Content": "x".repeat(16_385)})),
        ("/participant/event", json!({"ContentType": "application/vnd.amazonaws.connect.event.chat.ended"})),
        ("/participant/transcript", json!({"MaxResults": 101})),
        ("/participant/transcript", json!({"ScanDirection": "SIDEWAYS"})),
        ("/participant/transcript", json!({"StartPosition": {"Id": "a", "MostRecent": 1}})),
        ("/participant/attachment", json!({"AttachmentId": "a", "UrlExpiryInSeconds": 4})),
        ("/participant/authentication-url", json!({"SessionId": "short", "RedirectUri": "https://x"})),
        ("/participant/complete-attachment-upload", json!({"AttachmentIds": ["a", "b"], "ClientToken": "c"})),
    ] {
        let r = post(&base, path, Some(&token), body.clone()).await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")), "{path} {body}");
    }
    let r = request(&base, "POST", "/participant/message", &[("X-Amz-Bearer", &token)], b"{not json").await;
    assert_eq!(r.status, 400);
    let r = request(&base, "GET", "/participant/views/unknown", &[("X-Amz-Bearer", &token)], b"").await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (404, Some("ResourceNotFoundException")));
    assert_eq!(keys(&r.json()), ["ResourceId", "ResourceType", "message"]);
    emu.stop().await;
}

#[tokio::test]
async fn the_websocket_subscribes_echoes_and_pushes_items() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, token) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    send(&mut ws, r#"{"topic":"aws/heartbeat"}"#).await;
    assert_eq!(next(&mut ws, Duration::from_secs(2)).await.unwrap(), r#"{"topic":"aws/heartbeat"}"#);
    send(&mut ws, r#"{"topic":"aws/ping"}"#).await;
    let pong: Value = serde_json::from_str(&next(&mut ws, Duration::from_secs(2)).await.unwrap()).unwrap();
    assert_eq!(pong, json!({"topic": "aws/ping", "statusCode": 200, "statusContent": "OK"}));
    send(&mut ws, "garbage").await;
    let err: Value = serde_json::from_str(&next(&mut ws, Duration::from_secs(2)).await.unwrap()).unwrap();
    assert!(err.get("topic").is_none() && err["message"].is_string() && err["connectionId"].is_string());

    let sent = post(
        &base,
        &format!("/emulator/contacts/{}/messages", chat.contact_id),
        None,
        json!({"Content": "hello from the agent", "DisplayName": "Ann"}),
    )
    .await
    .json();
    // The agent joins on its first message; then the message.
    let joined = next_item(&mut ws).await;
    assert_eq!(
        (joined["Type"].as_str(), joined["ParticipantRole"].as_str()),
        (Some("PARTICIPANT_JOINED"), Some("AGENT"))
    );
    let item = next_item(&mut ws).await;
    assert_eq!(item["Id"], sent["Id"]);
    assert_eq!(item["AbsoluteTime"], sent["AbsoluteTime"]);
    assert_eq!(
        (item["Type"].as_str(), item["Content"].as_str(), item["DisplayName"].as_str()),
        (Some("MESSAGE"), Some("hello from the agent"), Some("Ann"))
    );
    assert_eq!(item["ContactId"].as_str(), Some(chat.contact_id.as_str()));

    // Our own message and a typing event come back too; typing is not kept in the transcript.
    post(
        &base,
        "/participant/event",
        Some(&token),
        json!({"ContentType": "application/vnd.amazonaws.connect.event.typing"}),
    )
    .await;
    assert_eq!(next_item(&mut ws).await["Type"], "TYPING");
    let transcript =
        request(&base, "GET", &format!("/emulator/contacts/{}/transcript", chat.contact_id), &[], b"").await.json();
    let types: Vec<&str> =
        transcript["Transcript"].as_array().unwrap().iter().map(|i| i["Type"].as_str().unwrap()).collect();
    assert_eq!(types, ["PARTICIPANT_JOINED", "PARTICIPANT_JOINED", "MESSAGE"]);
    emu.stop().await;
}

#[tokio::test]
async fn a_refused_subscription_answers_failure() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut ws = open(&url).await;
    send(&mut ws, r#"{"topic":"aws/subscribe","content":{"topics":["aws/other"]}}"#).await;
    let v: Value = serde_json::from_str(&next(&mut ws, Duration::from_secs(2)).await.unwrap()).unwrap();
    assert_eq!(v["content"]["status"], "failure");
    emu.stop().await;
}

#[tokio::test]
async fn urls_expire_and_sockets_close_when_their_url_expires() {
    let emu = emulator(Config { websocket_url_ttl: Duration::from_millis(1000), ..Config::default() }).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    let closed = next(&mut ws, Duration::from_secs(3)).await;
    assert_eq!(closed, Err("close Some(1001)".into()), "closed at ConnectionExpiry");
    // The same URL is refused from now on.
    let refused = tokio_tungstenite::connect_async(url.as_str()).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 403),
        other => panic!("expected a 403, got {other:?}"),
    }
    emu.stop().await;
}

#[tokio::test]
async fn drop_closes_sockets_without_a_close_frame() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    let r = post(&base, &format!("/emulator/contacts/{}/drop", chat.contact_id), None, json!({})).await;
    assert_eq!(r.json()["Dropped"], 1);
    let end = next(&mut ws, Duration::from_secs(2)).await.unwrap_err();
    assert!(!end.starts_with("close"), "no close frame, got {end}");
    emu.stop().await;
}

#[tokio::test]
async fn client_tokens_make_calls_idempotent() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (_, token) = connect(&base, &chat).await;
    let body = json!({"ContentType": "text/plain", "Content": "once", "ClientToken": "same"});
    let a = post(&base, "/participant/message", Some(&token), body.clone()).await.json();
    let b = post(&base, "/participant/message", Some(&token), body).await.json();
    assert_eq!(a, b);
    let other = post(
        &base,
        "/participant/message",
        Some(&token),
        json!({"ContentType": "text/plain", "Content": "once", "ClientToken": "other"}),
    )
    .await
    .json();
    assert_ne!(a["Id"], other["Id"]);
    let t = post(&base, "/participant/transcript", Some(&token), json!({"MaxResults": 100})).await.json();
    let messages = t["Transcript"].as_array().unwrap().iter().filter(|i| i["Type"] == "MESSAGE").count();
    assert_eq!(messages, 2);
    emu.stop().await;
}

#[tokio::test]
async fn disconnect_ends_the_chat_and_revokes_every_token() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, token) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    let r = post(&base, "/participant/disconnect", Some(&token), json!({"ClientToken": "bye"})).await;
    assert_eq!((r.status, r.json()), (200, json!({})));
    assert_eq!(next_item(&mut ws).await["Type"], "PARTICIPANT_LEFT");
    assert_eq!(next_item(&mut ws).await["Type"], "CHAT_ENDED");
    assert_eq!(
        post(&base, "/participant/message", Some(&token), json!({"ContentType": "text/plain", "Content": "x"}))
            .await
            .status,
        403
    );
    assert_eq!(
        post(&base, "/participant/connection", Some(&chat.participant_token), json!({"Type": ["WEBSOCKET"]}))
            .await
            .status,
        403
    );
    emu.stop().await;
}

#[tokio::test]
async fn attachments_upload_complete_and_download() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, token) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    let bytes = b"%PDF-1.4 pretend";
    let start = post(&base, "/participant/start-attachment-upload", Some(&token), json!({
        "ContentType": "application/pdf", "AttachmentSizeInBytes": bytes.len(), "AttachmentName": "report é.pdf", "ClientToken": "up-1",
    })).await;
    assert_eq!(start.status, 200, "{}", String::from_utf8_lossy(&start.body));
    let start = start.json();
    let id = start["AttachmentId"].as_str().unwrap().to_owned();
    let meta = &start["UploadMetadata"];
    assert_eq!(meta["HeadersToInclude"], json!({"Content-Type": "application/pdf"}));
    let upload_url = meta["Url"].as_str().unwrap().trim_start_matches(&base).to_owned();
    // Completing before the upload conflicts; a wrong size or type is refused.
    let early = post(
        &base,
        "/participant/complete-attachment-upload",
        Some(&token),
        json!({"AttachmentIds": [id], "ClientToken": "c-0"}),
    )
    .await;
    assert_eq!((early.status, early.header("x-amzn-ErrorType")), (409, Some("ConflictException")));
    assert_eq!(request(&base, "PUT", &upload_url, &[("Content-Type", "application/pdf")], b"short").await.status, 400);
    assert_eq!(request(&base, "PUT", &upload_url, &[("Content-Type", "image/png")], bytes).await.status, 403);
    assert_eq!(request(&base, "PUT", &upload_url, &[("Content-Type", "application/pdf")], bytes).await.status, 200);
    let done = post(
        &base,
        "/participant/complete-attachment-upload",
        Some(&token),
        json!({"AttachmentIds": [id], "ClientToken": "c-1"}),
    )
    .await;
    assert_eq!(done.status, 200);
    let item = next_item(&mut ws).await;
    assert_eq!(item["Type"], "ATTACHMENT");
    assert_eq!(
        item["Attachments"],
        json!([{"ContentType": "application/pdf", "AttachmentId": id, "AttachmentName": "report é.pdf", "Status": "APPROVED"}])
    );
    let got =
        post(&base, "/participant/attachment", Some(&token), json!({"AttachmentId": id, "UrlExpiryInSeconds": 60}))
            .await
            .json();
    assert_eq!(got["AttachmentSizeInBytes"], bytes.len());
    let download = request(&base, "GET", got["Url"].as_str().unwrap().trim_start_matches(&base), &[], b"").await;
    assert_eq!((download.status, download.body.as_slice()), (200, &bytes[..]));
    assert_eq!(download.header("Content-Type"), Some("application/pdf"));
    assert!(download
        .header("Content-Disposition")
        .unwrap()
        .starts_with("attachment; filename*=UTF-8''report%20%C3%A9.pdf"));
    let too_big = post(&base, "/participant/start-attachment-upload", Some(&token), json!({
        "ContentType": "application/pdf", "AttachmentSizeInBytes": 30_000_000, "AttachmentName": "big.pdf", "ClientToken": "up-2",
    })).await;
    assert_eq!(too_big.status, 402);
    emu.stop().await;
}

#[tokio::test]
async fn cors_preflights_allow_the_sdk_headers() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let r = request(
        &base,
        "OPTIONS",
        "/participant/message",
        &[
            ("Origin", "http://localhost:5173"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type,x-amz-bearer,x-amz-user-agent,amz-sdk-invocation-id"),
        ],
        b"",
    )
    .await;
    assert!(r.status == 200 || r.status == 204);
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    let allowed = r.header("Access-Control-Allow-Headers").unwrap().to_lowercase();
    for h in ["content-type", "x-amz-bearer", "x-amz-user-agent", "amz-sdk-invocation-id"] {
        assert!(allowed.contains(h), "{h} in {allowed}");
    }
    assert!(r.header("Access-Control-Allow-Methods").unwrap().contains("POST"));
    let r = post(&base, "/participant/message", None, json!({})).await;
    assert!(r.header("Access-Control-Expose-Headers").unwrap().to_lowercase().contains("x-amzn-errortype"));
    emu.stop().await;
}

#[tokio::test]
async fn injected_connection_faults_and_malformed_frames() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    post(&base, "/emulator/faults/connection", None, json!({"Status": 429, "Count": 2})).await;
    for _ in 0..2 {
        let r =
            post(&base, "/participant/connection", Some(&chat.participant_token), json!({"Type": ["WEBSOCKET"]})).await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (429, Some("ThrottlingException")));
    }
    let (url, _) = connect(&base, &chat).await;
    let mut ws = subscribed(&url).await;
    for kind in ["not-json", "wrong-types", "huge"] {
        post(&base, &format!("/emulator/contacts/{}/malformed", chat.contact_id), None, json!({"Kind": kind})).await;
        let frame = next(&mut ws, Duration::from_secs(2)).await.unwrap();
        assert!(kind != "huge" || frame.len() > 1_000_000);
    }
    // A stalled socket answers nothing.
    post(&base, &format!("/emulator/contacts/{}/stall", chat.contact_id), None, json!({})).await;
    send(&mut ws, r#"{"topic":"aws/heartbeat"}"#).await;
    assert_eq!(next(&mut ws, Duration::from_millis(300)).await, Err("timeout".into()));
    emu.stop().await;
}

#[tokio::test]
async fn injected_api_faults_answer_the_errors_the_service_names() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (_, token) = connect(&base, &chat).await;
    let send =
        || post(&base, "/participant/message", Some(&token), json!({"ContentType": "text/plain", "Content": "hi"}));
    for (status, name) in [
        (400, "ValidationException"),
        (402, "ServiceQuotaExceededException"),
        (403, "AccessDeniedException"),
        (409, "ConflictException"),
        (429, "ThrottlingException"),
        (500, "InternalServerException"),
    ] {
        post(&base, "/emulator/faults/api", None, json!({"Operation": "SendMessage", "Status": status})).await;
        let r = send().await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (status, Some(name)));
        assert_eq!(send().await.status, 200, "one call only");
    }
    let r = post(&base, "/emulator/faults/api", None, json!({"Operation": "SendMessage", "Status": 404})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")));
    emu.stop().await;
}

#[tokio::test]
async fn the_binary_prints_its_address_for_port_zero() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_connect-emulator"))
        .args(["--port", "0"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(5), lines.next_line()).await.unwrap().unwrap().unwrap();
    let base = line.strip_prefix("listening on ").expect("the ready line");
    assert!(base.starts_with("http://127.0.0.1:"));
    let health = request(base, "GET", "/emulator/health", &[], b"").await;
    assert_eq!(health.json(), json!({"ok": true}));
    child.kill().await.unwrap();
}

/// Every operation's body, read as the model says: a malformed one is a ValidationException naming the
/// member (never a panic, never another error), and members the service does not know are ignored.
#[tokio::test]
async fn request_bodies_are_checked_member_by_member() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (_, token) = connect(&base, &chat).await;
    let session = "0123456789abcdef0123456789abcdef0123";
    let cases: [(&str, &str, &str); 20] = [
        ("/participant/connection", r#"{"Type":"WEBSOCKET"}"#, "Type"),
        ("/participant/connection", r#"{"Type":["WEBSOCKET","SOMETHING"]}"#, "Type[1]"),
        ("/participant/connection", r#"{"Type":["WEBSOCKET"],"ConnectParticipant":"yes"}"#, "ConnectParticipant"),
        ("/participant/message", r#"{"Content":"hi"}"#, "ContentType is required"),
        ("/participant/message", r#"{"ContentType":"text/plain","Content":""}"#, "Content must be 1 to"),
        ("/participant/message", r#"{"ContentType":"text/html","Content":"hi"}"#, "ContentType must be one of"),
        ("/participant/message", r#"{"ContentType":"text/plain","Content":["hi"]}"#, "Content: invalid type"),
        (
            "/participant/event",
            r#"{"ContentType":"application/vnd.amazonaws.connect.event.typing","ClientToken":5}"#,
            "ClientToken",
        ),
        ("/participant/transcript", r#"{"MaxResults":101}"#, "MaxResults must be an integer from 0 to 100"),
        ("/participant/transcript", r#"{"ScanDirection":"SIDEWAYS"}"#, "ScanDirection"),
        ("/participant/transcript", r#"{"StartPosition":["x"]}"#, "StartPosition: invalid type"),
        ("/participant/transcript", r#"{"StartPosition":{"Id":""}}"#, "StartPosition.Id must be 1 to 256"),
        ("/participant/disconnect", r#"{"ClientToken":{}}"#, "ClientToken"),
        (
            "/participant/start-attachment-upload",
            r#"{"ContentType":"text/plain","AttachmentSizeInBytes":1,"AttachmentName":"a"}"#,
            "ClientToken is required",
        ),
        (
            "/participant/start-attachment-upload",
            r#"{"ContentType":"text/plain","AttachmentSizeInBytes":"1","AttachmentName":"a","ClientToken":"c"}"#,
            "AttachmentSizeInBytes",
        ),
        (
            "/participant/complete-attachment-upload",
            r#"{"AttachmentIds":["a","b"],"ClientToken":"c"}"#,
            "AttachmentIds must have 1 to 1 members",
        ),
        (
            "/participant/attachment",
            r#"{"AttachmentId":"a","UrlContentDisposition":"inline"}"#,
            "UrlContentDisposition",
        ),
        (
            "/participant/authentication-url",
            r#"{"SessionId":"x","RedirectUri":"https://shop.example"}"#,
            "SessionId must be 36 to 36",
        ),
        ("/participant/cancel-authentication", r#"{}"#, "SessionId is required"),
        ("/participant/message", r#"{"ContentType":"text/plain","Content":"hi""#, "not valid JSON"),
    ];
    for (path, body, names) in cases {
        let r = request(
            &base,
            "POST",
            path,
            &[("Content-Type", "application/json"), ("X-Amz-Bearer", &token)],
            body.as_bytes(),
        )
        .await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")), "{path} {body}");
        let message = r.json()["message"].as_str().unwrap_or_default().to_owned();
        assert!(message.contains(names), "{path} {body}: {message}");
    }
    for body in ["[]", "\"text\"", "null", "42"] {
        let r = request(&base, "POST", "/participant/message", &[("X-Amz-Bearer", &token)], body.as_bytes()).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.json()["message"], "the request body must be a JSON object");
    }
    // Members the service does not know are ignored, as the service ignores them; null is absent.
    let sent = post(
        &base,
        "/participant/message",
        Some(&token),
        json!({"ContentType": "text/plain", "Content": "hi", "ClientToken": null, "Future": {"x": [1]}}),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", String::from_utf8_lossy(&sent.body));
    assert_eq!(keys(&sent.json()), ["AbsoluteTime", "Id"]);
    let page = post(
        &base,
        "/participant/transcript",
        Some(&token),
        json!({"StartPosition": {"MostRecent": 0, "Later": true}, "Extra": 1}),
    )
    .await;
    assert_eq!(page.status, 200, "{}", String::from_utf8_lossy(&page.body));
    assert_eq!(page.json()["Transcript"][0]["Content"], "hi");
    let auth = post(&base, "/participant/cancel-authentication", Some(&token), json!({"SessionId": session})).await;
    assert_eq!(auth.header("x-amzn-ErrorType"), Some("ValidationException"), "an unknown session, not a bad body");
    assert!(auth.json()["message"].as_str().unwrap().contains("not an open authentication session"));
    emu.stop().await;
}
