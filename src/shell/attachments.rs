//! Attachments: StartAttachmentUpload → PUT of the file to the pre-signed URL with exactly the
//! `HeadersToInclude` → CompleteAttachmentUpload; and GetAttachment → GET → `Blob`. The file's bytes go
//! from the `Blob` to `fetch` directly, never through wasm memory.

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;

use super::cells::Cells;
use super::chat_session::ChatSession;
use super::driver::Inner;
use super::errors::set;
use super::http::{self, Call, Method};
use super::page;
use super::tasks::run;
use crate::prelude::*;
use crate::protocol::api::{read_download_url, read_upload, transfer_outcome};
use crate::protocol::error::ChatError;
use crate::protocol::requests;
use crate::protocol::session::SendKind;

#[wasm_bindgen]
impl ChatSession {
    /// Sends a `File` (or a `Blob` with a `name`). Resolves to `{ AttachmentId }` once the service has it.
    #[wasm_bindgen(js_name = sendAttachment, unchecked_return_type = "Promise<{ AttachmentId: string }>")]
    pub fn send_attachment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "File | (Blob & { name: string })")] file: JsValue,
    ) -> Promise {
        let token = self.client_token();
        let body = super::calls::js::upload_body(&file, &token);
        let queued =
            body.as_ref().ok().and_then(|b| self.inner.queue_send(&token, SendKind::Attachment, b, Some(&file)));
        if let Some(queued) = queued {
            return queued;
        }
        let inner = self.inner.clone();
        let complete_token = self.client_token();
        run(async move { upload(&inner, file, body.map_err(super::calls::refused)?, &complete_token).await })
    }

    /// GetAttachment, then the file itself as a `Blob`.
    #[wasm_bindgen(js_name = downloadAttachment, unchecked_return_type = "Promise<Blob>")]
    pub fn download_attachment(
        &self,
        #[wasm_bindgen(js_name = attachmentId, unchecked_param_type = "string")] attachment_id: JsValue,
    ) -> Promise {
        let body = super::calls::js::attachment_body(&attachment_id);
        let inner = self.inner.clone();
        run(async move {
            let body = body.map_err(super::calls::refused)?;
            let got = http::api(&*inner, Method::Post, requests::PATH_ATTACHMENT, Some(body)).await?;
            let url = read_download_url(&got)?;
            let call =
                Call { method: Method::Get, url: &url, token: None, body: None, headers: None, timeout_ms: 120_000 };
            let response = http::send(&call).await?;
            transfer_outcome::<JsValue>(response.status(), false)?;
            let blob = response.blob().map_err(|_| ChatError::network("the download could not be read"))?;
            super::tasks::settled(blob).await.map_err(|_| ChatError::network("the download was interrupted"))
        })
    }
}

/// StartAttachmentUpload (`body`), the PUT of `file` to the upload URL with exactly `HeadersToInclude`,
/// CompleteAttachmentUpload (with `complete_token`) → `{ AttachmentId }`.
pub(super) async fn upload(
    inner: &Inner,
    file: JsValue,
    body: JsValue,
    complete_token: &str,
) -> Result<JsValue, ChatError> {
    let started = http::api(inner, Method::Post, requests::PATH_START_UPLOAD, Some(body)).await?;
    let upload = read_upload(&started)?;
    let call = Call {
        method: Method::Put,
        url: &upload.url,
        token: None,
        // The file itself (a Blob: the checks made sure), never copied into wasm memory.
        body: Some(file),
        headers: upload.headers,
        timeout_ms: inner.opts.request_timeout_ms.max(120_000),
    };
    transfer_outcome::<JsValue>(http::send(&call).await?.status(), true)?;
    let id = upload.attachment_id;
    let body = requests::complete_upload_body(&id, complete_token);
    http::api(inner, Method::Post, requests::PATH_COMPLETE_UPLOAD, Some(JsValue::from_str(&body))).await?;
    let answer: JsValue = Object::new().into();
    set(&answer, "AttachmentId", &JsValue::from_str(&id));
    Ok(answer)
}

/// An attachment's turn in the outbox: its file (kept in memory, or in IndexedDB by an earlier page of the
/// chat), uploaded with the entry's ClientToken for both calls (each operation's own idempotency), then
/// forgotten.
pub(super) async fn queued_upload(inner: &Inner, token: &str, body: String) -> Result<JsValue, ChatError> {
    let held = inner.files.read().iter().find(|(t, _)| t == token).map(|(_, f)| f.clone());
    let file = match (held, &inner.opts.persist_key) {
        (Some(file), _) => Some(file),
        (None, Some(key)) => {
            super::tasks::settled(page::load_file(key, token)).await.ok().filter(|f| !f.is_undefined())
        }
        (None, None) => None,
    };
    let file = file.ok_or_else(|| ChatError::invalid_state("the file of this attachment was not kept"))?;
    let answer = upload(inner, file, JsValue::from_str(&body), token).await?;
    inner.forget_file(token);
    Ok(answer)
}
