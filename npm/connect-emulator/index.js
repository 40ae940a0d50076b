// The Node API: starts the emulator binary on a free port and drives its control API (the agent's side,
// the transcript, faults) for a site's own tests. Nothing here speaks for the Participant Service itself:
// the site's client talks to `url` as it would to AWS.
import { spawn } from "node:child_process";
import { binaryPath } from "./binary.js";

/** camelCase option → the binary's flag (the values are passed as given). */
const FLAGS = {
  port: "--port",
  static: "--static",
  websocketUrlTtl: "--websocket-url-ttl",
  connectionTokenTtl: "--connection-token-ttl",
  maxSocketsPerParticipant: "--max-sockets-per-participant",
  seed: "--seed",
  duplicateRate: "--duplicate-rate",
  reorderRate: "--reorder-rate",
  failConnections: "--fail-connections",
  failStatus: "--fail-status",
};
/** Options of startEmulator itself, not flags. */
const OWN = new Set(["binary", "args", "startTimeoutMs", "env"]);

const EVENT = "application/vnd.amazonaws.connect.event.";
const READY = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;

/** The flags for `options`; an unknown option is an error rather than silently ignored. */
export function flagsFor(options = {}) {
  const args = [];
  for (const [key, value] of Object.entries(options)) {
    if (OWN.has(key) || value === undefined) continue;
    const flag = FLAGS[key];
    if (!flag) throw new TypeError(`startEmulator: unknown option ${key} (known: ${Object.keys(FLAGS).join(", ")})`);
    args.push(flag, String(value));
  }
  if (!("port" in options)) args.push("--port", "0");
  return [...args, ...(options.args ?? [])];
}

/** An error of the control API or the service, with the service's error name and the HTTP status. */
export class EmulatorError extends Error {
  constructor(name, message, status) {
    super(message);
    this.name = name;
    this.status = status;
  }
}

/**
 * Starts an emulator; resolves once it listens. `options`: `port` (0, a free one, by default), `static`,
 * `websocketUrlTtl`, `connectionTokenTtl`, `maxSocketsPerParticipant`, `seed`, `duplicateRate`,
 * `reorderRate`, `failConnections`, `failStatus` (the binary's flags), `args` (more flags), `binary` (a
 * path instead of the installed one), `env`, `startTimeoutMs` (10 s).
 */
export async function startEmulator(options = {}) {
  const args = flagsFor(options);
  const binary = options.binary ?? binaryPath();
  const child = spawn(binary, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  const url = await ready(child, options.startTimeoutMs ?? 10_000);
  return emulatorAt(url, child);
}

function ready(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const fail = (why) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`connect-emulator did not start: ${why}${err ? `\n${err.trim()}` : ""}`));
    };
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        // Keep reading so a chatty child never blocks on a full pipe.
        child.stdout.resume();
        resolve(m[1]);
      }
    });
    child.on("error", (e) => fail(e.message));
    child.on("exit", (code, signal) => fail(`it exited (${signal ?? code})`));
  });
}

/** The API over an emulator listening at `url` (`child`: the process `stop()` ends, if ours). */
export function emulatorAt(url, child) {
  const control = async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (!res.ok) {
      const name = res.headers.get("x-amzn-errortype") ?? "EmulatorError";
      throw new EmulatorError(name, json.message ?? `${method} ${path}: HTTP ${res.status}`, res.status);
    }
    return json;
  };
  const contact = (id) => `/emulator/contacts/${encodeURIComponent(id)}`;
  const event = (contactId, contentType, content) =>
    control("POST", `${contact(contactId)}/events`, { ContentType: contentType, Content: content });
  let stopped;
  return {
    url,
    port: Number(new URL(url).port),
    process: child,
    control,
    startChat: ({ displayName, sourceContactId, rehydrationType } = {}) =>
      control("POST", "/emulator/start-chat", {
        DisplayName: displayName,
        SourceContactId: sourceContactId,
        RehydrationType: rehydrationType,
      }),
    contacts: async () => (await control("GET", "/emulator/contacts")).Contacts,
    transcript: async (contactId) => (await control("GET", `${contact(contactId)}/transcript`)).Transcript,
    agent: {
      send: (contactId, text, { contentType, displayName, participantRole } = {}) =>
        control("POST", `${contact(contactId)}/messages`, {
          Content: text,
          ContentType: contentType,
          DisplayName: displayName,
          ParticipantRole: participantRole,
        }),
      event,
      typing: (contactId) => event(contactId, `${EVENT}typing`),
      read: (contactId, messageId) => event(contactId, `${EVENT}message.read`, JSON.stringify({ messageId })),
      join: (contactId) => event(contactId, `${EVENT}participant.joined`),
      leave: (contactId) => event(contactId, `${EVENT}participant.left`),
      end: (contactId) => event(contactId, `${EVENT}chat.ended`),
      stream: (contactId, chunks, { intervalMs, displayName } = {}) =>
        control("POST", `${contact(contactId)}/stream`, { Chunks: chunks, IntervalMs: intervalMs, DisplayName: displayName }),
    },
    drop: (contactId, { refuseMs } = {}) => control("POST", `${contact(contactId)}/drop`, { RefuseMs: refuseMs }),
    stall: (contactId) => control("POST", `${contact(contactId)}/stall`),
    stop: () => (stopped ??= stop(child)),
  };
}

/** Ends the process: SIGTERM, then SIGKILL if it has not gone within 5 s. */
function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.removeAllListeners("exit");
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
