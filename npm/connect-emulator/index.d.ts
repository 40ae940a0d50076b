import type { ChildProcess } from "node:child_process";

/** The binary's flags in camelCase (see `npx connect-emulator --help`), and the API's own options. */
export interface EmulatorOptions {
  /** 127.0.0.1:port; 0 (the default) picks a free one. */
  port?: number;
  /** Also serve the files under this directory. */
  static?: string;
  /** Lifetime of WebSocket URLs in seconds (100). */
  websocketUrlTtl?: number;
  /** Lifetime of ConnectionTokens in seconds (86400). */
  connectionTokenTtl?: number;
  /** A participant's WebSocket past this many open ones is refused (5, as the service documents; 0 = no limit). */
  maxSocketsPerParticipant?: number;
  seed?: number;
  duplicateRate?: number;
  reorderRate?: number;
  failConnections?: number;
  failStatus?: number;
  /** More flags, as the binary takes them. */
  args?: string[];
  /** A binary to run instead of the installed one. */
  binary?: string;
  /** Environment of the process (added to this one's). */
  env?: Record<string, string>;
  /** How long to wait for `listening on ...` (10,000 ms). */
  startTimeoutMs?: number;
}

/** StartChatContact's answer. */
export interface StartedChat {
  ContactId: string;
  ParticipantId: string;
  ParticipantToken: string;
  /** A persistent chat's source contact. */
  ContinuedFromContactId?: string;
}

export interface StartChatOptions {
  displayName?: string;
  /** Continue this ended contact (persistent chat). */
  sourceContactId?: string;
  /** `ENTIRE_PAST_SESSION` (the default with a source) or `FROM_SEGMENT`. */
  rehydrationType?: "ENTIRE_PAST_SESSION" | "FROM_SEGMENT";
}

/** A sent item's id and time. */
export interface Sent {
  Id: string;
  AbsoluteTime: string;
}

/** A transcript item, as the service sends it (PascalCase members). */
export interface Item {
  Id: string;
  Type: string;
  ContentType: string;
  Content?: string;
  AbsoluteTime: string;
  ParticipantId?: string;
  DisplayName?: string;
  ParticipantRole?: string;
  ContactId?: string;
  InitialContactId?: string;
  /** On a persistent chat's earlier items: the contact it was sent on. */
  RelatedContactId?: string;
  [member: string]: unknown;
}

export interface ContactSummary {
  ContactId: string;
  CustomerName: string | null;
  Participants: { ParticipantId: string; DisplayName: string; ParticipantRole: string; Joined: boolean; Left: boolean }[];
  AgentParticipantId: string | null;
  AgentParticipantToken: string | null;
  Ended: boolean;
  Items: number;
  Sockets: number;
  StartedAt: string;
  ContinuedFromContactId?: string;
}

export interface SendOptions {
  /** `text/plain` by default; any message content type (markdown, interactive templates, ...). */
  contentType?: string;
  displayName?: string;
  /** `AGENT` (the default) or `SYSTEM` (a bot or the flow). */
  participantRole?: "AGENT" | "SYSTEM";
}

export interface Agent {
  send(contactId: string, text: string, options?: SendOptions): Promise<Sent>;
  /** Any agent or system event: `application/vnd.amazonaws.connect.event.*`. */
  event(contactId: string, contentType: string, content?: string): Promise<Sent>;
  typing(contactId: string): Promise<Sent>;
  read(contactId: string, messageId: string): Promise<Sent>;
  join(contactId: string): Promise<Sent>;
  leave(contactId: string): Promise<Sent>;
  /** chat.ended: the chat is over (a persistent chat may continue it). */
  end(contactId: string): Promise<Sent>;
  /** A streamed bot reply. */
  stream(contactId: string, chunks: string[], options?: { intervalMs?: number; displayName?: string }): Promise<{ Id: string }>;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`: the Participant Service endpoint and StartChatContact (`PUT /contact/chat`). */
  readonly url: string;
  readonly port: number;
  /** The emulator's process (undefined for `emulatorAt` without one). */
  readonly process: ChildProcess | undefined;
  /** What a site's backend does: StartChatContact through the control API. */
  startChat(options?: StartChatOptions): Promise<StartedChat>;
  agent: Agent;
  /** Every kept item of a contact, oldest first (a persistent chat's earlier ones first). */
  transcript(contactId: string): Promise<Item[]>;
  /** Every contact, newest first. */
  contacts(): Promise<ContactSummary[]>;
  /** Closes the contact's WebSockets abruptly; with `refuseMs`, refuses new ones that long. */
  drop(contactId: string, options?: { refuseMs?: number }): Promise<{ Dropped: number }>;
  /** Its sockets stay open but deliver and answer nothing. */
  stall(contactId: string): Promise<{ Stalled: number }>;
  /** Any control-API call (README, "The emulator"); rejects with an EmulatorError. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Ends the process (SIGTERM, SIGKILL after 5 s); resolves when it has exited. */
  stop(): Promise<void>;
}

/** Starts the installed binary and resolves once it listens. */
export function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

/** The API over an emulator already listening at `url`. */
export function emulatorAt(url: string, process?: ChildProcess): Emulator;

/** The binary's flags for these options. */
export function flagsFor(options?: EmulatorOptions): string[];

/** A refused control-API call: `name` is the service's error type (`ValidationException`, ...). */
export class EmulatorError extends Error {
  readonly status: number;
  constructor(name: string, message: string, status: number);
}
