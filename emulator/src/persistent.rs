//! Persistent chat (chat rehydration): StartChatContact's `PersistentChat` member, as the Amazon Connect
//! API Reference and Administrator Guide describe it.
//!
//! Sources (looked up for this module):
//! - "PersistentChat", Amazon Connect API Reference
//!   (https://docs.aws.amazon.com/connect/latest/APIReference/API_PersistentChat.html): the member is
//!   `PersistentChat` (not `PersistentChatContext`) with `RehydrationType` (`ENTIRE_PAST_SESSION` |
//!   `FROM_SEGMENT`, "required for persistent chat") and `SourceContactId` (1 to 256 characters).
//!   `ENTIRE_PAST_SESSION` takes the initialContactId of a past ended chat session and rehydrates from the
//!   most recently terminated contact of that session; `FROM_SEGMENT` rehydrates from the contact named.
//!   "The actual contactId used for rehydration is provided in the response" (`ContinuedFromContactId`,
//!   "StartChatContact", the same reference).
//! - "Enable persistent chat", Amazon Connect Administrator Guide
//!   (https://docs.aws.amazon.com/connect/latest/adminguide/chat-persistence.html): "Only chat sessions
//!   that have ended are allowed to rehydrate onto a new chat session"; for persistent chat the
//!   `RelatedContactId` is the contact the rehydration came from.
//! - "StartChatContact" errors (same API Reference): InvalidRequestException (400, "The request is not
//!   valid"), InvalidParameterException (400, "One or more of the specified parameters are not valid"),
//!   ResourceNotFoundException (404, "The specified resource was not found").
//! - "Item", Amazon Connect Participant Service API Reference
//!   (https://docs.aws.amazon.com/connect-participant/latest/APIReference/API_Item.html): `ContactId` is
//!   "populated only when the transcript item is from the current chat session"; `RelatedContactId` is
//!   "the contactId on which the transcript item was originally sent", populated "for persistent chats
//!   when the transcript item is from the past chat session".
//! - The reference widget (amazon-connect-chat-interface, `_handleChatRehydrated`) loads the earlier
//!   history on `chat.rehydrated` by calling GetTranscript again with the NextToken it already has: one
//!   scan pages from the new contact's items back into the past ones. `transcript.rs` pages over the
//!   history and the contact's own items as one list for that.
//!
//! A chat session is the contacts that share an InitialContactId. The emulator creates no contact but by
//! StartChatContact (no transfer or disconnect flow adds a segment), so every contact is the initial
//! contact of its own session, a persistent chat included (it starts a new session). ENTIRE_PAST_SESSION
//! from a contact therefore rehydrates from that contact, whose transcript already holds everything it
//! continued: a conversation of several persistent chats comes back whole from its latest contact.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::errors::{ApiError, ApiResult};
use crate::state::{Contact, World};
use crate::validate::Text;

/// `RehydrationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RehydrationType {
    EntirePastSession,
    FromSegment,
}

/// StartChatContact's `PersistentChat` member.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PersistentChat {
    pub rehydration_type: Option<RehydrationType>,
    pub source_contact_id: Option<Text<1, 256>>,
}

/// A persistent chat asked for: how, and from which contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rehydration {
    pub kind: RehydrationType,
    pub source: String,
}

impl PersistentChat {
    /// Both members, which the model leaves optional but persistent chat needs.
    pub fn rehydration(self) -> ApiResult<Rehydration> {
        let kind = self.rehydration_type.ok_or_else(|| {
            ApiError::invalid_parameter("PersistentChat.RehydrationType is required for persistent chat")
        })?;
        let source = self
            .source_contact_id
            .ok_or_else(|| {
                ApiError::invalid_parameter("PersistentChat.SourceContactId is required for persistent chat")
            })?
            .0;
        Ok(Rehydration { kind, source })
    }
}

/// What a new contact continues: the contact it was rehydrated from (`ContinuedFromContactId`) and the
/// earlier items, oldest first, as the new contact's transcript shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub continued_from: String,
    pub items: Vec<Value>,
}

/// The history a new contact starts with, or the error StartChatContact answers.
pub fn history(world: &World, rehydration: &Rehydration) -> ApiResult<History> {
    let source = &rehydration.source;
    let named = world.contacts.get(source).ok_or_else(|| {
        ApiError::not_found(format!("SourceContactId {source} is not a contact of this instance"), source, "CONTACT")
    })?;
    let from = match rehydration.kind {
        RehydrationType::FromSegment => named,
        RehydrationType::EntirePastSession => latest_ended_of_session(world, source).unwrap_or(named),
    };
    if !from.ended {
        return Err(ApiError::invalid_request(format!(
            "contact {} has not ended: only a chat that has ended can be rehydrated onto a new chat",
            from.id
        )));
    }
    let items = from.history.iter().cloned().chain(from.items.iter().map(|item| past_item(item, &from.id))).collect();
    Ok(History { continued_from: from.id.clone(), items })
}

/// The most recently ended contact of the session whose InitialContactId is `initial`.
fn latest_ended_of_session<'a>(world: &'a World, initial: &str) -> Option<&'a Contact> {
    world.contacts.values().filter(|c| c.initial_contact_id() == initial && c.ended).max_by_key(|c| c.ended_order)
}

/// An item of a past contact as a later contact's transcript shows it: `RelatedContactId` names the
/// contact it was sent on, and `ContactId` (the current session's only) is left out.
fn past_item(item: &Value, sent_on: &str) -> Value {
    let mut item = item.clone();
    if let Some(m) = item.as_object_mut() {
        m.remove("ContactId");
        m.insert("RelatedContactId".into(), json!(sent_on));
    }
    item
}

/// `chat.rehydrated`: the history is there to be read (an event from the system, pushed, not kept; the
/// transcript's documented event types do not include it).
pub fn rehydrated_event(contact: &Contact) -> Value {
    contact.system_event("chat.rehydrated", None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::parse;

    #[test]
    fn the_member_reads_as_the_model_names_it() {
        let p: PersistentChat = parse(br#"{"RehydrationType":"FROM_SEGMENT","SourceContactId":"c"}"#).unwrap();
        assert_eq!(p.rehydration().unwrap(), Rehydration { kind: RehydrationType::FromSegment, source: "c".into() });
        let e = parse::<PersistentChat>(br#"{"RehydrationType":"LATEST"}"#).unwrap_err();
        assert!(e.message.starts_with("RehydrationType: unknown variant `LATEST`"), "{}", e.message);
        let missing: PersistentChat = parse(br#"{"SourceContactId":"c"}"#).unwrap();
        let e = missing.rehydration().unwrap_err();
        assert_eq!((e.status, e.name), (400, "InvalidParameterException"));
        let missing: PersistentChat = parse(br#"{"RehydrationType":"ENTIRE_PAST_SESSION"}"#).unwrap();
        assert_eq!(missing.rehydration().unwrap_err().name, "InvalidParameterException");
    }

    #[test]
    fn past_items_name_the_contact_they_were_sent_on() {
        let item = json!({"Id": "i", "ContactId": "a", "InitialContactId": "a", "Type": "MESSAGE"});
        assert_eq!(
            past_item(&item, "a"),
            json!({"Id": "i", "RelatedContactId": "a", "InitialContactId": "a", "Type": "MESSAGE"})
        );
    }
}
