// What the page hands the library, checked before any request, in one module: the calls' arguments and
// the bodies they become, getTranscript's options, and the options of `new ChatSession(options)`. A
// wrong value is a `TypeError`, which the Rust shell turns into an `InvalidArgument` (and no network).
// Limits and enums follow the service's API model. In JS because it reads the page's own values and
// writes JSON, which the engine does for free (README, "Size"). One module rather than three: the
// browser tests' server (wasm-bindgen-test-runner's) now and then stalls while a test page loads its
// snippet modules, more often the more there are.

const refuse = (why) => {
  throw new TypeError(why);
};
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const given = (v) => v !== undefined && v !== null;

// ----- the calls -----
//
// The page-facing calls' arguments, checked before any request is made (an empty or over-long message,
// an unknown content type, a Blob without a name: a `TypeError`, which the Rust shell rejects with as an
// `InvalidArgument`, and no network), and the request bodies they become. Limits and enums follow the
// service's API model. In JS because they read the page's own values and write JSON, which the engine
// does for free: compiled to wasm the same checks cost about 2 KB gzip more (README, "Size").

/** What every event's content type begins with. */
export const EVENT = "application/vnd.amazonaws.connect.event.";
/** Message content types the service accepts from a participant. */
export const MESSAGE_TYPES = ["text/plain", "text/markdown", "application/json", "application/vnd.amazonaws.connect.message.interactive.response"];
/** Event content types a participant may send (after the common prefix). */
export const EVENT_TYPES = ["typing", "connection.acknowledged", "message.delivered", "message.read"];
/** The service's limit for every message and event content, in bytes of UTF-8. */
const MAX_CONTENT_BYTES = 16_384;
/** 20 MB: the service's attachment limit. */
const MAX_ATTACHMENT_BYTES = 20_971_520;
/** File types Amazon Connect chat accepts, with the extensions that imply them (a Blob may come without a type). */
export const ATTACHMENT_TYPES = {
  "text/csv": ["csv"],
  "application/msword": ["doc"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
  "image/heic": ["heic"],
  "image/jpeg": ["jpg", "jpeg", "jfif"],
  "video/quicktime": ["mov"],
  "video/mp4": ["mp4"],
  "application/pdf": ["pdf"],
  "image/png": ["png"],
  "application/vnd.ms-powerpoint": ["ppt"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": ["pptx"],
  "application/rtf": ["rtf"],
  "text/plain": ["txt"],
  "audio/wav": ["wav"],
  "application/vnd.ms-excel": ["xls"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
};

const encoder = new TextEncoder();

/** A string, or the problem with it. */
function text(name, value) {
  return typeof value === "string" ? value : refuse(`${name} must be a string`);
}

/** A string of `min` to `max` characters. */
function sized(name, value, min, max) {
  const n = [...text(name, value)].length;
  if (n < min || n > max) refuse(`${name} must be ${min === max ? min : `${min} to ${max}`} characters long; it has ${n}`);
  return value;
}

/** Content of at most 16,384 bytes of UTF-8, not empty. */
function content(value) {
  const bytes = encoder.encode(text("content", value)).length;
  if (bytes === 0) refuse("content must not be empty");
  if (bytes > MAX_CONTENT_BYTES) refuse(`content is too long (${bytes} bytes of UTF-8; at most ${MAX_CONTENT_BYTES})`);
  return value;
}

const oneOf = (name, value, allowed, prefix = "") =>
  refuse(`${name} must be one of ${allowed.map((a) => prefix + a).join(", ")}; got ${String(JSON.stringify(value)).slice(0, 120)}`);

/** SendMessage's body. */
export function messageBody(body, contentType, clientToken) {
  const type = contentType === undefined || contentType === null ? "text/plain" : text("contentType", contentType);
  if (!MESSAGE_TYPES.includes(type)) oneOf("contentType", type, MESSAGE_TYPES);
  return JSON.stringify({ ContentType: type, Content: content(body), ClientToken: clientToken });
}

/** SendEvent's body. */
export function eventBody(contentType, body, clientToken) {
  const type = text("contentType", contentType);
  if (!type.startsWith(EVENT) || !EVENT_TYPES.includes(type.slice(EVENT.length))) oneOf("contentType", type, EVENT_TYPES, EVENT);
  const out = { ContentType: type };
  if (body !== undefined && body !== null) out.Content = content(body);
  out.ClientToken = clientToken;
  return JSON.stringify(out);
}

/** The content type to declare for a file: its own when the service accepts it, else the one its
 * extension implies. */
export function attachmentType(name, declared) {
  const type = declared.split(";")[0].trim();
  if (Object.hasOwn(ATTACHMENT_TYPES, type)) return type;
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  if (type === "" || type === "application/octet-stream") {
    const implied = Object.keys(ATTACHMENT_TYPES).find((t) => ATTACHMENT_TYPES[t].includes(ext));
    if (implied) return implied;
  }
  return refuse(`attachments of this type are not accepted: ${type || name}`);
}

/** StartAttachmentUpload's body for a File (or a Blob with a `name`). */
export function uploadBody(file, clientToken) {
  if (!(file instanceof Blob)) refuse("sendAttachment takes a File or a Blob");
  const name = typeof file.name === "string" && file.name !== "" ? file.name : refuse("the attachment needs a file name (a File, or a Blob with `name`)");
  sized("the file name", name, 1, 256);
  if (file.size < 1 || file.size > MAX_ATTACHMENT_BYTES) refuse("attachments must hold 1 byte to 20 MB");
  return JSON.stringify({ ContentType: attachmentType(name, file.type), AttachmentSizeInBytes: file.size, AttachmentName: name, ClientToken: clientToken });
}

/** GetAttachment's body. */
export const attachmentBody = (attachmentId) => JSON.stringify({ AttachmentId: sized("attachmentId", attachmentId, 1, 256) });

/** `options.key`, where `options` must be an object. */
function field(options, key) {
  return isObject(options) ? options[key] : refuse(`the options must be an object with ${key}`);
}

/** GetAuthenticationUrl's body. */
export function authUrlBody(options) {
  const SessionId = sized("sessionId", field(options, "sessionId"), 36, 36);
  return JSON.stringify({ SessionId, RedirectUri: sized("redirectUri", field(options, "redirectUri"), 1, 1024) });
}

/** CancelParticipantAuthentication's body. */
export const cancelAuthBody = (options) => JSON.stringify({ SessionId: sized("sessionId", field(options, "sessionId"), 36, 36) });

/** DescribeView's path: the token percent-encoded as one path segment. */
export const viewPath = (viewToken) => `/participant/views/${encodeURIComponent(sized("viewToken", viewToken, 1, 1000))}`;

// ----- getTranscript(options) -----
// getTranscript(options): the page's camelCase options, checked before any request (a wrong value is an
// `InvalidArgument`, no network) and turned into GetTranscript's body. Limits and enums follow the
// service's API model. In JS because it reads a JS object and writes JSON, which the engine does for
// free: the same checks compiled to wasm cost 1.35 KB gzip (README, "Size").

// Each option: its name, the API's name, then either the allowed values or the bounds (characters of a
// string, or of a whole number when the last entry says so).
const OPTIONS = [
  ["contactId", "ContactId", 1, 256],
  ["maxResults", "MaxResults", 0, 100, true],
  ["nextToken", "NextToken", 1, 1000],
  ["scanDirection", "ScanDirection", ["FORWARD", "BACKWARD"]],
  ["sortOrder", "SortOrder", ["DESCENDING", "ASCENDING"]],
];
const POSITIONS = [
  ["startPosition.id", "Id", 1, 256],
  ["startPosition.absoluteTime", "AbsoluteTime", 1, 100],
  ["startPosition.mostRecent", "MostRecent", 0, 100, true],
];

function checked([name, , min, max, whole], value) {
  const ok = Array.isArray(min)
    ? min.includes(value)
    : whole
      ? Number.isInteger(value) && value >= min && value <= max
      : typeof value === "string" && [...value].length >= min && [...value].length <= max;
  if (!ok) {
    const what = Array.isArray(min) ? `one of ${min.join(", ")}` : whole ? `a whole number from ${min} to ${max}` : `a string of ${min} to ${max} characters`;
    refuse(`${name} must be ${what}; got ${String(JSON.stringify(value)).slice(0, 80)}`);
  }
  return value;
}

/** The member of `object` named by each option given there, checked, under the API's name. */
function members(object, options) {
  const out = {};
  for (const option of options) {
    const value = object[option[0].split(".").pop()];
    if (given(value)) out[option[1]] = checked(option, value);
  }
  return out;
}

/** GetTranscript's body for `getTranscript(options)`; throws a `TypeError` naming what is wrong. */
export function transcriptBody(options) {
  if (!given(options)) return "{}";
  if (!isObject(options)) refuse("getTranscript options must be an object");
  const body = members(options, OPTIONS);
  const p = options.startPosition;
  if (given(p)) {
    if (!isObject(p)) refuse("startPosition must be an object");
    body.StartPosition = members(p, POSITIONS);
    if (Object.keys(body.StartPosition).length !== 1) refuse("startPosition takes one of id, absoluteTime or mostRecent");
  }
  return JSON.stringify(body);
}

// ----- new ChatSession(options) -----
// `new ChatSession(options)`: the page's options object, checked (a wrong value is a `TypeError`, which
// the Rust shell throws as an `InvalidArgument`) and normalised for the Rust shell, which reads the
// result by position. In JS because it only reads a JS object: compiled to wasm the same checks cost
// about 1 KB gzip more (README, "Size").

/** The numeric options, in the order of the Rust shell's table (`options.rs`, `NUMBERS`): the object that
 * holds each (none: the options themselves) and its name. */
const NUMBERS = [
  [null, "receiptBatchMs"],
  [null, "typingThrottleMs"],
  [null, "orderWindowMs"],
  [null, "streamTimeoutMs"],
  [null, "heartbeatIntervalMs"],
  [null, "requestTimeoutMs"],
  ["reconnect", "initialDelayMs"],
  ["reconnect", "maxDelayMs"],
  ["retry", "maxAttempts"],
  ["retry", "initialDelayMs"],
  ["retry", "maxDelayMs"],
  ["retry", "deadlineMs"],
];

function string(o, key) {
  const v = o[key];
  return !given(v) ? undefined : typeof v === "string" ? v : refuse(`options.${key} must be a string`);
}

function boolean(o, key) {
  const v = o[key];
  return !given(v) ? undefined : typeof v === "boolean" ? v : refuse(`options.${key} must be a boolean`);
}

/** A plain HTTP endpoint only on this machine (a local emulator): the tokens travel on it. */
function endpoint(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return refuse("options.endpoint must be an http(s) URL");
  }
  const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(parsed.hostname);
  if (parsed.protocol === "https:" || (parsed.protocol === "http:" && loopback)) return url.replace(/\/+$/, "");
  return refuse("options.endpoint must be an https URL (or http on this machine, for a local emulator)");
}

/** The options as the Rust shell reads them: { participantToken, endpoint, participantId, persistKey,
 * fillGaps, autoDeliveredReceipts, outbox, shareAcrossTabs, numbers } with `numbers` in the order of `NUMBERS` (undefined where
 * not given). */
export function readOptions(o) {
  if (!isObject(o)) refuse("ChatSession options must be an object");
  const participantToken = string(o, "participantToken");
  if (!participantToken || !participantToken.trim()) refuse("options.participantToken must be a non-empty string");
  const region = string(o, "region") ?? "us-west-2";
  if (!/^[A-Za-z0-9-]+$/.test(region)) refuse("options.region must look like us-west-2");
  const url = string(o, "endpoint");
  const persist = o.persist;
  let persistKey;
  if (persist === true) persistKey = "connect-chat-wasm";
  else if (typeof persist === "string" && persist !== "") persistKey = persist;
  else if (given(persist) && persist !== false) refuse("options.persist must be a boolean or a storage key");
  const shareAcrossTabs = boolean(o, "shareAcrossTabs");
  if (shareAcrossTabs && persistKey === undefined) refuse("options.shareAcrossTabs needs options.persist (it names the chat across tabs)");
  const disconnectOnClose = goodbyeWorker(o.disconnectOnClose);
  const numbers = NUMBERS.map(([group, key]) => {
    const holder = group === null ? o : o[group];
    if (!given(holder)) return undefined;
    if (!isObject(holder)) refuse(`options.${group} must be an object`);
    const n = holder[key];
    if (!given(n)) return undefined;
    if (typeof n !== "number" || !(n >= 0 && n <= 4_294_967_295)) refuse(`options.${group ? `${group}.` : ""}${key} must be a non-negative number`);
    return n;
  });
  return {
    participantToken,
    endpoint: url === undefined ? `https://participant.connect.${region}.amazonaws.com` : endpoint(url),
    participantId: string(o, "participantId"),
    persistKey,
    fillGaps: boolean(o, "fillGaps"),
    autoDeliveredReceipts: boolean(o, "autoDeliveredReceipts"),
    outbox: boolean(o, "outbox"),
    shareAcrossTabs,
    disconnectOnClose,
    numbers,
  };
}

/** `disconnectOnClose`: `true` (the worker shipped beside this module) or the URL a site serves it at,
 * as the worker's absolute URL; `undefined` when off. */
function goodbyeWorker(v) {
  if (v === true) return new URL("./goodbye-worker.js", import.meta.url).href;
  if (!given(v) || v === false) return undefined;
  try {
    if (typeof v === "string" && v !== "") return new URL(v, globalThis.location?.href).href;
  } catch {
    // Below.
  }
  return refuse("options.disconnectOnClose must be a boolean or a URL");
}
