//! The pre-signed upload and download URLs of attachments, served by the emulator itself as S3 serves
//! them for the real service: signed, expiring (`signing.rs`), and downloads never content-sniffed.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;
use crate::signing::Grant;
use crate::state::Emulator;
use crate::time::now_ms;

/// 20 MB, the service's attachment limit: "Maximum file size for an attachment to an email, case, or a
/// chat" in "Amazon Connect feature specifications", Amazon Connect Administrator Guide
/// (https://docs.aws.amazon.com/connect/latest/adminguide/feature-limits.html). Read as MiB, the larger
/// reading, so that no file the service takes is refused here.
pub const MAX_SIZE: u64 = 20 * 1024 * 1024;

/// The attachment types Amazon Connect chat accepts: "File types supported for attachments to emails,
/// cases, or chats" in "Amazon Connect feature specifications", Amazon Connect Administrator Guide
/// (https://docs.aws.amazon.com/connect/latest/adminguide/feature-limits.html): .csv, .doc, .docx, .heic,
/// .jfif, .jpeg, .jpg, .mov, .mp4, .pdf, .png, .ppt, .pptx, .rtf, .txt, .wav, .xls, .xlsx, as the MIME
/// types StartAttachmentUpload's `ContentType` names them (.jfif, .jpeg and .jpg are all `image/jpeg`).
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

/// The verdicts of the instance's attachment scan: `Status` of `AttachmentItem` in the Amazon Connect
/// Participant Service API Reference
/// (https://docs.aws.amazon.com/connect/latest/APIReference/API_connect-participant_AttachmentItem.html).
pub const SCAN_STATUSES: [&str; 3] = ["APPROVED", "REJECTED", "IN_PROGRESS"];

/// Whether the service accepts attachments of `content_type`.
pub fn is_allowed_type(content_type: &str) -> bool {
    ALLOWED_TYPES.contains(&content_type)
}

/// How long StartAttachmentUpload's URL works (its `UploadMetadata.UrlExpiry`).
pub const UPLOAD_URL_TTL_SECONDS: u64 = 300;

/// The query of a signed URL: `sig`, `expires` (Unix seconds), then what else it fixes.
pub fn signed_query(sig: &str, expires: u64) -> String {
    format!("sig={sig}&expires={expires}")
}

/// `PUT` of the bytes to the upload URL: the signature (unexpired), the size and the `Content-Type` must
/// match what StartAttachmentUpload was told (as S3 checks a pre-signed PUT).
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
    let (sig, expires) = (q.get("sig").map(String::as_str), q.get("expires").map(String::as_str));
    if let Err(refused) = emu.signer.verify(Grant::Upload, &id, expires, "", sig, now_ms()) {
        return refused.into_response();
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
///
/// Served with `X-Content-Type-Options: nosniff`: the bytes are whatever a chat participant uploaded,
/// and a browser must not sniff a `text/plain` "attachment" into HTML or script on the emulator's origin.
pub async fn download(
    State(emu): State<Arc<Emulator>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let world = emu.world();
    let Some(a) = world.attachments.get(&id).filter(|a| a.completed) else {
        return ApiError::not_found("no such attachment", id, "PARTICIPANT").into_response();
    };
    let disposition = q.get("disposition").map(String::as_str).unwrap_or("attachment");
    let (sig, expires) = (q.get("sig").map(String::as_str), q.get("expires").map(String::as_str));
    if let Err(refused) = emu.signer.verify(Grant::Download, &id, expires, disposition, sig, now_ms()) {
        return refused.into_response();
    }
    let Some(bytes) = a.bytes.clone() else {
        return ApiError::not_found("no such attachment", id, "PARTICIPANT").into_response();
    };
    let kind = if disposition == "inline" { "inline" } else { "attachment" };
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
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}
