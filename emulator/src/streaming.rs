//! Streamed bot replies, as Amazon Connect delivers a Lex bot's answer with `ResponseMode: INCREMENTAL`:
//! chunks that share the reply's `Id`, numbered by `MessageMetadata.ChunkNumber` with
//! `MessageCompleted: false`, then one item with `MessageCompleted: true` holding the whole reply. Only
//! that last item is kept in the transcript.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::errors::{ApiError, ApiResult};
use crate::state::{new_id, Emulator};
use crate::validate::{parse, Int, List, Text};

/// The longest a streamed reply may take, all chunks included: a minute is far beyond any bot's.
pub const MAX_STREAM_MS: u64 = 60_000;

/// `{ Chunks, IntervalMs?, DisplayName? }`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamRequest {
    /// Non-empty strings.
    pub chunks: List<Text<1, { usize::MAX }>, 1, 1000>,
    pub interval_ms: Option<Int<0, 10_000>>,
    pub display_name: Option<Text<1, 256>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamResponse {
    pub id: String,
}

/// `POST /emulator/contacts/{id}/stream` `{ Chunks, IntervalMs?, DisplayName? }`: sends each chunk
/// (at most 1,000), `IntervalMs` (50, at most 10,000) apart, then the completed reply, all within a
/// minute; answers `{ Id }` once the last item is sent.
pub async fn stream_reply(
    State(emu): State<Arc<Emulator>>,
    Path(contact): Path<String>,
    body: Bytes,
) -> ApiResult<Json<StreamResponse>> {
    let request: StreamRequest = parse(&body)?;
    let chunks: Vec<String> = request.chunks.0.into_iter().map(|c| c.0).collect();
    let whole = chunks.concat();
    if whole.len() > 16_384 {
        return Err(ApiError::validation("the reply is longer than 16384 bytes"));
    }
    let interval_ms = request.interval_ms.map_or(50, |i| i.0 as u64);
    // The call answers when the stream is done, so its length bounds how long it holds a request.
    let total_ms = interval_ms * chunks.len() as u64;
    if total_ms > MAX_STREAM_MS {
        return Err(ApiError::validation(format!(
            "the stream would last {total_ms} ms (Chunks x IntervalMs); at most {MAX_STREAM_MS}"
        )));
    }
    let interval = Duration::from_millis(interval_ms);
    let display_name = request.display_name.map(|n| n.0);
    let id = new_id();
    let mut first_time = None;
    for (i, chunk) in chunks.iter().enumerate() {
        if i > 0 {
            tokio::time::sleep(interval).await;
        }
        let mut world = emu.world();
        let c = world.contact_mut(&contact)?;
        if c.ended {
            return Err(ApiError::conflict("the chat has ended"));
        }
        let mut item = c.system_message("text/plain", chunk, display_name.as_deref());
        item["Id"] = json!(id);
        item["MessageMetadata"] = json!({"MessageId": id, "ChunkNumber": i + 1, "MessageCompleted": false});
        first_time.get_or_insert_with(|| item["AbsoluteTime"].clone());
        c.publish(item, false, &emu.faults);
    }
    tokio::time::sleep(interval).await;
    let mut world = emu.world();
    let c = world.contact_mut(&contact)?;
    if c.ended {
        return Err(ApiError::conflict("the chat has ended"));
    }
    let mut item = c.system_message("text/plain", &whole, display_name.as_deref());
    item["Id"] = json!(id);
    // The reply's place in the chat is where it began.
    if let Some(t) = first_time {
        item["AbsoluteTime"] = t;
    }
    item["MessageMetadata"] = json!({"MessageId": id, "ChunkNumber": chunks.len() + 1, "MessageCompleted": true});
    c.publish(item, true, &emu.faults);
    Ok(Json(StreamResponse { id }))
}
