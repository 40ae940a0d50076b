//! The Authenticate Customer flow block. The flow sends `authentication.initiated` with a `SessionId`;
//! the client calls GetAuthenticationUrl (once, within a minute) and opens the URL, where the customer
//! signs in with the instance's identity provider; the flow then sends `authentication.succeeded` (or
//! `failed`, `timeout`, `expired`), or `authentication.cancelled` after CancelParticipantAuthentication.
//!
//! The emulator is its own identity provider: the URL it hands out serves a sign-in page whose buttons
//! finish the session, then send the browser on to the client's `RedirectUri`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::errors::{ApiError, ApiResult};
use crate::state::{new_id, Emulator, World};
use crate::time::{now_ms, Millis};
use crate::validate::{check_enum, parse, Text};

/// GetAuthenticationUrl works only this long after `authentication.initiated` (the API model says so).
const URL_WINDOW_MS: Millis = 60_000;

/// How a session can end, as the events name it.
pub const OUTCOMES: [&str; 5] = ["succeeded", "failed", "timeout", "expired", "cancelled"];

#[derive(Debug, Clone)]
pub struct Session {
    pub contact: String,
    pub initiated_at: Millis,
    /// GetAuthenticationUrl was answered (a SessionId is good for one URL).
    pub url_issued: bool,
    pub finished: bool,
}

/// `{ Outcome? }`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartRequest {
    pub outcome: Option<Text<1, 64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartResponse {
    pub session_id: String,
}

/// `POST /emulator/contacts/{id}/authentication` `{ Outcome? }`: the flow reaches the block. Answers
/// `{ SessionId }`; with `Outcome` the session ends at once that way.
pub async fn start(
    State(emu): State<Arc<Emulator>>,
    Path(contact): Path<String>,
    body: Bytes,
) -> ApiResult<Json<StartResponse>> {
    let request: StartRequest = parse(&body)?;
    let outcome = request.outcome.map(|o| o.0);
    if let Some(o) = &outcome {
        check_enum("Outcome", o, &OUTCOMES)?;
    }
    let session_id = new_id();
    let mut world = emu.world();
    let c = world.contact_mut(&contact)?;
    if c.ended {
        return Err(ApiError::conflict("the chat has ended"));
    }
    let content = json!({ "SessionId": session_id }).to_string();
    let item = c.system_event("authentication.initiated", Some(&content));
    c.publish(item, true, &emu.faults);
    let session = Session { contact, initiated_at: now_ms(), url_issued: false, finished: false };
    world.authentications.insert(session_id.clone(), session);
    if let Some(outcome) = outcome {
        finish(&emu, &mut world, &session_id, &outcome)?;
    }
    Ok(Json(StartResponse { session_id }))
}

/// The session `session_id` of the caller's contact, still open.
fn open_session<'a>(world: &'a mut World, contact: &str, session_id: &str) -> ApiResult<&'a mut Session> {
    world
        .authentications
        .get_mut(session_id)
        .filter(|s| s.contact == contact && !s.finished)
        .ok_or_else(|| ApiError::validation(format!("SessionId {session_id} is not an open authentication session")))
}

/// GetAuthenticationUrl: the sign-in page's URL, once per session and within a minute of its start.
pub fn url(
    emu: &Emulator,
    world: &mut World,
    contact: &str,
    session_id: &str,
    redirect_uri: &str,
) -> ApiResult<String> {
    let session = open_session(world, contact, session_id)?;
    if session.url_issued {
        return Err(ApiError::validation("the authentication URL of this session was already issued"));
    }
    if now_ms() - session.initiated_at > URL_WINDOW_MS {
        return Err(ApiError::validation("the authentication URL must be asked for within a minute"));
    }
    session.url_issued = true;
    let encode = |s: &str| crate::url::percent_encode(s, crate::url::UNRESERVED);
    Ok(format!(
        "{}/emulator/authenticate?session={}&redirect_uri={}",
        emu.base_url,
        encode(session_id),
        encode(redirect_uri)
    ))
}

/// CancelParticipantAuthentication: the customer opts out.
pub fn cancel(emu: &Emulator, world: &mut World, contact: &str, session_id: &str) -> ApiResult<()> {
    open_session(world, contact, session_id)?;
    finish(emu, world, session_id, "cancelled")
}

/// Ends a session with `outcome`: the flow's event goes to the chat.
fn finish(emu: &Emulator, world: &mut World, session_id: &str, outcome: &str) -> ApiResult<()> {
    let Some(session) = world.authentications.get_mut(session_id) else {
        return Err(ApiError::validation("no such authentication session"));
    };
    session.finished = true;
    let contact = session.contact.clone();
    let c = world.contact_mut(&contact)?;
    if !c.ended {
        let item = c.system_event(&format!("authentication.{outcome}"), None);
        c.publish(item, true, &emu.faults);
    }
    Ok(())
}

/// `GET /emulator/authenticate?session=...&redirect_uri=...`: the identity provider's sign-in page.
pub async fn page(State(emu): State<Arc<Emulator>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let session = q.get("session").cloned().unwrap_or_default();
    let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
    let known = emu.world().authentications.get(&session).is_some_and(|s| s.url_issued && !s.finished);
    if !known {
        return html(StatusCode::NOT_FOUND, "Sign-in link expired", "<p>This sign-in link is no longer valid.</p>");
    }
    let body = format!(
        r#"<p>The emulated identity provider of <strong>connect-emulator</strong>. A real instance shows its own sign-in here.</p>
<form method="post" action="/emulator/authenticate">
  <input type="hidden" name="session" value="{}">
  <input type="hidden" name="redirect_uri" value="{}">
  <label>Email <input name="email" type="email" autocomplete="email" value="customer@example.com"></label>
  <div class="actions">
    <button name="outcome" value="succeeded" type="submit">Sign in</button>
    <button name="outcome" value="failed" type="submit" class="secondary">Fail the sign-in</button>
  </div>
</form>"#,
        escape(&session),
        escape(&redirect)
    );
    html(StatusCode::OK, "Sign in", &body)
}

/// `POST /emulator/authenticate` (the sign-in form): finishes the session, then sends the browser to the
/// client's `RedirectUri`, as an identity provider does.
pub async fn submit(State(emu): State<Arc<Emulator>>, Form(form): Form<HashMap<String, String>>) -> Response {
    let session = form.get("session").cloned().unwrap_or_default();
    let outcome = match form.get("outcome").map(String::as_str) {
        Some("succeeded") => "succeeded",
        _ => "failed",
    };
    let finished = {
        let mut world = emu.world();
        let open = world.authentications.get(&session).is_some_and(|s| s.url_issued && !s.finished);
        open && finish(&emu, &mut world, &session, outcome).is_ok()
    };
    if !finished {
        return html(StatusCode::NOT_FOUND, "Sign-in link expired", "<p>This sign-in link is no longer valid.</p>");
    }
    let redirect = form.get("redirect_uri").cloned().unwrap_or_default();
    if redirect.starts_with("https://") || redirect.starts_with("http://") {
        let sep = if redirect.contains('?') { '&' } else { '?' };
        let to = format!("{redirect}{sep}authentication={outcome}");
        if let Ok(v) = HeaderValue::from_str(&to) {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response();
        }
    }
    let text = if outcome == "succeeded" { "You are signed in." } else { "The sign-in failed." };
    html(StatusCode::OK, "Sign in", &format!("<p>{text} You can close this window.</p>"))
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; color: #1f2937; }}
h1 {{ font-size: 1.4rem; }} label {{ display: block; margin: 1rem 0; }} input[type=email] {{ display: block; width: 100%; padding: .5rem; font: inherit; }}
.actions {{ display: flex; gap: .5rem; }} button {{ font: inherit; padding: .5rem 1rem; border-radius: .4rem; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; }}
button.secondary {{ background: #fff; color: #1d4ed8; }}
</style></head><body><h1>{title}</h1>{body}</body></html>"#
    );
    let mut res = (status, page).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; form-action *"),
    );
    res
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}
