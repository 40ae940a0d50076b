//! Amazon Connect's StartChatContact (`PUT /contact/chat`): the call a website's backend makes to
//! start a chat. Requests are normally SigV4-signed; the signature is accepted and ignored.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::errors::ApiResult;
use crate::state::Emulator;
use crate::validate::{parse, Object, Text};

/// The members of StartChatContact (Amazon Connect API Reference) the emulator reads. The service
/// requires `InstanceId`, `ContactFlowId` and `ParticipantDetails`; the emulator has one instance and
/// one flow, and lets a test leave them out.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartChatContactRequest {
    pub instance_id: Option<Text<1, 100>>,
    pub contact_flow_id: Option<Text<0, 500>>,
    pub participant_details: Option<Object<ParticipantDetails>>,
    pub initial_message: Option<Object<ChatMessage>>,
}

/// `ParticipantDetails`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParticipantDetails {
    pub display_name: Text<1, 256>,
}

/// `ChatMessage`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChatMessage {
    pub content_type: Text<1, 100>,
    pub content: Text<1, 16_384>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartChatContactResponse {
    pub contact_id: String,
    pub participant_id: String,
    pub participant_token: String,
}

pub async fn start_chat_contact(
    State(emu): State<Arc<Emulator>>,
    body: Bytes,
) -> ApiResult<Json<StartChatContactResponse>> {
    let request: StartChatContactRequest = parse(&body)?;
    let name = request.participant_details.map_or_else(|| "Customer".to_owned(), |d| d.0.display_name.0);
    let initial = request.initial_message.map(|m| (m.0.content_type.0, m.0.content.0));
    Ok(Json(start(&emu, &name, initial)))
}

/// Starts a contact; shared with the control API's `POST /emulator/start-chat`.
pub fn start(emu: &Emulator, name: &str, initial: Option<(String, String)>) -> StartChatContactResponse {
    let faults = crate::faults::ContactFaults::new(emu.config.duplicate_rate, emu.config.reorder_rate);
    let mut world = emu.world();
    let (contact_id, participant_id, participant_token) = world.start_chat(name, faults);
    if let (Some((content_type, content)), Some(contact)) = (initial, world.contacts.get_mut(&contact_id)) {
        let item = contact.new_item(Some(&participant_id), "MESSAGE", &content_type, Some(&content));
        contact.publish(item, true, &emu.faults);
    }
    StartChatContactResponse { contact_id, participant_id, participant_token }
}
