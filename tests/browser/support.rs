//! Helpers for the browser tests: talking to the emulator, waiting, and recording session events.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use connect_chat_wasm::ChatSession;

/// The emulator started by `scripts/test.sh` (default lifetimes).
pub fn emulator() -> &'static str {
    option_env!("EMULATOR_URL").unwrap_or("http://127.0.0.1:8787")
}

/// A second emulator whose WebSocket URLs live two seconds, for renewal runs.
pub fn short_ttl_emulator() -> &'static str {
    option_env!("EMULATOR_SHORT_TTL_URL").unwrap_or("http://127.0.0.1:8788")
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
}

pub async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(p).await;
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

pub async fn post_json(url: &str, body: &str) -> JsValue {
    let resp = Request::post(url)
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.ok(), "POST {url} answered {}: {}", resp.status(), resp.text().await.unwrap_or_default());
    js_sys::JSON::parse(&resp.text().await.unwrap()).unwrap()
}

/// A chat started on `base` the way a website backend would.
pub struct Chat {
    pub base: &'static str,
    pub contact_id: String,
    pub participant_token: String,
}

pub async fn start_chat(base: &'static str) -> Chat {
    let started = post_json(&format!("{base}/emulator/start-chat"), r#"{"DisplayName":"Customer"}"#).await;
    Chat { base, contact_id: get_str(&started, "ContactId"), participant_token: get_str(&started, "ParticipantToken") }
}

impl Chat {
    pub fn session(&self) -> ChatSession {
        let opts = js_sys::Object::new();
        Reflect::set(&opts, &"participantToken".into(), &self.participant_token.clone().into()).unwrap();
        Reflect::set(&opts, &"endpoint".into(), &self.base.into()).unwrap();
        ChatSession::new(opts.into()).unwrap()
    }

    /// An agent message through the control API; returns its Id.
    pub async fn agent_says(&self, text: &str) -> String {
        let body = js_sys::JSON::stringify(
            &js_sys::Object::from_entries(&js_sys::Array::of2(
                &js_sys::Array::of2(&"Content".into(), &text.into()),
                &js_sys::Array::of2(&"DisplayName".into(), &"Agent Smith".into()),
            ))
            .unwrap(),
        )
        .unwrap();
        let sent =
            post_json(&format!("{}/emulator/contacts/{}/messages", self.base, self.contact_id), &String::from(body))
                .await;
        get_str(&sent, "Id")
    }

    pub async fn agent_event(&self, content_type: &str) {
        let body = format!(r#"{{"ContentType":"{content_type}"}}"#);
        post_json(&format!("{}/emulator/contacts/{}/events", self.base, self.contact_id), &body).await;
    }
}

/// Records every event of the given types, in order, as (type, detail).
#[derive(Clone, Default)]
pub struct Recorder {
    pub events: Rc<RefCell<Vec<(String, JsValue)>>>,
    _listeners: Rc<RefCell<Vec<Closure<dyn Fn(JsValue)>>>>,
}

impl Recorder {
    pub fn attach(session: &ChatSession, types: &[&str]) -> Recorder {
        let rec = Recorder::default();
        for t in types {
            let events = rec.events.clone();
            let f = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
                events.borrow_mut().push((get_str(&e, "type"), get(&e, "detail")));
            });
            session.add_event_listener(JsValue::from_str(t), f.as_ref().clone(), JsValue::UNDEFINED).unwrap();
            rec._listeners.borrow_mut().push(f);
        }
        rec
    }

    pub fn count(&self, kind: &str) -> usize {
        self.events.borrow().iter().filter(|(t, _)| t == kind).count()
    }

    pub fn details(&self, kind: &str) -> Vec<JsValue> {
        self.events.borrow().iter().filter(|(t, _)| t == kind).map(|(_, d)| d.clone()).collect()
    }

    /// Waits until `cond` holds, failing the test after `timeout_ms`.
    pub async fn wait_for(&self, what: &str, timeout_ms: i32, cond: impl Fn(&Recorder) -> bool) {
        let mut waited = 0;
        while !cond(self) {
            assert!(
                waited < timeout_ms,
                "timed out after {timeout_ms} ms waiting for {what}; events: {:?}",
                self.kinds()
            );
            sleep(20).await;
            waited += 20;
        }
    }

    pub fn kinds(&self) -> Vec<String> {
        self.events.borrow().iter().map(|(t, _)| t.clone()).collect()
    }
}

/// Awaits a promise the session returned; `Err` carries the rejection.
pub async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// A POST to the emulator's control API (or any JSON endpoint) under `base`.
pub async fn control(base: &str, path: &str, body: &str) -> JsValue {
    post_json(&format!("{base}{path}"), body).await
}

pub async fn get_json(url: &str) -> JsValue {
    let resp = Request::get(url).send().await.unwrap();
    js_sys::JSON::parse(&resp.text().await.unwrap()).unwrap()
}

/// Options for `new ChatSession`: the chat's token and endpoint plus `extra` (a JSON object text).
pub fn options(chat: &Chat, extra: &str) -> JsValue {
    let opts = js_sys::JSON::parse(extra).unwrap();
    Reflect::set(&opts, &"participantToken".into(), &chat.participant_token.clone().into()).unwrap();
    Reflect::set(&opts, &"endpoint".into(), &chat.base.into()).unwrap();
    opts
}

/// The error a rejected promise carried: (name, status, retryable).
pub fn error_parts(err: &JsValue) -> (String, f64, bool) {
    (
        get_str(err, "name"),
        get(err, "status").as_f64().unwrap_or(-1.0),
        get(err, "retryable").as_bool().unwrap_or(false),
    )
}

impl Chat {
    /// Every item the emulator kept for this contact, oldest first.
    pub async fn transcript(&self) -> Vec<JsValue> {
        let t = get_json(&format!("{}/emulator/contacts/{}/transcript", self.base, self.contact_id)).await;
        js_sys::Array::from(&get(&t, "Transcript")).iter().collect()
    }

    /// The next `count` calls of `operation` fail with `status`.
    pub async fn fail_next(&self, operation: &str, status: u16, count: u32) {
        let body = format!(r#"{{"Operation":"{operation}","Status":{status},"Count":{count}}}"#);
        control(self.base, "/emulator/faults/api", &body).await;
    }
}
