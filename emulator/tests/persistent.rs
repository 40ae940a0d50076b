//! Persistent chat: StartChatContact's PersistentChat (FROM_SEGMENT, ENTIRE_PAST_SESSION), the
//! transcript of the chain, `chat.rehydrated`, and the errors the service names.

mod common;

use std::time::Duration;

use common::*;
use connect_emulator::Config;
use serde_json::{json, Value};

const EVENT: &str = "application/vnd.amazonaws.connect.event.";

async fn start_persistent(base: &str, kind: &str, source: &str) -> Reply {
    let body = json!({
        "InstanceId": "i",
        "ContactFlowId": "f",
        "ParticipantDetails": {"DisplayName": "Customer"},
        "PersistentChat": {"RehydrationType": kind, "SourceContactId": source},
    });
    request(base, "PUT", "/contact/chat", &[("Content-Type", "application/json")], body.to_string().as_bytes()).await
}

fn chat_of(reply: &Reply) -> Chat {
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    let v = reply.json();
    Chat {
        contact_id: v["ContactId"].as_str().unwrap().to_owned(),
        participant_id: v["ParticipantId"].as_str().unwrap().to_owned(),
        participant_token: v["ParticipantToken"].as_str().unwrap().to_owned(),
    }
}

/// A chat where the customer and the agent each say `lines`, then the customer leaves (which ends it).
async fn ended_chat(base: &str, chat: &Chat, lines: &[&str]) {
    let (_, token) = connect(base, chat).await;
    for line in lines {
        let r = post(base, "/participant/message", Some(&token), json!({"ContentType": "text/plain", "Content": line}))
            .await;
        assert_eq!(r.status, 200);
        let path = format!("/emulator/contacts/{}/messages", chat.contact_id);
        assert_eq!(post(base, &path, None, json!({"Content": format!("re: {line}")})).await.status, 200);
    }
    assert_eq!(post(base, "/participant/disconnect", Some(&token), json!({})).await.status, 200);
}

/// Every item of GetTranscript, walked from the newest back with NextToken, `page` at a time, oldest first.
async fn walk_back(base: &str, token: &str, page: u32, contact: Option<&str>) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut body = json!({"MaxResults": page, "ScanDirection": "BACKWARD", "SortOrder": "ASCENDING"});
        if let Some(t) = &next {
            body["NextToken"] = json!(t);
        }
        if let Some(c) = contact {
            body["ContactId"] = json!(c);
        }
        let r = post(base, "/participant/transcript", Some(token), body).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v = r.json();
        let mut p = v["Transcript"].as_array().unwrap().clone();
        p.extend(items);
        items = p;
        match v["NextToken"].as_str() {
            Some(t) => next = Some(t.to_owned()),
            None => return items,
        }
    }
}

fn contents(items: &[Value]) -> Vec<String> {
    items.iter().filter(|i| i["Type"] == "MESSAGE").map(|i| i["Content"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn from_segment_continues_an_ended_chat_and_says_so_when_the_customer_listens() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let first = start_chat(&base).await;
    ended_chat(&base, &first, &["my order is late"]).await;

    let reply = start_persistent(&base, "FROM_SEGMENT", &first.contact_id).await;
    let second = chat_of(&reply);
    assert_eq!(reply.json()["ContinuedFromContactId"], first.contact_id);
    let (url, token) = connect(&base, &second).await;
    let mut ws = subscribed(&url).await;
    // participant.joined (of this connection) may come first: the event is the one after the subscription.
    let rehydrated = loop {
        let item = next_item(&mut ws).await;
        if item["ContentType"] != format!("{EVENT}participant.joined") {
            break item;
        }
    };
    assert_eq!(rehydrated["ContentType"], format!("{EVENT}chat.rehydrated"));
    assert_eq!((rehydrated["Type"].as_str(), rehydrated["ParticipantRole"].as_str()), (Some("EVENT"), Some("SYSTEM")));
    assert_eq!(rehydrated["InitialContactId"], second.contact_id);

    // One scan, a few items a page, from the new contact's items back into the past ones (as the
    // reference widget pages on chat.rehydrated).
    let all = walk_back(&base, &token, 2, None).await;
    assert_eq!(contents(&all), ["my order is late", "re: my order is late"]);
    let past: Vec<&Value> = all.iter().filter(|i| i.get("RelatedContactId").is_some()).collect();
    assert_eq!(past.len(), 6, "two joined, two messages, left, ended: {all:?}");
    for item in &past {
        assert_eq!(item["RelatedContactId"], first.contact_id);
        assert!(item.get("ContactId").is_none(), "only current items carry ContactId: {item}");
    }
    let current = &all[past.len()..];
    assert_eq!(current.len(), 1, "{current:?}");
    assert_eq!(
        (current[0]["Type"].as_str(), current[0]["ContactId"].as_str()),
        (Some("PARTICIPANT_JOINED"), Some(second.contact_id.as_str()))
    );
    let v = post(&base, "/participant/transcript", Some(&token), json!({})).await.json();
    assert_eq!(v["InitialContactId"], second.contact_id);

    // The earlier messages are shown again, and read again: a receipt for one is taken.
    let earlier = all.iter().find(|i| i["Content"] == "re: my order is late").unwrap()["Id"].clone();
    let read =
        json!({"ContentType": format!("{EVENT}message.read"), "Content": json!({"messageId": earlier}).to_string()});
    assert_eq!(post(&base, "/participant/event", Some(&token), read).await.status, 200);

    // An earlier contact of the chain by its id: its items only; anything else is not in the chain.
    let only_first = walk_back(&base, &token, 100, Some(&first.contact_id)).await;
    assert_eq!(only_first.len(), 6);
    let other = start_chat(&base).await;
    let r = post(&base, "/participant/transcript", Some(&token), json!({"ContactId": other.contact_id})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")));

    // Once: a second socket of the customer is not told again.
    let mut again = subscribed(&url).await;
    assert_eq!(next(&mut again, Duration::from_millis(300)).await, Err("timeout".into()));

    // The control API's transcript shows the same, and the listing names the source.
    let r = request(&base, "GET", &format!("/emulator/contacts/{}/transcript", second.contact_id), &[], b"").await;
    assert_eq!(r.json()["Transcript"].as_array().unwrap().len(), all.len());
    let listing = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    let summary = listing["Contacts"].as_array().unwrap().iter().find(|c| c["ContactId"] == second.contact_id).cloned();
    assert_eq!(summary.unwrap()["ContinuedFromContactId"], first.contact_id);
    emu.stop().await;
}

#[tokio::test]
async fn a_conversation_of_several_chats_comes_back_whole_from_its_latest() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let a = start_chat(&base).await;
    ended_chat(&base, &a, &["one"]).await;
    let b = chat_of(&start_persistent(&base, "ENTIRE_PAST_SESSION", &a.contact_id).await);
    ended_chat(&base, &b, &["two"]).await;
    // Through the control API, as the demo's backend starts chats (ENTIRE_PAST_SESSION by default).
    let r = post(&base, "/emulator/start-chat", None, json!({"SourceContactId": b.contact_id})).await;
    assert_eq!(r.json()["ContinuedFromContactId"], b.contact_id);
    let c = chat_of(&r);
    let (_, token) = connect(&base, &c).await;
    let all = walk_back(&base, &token, 3, None).await;
    assert_eq!(contents(&all), ["one", "re: one", "two", "re: two"]);
    let sent_on = |text: &str| all.iter().find(|i| i["Content"] == text).unwrap()["RelatedContactId"].clone();
    assert_eq!((sent_on("one"), sent_on("two")), (json!(a.contact_id), json!(b.contact_id)));
    // Forward from the oldest too.
    let r = post(
        &base,
        "/participant/transcript",
        Some(&token),
        json!({"ScanDirection": "FORWARD", "SortOrder": "ASCENDING", "MaxResults": 1}),
    )
    .await;
    assert_eq!(r.json()["Transcript"][0]["RelatedContactId"], a.contact_id);
    emu.stop().await;
}

#[tokio::test]
async fn persistent_chat_errors_are_the_services() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let live = start_chat(&base).await;
    let cases: [(Value, u16, &str); 6] = [
        (
            json!({"RehydrationType": "FROM_SEGMENT", "SourceContactId": "no-such-contact"}),
            404,
            "ResourceNotFoundException",
        ),
        (
            json!({"RehydrationType": "FROM_SEGMENT", "SourceContactId": live.contact_id}),
            400,
            "InvalidRequestException",
        ),
        (
            json!({"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": live.contact_id}),
            400,
            "InvalidRequestException",
        ),
        (json!({"SourceContactId": live.contact_id}), 400, "InvalidParameterException"),
        (json!({"RehydrationType": "FROM_SEGMENT"}), 400, "InvalidParameterException"),
        (json!({"RehydrationType": "LATEST", "SourceContactId": live.contact_id}), 400, "ValidationException"),
    ];
    for (persistent, status, name) in cases {
        let body = json!({"ParticipantDetails": {"DisplayName": "C"}, "PersistentChat": persistent});
        let r = request(
            &base,
            "PUT",
            "/contact/chat",
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
        .await;
        assert_eq!((r.status, r.header("x-amzn-ErrorType")), (status, Some(name)), "{persistent}");
    }
    // The member's name is PersistentChat: another name would be ignored by the service, so refused here.
    let body =
        json!({"PersistentChatContext": {"RehydrationType": "FROM_SEGMENT", "SourceContactId": live.contact_id}});
    let r =
        request(&base, "PUT", "/contact/chat", &[("Content-Type", "application/json")], body.to_string().as_bytes())
            .await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("InvalidParameterException")));
    assert!(r.json()["message"].as_str().unwrap().contains("PersistentChat {"), "{}", r.json());

    let r = post(&base, "/emulator/start-chat", None, json!({"SourceContactId": live.contact_id})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("InvalidRequestException")));
    let r = post(&base, "/emulator/start-chat", None, json!({"RehydrationType": "FROM_SEGMENT"})).await;
    assert_eq!((r.status, r.header("x-amzn-ErrorType")), (400, Some("ValidationException")));
    // Nothing was started by the refused calls.
    let listing = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    assert_eq!(listing["Contacts"].as_array().unwrap().len(), 1);
    emu.stop().await;
}
