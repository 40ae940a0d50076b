//! Amazon Connect's StartChatContact (`PUT /contact/chat`): the call a website's backend makes to
//! start a chat. Requests are normally SigV4-signed; the signature is accepted and ignored.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::errors::{ApiError, ApiResult};
use crate::persistent::{self, PersistentChat, Rehydration};
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
    pub persistent_chat: Option<Object<PersistentChat>>,
    /// Contact attributes: a map of strings (anything else is refused, as the service's model says).
    pub attributes: Option<Attributes>,
    /// Not a member of StartChatContact: read only to refuse it (below).
    pub persistent_chat_context: Option<serde::de::IgnoredAny>,
}

/// StartChatContact's `Attributes`: string keys to string values.
pub type Attributes = std::collections::BTreeMap<String, String>;

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
    /// The contact a persistent chat continues ("populated only for persistent chats").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continued_from_contact_id: Option<String>,
}

pub async fn start_chat_contact(
    State(emu): State<Arc<Emulator>>,
    body: Bytes,
) -> ApiResult<Json<StartChatContactResponse>> {
    let request: StartChatContactRequest = parse(&body)?;
    // The service would ignore an unknown member and start a chat that continues nothing, which a site
    // would only notice as a missing history: the emulator says so instead (the member is PersistentChat,
    // "PersistentChat", Amazon Connect API Reference; see persistent.rs).
    if request.persistent_chat_context.is_some() {
        return Err(ApiError::invalid_parameter(
            "PersistentChatContext is not a member of StartChatContact: persistent chat is PersistentChat { RehydrationType, SourceContactId }",
        ));
    }
    let rehydration = request.persistent_chat.map(|p| p.0.rehydration()).transpose()?;
    let name = request.participant_details.map_or_else(|| "Customer".to_owned(), |d| d.0.display_name.0);
    let initial = request.initial_message.map(|m| (m.0.content_type.0, m.0.content.0));
    Ok(Json(start(&emu, &name, initial, rehydration.as_ref(), request.attributes.unwrap_or_default())?))
}

/// Starts a contact, a persistent chat when `rehydration` says so; shared with the control API's
/// `POST /emulator/start-chat`.
pub fn start(
    emu: &Emulator,
    name: &str,
    initial: Option<(String, String)>,
    rehydration: Option<&Rehydration>,
    attributes: Attributes,
) -> ApiResult<StartChatContactResponse> {
    let faults = crate::faults::ContactFaults::new(emu.config.duplicate_rate, emu.config.reorder_rate);
    let mut world = emu.world();
    let history = rehydration.map(|r| persistent::history(&world, r)).transpose()?;
    let continued_from_contact_id = history.as_ref().map(|h| h.continued_from.clone());
    let (contact_id, participant_id, participant_token) = world.start_chat(name, faults, history);
    if let Some(contact) = world.contacts.get_mut(&contact_id) {
        contact.attributes = attributes;
    }
    if let (Some((content_type, content)), Some(contact)) = (initial, world.contacts.get_mut(&contact_id)) {
        let item = contact.new_item(Some(&participant_id), "MESSAGE", &content_type, Some(&content));
        contact.publish(item, true, &emu.faults);
    }
    Ok(StartChatContactResponse { contact_id, participant_id, participant_token, continued_from_contact_id })
}
