// `new ChatSession(options)`: the page's options object, checked (a wrong value is a `TypeError`, which
// the Rust shell throws as an `InvalidArgument`) and normalised for the Rust shell, which reads the
// result by position. In JS because it only reads a JS object: compiled to wasm the same checks cost
// about 1 KB gzip more (README, "Size").

const refuse = (why) => {
  throw new TypeError(why);
};
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const given = (v) => v !== undefined && v !== null;

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
 * fillGaps, autoDeliveredReceipts, numbers } with `numbers` in the order of `NUMBERS` (undefined where
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
    numbers,
  };
}
