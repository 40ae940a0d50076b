// The page-facing calls' arguments, checked before any request is made (an empty or over-long message,
// an unknown content type, a Blob without a name: a `TypeError`, which the Rust shell rejects with as an
// `InvalidArgument`, and no network), and the request bodies they become. Limits and enums follow the
// service's API model. In JS because they read the page's own values and write JSON, which the engine
// does for free: compiled to wasm the same checks cost about 2 KB gzip more (README, "Size").

const refuse = (why) => {
  throw new TypeError(why);
};
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

const EVENT = "application/vnd.amazonaws.connect.event.";
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
