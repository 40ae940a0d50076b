// `connect-chat-wasm/preconnect`: the connection started before the library loads is taken over by the
// session that connects with the same token (one CreateParticipantConnection, one socket, every message
// once); one for another chat is left alone; a dropped or refused one is read by the session as its own;
// wrong options throw as `new ChatSession` throws. On the release package served from www/pkg.
import { test } from "node:test";
import assert from "node:assert/strict";
import { watchErrors } from "./harness.mjs";
import { emulatorAndBrowser, until } from "./support.mjs";

const env = emulatorAndBrowser();

/** A page of the emulator's origin (the API page, www/basic.html, whose own chat is never started here)
 * with a counter of the WebSockets made, installed before anything else runs, so `preconnect`'s are
 * counted too. (A page the test itself would serve is refused sockets to the loopback address.) */
async function blankPage() {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    window.sockets = [];
    const Native = WebSocket;
    window.WebSocket = class extends Native {
      constructor(...a) {
        super(...a);
        this.sentFrames = [];
        window.sockets.push(this);
      }
      send(text) {
        this.sentFrames.push(text);
        super.send(text);
      }
    };
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.emulator.url}/basic.html`);
  return { context, page, errors };
}

const startChat = () => env.api.call("start-chat", {});

/** In the page: preconnect for `token` (`options` added), and wait until its socket is subscribed. */
async function preconnectIn(page, token, options = {}) {
  const subscribed = await page.evaluate(async ([token, options]) => {
    const { preconnect } = await import("/pkg/preconnect.js");
    return preconnect({ participantToken: token, endpoint: location.origin, ...options });
  }, [token, options]);
  assert.equal(subscribed, true, "preconnect's socket subscribed");
}

/** In the page: the library loaded, a session for `token` connected, its messages kept in `window.got`. */
function connectIn(page, token) {
  return page.evaluate(async (token) => {
    const { default: init, ChatSession } = await import("/pkg/connect_chat_wasm.js");
    await init();
    window.got = [];
    window.session = new ChatSession({ participantToken: token, endpoint: location.origin });
    session.on("message", (e) => got.push(e.detail.Content));
    await session.connect();
    return session.state;
  }, token);
}

/** CreateParticipantConnection calls the page made (its resource timing). */
const connectionCalls = (page) => page.evaluate(() => performance.getEntriesByType("resource").filter((r) => r.name.endsWith("/participant/connection")).length);

/** The agent says `n` messages; the page must get each once, in order. */
async function agentSays(page, contactId, n, tag) {
  const sent = [];
  for (let i = 0; i < n; i++) {
    sent.push(`${tag} ${i}`);
    await env.api.say(contactId, `${tag} ${i}`);
  }
  await until(`the page to get the ${tag} messages`, async () => (await page.evaluate(() => got.length)) >= sent.length, 10_000);
  assert.deepEqual(await page.evaluate(() => got), sent);
}

test("preconnected: the session takes the connection and its socket over (one request, one socket), every message once", async () => {
  const { ContactId, ParticipantToken } = await startChat();
  const { context, page, errors } = await blankPage();
  await preconnectIn(page, ParticipantToken);
  assert.equal(await connectIn(page, ParticipantToken), "connected");
  await agentSays(page, ContactId, 5, "hello");
  assert.equal(await connectionCalls(page), 1, "one CreateParticipantConnection");
  assert.equal(await page.evaluate(() => sockets.length), 1, "one socket, the preconnected one");
  // The session owns it now: sending works, and disconnecting closes it.
  await page.evaluate(() => session.sendMessage("thanks"));
  await until("the customer's message in the transcript", async () => (await env.api.transcript(ContactId)).some((i) => i.Content === "thanks"));
  await page.evaluate(() => session.disconnect());
  await until("the socket to close", () => page.evaluate(() => sockets[0].readyState === 3));
  assert.deepEqual(errors, []);
  await context.close();
});

test("preconnect subscribes: its promise says so, what the agent says before the library loads arrives once, and the socket subscribes once", async () => {
  const { ContactId, ParticipantToken } = await startChat();
  const { context, page, errors } = await blankPage();
  const subscribed = await page.evaluate(async (token) => {
    const { preconnect } = await import("/pkg/preconnect.js");
    return preconnect({ participantToken: token, endpoint: location.origin });
  }, ParticipantToken);
  assert.equal(subscribed, true);
  // Said while no library is loaded: kept by the preconnected socket, delivered by the session.
  await env.api.say(ContactId, "early 0");
  await env.api.say(ContactId, "early 1");
  await until("the early messages to reach the preconnected socket", () => page.evaluate(() => {
    const [entry] = globalThis[Symbol.for("connect-chat-wasm.preconnect")];
    return entry.socket.events.filter((e) => String(e.data).includes("early")).length === 2;
  }));
  assert.equal(await connectIn(page, ParticipantToken), "connected");
  await env.api.say(ContactId, "later 0");
  await until("the later message", async () => (await page.evaluate(() => got.length)) >= 3);
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => got), ["early 0", "early 1", "later 0"], "each once, in order");
  const frames = await page.evaluate(() => sockets[0].sentFrames.filter((f) => f.includes("aws/subscribe")));
  assert.equal(frames.length, 1, "one subscription: preconnect's");
  assert.equal(await page.evaluate(() => sockets.length), 1);
  assert.equal(await connectionCalls(page), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a preconnected socket dropped before its session took it: the session gets what it carried and the drop, reconnects, and fills the gap", async () => {
  const { ContactId, ParticipantToken } = await startChat();
  const { context, page, errors } = await blankPage();
  await preconnectIn(page, ParticipantToken);
  await env.api.say(ContactId, "before the drop");
  await until("the message to reach the preconnected socket", () => page.evaluate(() => globalThis[Symbol.for("connect-chat-wasm.preconnect")][0].socket.events.some((e) => String(e.data).includes("before the drop"))));
  await env.api.call(`contacts/${ContactId}/drop`, {});
  await until("the preconnected socket to close", () => page.evaluate(() => sockets[0].readyState === 3));
  // Said while no socket is subscribed: only the transcript has it.
  await env.api.say(ContactId, "during the gap");
  await connectIn(page, ParticipantToken);
  await until("the session to reconnect", () => page.evaluate(() => session.state === "connected"));
  for (let i = 0; i < 2; i++) await env.api.say(ContactId, `after the drop ${i}`);
  await until("the messages after the drop", async () => (await page.evaluate(() => got.length)) >= 4);
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => got), ["before the drop", "during the gap", "after the drop 0", "after the drop 1"], "each once, in order");
  assert.deepEqual(await page.evaluate(() => sockets.map((s) => s.readyState)), [3, 1], "the dropped socket and the session's own");
  assert.deepEqual(await page.evaluate(() => new Set(sockets.map((s) => s.url)).size), 1, "one URL");
  assert.equal(await connectionCalls(page), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a preconnect for another chat is left alone; the session makes its own connection", async () => {
  const other = await startChat();
  const { ContactId, ParticipantToken } = await startChat();
  const { context, page, errors } = await blankPage();
  await preconnectIn(page, other.ParticipantToken);
  assert.equal(await connectIn(page, ParticipantToken), "connected");
  await agentSays(page, ContactId, 2, "mine");
  assert.equal(await connectionCalls(page), 2);
  const states = await page.evaluate(() => sockets.map((s) => s.readyState));
  assert.deepEqual(states, [1, 1], "the other chat's socket still waits for its own session");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a preconnected CreateParticipantConnection the service refuses: connect() rejects with the service's typed error", async () => {
  const { ParticipantToken } = await startChat();
  const { context, page } = await blankPage();
  await env.api.call("faults/connection", { Status: 403 });
  const error = await page.evaluate(async (token) => {
    const { preconnect } = await import("/pkg/preconnect.js");
    preconnect({ participantToken: token, endpoint: location.origin });
    const { default: init, ChatSession } = await import("/pkg/connect_chat_wasm.js");
    await init();
    const session = new ChatSession({ participantToken: token, endpoint: location.origin });
    try {
      await session.connect();
      return null;
    } catch (e) {
      return { name: e.name, status: e.status, retryable: e.retryable, calls: performance.getEntriesByType("resource").filter((r) => r.name.endsWith("/participant/connection")).length };
    }
  }, ParticipantToken);
  assert.deepEqual(error, { name: "AccessDeniedException", status: 403, retryable: false, calls: 1 });
  await context.close();
});

test("preconnect checks its options as new ChatSession does, and sends nothing for wrong ones", async () => {
  const { context, page } = await blankPage();
  const thrown = await page.evaluate(async () => {
    const { preconnect } = await import("/pkg/preconnect.js");
    const { default: init, ChatSession } = await import("/pkg/connect_chat_wasm.js");
    await init();
    const out = [];
    for (const options of [{}, { participantToken: "t", endpoint: "http://example.com" }, { participantToken: "t", region: "not a region" }, { participantToken: "t", requestTimeoutMs: -1 }]) {
      let mine, theirs;
      try { preconnect(options); } catch (e) { mine = `${e.name}: ${e.message}`; }
      try { new ChatSession(options); } catch (e) { theirs = `${e.name}: ${e.message}`; }
      out.push([mine, theirs]);
    }
    return { out, requests: performance.getEntriesByType("resource").filter((r) => r.name.includes("/participant/")).length };
  });
  for (const [mine, theirs] of thrown.out) {
    assert.match(mine, /^TypeError: options\./);
    assert.ok(theirs.endsWith(mine.slice("TypeError: ".length)), `${mine} / ${theirs}`);
  }
  assert.equal(thrown.requests, 0);
  await context.close();
});
