//! Test helpers: an in-process emulator, a minimal HTTP/1.1 client and a WebSocket client.
#![allow(dead_code)]

use std::time::Duration;

use connect_emulator::{Config, Running};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

pub async fn emulator(config: Config) -> Running {
    connect_emulator::start(Config { port: 0, ..config }).await.unwrap()
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request with `Connection: close`; enough for tests, no client crate needed.
pub async fn request(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))).collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v == "chunked") {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

pub async fn post(base: &str, path: &str, token: Option<&str>, body: Value) -> Reply {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(t) = token {
        headers.push(("X-Amz-Bearer", t));
    }
    request(base, "POST", path, &headers, body.to_string().as_bytes()).await
}

pub struct Chat {
    pub contact_id: String,
    pub participant_id: String,
    pub participant_token: String,
}

pub async fn start_chat(base: &str) -> Chat {
    let r = request(
        base,
        "PUT",
        "/contact/chat",
        &[("Content-Type", "application/json")],
        br#"{"InstanceId":"i","ContactFlowId":"f","ParticipantDetails":{"DisplayName":"Customer"}}"#,
    )
    .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    Chat {
        contact_id: v["ContactId"].as_str().unwrap().to_owned(),
        participant_id: v["ParticipantId"].as_str().unwrap().to_owned(),
        participant_token: v["ParticipantToken"].as_str().unwrap().to_owned(),
    }
}

/// CreateParticipantConnection for both types: (WebSocket URL, ConnectionToken).
pub async fn connect(base: &str, chat: &Chat) -> (String, String) {
    let r = post(
        base,
        "/participant/connection",
        Some(&chat.participant_token),
        json!({"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"], "ConnectParticipant": true}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    (
        v["Websocket"]["Url"].as_str().unwrap().to_owned(),
        v["ConnectionCredentials"]["ConnectionToken"].as_str().unwrap().to_owned(),
    )
}

pub type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

pub async fn open(url: &str) -> Ws {
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

pub async fn send(ws: &mut Ws, text: &str) {
    ws.send(Message::Text(text.into())).await.unwrap();
}

/// The next frame as it arrived: Ok(text) or Err(description of a close / end).
pub async fn next(ws: &mut Ws, within: Duration) -> Result<String, String> {
    match tokio::time::timeout(within, ws.next()).await {
        Err(_) => Err("timeout".into()),
        Ok(None) => Err("end".into()),
        Ok(Some(Err(e))) => Err(format!("error: {e}")),
        Ok(Some(Ok(Message::Text(t)))) => Ok(t.to_string()),
        Ok(Some(Ok(Message::Close(f)))) => Err(format!("close {:?}", f.map(|f| u16::from(f.code)))),
        Ok(Some(Ok(other))) => Err(format!("other {other:?}")),
    }
}

pub async fn subscribed(url: &str) -> Ws {
    let mut ws = open(url).await;
    send(&mut ws, r#"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#).await;
    let ack: Value = serde_json::from_str(&next(&mut ws, Duration::from_secs(2)).await.unwrap()).unwrap();
    assert_eq!(ack, json!({"topic": "aws/subscribe", "content": {"status": "success", "topics": ["aws/chat"]}}));
    ws
}

/// The next aws/chat item, skipping other frames.
pub async fn next_item(ws: &mut Ws) -> Value {
    loop {
        let text = next(ws, Duration::from_secs(2)).await.unwrap();
        let frame: Value = serde_json::from_str(&text).unwrap();
        if frame["topic"] == "aws/chat" {
            assert_eq!(frame["contentType"], "application/json");
            return serde_json::from_str(frame["content"].as_str().expect("content is a string")).unwrap();
        }
    }
}
