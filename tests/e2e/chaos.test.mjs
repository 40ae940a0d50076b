// The chaos test on the shipped package: the release build in pkg/ (what npm and the CDN serve), in
// headless Chromium, against the emulator renewing its WebSocket URLs every 4 s. Over 10,000 messages
// from the agent and the customer together go through dropped sockets, outages, stalls, throttled and
// failing calls, duplicated and reordered items, malformed frames and offline periods. Afterwards every
// message the service kept is delivered exactly once, and the counts are printed. CHAOS_SEED=N replays one
// run, CHAOS_ROUNDS=N sets its length (50 rounds of 160 agent and 40 customer messages by default),
// CHAOS_CPU_SLOWDOWN=N slows the page's CPU.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, launchBrowser } from "./harness.mjs";

const ROUNDS = Number(process.env.CHAOS_ROUNDS || 50);
const AGENT_PER_ROUND = 160;
const CUSTOMER_PER_ROUND = 40;
const seed = Number(process.env.CHAOS_SEED || 20261201);

let emulator, browser, context, page;
before(async () => {
  emulator = await startEmulator("--websocket-url-ttl", "4");
  browser = await launchBrowser();
  context = await browser.newContext();
  page = await context.newPage();
  // CHAOS_CPU_SLOWDOWN=N runs the page N times slower, as on a loaded CI machine or a cheap phone.
  const slowdown = Number(process.env.CHAOS_CPU_SLOWDOWN || 1);
  if (slowdown > 1) await (await context.newCDPSession(page)).send("Emulation.setCPUThrottlingRate", { rate: slowdown });
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

const control = async (path, body) => {
  const r = await fetch(`${emulator.url}/emulator/${path}`, { method: "POST", body: JSON.stringify(body ?? {}) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};

/** A small deterministic generator, so a failing run can be replayed with its seed. */
function rng(s) {
  let x = s >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

test(`chaos on the release package: ${ROUNDS * (AGENT_PER_ROUND + CUSTOMER_PER_ROUND)} messages, each delivered exactly once`, { timeout: 600_000 }, async () => {
  const chat = await control("start-chat", { DisplayName: "Chaos" });
  const contact = `contacts/${chat.ContactId}`;
  await page.goto(`${emulator.url}/basic.html`);
  await page.evaluate(async ({ token, endpoint }) => {
    const lib = await import("/pkg/connect_chat_wasm.js");
    await lib.default();
    const session = new lib.ChatSession({
      participantToken: token,
      endpoint,
      heartbeatIntervalMs: 1000,
      orderWindowMs: 150,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
      // Enough retries to outlast the longest offline period (2 s).
      retry: { maxAttempts: 30, initialDelayMs: 20, maxDelayMs: 300, deadlineMs: 30_000 },
    });
    // A timeline of everything but messages, so a failure can be read against the lost item's time.
    const seen = { messages: [], counts: {}, unsent: 0, timeline: [] };
    const t0 = Date.now();
    for (const type of ["message", "reconnecting", "connected", "renewed", "gap-filled", "gap-fill-failed", "connection-lost", "error"]) {
      session.on(type, (e) => {
        seen.counts[type] = (seen.counts[type] || 0) + 1;
        if (type === "message") seen.messages.push(e.detail.Id);
        else seen.timeline.push(`${Date.now() - t0}ms ${type} ${JSON.stringify(e.detail ?? null).slice(0, 300)}`);
      });
    }
    seen.t0 = t0;
    window.chaos = { session, seen };
    await session.connect();
  }, { token: chat.ParticipantToken, endpoint: emulator.url });

  const next = rng(seed);
  const faults = {};
  for (let round = 0; round < ROUNDS; round++) {
    // The customer types while the agent's burst comes in.
    const customer = page.evaluate(async ({ round, n }) => {
      const { session, seen } = window.chaos;
      const sends = [];
      for (let i = 0; i < n; i++) sends.push(session.sendMessage(`customer ${round}.${i}`));
      for (const r of await Promise.allSettled(sends)) if (r.status === "rejected") seen.unsent++;
    }, { round, n: CUSTOMER_PER_ROUND });
    await control(`${contact}/burst`, { Count: AGENT_PER_ROUND });
    // About one round in two has a fault, so sockets also live long enough to be renewed.
    const kinds = ["drop", "outage", "stall", "throttle", "failing-calls", "duplicates", "malformed", "offline"];
    const fault = next(2) === 0 ? kinds[next(kinds.length)] : "none";
    faults[fault] = (faults[fault] || 0) + 1;
    switch (fault) {
      case "drop":
        await control(`${contact}/drop`);
        break;
      case "outage":
        await control(`${contact}/drop`, { RefuseMs: 300 + next(1200) });
        break;
      case "stall":
        await control(`${contact}/stall`);
        break;
      case "throttle":
        await control("faults/connection", { Status: 429, Count: 2 });
        await control(`${contact}/drop`);
        break;
      case "failing-calls":
        await control("faults/api", { Operation: "GetTranscript", Status: 500, Count: 3 });
        await control("faults/api", { Operation: "SendMessage", Status: 429, Count: 3 });
        await control(`${contact}/drop`);
        break;
      case "duplicates":
        await control(`${contact}/faults`, { DuplicateRate: 0.1, ReorderRate: 0.1 });
        break;
      case "malformed":
        await control(`${contact}/malformed`, { Kind: ["not-json", "wrong-types", "bad-content", "unknown-topic"][next(4)] });
        break;
      case "offline":
        await context.setOffline(true);
        await new Promise((r) => setTimeout(r, 500 + next(1500)));
        await context.setOffline(false);
        break;
    }
    await customer;
    await new Promise((r) => setTimeout(r, 150));
    if (fault !== "duplicates") await control(`${contact}/faults`, { DuplicateRate: 0, ReorderRate: 0 });
  }
  await context.setOffline(false);
  await control(`${contact}/faults`, { DuplicateRate: 0, ReorderRate: 0 });

  // What the service kept: every message of the contact, from either side.
  const kept = async () => {
    const r = await fetch(`${emulator.url}/emulator/${contact}/transcript`);
    const body = await r.json();
    return (body.Transcript ?? body).filter((i) => i.Type === "MESSAGE");
  };
  const items = await kept();
  const expected = items.map((i) => i.Id);
  const deadline = Date.now() + 120_000;
  let seen;
  for (;;) {
    seen = await page.evaluate(() => ({ ...window.chaos.seen, state: window.chaos.session.state }));
    const got = new Set(seen.messages);
    if (seen.state === "connected" && expected.every((id) => got.has(id))) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 1000)); // anything late would be a duplicate
  seen = await page.evaluate(() => ({ ...window.chaos.seen, state: window.chaos.session.state }));
  await page.evaluate(() => window.chaos.session.close());

  const counted = new Map();
  for (const id of seen.messages) counted.set(id, (counted.get(id) || 0) + 1);
  const lost = expected.filter((id) => !counted.has(id));
  const duplicated = [...counted].filter(([, n]) => n > 1).map(([id]) => id);
  const stray = [...counted.keys()].filter((id) => !expected.includes(id));
  const customerSent = ROUNDS * CUSTOMER_PER_ROUND - seen.unsent;
  console.log(
    `chaos on the release package (seed ${seed}): ${expected.length} messages kept by the service ` +
      `(${ROUNDS * AGENT_PER_ROUND} from the agent, ${customerSent} from the customer, ${seen.unsent} sends rejected after their retries); ` +
      `${counted.size} delivered, ${lost.length} lost, ${duplicated.length} duplicated; faults ${JSON.stringify(faults)}; ` +
      `events ${JSON.stringify(seen.counts)}`,
  );
  if (lost.length || duplicated.length) {
    // Where the losses sit: each one with its neighbours in the service's order, then the session's timeline.
    for (const id of [...lost, ...duplicated]) {
      const at = items.findIndex((i) => i.Id === id);
      for (const i of items.slice(Math.max(0, at - 2), at + 3))
        console.log(`${i.Id === id ? ">>" : "  "} ${i.AbsoluteTime} ${i.ParticipantRole} ${i.Content} delivered ${counted.get(i.Id) ?? 0}x`);
      console.log(`   (${new Date(seen.t0).toISOString()} was 0ms)`);
    }
    for (const line of seen.timeline) console.log(`   ${line}`);
  }
  if (ROUNDS >= 50) assert.ok(expected.length >= 10_000, `at least 10,000 messages went through (${expected.length})`);
  assert.ok((seen.counts.renewed ?? 0) > 0, "URLs were renewed meanwhile");
  assert.deepEqual(lost, [], "lost");
  assert.deepEqual(duplicated, [], "duplicated");
  assert.deepEqual(stray, [], "delivered but never kept by the service");
  assert.equal(seen.state, "connected");
  assert.equal(seen.counts["connection-lost"] ?? 0, 0);
});
