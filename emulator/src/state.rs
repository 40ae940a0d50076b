//! The emulated service's memory: contacts with their participants, transcripts and sockets, and the
//! tokens that lead to them. One `std::sync::Mutex` guards it all; it is never held across an `.await`
//! (socket writes go through bounded queues that never wait, `outbox.rs`: a client too slow to keep up
//! is dropped rather than waited for).

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Map, Value};

use crate::config::Config;
use crate::errors::{ApiError, ApiResult};
use crate::faults::{ContactFaults, Faults, Stall};
use crate::outbox::Outbox;
use crate::signing::Signer;
use crate::time::{iso, now_ms, Millis};

pub const EVENT_PREFIX: &str = "application/vnd.amazonaws.connect.event.";

/// What a socket task is told to do.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A text frame, shared by every socket it goes to.
    Text(Arc<str>),
    /// Drop the TCP connection with no close frame.
    Drop,
    /// A close frame, then end.
    Close(u16, &'static str),
}

#[derive(Debug)]
pub struct SocketHandle {
    pub id: u64,
    pub participant: String,
    pub subscribed: bool,
    pub outbox: Outbox,
    /// A stalled socket receives nothing (fault injection).
    pub stall: Stall,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub id: String,
    pub display_name: String,
    pub role: &'static str,
    pub token: String,
    pub joined: bool,
    pub left: bool,
}

#[derive(Debug)]
pub struct Contact {
    pub id: String,
    pub participants: Vec<Participant>,
    /// The transcript, oldest first (typing events and receipts are not kept, as in the service).
    pub items: Vec<Value>,
    pub sockets: Vec<SocketHandle>,
    pub ended: bool,
    pub started_at: Millis,
    /// WebSocket upgrades are refused until then (a simulated outage).
    pub refuse_sockets_until: Millis,
    /// Answers already given, by (participant, operation, ClientToken).
    pub idempotency: HashMap<(String, &'static str, String), Value>,
    pub faults: ContactFaults,
    /// The verdict of the instance's attachment scan given to attachments completed from now on
    /// (`APPROVED` unless the control API says otherwise).
    pub scan_status: &'static str,
    /// A persistent chat's earlier items, oldest first, before its own (`persistent.rs`); empty otherwise.
    pub history: Vec<Value>,
    /// The contact a persistent chat was rehydrated from (its `RelatedContactId`).
    pub continued_from: Option<String>,
    /// `chat.rehydrated` is still to be sent: it goes out when the customer's first socket subscribes.
    pub rehydration_pending: bool,
    /// When the chat ended, as an order among all contacts (ENTIRE_PAST_SESSION takes the latest).
    pub ended_order: Option<u64>,
    /// The contact attributes StartChatContact was given (a pre-chat form's answers), for the agent.
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// A token's grant: whose it is and until when.
#[derive(Debug, Clone)]
pub struct Grant {
    pub contact: String,
    pub participant: String,
    pub expires_at: Millis,
}

#[derive(Debug)]
pub struct Attachment {
    pub id: String,
    pub contact: String,
    pub participant: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub bytes: Option<Arc<Vec<u8>>>,
    pub completed: bool,
    /// The scan's verdict, set when the upload completes.
    pub status: &'static str,
}

#[derive(Debug, Default)]
pub struct World {
    pub contacts: HashMap<String, Contact>,
    /// ParticipantToken → (contact, participant).
    pub participant_tokens: HashMap<String, (String, String)>,
    pub connection_tokens: HashMap<String, Grant>,
    pub url_tokens: HashMap<String, Grant>,
    /// ConnectionTokens of participants who have disconnected: refused like unknown ones, but kept so a
    /// retried DisconnectParticipant (same ClientToken, first answer lost) still gets its answer.
    pub revoked_tokens: HashMap<String, Grant>,
    pub attachments: HashMap<String, Attachment>,
    pub next_socket: u64,
    /// Sessions of the Authenticate Customer flow block, by SessionId.
    pub authentications: HashMap<String, crate::authentication::Session>,
}

/// The emulator: configuration, the address it serves on, and the world.
#[derive(Debug)]
pub struct Emulator {
    pub config: Config,
    /// Where it listens, known once bound.
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    world: Mutex<World>,
    pub faults: Faults,
    /// Keys of the pre-signed attachment URLs.
    pub signer: Signer,
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A long random token, like the service's opaque ones.
pub fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

impl Emulator {
    pub fn new(config: Config, addr: SocketAddr) -> Emulator {
        let faults = Faults::new(config.seed);
        if config.fail_connections > 0 {
            let fault = crate::faults::CallFault {
                remaining: config.fail_connections,
                status: config.fail_status,
                delay_ms: 0,
            };
            faults.set_call_fault("CreateParticipantConnection", fault);
        }
        let base_url = format!("http://{addr}");
        Emulator { config, addr, base_url, world: Mutex::new(World::default()), faults, signer: Signer::default() }
    }

    /// The world, locked. A panic while it was held cannot leave it half-written in a way that matters
    /// to an emulator, so a poisoned lock is taken over rather than propagated.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn websocket_base(&self) -> String {
        self.base_url.replacen("http://", "ws://", 1)
    }
}

impl World {
    /// StartChatContact: a contact with the customer and an agent, continuing `history` for a persistent
    /// chat. Answers (ContactId, ParticipantId, ParticipantToken).
    pub fn start_chat(
        &mut self,
        customer_name: &str,
        faults: ContactFaults,
        history: Option<crate::persistent::History>,
    ) -> (String, String, String) {
        let contact_id = new_id();
        let customer = Participant {
            id: new_id(),
            display_name: customer_name.to_owned(),
            role: "CUSTOMER",
            token: new_token(),
            joined: false,
            left: false,
        };
        let agent = Participant {
            id: new_id(),
            display_name: "Agent".to_owned(),
            role: "AGENT",
            token: new_token(),
            joined: false,
            left: false,
        };
        let answer = (contact_id.clone(), customer.id.clone(), customer.token.clone());
        self.participant_tokens.insert(customer.token.clone(), (contact_id.clone(), customer.id.clone()));
        self.participant_tokens.insert(agent.token.clone(), (contact_id.clone(), agent.id.clone()));
        self.contacts.insert(
            contact_id.clone(),
            Contact {
                id: contact_id,
                participants: vec![customer, agent],
                items: Vec::new(),
                sockets: Vec::new(),
                ended: false,
                started_at: now_ms(),
                refuse_sockets_until: 0,
                idempotency: HashMap::new(),
                faults,
                scan_status: "APPROVED",
                rehydration_pending: history.is_some(),
                continued_from: history.as_ref().map(|h| h.continued_from.clone()),
                history: history.map(|h| h.items).unwrap_or_default(),
                ended_order: None,
                attributes: std::collections::BTreeMap::new(),
            },
        );
        answer
    }

    /// Who a ParticipantToken belongs to (a ConnectionToken or anything else is refused).
    pub fn by_participant_token(&self, token: Option<&str>) -> ApiResult<(String, String)> {
        let token = token.ok_or_else(|| ApiError::access_denied("X-Amz-Bearer is missing"))?;
        let (contact, participant) = self
            .participant_tokens
            .get(token)
            .cloned()
            .ok_or_else(|| ApiError::access_denied("the participant token is not valid"))?;
        let p = self.participant(&contact, &participant)?;
        if p.left {
            return Err(ApiError::access_denied("the participant has disconnected"));
        }
        Ok((contact, participant))
    }

    /// Who a ConnectionToken belongs to, if it has not expired.
    pub fn by_connection_token(&self, token: Option<&str>, now: Millis) -> ApiResult<Grant> {
        let token = token.ok_or_else(|| ApiError::access_denied("X-Amz-Bearer is missing"))?;
        let grant = self
            .connection_tokens
            .get(token)
            .cloned()
            .ok_or_else(|| ApiError::access_denied("the connection token is not valid"))?;
        if grant.expires_at <= now {
            return Err(ApiError::access_denied("the connection token has expired"));
        }
        if self.participant(&grant.contact, &grant.participant)?.left {
            return Err(ApiError::access_denied("the participant has disconnected"));
        }
        Ok(grant)
    }

    pub fn contact(&self, id: &str) -> ApiResult<&Contact> {
        self.contacts.get(id).ok_or_else(|| ApiError::not_found(format!("contact {id} not found"), id, "CONTACT"))
    }

    pub fn contact_mut(&mut self, id: &str) -> ApiResult<&mut Contact> {
        self.contacts.get_mut(id).ok_or_else(|| ApiError::not_found(format!("contact {id} not found"), id, "CONTACT"))
    }

    pub fn participant(&self, contact: &str, participant: &str) -> ApiResult<&Participant> {
        self.contact(contact)?
            .participants
            .iter()
            .find(|p| p.id == participant)
            .ok_or_else(|| ApiError::not_found("participant not found", participant, "PARTICIPANT"))
    }

    /// Ends a participant's access: tokens refused, sockets closed.
    pub fn revoke(&mut self, contact: &str, participant: &str) {
        let theirs = |g: &Grant| g.contact == contact && g.participant == participant;
        let revoked: Vec<String> =
            self.connection_tokens.iter().filter(|(_, g)| theirs(g)).map(|(t, _)| t.clone()).collect();
        for token in revoked {
            if let Some(g) = self.connection_tokens.remove(&token) {
                self.revoked_tokens.insert(token, g);
            }
        }
        self.url_tokens.retain(|_, g| !theirs(g));
        if let Some(c) = self.contacts.get_mut(contact) {
            if let Some(p) = c.participants.iter_mut().find(|p| p.id == participant) {
                p.left = true;
            }
            c.sockets.retain(|s| {
                if s.participant == participant {
                    s.outbox.push(Outbound::Close(1000, "participant disconnected"));
                    false
                } else {
                    true
                }
            });
        }
    }
}

/// Orders the ends of chats (milliseconds tie in a fast test).
static ENDS: AtomicU64 = AtomicU64::new(0);

impl Contact {
    /// The chat has ended (once: a second end keeps the first one's order).
    pub fn end(&mut self) {
        if !self.ended {
            self.ended = true;
            self.ended_order = Some(ENDS.fetch_add(1, Ordering::Relaxed));
        }
    }

    /// The first contact of this contact's chat session. The emulator makes no contact but by
    /// StartChatContact (no transfer adds a segment to a session), so it is the contact itself.
    pub fn initial_contact_id(&self) -> &str {
        &self.id
    }

    /// The transcript GetTranscript pages over: a persistent chat's history, then its own items.
    pub fn transcript(&self) -> Cow<'_, [Value]> {
        if self.history.is_empty() {
            Cow::Borrowed(&self.items)
        } else {
            Cow::Owned(self.history.iter().chain(&self.items).cloned().collect())
        }
    }

    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    pub fn agent_id(&self) -> String {
        self.participants.iter().find(|p| p.role == "AGENT").map(|p| p.id.clone()).unwrap_or_default()
    }

    /// A new item from `participant` (or from the system when `None`), with its Id and time.
    pub fn new_item(
        &self,
        participant: Option<&str>,
        item_type: &str,
        content_type: &str,
        content: Option<&str>,
    ) -> Value {
        let mut m = Map::new();
        m.insert("Id".into(), json!(new_id()));
        m.insert("Type".into(), json!(item_type));
        m.insert("ContentType".into(), json!(content_type));
        if let Some(c) = content {
            m.insert("Content".into(), json!(c));
        }
        m.insert("AbsoluteTime".into(), json!(iso(now_ms())));
        match participant.and_then(|id| self.participant(id)) {
            Some(p) => {
                m.insert("ParticipantId".into(), json!(p.id));
                m.insert("DisplayName".into(), json!(p.display_name));
                m.insert("ParticipantRole".into(), json!(p.role));
            }
            None => {
                m.insert("ParticipantRole".into(), json!("SYSTEM"));
                m.insert("DisplayName".into(), json!("SYSTEM_MESSAGE"));
            }
        }
        m.insert("ContactId".into(), json!(self.id));
        m.insert("InitialContactId".into(), json!(self.id));
        Value::Object(m)
    }

    /// A message from the contact flow or a bot (`ParticipantRole: SYSTEM`), shown as "BOT" as the
    /// service names Lex bots, unless `display_name` says otherwise.
    pub fn system_message(&self, content_type: &str, content: &str, display_name: Option<&str>) -> Value {
        let mut item = self.new_item(None, "MESSAGE", content_type, Some(content));
        item["DisplayName"] = json!(display_name.unwrap_or("BOT"));
        item
    }

    /// An event of the flow (`authentication.*`, ...), from the system.
    pub fn system_event(&self, event: &str, content: Option<&str>) -> Value {
        let content_type = format!("{EVENT_PREFIX}{event}");
        self.new_item(None, event_item_type(&content_type), &content_type, content)
    }

    /// Keeps `item` in the transcript (when `store`) and pushes it to every subscribed socket.
    /// Fault injection may duplicate it or hold it back to reorder it.
    pub fn publish(&mut self, item: Value, store: bool, faults: &Faults) {
        if store {
            self.items.push(item.clone());
        }
        let frames = self.faults.frames_for(chat_frame(&item), faults);
        for frame in frames {
            self.broadcast(frame);
        }
    }

    /// Sends one text frame to every subscribed socket; sockets whose task has gone, or that were evicted
    /// for not keeping up, are forgotten.
    pub fn broadcast(&mut self, frame: Arc<str>) {
        self.sockets.retain(|s| !s.subscribed || s.stall.is_set() || s.outbox.push(Outbound::Text(frame.clone())));
    }

    /// The queues of the sockets a broadcast goes to (for a burst to wait on).
    pub fn receiving(&self) -> Vec<Outbox> {
        self.sockets.iter().filter(|s| s.subscribed && !s.stall.is_set()).map(|s| s.outbox.clone()).collect()
    }

    /// Emits `participant.joined` the first time a participant shows up.
    pub fn ensure_joined(&mut self, participant: &str, faults: &Faults) {
        let Some(p) = self.participants.iter_mut().find(|p| p.id == participant) else {
            return;
        };
        if p.joined {
            return;
        }
        p.joined = true;
        let item =
            self.new_item(Some(participant), "PARTICIPANT_JOINED", &format!("{EVENT_PREFIX}participant.joined"), None);
        self.publish(item, true, faults);
    }
}

/// The `aws/chat` frame of an item: its content is the item's JSON as a string.
pub fn chat_frame(item: &Value) -> Arc<str> {
    let frame = json!({"topic": "aws/chat", "contentType": "application/json", "content": item.to_string()});
    Arc::from(frame.to_string())
}

/// The item `Type` of an event content type (receipts are MESSAGEMETADATA and handled apart).
pub fn event_item_type(content_type: &str) -> &'static str {
    match content_type.strip_prefix(EVENT_PREFIX) {
        Some("typing") => "TYPING",
        Some("participant.joined") => "PARTICIPANT_JOINED",
        Some("participant.left") => "PARTICIPANT_LEFT",
        Some("chat.ended") => "CHAT_ENDED",
        Some("transfer.succeeded") => "TRANSFER_SUCCEEDED",
        Some("transfer.failed") => "TRANSFER_FAILED",
        Some("connection.acknowledged") => "CONNECTION_ACK",
        _ => "EVENT",
    }
}
