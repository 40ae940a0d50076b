//! Amazon Connect's StartChatContact (`PUT /contact/chat`): the call a website's backend makes to
//! start a chat. Requests are normally SigV4-signed; the signature is accepted and ignored.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::errors::ApiResult;
use crate::state::Emulator;
use crate::validate::Body;

pub async fn start_chat_contact(State(emu): State<Arc<Emulator>>, body: Bytes) -> ApiResult<Json<Value>> {
    let body = Body::parse(&body)?;
    body.optional_str("InstanceId", 1, 100)?;
    body.optional_str("ContactFlowId", 0, 500)?;
    let name = match body.optional_object("ParticipantDetails")? {
        Some(details) => details.required_str("DisplayName", 1, 256)?,
        None => "Customer".to_owned(),
    };
    let initial = body.optional_object("InitialMessage")?;
    let initial = match &initial {
        Some(m) => Some((m.required_str("ContentType", 1, 100)?, m.required_str("Content", 1, 16_384)?)),
        None => None,
    };
    Ok(Json(start(&emu, &name, initial)))
}

/// Starts a contact; shared with the control API's `POST /emulator/start-chat`.
pub fn start(emu: &Emulator, name: &str, initial: Option<(String, String)>) -> Value {
    let faults = crate::faults::ContactFaults::new(emu.config.duplicate_rate, emu.config.reorder_rate);
    let mut world = emu.world();
    let (contact_id, participant_id, token) = world.start_chat(name, faults);
    if let (Some((content_type, content)), Some(contact)) = (initial, world.contacts.get_mut(&contact_id)) {
        let item = contact.new_item(Some(&participant_id), "MESSAGE", &content_type, Some(&content));
        contact.publish(item, true, &emu.faults);
    }
    json!({"ContactId": contact_id, "ParticipantId": participant_id, "ParticipantToken": token})
}
