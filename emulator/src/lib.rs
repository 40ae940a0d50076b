//! connect-emulator: a local Amazon Connect Participant Service. It speaks the real wire format
//! (rest-json, `X-Amz-Bearer`, `x-amzn-ErrorType`, the `aws/chat` WebSocket), keeps every contact in
//! memory, and adds a control API for the agent's side, tests and fault injection.

pub mod attachments;
pub mod authentication;
pub mod config;
pub mod connect_api;
pub mod control;
pub mod cors;
pub mod errors;
pub mod faults;
pub mod guard;
pub mod model;
pub mod outbox;
pub mod participant;
pub mod persistent;
pub mod server;
pub mod signing;
pub mod socket_limit;
pub mod state;
pub mod static_files;
pub mod streaming;
pub mod time;
pub mod transcript;
pub mod url;
pub mod validate;
pub mod views;
pub mod websocket;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::{middleware, Router};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::Config;
pub use state::Emulator;

/// Request bodies of every route but the upload (which takes an attachment): the largest real request,
/// SendMessage, is 16 KB of content.
const MAX_BODY: usize = 1024 * 1024;

/// Every route. API paths first; anything else falls through to `--static`. The guard (`Host`, and
/// `Origin` on the control API) runs first, then the request id and CORS (tower-http).
pub fn router(emu: Arc<Emulator>) -> Router {
    let app = Router::new()
        .route("/contact/chat", put(connect_api::start_chat_contact))
        .route("/participant/connection", post(participant::create_connection))
        .route("/participant/message", post(participant::send_message))
        .route("/participant/event", post(participant::send_event))
        .route("/participant/transcript", post(participant::get_transcript))
        .route("/participant/disconnect", post(participant::disconnect))
        .route("/participant/start-attachment-upload", post(participant::start_attachment_upload))
        .route("/participant/complete-attachment-upload", post(participant::complete_attachment_upload))
        .route("/participant/attachment", post(participant::get_attachment))
        .route("/participant/views/{view_token}", get(participant::describe_view))
        .route("/participant/authentication-url", post(participant::get_authentication_url))
        .route("/participant/cancel-authentication", post(participant::cancel_authentication))
        .route("/ws", get(websocket::connect))
        // The path URLs were first handed out with; still served so an old URL is not a 404.
        .route("/connect", get(websocket::connect))
        .route("/emulator/health", get(control::health))
        .route("/emulator/start-chat", post(control::start_chat))
        .route("/emulator/contacts", get(control::list_contacts))
        .route("/emulator/contacts/{id}/messages", post(control::agent_message))
        .route("/emulator/contacts/{id}/events", post(control::agent_event))
        .route("/emulator/contacts/{id}/burst", post(control::burst))
        .route("/emulator/contacts/{id}/drop", post(control::drop_sockets))
        .route("/emulator/contacts/{id}/stall", post(control::stall_sockets))
        .route("/emulator/contacts/{id}/faults", post(control::item_faults))
        .route("/emulator/contacts/{id}/malformed", post(control::malformed))
        .route("/emulator/contacts/{id}/transcript", get(control::transcript))
        .route("/emulator/contacts/{id}/stream", post(streaming::stream_reply))
        .route("/emulator/contacts/{id}/authentication", post(authentication::start))
        .route("/emulator/contacts/{id}/scan", post(control::scan))
        .route("/emulator/authenticate", get(authentication::page).post(authentication::submit))
        .route("/emulator/faults/connection", post(control::connection_faults))
        .route("/emulator/faults/api", post(control::api_faults))
        .route(
            "/emulator/uploads/{id}",
            put(attachments::upload).layer(DefaultBodyLimit::max(attachments::MAX_SIZE as usize + 1024)),
        )
        .route("/emulator/attachments/{id}", get(attachments::download));
    let app = match &emu.config.static_dir {
        Some(root) => app.fallback_service(static_files::files(root)),
        None => app.fallback(static_files::not_found),
    };
    app.layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(cors::layer())
        .layer(cors::request_id())
        .layer(middleware::from_fn_with_state(emu.clone(), guard::check))
        .with_state(emu)
}

/// A running emulator.
pub struct Running {
    pub addr: SocketAddr,
    pub emulator: Arc<Emulator>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Running {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.task.await;
    }
}

/// Binds 127.0.0.1:`config.port` (0 = any free port) and serves in the background.
pub async fn start(config: Config) -> std::io::Result<Running> {
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let header_read_timeout = config.header_read_timeout;
    let emulator = Arc::new(Emulator::new(config, addr));
    let app = router(emulator.clone());
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server::serve(listener, app, header_read_timeout, async {
        let _ = stopped.await;
    }));
    Ok(Running { addr, emulator, shutdown, task })
}

#[cfg(test)]
mod tests {
    /// The emulator is an independent implementation of the service: it takes no rule from the client
    /// crate (the workspace's root package), so a client's mistake is not agreed with.
    #[test]
    fn the_emulator_does_not_depend_on_the_client() {
        let manifest = include_str!("../Cargo.toml");
        assert!(!manifest.contains("connect-chat-wasm"), "no dependency on the client crate");
        assert!(!manifest.contains("path = \".."), "no path dependency outside emulator/");
    }
}
