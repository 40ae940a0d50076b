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
  /** A streamed bot reply with no new chunk for this many ms is overdue: its completion is looked for in
   * the transcript, and failing that the reply is delivered as it stands, with `Incomplete: true`
   * (default 30000, at least 1000). */
  streamTimeoutMs?: number;
  /** Messages, events (not typing nor receipts) and attachments sent while not connected (connecting,
   * reconnecting, offline) wait in an outbox and go out, in order and each once (its ClientToken fixed
   * when queued), once the connection is back; with `persist`, the queue survives a reload (attachments'
   * files in IndexedDB). `false`: such calls go out at once, as without an outbox. Default true. */
  outbox?: boolean;
  /** Every tab of this origin showing this chat (the same `persist` key and participantToken) shares one
   * WebSocket: one tab leads (a Web Lock), the others get its items over a BroadcastChannel and make
   * their own API calls; when the leading tab closes or freezes another takes over and fills the gap.
   * Each tab still sees every item exactly once. Needs `persist`. Default false. */
  shareAcrossTabs?: boolean;
  /** DisconnectParticipant when the customer closes the last tab of the chat (not on a reload, nor into
   * the back-forward cache): said by a service worker a few seconds after the tab went, unless a page
   * of the chat is back by then. `true` registers `goodbye-worker.js` from beside this module; a string
   * is the URL your site serves that file at (same origin as the page). Default false. */
  disconnectOnClose?: boolean | string;
}

/** The file types Amazon Connect chat accepts (the type an attachment is declared with). */
export type AttachmentContentType =
  | "text/csv" | "application/msword" | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
  | "image/heic" | "image/jpeg" | "video/quicktime" | "video/mp4" | "application/pdf" | "image/png"
  | "application/vnd.ms-powerpoint" | "application/vnd.openxmlformats-officedocument.presentationml.presentation"
  | "application/rtf" | "text/plain" | "audio/wav" | "application/vnd.ms-excel"
  | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Where a send in the outbox stands. */
export type SendStatus = "queued" | "sending" | "sent" | "failed";

/** A send waiting in the outbox (`session.pending`). */
export interface PendingSend {
  clientToken: string;
  /** The message's or event's content type, or the file's for an attachment. */
  contentType: MessageContentType | EventContentType | AttachmentContentType;
  /** The message's text, the event's content (absent for an event without one), or the file's name. */
  content?: string;
  status: Exclude<SendStatus, "sent">;
  /** The last failure: a final one when `failed`, a retryable one while `queued` again. */
  error?: ChatError;
}

export type ChatSessionState = "idle" | "connecting" | "connected" | "reconnecting" | "ended" | "closed";

export type ParticipantRole = "AGENT" | "CUSTOMER" | "SYSTEM" | "CUSTOM_BOT" | "SUPERVISOR";

export type ItemType =
  | "MESSAGE" | "EVENT" | "ATTACHMENT" | "TYPING" | "PARTICIPANT_JOINED" | "PARTICIPANT_LEFT" | "CHAT_ENDED"
  | "TRANSFER_SUCCEEDED" | "TRANSFER_FAILED" | "CONNECTION_ACK" | "MESSAGE_DELIVERED" | "MESSAGE_READ"
  | "MESSAGEMETADATA";

/** The scan verdict of an attachment, when the instance scans them: only an approved (or unscanned)
 * attachment can be downloaded. */
export type AttachmentStatus = "APPROVED" | "REJECTED" | "IN_PROGRESS";

export interface AttachmentItem {
  ContentType: string;
  AttachmentId: string;
  AttachmentName: string;
  Status?: AttachmentStatus;
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
  /** Streamed bot replies: the chunk's number (1, 2, ...), and whether this item completes the reply. */
  ChunkNumber?: number;
  MessageCompleted?: boolean;
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
  /** Set by this library (not the service) on a streamed reply whose completion never came: the reply
   * as it stood, delivered after `streamTimeoutMs`. */
  Incomplete?: true;
}

/** `authentication-initiated`'s item, with the SessionId its Content names, ready for
 * `getAuthenticationUrl`. */
export interface AuthenticationInitiatedItem extends ChatItem {
  sessionId?: string;
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
  /** On the rejection of a send queued in the outbox: its ClientToken (for `retryPending`, `dropPending`). */
  clientToken?: string;
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
  /** A streamed bot reply so far: the latest chunk, its `Content` every chunk received in order, its
   * `AbsoluteTime` the first chunk's. The completed reply then comes once as `message` and `item`. */
  "message-partial": ChatItem;
  "participant-invited": ChatItem;
  "participant-active": ChatItem;
  "participant-inactive": ChatItem;
  "participant-display-name-updated": ChatItem;
  rehydrated: ChatItem;
  "workflow-cancelled": ChatItem;
  "authentication-initiated": AuthenticationInitiatedItem;
  "authentication-succeeded": ChatItem;
  "authentication-failed": ChatItem;
  "authentication-timeout": ChatItem;
  "authentication-expired": ChatItem;
  "authentication-cancelled": ChatItem;
  /** Fetching the items a dropped connection missed failed. With `retrying` it is tried again after
   * `delayMs` (and after every reconnect) for as long as the session lives; live items keep coming
   * meanwhile. `retrying: false`: a bound was reached (a repeated NextToken, too many pages or held
   * items, an answer the service will not change) and the items between may be missing. */
  "gap-fill-failed": { reason: ChatError; attempt: number; delayMs: number; retrying: boolean };
  /** The missed items are in: `items` of them were new (each also came as its own event, in order). */
  "gap-filled": { items: number };
  /** A send in the outbox changed: queued (again, with `error`, after a retryable failure), being sent,
   * sent (with the item's `id`) or failed for good (with `error`; it stays in `pending`). */
  "send-status": { clientToken: string; status: SendStatus; id?: string; error?: ChatError };
}

export type ChatSessionEventType = keyof ChatSessionEventMap;

/** The listener methods of `ChatSession`, declared here (merged into the class) so that each listener
 * is typed with the exact detail of its event. */
export interface ChatSession {
  /** Adds a listener for `type` (see `ChatSessionEventMap` for every event and its detail). */
  addEventListener<K extends ChatSessionEventType>(
    type: K,
    listener: (event: ChatSessionEvent<K>) => void,
    options?: ListenerOptions,
  ): void;
  removeEventListener<K extends ChatSessionEventType>(type: K, listener: (event: ChatSessionEvent<K>) => void): void;
  /** Adds a listener and returns a function that removes it. `options` as `addEventListener`'s. */
  on<K extends ChatSessionEventType>(
    type: K,
    listener: (event: ChatSessionEvent<K>) => void,
    options?: ListenerOptions,
  ): () => void;
}

/** Options of `on()` and `addEventListener()`, as the DOM's: `once` removes the listener after its first
 * call, `signal` removes it when aborted. */
export interface ListenerOptions {
  once?: boolean;
  signal?: AbortSignal;
}

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

/** Any value JSON can hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type InteractiveTemplateType = "ListPicker" | "Panel" | "QuickReply" | "TimePicker" | "Carousel" | "ViewResource";

/** An image of a template or element: `imageData` is its URL (widgets show https ones only). */
export interface InteractiveImage {
  imageType?: "URL";
  imageData?: string;
  imageDescription?: string;
}

/** What replaces the prompt once the customer has answered. */
export interface ReplyMessage extends InteractiveImage {
  title: string;
  subtitle?: string;
}

/** An element of a ListPicker or Panel. `actionDetail` marks the reference widget's pagination
 * ("Show more", "Previous options"); `type: "hyperlink"` an element that opens `url` and sends nothing. */
export interface PickerElement extends InteractiveImage {
  title: string;
  subtitle?: string;
  actionDetail?: "SHOW_MORE" | "PREVIOUS_OPTIONS";
  type?: "hyperlink";
  url?: string;
}

/** ListPicker and Panel; the last four fields are the reference widget's pagination. */
export interface PickerContent extends InteractiveImage {
  title: string;
  subtitle?: string;
  elements: PickerElement[];
  referenceId?: string;
  listId?: string;
  preIndex?: number;
  nextIndex?: number;
}

export interface QuickReplyElement {
  title: string;
}

export interface QuickReplyContent {
  title: string;
  subtitle?: string;
  elements: QuickReplyElement[];
}

/** `date` is ISO 8601 (e.g. "2026-12-02T10:00+00:00"), `duration` in minutes. */
export interface TimeSlot {
  date: string;
  duration: number;
}

export interface TimePickerContent {
  title: string;
  subtitle?: string;
  /** Minutes from UTC the times are meant for (display only). */
  timeZoneOffset?: number;
  location?: { latitude: number; longitude: number; title: string; radius?: number };
  timeslots: TimeSlot[];
}

/** A card of a Carousel: a ListPicker or Panel of its own. */
export interface CarouselCard {
  templateType: "ListPicker" | "Panel";
  templateIdentifier: string;
  version?: string;
  data: { content: PickerContent; replyMessage?: ReplyMessage };
}

export interface CarouselContent {
  title: string;
  elements: CarouselCard[];
}

/** A step-by-step guide: `describeView(viewToken)` gives its view. */
export interface ViewResourceContent {
  viewId?: string;
  viewToken: string;
  viewData?: string | { [key: string]: JsonValue };
}

interface TemplateOf<T extends InteractiveTemplateType, C> {
  templateType: T;
  version: string;
  content: C;
  replyMessage?: ReplyMessage;
}

/** What `ChatSession.parseInteractive(item)` returns for an interactive message. */
export type InteractiveTemplate =
  | TemplateOf<"ListPicker", PickerContent>
  | TemplateOf<"Panel", PickerContent>
  | TemplateOf<"QuickReply", QuickReplyContent>
  | TemplateOf<"TimePicker", TimePickerContent>
  | TemplateOf<"Carousel", CarouselContent>
  | TemplateOf<"ViewResource", ViewResourceContent>;

/** A ViewResource answer: one of the view's `Actions`, with the view's output. */
export interface ViewAction {
  action: string;
  data?: JsonValue;
}

/** What the customer chose: an element (ListPicker, Panel, QuickReply, or an element of a Carousel's
 * card), a time slot (TimePicker) or an action (ViewResource). */
export type InteractiveChoice = PickerElement | QuickReplyElement | TimeSlot | ViewAction;

export interface TranscriptResult {
  InitialContactId?: string;
  Transcript: ChatItem[];
  NextToken?: string;
}
"#;
