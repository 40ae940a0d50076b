// The goodbye worker of connect-chat-wasm (`disconnectOnClose`), shipped beside the library as
// `goodbye-worker.js` and registered by it with its own URL as its scope: it controls no page and has no
// `fetch` handler, so it intercepts nothing. A page showing a chat holds a shared Web Lock named after it;
// when one goes (closed, reloaded, left, but not into the back-forward cache) it posts the chat's
// DisconnectParticipant request here. A page cannot tell a close from a reload as it unloads; this
// worker outlives it and can: it waits, and sends the request only if no page holds the lock by then.

/** Long enough for a reload to bring the chat back; the agent sees the customer leave this much later. */
const GRACE_MS = 3000;
/** While the page that went is open again somewhere (at its URL: a slow reload), this much longer. */
const SLOW_RELOAD_MS = 10_000;
const PATH = "/participant/disconnect";

/** Chats being waited on: two tabs closed together say one goodbye. */
const waiting = new Set();

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("message", (event) => {
  const { name, url, token, body } = event.data ?? {};
  // The page that went (its address: a slow reload shows up there again).
  const page = event.source?.url;
  // Only the request the library hands over: its DisconnectParticipant, nothing else.
  if ([name, url, token, body].some((v) => typeof v !== "string") || !new URL(url).pathname.endsWith(PATH)) return;
  if (waiting.has(name)) return;
  waiting.add(name);
  event.waitUntil(goodbye(name, url, token, body, page).finally(() => waiting.delete(name)));
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a page holds chat `name`'s lock. */
async function shown(name) {
  const { held = [] } = await navigator.locks.query();
  return held.some((lock) => lock.name === name);
}

async function goodbye(name, url, token, body, page) {
  await sleep(GRACE_MS);
  if (await shown(name)) return;
  // A window at the URL that went: most likely the same page reloading slowly; give it its time.
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  if (windows.some((w) => w.url === page)) {
    for (let waited = 0; waited < SLOW_RELOAD_MS; waited += 500) {
      await sleep(500);
      if (await shown(name)) return;
    }
  }
  try {
    await fetch(url, {
      method: "POST",
      headers: { "X-Amz-Bearer": token, "Content-Type": "application/json" },
      body,
      keepalive: true,
    });
  } catch {
    // Offline, or the service refused: the chat ends when its connection expires, as without the option.
  }
}
