//! The per-participant limit on open WebSockets (`--max-sockets-per-participant`, 5 by default as the
//! service documents): the socket past it is refused at its handshake, each participant counts apart,
//! closed and dropped sockets give their place back, and sockets opened together cannot overshoot it.

mod common;

use std::time::Duration;

use common::*;
use connect_emulator::Config;
use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::{Error, Message};

/// The refusal of a socket's handshake: (status, x-amzn-ErrorType).
async fn refused(url: &str) -> (u16, String) {
    match tokio_tungstenite::connect_async(url).await {
        Ok(_) => panic!("the socket was accepted"),
        Err(Error::Http(response)) => {
            let name = response.headers().get("x-amzn-ErrorType").and_then(|v| v.to_str().ok()).unwrap_or("");
            (response.status().as_u16(), name.to_owned())
        }
        Err(other) => panic!("not an HTTP refusal: {other}"),
    }
}

/// Opens a socket, trying again for a while: the place of a socket just closed is given back once the
/// emulator has seen it close.
async fn open_within(url: &str, within: Duration) -> Ws {
    let until = tokio::time::Instant::now() + within;
    loop {
        match tokio_tungstenite::connect_async(url).await {
            Ok((ws, _)) => return ws,
            Err(e) if tokio::time::Instant::now() >= until => panic!("still refused: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

#[tokio::test]
async fn five_sockets_per_participant_by_default_each_participant_apart() {
    let emu = emulator(Config::default()).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let mut open_sockets = Vec::new();
    for _ in 0..5 {
        open_sockets.push(subscribed(&url).await);
    }
    assert_eq!(refused(&url).await, (402, "ServiceQuotaExceededException".to_owned()));
    // A new URL of the same participant is the same participant.
    let (other_url, _) = connect(&base, &chat).await;
    assert_eq!(refused(&other_url).await.0, 402);

    // The agent of the same contact has places of its own.
    let listing = request(&base, "GET", "/emulator/contacts", &[], b"").await.json();
    let agent_token = listing["Contacts"][0]["AgentParticipantToken"].as_str().unwrap().to_owned();
    let agent = Chat { participant_token: agent_token, ..chat };
    let (agent_url, _) = connect(&base, &agent).await;
    let _agent_socket = subscribed(&agent_url).await;

    // Closing one gives its place back; the sockets still open keep working.
    let mut closing = open_sockets.pop().unwrap();
    closing.send(Message::Close(None)).await.unwrap();
    drop(closing);
    let mut replacement = open_within(&url, Duration::from_secs(2)).await;
    send(&mut replacement, r#"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#).await;
    assert!(next(&mut replacement, Duration::from_secs(2)).await.unwrap().contains("success"));
    assert_eq!(refused(&url).await.0, 402);
    let path = format!("/emulator/contacts/{}/messages", agent.contact_id);
    post(&base, &path, None, json!({"Content": "still there?"})).await;
    for ws in open_sockets.iter_mut().chain([&mut replacement]) {
        let item = loop {
            let item = next_item(ws).await;
            if item["Type"] == "MESSAGE" {
                break item;
            }
        };
        assert_eq!(item["Content"], "still there?");
    }

    // Dropped sockets (the control API's drop) are gone at once.
    let dropped = post(&base, &format!("/emulator/contacts/{}/drop", agent.contact_id), None, json!({})).await.json();
    assert_eq!(dropped["Dropped"], 5 + 1, "the customer's five and the agent's one");
    let _again: Vec<Ws> = futures_util::future::join_all((0..5).map(|_| open(&url))).await;
    emu.stop().await;
}

#[tokio::test]
async fn sockets_opened_together_cannot_overshoot_the_limit() {
    let emu = emulator(Config { max_sockets_per_participant: 1, ..Config::default() }).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let attempts = futures_util::future::join_all((0..6).map(|_| tokio_tungstenite::connect_async(url.clone()))).await;
    let opened: Vec<_> = attempts.into_iter().filter_map(Result::ok).collect();
    assert_eq!(opened.len(), 1, "exactly one of six sockets opened at once");
    drop(opened);
    // Its place comes back when it goes (here: the TCP connection dropped without a close frame).
    let _next = open_within(&url, Duration::from_secs(2)).await;
    emu.stop().await;
}

#[tokio::test]
async fn zero_is_no_limit() {
    let emu = emulator(Config { max_sockets_per_participant: 0, ..Config::default() }).await;
    let base = emu.base_url();
    let chat = start_chat(&base).await;
    let (url, _) = connect(&base, &chat).await;
    let sockets: Vec<Ws> = futures_util::future::join_all((0..12).map(|_| subscribed(&url))).await;
    assert_eq!(sockets.len(), 12);
    emu.stop().await;
}
