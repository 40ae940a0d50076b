//! What a real Connect chat carries besides text, as the emulator sends it: bot messages and interactive
//! templates, streamed replies, customer authentication, scanned attachments, step-by-step guide views.

mod common;

use common::*;
use connect_emulator::{Config, Running};
use serde_json::{json, Value};

const EVENT: &str = "application/vnd.amazonaws.connect.event.";

fn transcript_of(v: &Value) -> Vec<Value> {
    v["Transcript"].as_array().unwrap().clone()
}

async fn kept(base: &str, contact: &str) -> Vec<Value> {
    transcript_of(&request(base, "GET", &format!("/emulator/contacts/{contact}/transcript"), &[], b"").await.json())
}

/// An emulator with a chat whose customer is connected and subscribed: (emulator, base URL, chat,
/// ConnectionToken, socket).
async fn live() -> (Running, String, Chat, String, Ws) {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, token) = connect(&base, &chat).await;
    let ws = subscribed(&url).await;
    (emu, base, chat, token, ws)
}

#[tokio::test]
async fn bots_send_any_message_content_type_as_system() {
    let (emu, base, chat, _, mut ws) = live().await;
    let path = format!("/emulator/contacts/{}/messages", chat.contact_id);
    let template = json!({"templateType": "QuickReply", "version": "1.0",
        "data": {"content": {"title": "OK?", "elements": [{"title": "Yes"}, {"title": "No"}]}}})
    .to_string();
    let sent = post(
        &base,
        &path,
        None,
        json!({"Content": template, "ParticipantRole": "SYSTEM",
        "ContentType": "application/vnd.amazonaws.connect.message.interactive"}),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", String::from_utf8_lossy(&sent.body));
    let item = next_item(&mut ws).await;
    assert_eq!(item["Id"], sent.json()["Id"]);
    assert_eq!((item["ParticipantRole"].as_str(), item["DisplayName"].as_str()), (Some("SYSTEM"), Some("BOT")));
    assert_eq!(item["ContentType"], "application/vnd.amazonaws.connect.message.interactive");
    assert_eq!(item["Content"].as_str(), Some(template.as_str()), "the template exactly as sent");
    // A system message is no agent joining.
    assert!(kept(&base, &chat.contact_id).await.iter().all(|i| i["ParticipantRole"] != "AGENT"));
    // Markdown from the agent, with a name of its own.
    post(&base, &path, None, json!({"Content": "**Shipped**", "ContentType": "text/markdown", "DisplayName": "Sam"}))
        .await;
    let md = loop {
        let i = next_item(&mut ws).await;
        if i["Type"] == "MESSAGE" {
            break i;
        }
    };
    assert_eq!((md["ContentType"].as_str(), md["DisplayName"].as_str()), (Some("text/markdown"), Some("Sam")));
    // Unknown content types and oversized templates are refused; a 20 KB template is not.
    let bad = post(&base, &path, None, json!({"Content": "x", "ContentType": "text/html"})).await;
    assert_eq!(bad.status, 400);
    let big = "x".repeat(18_000);
    let text = post(&base, &path, None, json!({"Content": big})).await;
    assert_eq!(text.status, 400, "text stays within 16,384 bytes");
    let interactive = post(
        &base,
        &path,
        None,
        json!({"Content": big, "ContentType": "application/vnd.amazonaws.connect.message.interactive"}),
    )
    .await;
    assert_eq!(interactive.status, 200);
    let role = post(&base, &path, None, json!({"Content": "x", "ParticipantRole": "CUSTOMER"})).await;
    assert_eq!(role.status, 400);
    emu.stop().await;
}

#[tokio::test]
async fn a_streamed_reply_arrives_in_chunks_and_is_kept_whole() {
    let (emu, base, chat, _, mut ws) = live().await;
    let path = format!("/emulator/contacts/{}/stream", chat.contact_id);
    let answer =
        post(&base, &path, None, json!({"Chunks": ["Your ", "order ", "has shipped."], "IntervalMs": 5})).await;
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    let id = answer.json()["Id"].as_str().unwrap().to_owned();
    let mut items = vec![];
    for _ in 0..4 {
        items.push(next_item(&mut ws).await);
    }
    for (n, item) in items.iter().enumerate() {
        assert_eq!(item["Id"], id, "one Id for every chunk");
        assert_eq!(item["ParticipantRole"], "SYSTEM");
        assert_eq!(item["MessageMetadata"]["ChunkNumber"], n + 1);
        assert_eq!(item["MessageMetadata"]["MessageCompleted"], n == 3);
    }
    let contents: Vec<&str> = items.iter().map(|i| i["Content"].as_str().unwrap()).collect();
    assert_eq!(contents, ["Your ", "order ", "has shipped.", "Your order has shipped."]);
    assert_eq!(items[3]["AbsoluteTime"], items[0]["AbsoluteTime"], "the reply stands where it began");
    let transcript: Vec<Value> =
        kept(&base, &chat.contact_id).await.into_iter().filter(|i| i["Type"] == "MESSAGE").collect();
    assert_eq!(transcript.len(), 1, "only the completed reply is kept");
    assert_eq!(transcript[0]["Content"], "Your order has shipped.");
    assert_eq!(transcript[0]["MessageMetadata"]["MessageCompleted"], true);
    assert_eq!(post(&base, &path, None, json!({"Chunks": []})).await.status, 400);
    assert_eq!(post(&base, &path, None, json!({"Chunks": ["a", ""]})).await.status, 400);
    emu.stop().await;
}

/// The flow starts an authentication; the `authentication.initiated` item and its SessionId.
async fn initiated(base: &str, chat: &Chat, ws: &mut Ws, body: Value) -> (Value, String) {
    let started = post(base, &format!("/emulator/contacts/{}/authentication", chat.contact_id), None, body).await;
    assert_eq!(started.status, 200, "{}", String::from_utf8_lossy(&started.body));
    let session = started.json()["SessionId"].as_str().unwrap().to_owned();
    let item = next_item(ws).await;
    assert_eq!(item["ContentType"], format!("{EVENT}authentication.initiated"));
    let content: Value = serde_json::from_str(item["Content"].as_str().unwrap()).unwrap();
    assert_eq!(content["SessionId"], session);
    (item, session)
}

#[tokio::test]
async fn authentication_goes_through_the_sign_in_page() {
    let (emu, base, chat, token, mut ws) = live().await;
    let (item, session) = initiated(&base, &chat, &mut ws, json!({})).await;
    assert_eq!((item["Type"].as_str(), item["ParticipantRole"].as_str()), (Some("EVENT"), Some("SYSTEM")));
    let ask = json!({"SessionId": session, "RedirectUri": "https://shop.example/back?x=1"});
    let got = post(&base, "/participant/authentication-url", Some(&token), ask.clone()).await;
    assert_eq!(got.status, 200, "{}", String::from_utf8_lossy(&got.body));
    let sign_in = got.json()["AuthenticationUrl"].as_str().unwrap().to_owned();
    assert!(sign_in.starts_with(&format!("{base}/emulator/authenticate?session={session}")), "{sign_in}");
    // The SessionId is good for one URL.
    let again = post(&base, "/participant/authentication-url", Some(&token), ask).await;
    assert_eq!((again.status, again.header("x-amzn-ErrorType")), (400, Some("ValidationException")));
    let page = request(&base, "GET", sign_in.trim_start_matches(&base), &[], b"").await;
    assert_eq!(page.status, 200);
    let html = String::from_utf8_lossy(&page.body).to_string();
    assert!(html.contains(r#"<form method="post" action="/emulator/authenticate">"#) && html.contains("Sign in"));
    let form = format!("session={session}&redirect_uri=https%3A%2F%2Fshop.example%2Fback%3Fx%3D1&outcome=succeeded");
    let done = request(
        &base,
        "POST",
        "/emulator/authenticate",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
    .await;
    assert_eq!(done.status, 303);
    assert_eq!(done.header("Location"), Some("https://shop.example/back?x=1&authentication=succeeded"));
    assert_eq!(next_item(&mut ws).await["ContentType"], format!("{EVENT}authentication.succeeded"));
    // A finished session cannot be signed into or cancelled again.
    let replay = request(
        &base,
        "POST",
        "/emulator/authenticate",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
    .await;
    assert_eq!(replay.status, 404);
    let cancel = post(&base, "/participant/cancel-authentication", Some(&token), json!({"SessionId": session})).await;
    assert_eq!(cancel.status, 400);
    emu.stop().await;
}

#[tokio::test]
async fn authentication_can_be_cancelled_or_finished_by_the_flow() {
    let (emu, base, chat, token, mut ws) = live().await;
    let (_, session) = initiated(&base, &chat, &mut ws, json!({})).await;
    let cancel = post(&base, "/participant/cancel-authentication", Some(&token), json!({"SessionId": session})).await;
    assert_eq!(cancel.status, 200);
    assert_eq!(next_item(&mut ws).await["ContentType"], format!("{EVENT}authentication.cancelled"));
    let (_, _) = initiated(&base, &chat, &mut ws, json!({"Outcome": "timeout"})).await;
    assert_eq!(next_item(&mut ws).await["ContentType"], format!("{EVENT}authentication.timeout"));
    let unknown = json!({"SessionId": "12345678-1234-1234-1234-123456789012", "RedirectUri": "https://x.example/"});
    let r = post(&base, "/participant/authentication-url", Some(&token), unknown).await;
    assert_eq!(r.status, 400, "only a session the flow started has a URL");
    let bad = post(
        &base,
        &format!("/emulator/contacts/{}/authentication", chat.contact_id),
        None,
        json!({"Outcome": "maybe"}),
    )
    .await;
    assert_eq!(bad.status, 400);
    emu.stop().await;
}

#[tokio::test]
async fn a_rejected_attachment_is_shown_but_never_handed_out() {
    let (emu, base, chat, token, mut ws) = live().await;
    let scan =
        post(&base, &format!("/emulator/contacts/{}/scan", chat.contact_id), None, json!({"Status": "REJECTED"})).await;
    assert_eq!(scan.status, 200);
    let start = post(
        &base,
        "/participant/start-attachment-upload",
        Some(&token),
        json!({
            "ContentType": "text/plain", "AttachmentSizeInBytes": 4, "AttachmentName": "bad.txt", "ClientToken": "u1",
        }),
    )
    .await
    .json();
    let id = start["AttachmentId"].as_str().unwrap();
    let put = start["UploadMetadata"]["Url"].as_str().unwrap().trim_start_matches(&base).to_owned();
    assert_eq!(request(&base, "PUT", &put, &[("Content-Type", "text/plain")], b"evil").await.status, 200);
    let done = post(
        &base,
        "/participant/complete-attachment-upload",
        Some(&token),
        json!({"AttachmentIds": [id], "ClientToken": "c1"}),
    )
    .await;
    assert_eq!(done.status, 200);
    let item = next_item(&mut ws).await;
    assert_eq!(item["Attachments"][0]["Status"], "REJECTED");
    let get = post(&base, "/participant/attachment", Some(&token), json!({"AttachmentId": id})).await;
    assert_eq!((get.status, get.header("x-amzn-ErrorType")), (400, Some("ValidationException")));
    let wrong =
        post(&base, &format!("/emulator/contacts/{}/scan", chat.contact_id), None, json!({"Status": "MAYBE"})).await;
    assert_eq!(wrong.status, 400);
    emu.stop().await;
}

#[tokio::test]
async fn describe_view_answers_a_real_shaped_view() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (_, token) = connect(&base, &chat).await;
    let r = request(&base, "GET", "/participant/views/emulator-demo-view", &[("X-Amz-Bearer", &token)], b"").await;
    assert_eq!(r.status, 200);
    let view = &r.json()["View"];
    let template: Value = serde_json::from_str(view["Content"]["Template"].as_str().unwrap()).unwrap();
    assert_eq!(template["Head"]["Title"], "Confirm your delivery address");
    let inputs: Vec<&str> = template["Body"][0]["Content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Props"]["Name"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["street", "city", "postcode"]);
    let schema: Value = serde_json::from_str(view["Content"]["InputSchema"].as_str().unwrap()).unwrap();
    assert_eq!(schema["type"], "object");
    assert_eq!(view["Content"]["Actions"], json!(["Submit", "Cancel"]));
    emu.stop().await;
}
