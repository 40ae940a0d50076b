//! The pre-signed upload and download URLs of attachments, served by the emulator itself.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;
use crate::state::Emulator;

/// 20 MB, the service's attachment limit (Amazon Connect's "Feature specifications").
pub const MAX_SIZE: u64 = 20 * 1024 * 1024;

/// The attachment types Amazon Connect chat accepts ("Feature specifications" in the Administrator Guide:
/// .csv, .doc, .docx, .heic, .jpg, .jpeg, .mov, .mp4, .pdf, .png, .ppt, .pptx, .rtf, .txt, .wav, .xls, .xlsx).
/// The emulator's own list, not the client's: a client that sends another type is caught here.
const ALLOWED_TYPES: [&str; 16] = [
    "text/csv",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/heic",
    "image/jpeg",
    "video/quicktime",
    "video/mp4",
    "application/pdf",
    "image/png",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/rtf",
    "text/plain",
    "audio/wav",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// The verdicts of the instance's attachment scan (`AttachmentItem.Status` in the API model).
pub const SCAN_STATUSES: [&str; 3] = ["APPROVED", "REJECTED", "IN_PROGRESS"];

/// Whether the service accepts attachments of `content_type`.
pub fn is_allowed_type(content_type: &str) -> bool {
    ALLOWED_TYPES.contains(&content_type)
}

/// `PUT` of the bytes to the upload URL: the signature, the size and the `Content-Type` must match
/// what StartAttachmentUpload was told (as S3 checks a pre-signed PUT).
pub async fn upload(
    State(emu): State<Arc<Emulator>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut world = emu.world();
    let Some(a) = world.attachments.get_mut(&id) else {
        return ApiError::not_found("no such upload", id, "PARTICIPANT").into_response();
    };
    if q.get("sig") != Some(&a.secret) {
        return ApiError::access_denied("the upload URL signature does not match").into_response();
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type != a.content_type {
        return ApiError::access_denied(format!(
            "Content-Type {content_type:?} is not the signed {:?}",
            a.content_type
        ))
        .into_response();
    }
    if body.len() as u64 != a.size {
        return ApiError::validation(format!("uploaded {} bytes, declared {}", body.len(), a.size)).into_response();
    }
    if a.completed {
        return ApiError::conflict("the attachment is already complete").into_response();
    }
    a.bytes = Some(Arc::new(body.to_vec()));
    StatusCode::OK.into_response()
}

/// `GET` of the download URL from GetAttachment.
pub async fn download(
    State(emu): State<Arc<Emulator>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let world = emu.world();
    let Some(a) = world.attachments.get(&id).filter(|a| a.completed) else {
        return ApiError::not_found("no such attachment", id, "PARTICIPANT").into_response();
    };
    if q.get("sig") != Some(&a.secret) {
        return ApiError::access_denied("the download URL signature does not match").into_response();
    }
    let Some(bytes) = a.bytes.clone() else {
        return ApiError::not_found("no such attachment", id, "PARTICIPANT").into_response();
    };
    let kind = if q.get("disposition").map(String::as_str) == Some("inline") { "inline" } else { "attachment" };
    let disposition =
        format!("{kind}; filename*=UTF-8''{}", crate::url::percent_encode(&a.name, crate::url::ATTR_CHAR));
    let mut res = bytes.as_ref().clone().into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&a.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
