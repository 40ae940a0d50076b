//! The TypeScript of the public API, written once, precise, no `any`. wasm-bindgen appends it to the
//! generated `.d.ts`; the methods refer to these names through `unchecked_*_type` attributes.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `new ChatSession(options)`. */
export interface ChatSessionOptions {
  /** ParticipantToken from StartChatContact. */
  participantToken: string;
  /** AWS region of the Participant Service; default "us-west-2". */
  region?: string;
  /** Overrides the region endpoint (a local emulator, a proxy), e.g. "http://127.0.0.1:8787". */
  endpoint?: string;
  /** Fetch the items missed while a connection was down (GetTranscript) after each reconnect; default true. */
  fillGaps?: boolean;
  /** The first reconnect attempt is immediate; later ones wait a jittered delay doubling from
   * initialDelayMs (250) to maxDelayMs (30000). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Hold items this many ms and release them in AbsoluteTime order, so items the service sends out of
   * order reach the page in order (default 0: delivered on arrival, in arrival order). */
  orderWindowMs?: number;
  /** Heartbeat period in ms (default 10000, at least 1000). */
  heartbeatIntervalMs?: number;
  /** Retries of API calls on ThrottlingException, InternalServerException, timeouts and network errors:
   * jittered exponential backoff, within maxAttempts (4, the first included) and deadlineMs (20000). */
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number; deadlineMs?: number };
  /** An API call not answered by then fails with a TimeoutError (default 15000). */
  requestTimeoutMs?: number;
  /** Send a delivered receipt for every incoming message from someone else (default false). */
  autoDeliveredReceipts?: boolean;
  /** Receipts are sent in batches this long after the first is queued (default 500). */
  receiptBatchMs?: number;
  /** At most one typing event per this many ms (default 10000; 0 sends every one). */
  typingThrottleMs?: number;
  /** Our ParticipantId (from StartChatContact), to recognise receipts about our own reads; learned from
   * our own messages when not given. */
  participantId?: string;
  /** Keep what a page reload needs (the last item seen) in sessionStorage, so a reloaded page that
   * connects with the same participantToken fills the gap instead of starting over. `true` uses the key
   * "connect-chat-wasm"; a string is the key. Default false. */
  persist?: boolean | string;
}

export type ChatSessionState = "idle" | "connecting" | "connected" | "reconnecting" | "ended" | "closed";

export type ParticipantRole = "AGENT" | "CUSTOMER" | "SYSTEM" | "CUSTOM_BOT" | "SUPERVISOR";

export type ItemType =
  | "MESSAGE" | "EVENT" | "ATTACHMENT" | "TYPING" | "PARTICIPANT_JOINED" | "PARTICIPANT_LEFT" | "CHAT_ENDED"
  | "TRANSFER_SUCCEEDED" | "TRANSFER_FAILED" | "CONNECTION_ACK" | "MESSAGE_DELIVERED" | "MESSAGE_READ"
  | "MESSAGEMETADATA";

export interface AttachmentItem {
  ContentType: string;
  AttachmentId: string;
  AttachmentName: string;
  Status: "APPROVED" | "REJECTED" | "IN_PROGRESS";
}

export interface Receipt {
  DeliveredTimestamp?: string;
  ReadTimestamp?: string;
  RecipientParticipantId?: string;
}

export interface MessageMetadata {
  MessageId: string;
  Receipts?: Receipt[];
  MessageProcessingStatus?: "PROCESSING" | "FAILED" | "REJECTED";
}

/** A transcript item exactly as the service sends it (PascalCase). */
export interface ChatItem {
  Id: string;
  Type: ItemType;
  AbsoluteTime: string;
  ContentType?: string;
  Content?: string;
  ParticipantId?: string;
  DisplayName?: string;
  ParticipantRole?: ParticipantRole;
  Attachments?: AttachmentItem[];
  MessageMetadata?: MessageMetadata;
  RelatedContactId?: string;
  ContactId?: string;
  InitialContactId?: string;
}

/** Every rejected promise and every `error` event carries one of these. */
export interface ChatError extends Error {
  /** The service's error type (AccessDeniedException, ThrottlingException, ValidationException,
   * InternalServerException, ConflictException, ServiceQuotaExceededException, ResourceNotFoundException)
   * or ours (NetworkError, TimeoutError, InvalidArgument, InvalidState, SessionEnded, InvalidResponse,
   * MalformedFrame, SubscribeFailed, SocketClosed, ServiceError). */
  name: string;
  /** The same as `name`. */
  code: string;
  /** HTTP status, 0 when no response came. */
  status: number;
  /** Whether trying again can help. */
  retryable: boolean;
}

export interface ChatSessionEventMap {
  connected: undefined;
  reconnecting: { attempt: number; delayMs: number; reason: ChatError };
  "connection-lost": { reason: ChatError };
  renewed: undefined;
  message: ChatItem;
  attachment: ChatItem;
  typing: ChatItem;
  read: ChatItem;
  delivered: ChatItem;
  "participant-joined": ChatItem;
  "participant-left": ChatItem;
  "participant-idle": ChatItem;
  "participant-returned": ChatItem;
  "participant-auto-disconnected": ChatItem;
  "transfer-succeeded": ChatItem;
  "transfer-failed": ChatItem;
  ended: ChatItem;
  error: ChatError;
  item: ChatItem;
}

export type ChatSessionEventType = keyof ChatSessionEventMap;

export type ChatSessionEvent<K extends ChatSessionEventType = ChatSessionEventType> = {
  [T in K]: { type: T; detail: ChatSessionEventMap[T] };
}[K];

export type MessageContentType =
  | "text/plain" | "text/markdown" | "application/json"
  | "application/vnd.amazonaws.connect.message.interactive.response";

export type EventContentType =
  | "application/vnd.amazonaws.connect.event.typing"
  | "application/vnd.amazonaws.connect.event.connection.acknowledged"
  | "application/vnd.amazonaws.connect.event.message.delivered"
  | "application/vnd.amazonaws.connect.event.message.read";

export interface SendResult {
  Id: string;
  AbsoluteTime: string;
}

export interface DescribeViewResult {
  View: {
    Id?: string;
    Arn?: string;
    Name?: string;
    Version?: number;
    Content?: { InputSchema?: string; Template?: string; Actions?: string[] };
  };
}

export interface TranscriptOptions {
  contactId?: string;
  /** 0..100; the service's default is 15. */
  maxResults?: number;
  nextToken?: string;
  scanDirection?: "FORWARD" | "BACKWARD";
  sortOrder?: "ASCENDING" | "DESCENDING";
  /** One of id, absoluteTime or mostRecent. */
  startPosition?: { id?: string; absoluteTime?: string; mostRecent?: number };
}

export interface TranscriptResult {
  InitialContactId?: string;
  Transcript: ChatItem[];
  NextToken?: string;
}
"#;
