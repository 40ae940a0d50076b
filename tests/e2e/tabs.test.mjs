// shareAcrossTabs: three tabs (pages of one browser context) of one chat share one WebSocket. The agent
// sends 1,000 messages through the emulator's control API (bursts, and messages one by one while the
// leading tab is closed, twice): another tab takes the lock over, has its socket open within a second,
// and fills the gap. The emulator allows the customer one socket (--max-sockets-per-participant 1).
// Every tab saw every message exactly once (up to its closing), in order, and the emulator never saw more
// than one customer socket at a time. Then: the widget's tabs, a frozen leader, and a leader paused
// without a word (its lock taken by a steal).
import { test } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, watchErrors } from "./harness.mjs";
import { chatInTabs, controlApi, emulatorAndBrowser, openTab, sleep, until } from "./support.mjs";

// One customer socket at a time, enforced: a takeover whose socket races the closing tab's is refused
// (ServiceQuotaExceededException at the handshake) and retried at once.
const env = emulatorAndBrowser("--max-sockets-per-participant", "1");

/** The burst messages a tab delivered, as `[id, content]`. */
const burstItems = (page) => page.evaluate(() => window.tab.items.filter((i) => i.type === "MESSAGE" && /^burst /.test(i.content)).map((i) => [i.id, i.content]));

/** Contents the bursts sent so far, in order (each burst numbers from 0). */
const expected = (bursts) => bursts.flatMap((n) => Array.from({ length: n }, (_, i) => `burst ${i}`));

async function assertExactlyOnce(page, bursts, name) {
  const want = expected(bursts);
  await until(`${name} to have ${want.length} messages`, async () => (await burstItems(page)).length >= want.length);
  const got = await burstItems(page);
  assert.equal(new Set(got.map(([id]) => id)).size, got.length, `${name}: an item repeated`);
  assert.deepEqual(got.map(([, c]) => c), want, `${name}: every message once, in order`);
  return got.map(([id]) => id);
}

test("three tabs share one socket; the leader closed twice during 1,000 messages; none lost or repeated", async () => {
  const { contactId, context, pages, errors } = await chatInTabs(env, "Tabs", 3);
  // The emulator's count of the customer's sockets, sampled all along.
  let most = 0, sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const c = (await env.api.contacts()).find((x) => x.ContactId === contactId);
      most = Math.max(most, c?.Sockets ?? 0);
      await sleep(20);
    }
  })();
  const leader = async () => {
    const open = [];
    for (const p of pages) if (!p.isClosed() && (await p.evaluate(() => window.tab.leads()))) open.push(p);
    return open.length === 1 ? open[0] : undefined;
  };
  const burst = (Count) => env.api.call(`contacts/${contactId}/burst`, { Count });
  const sent = [];
  try {
    assert.equal(await until("one leader", leader), pages[0], "the first tab leads");
    const opened = await Promise.all(pages.map((p) => p.evaluate(() => window.tab.sockets.length)));
    assert.deepEqual(opened, [1, 0, 0], "only the leader opened a socket");

    await burst(250);
    sent.push(250);
    for (const p of pages) await assertExactlyOnce(p, sent, "every tab");

    // The leader closes while the agent is typing away (messages one by one): another tab takes over,
    // connects and fills the gap, and what comes meanwhile is delivered once.
    for (const round of [1, 2]) {
      const old = await until("one leader", leader);
      let closing, upTo;
      for (let i = 0; i < 250; i++) {
        if (i === 100) {
          upTo = (await burstItems(old)).length;
          closing = old.close().then(() => Date.now());
        }
        await env.api.say(contactId, `burst ${i}`);
      }
      const closedAt = await closing;
      sent.push(250);
      const next = await until("a new leader", leader, 5_000);
      assert.notEqual(next, old);
      const takeoverMs = (await next.evaluate(() => window.tab.openedAt)) - closedAt;
      console.log(`takeover ${round}: the old leader had ${upTo} of ${sent.reduce((a, b) => a + b, 0)} when it closed; the new one's socket was open ${takeoverMs} ms after`);
      assert.ok(takeoverMs < 1000, `the takeover took ${takeoverMs} ms`);
      for (const p of pages.filter((p) => !p.isClosed())) await assertExactlyOnce(p, sent, `a tab after takeover ${round}`);
    }
    await burst(250);
    sent.push(250);
    const [last] = pages.filter((p) => !p.isClosed());
    const ids = await assertExactlyOnce(last, sent, "the last tab");
    assert.equal(ids.length, 1000);
    assert.deepEqual(await env.api.transcript(contactId).then((t) => t.filter((i) => /^burst /.test(i.Content ?? "")).length), 1000);
  } finally {
    sampling = false;
    await sampler;
  }
  console.log(`most sockets at once: ${most}`);
  assert.ok(most <= 1, `the emulator saw ${most} customer sockets at once`);
  const refused = errors.flat().filter((e) => /WebSocket connection to .* failed/.test(e)).length;
  console.log(`sockets refused at the handshake (a takeover faster than the closing tab's socket): ${refused}`);
  assert.deepEqual(errors.flat().filter((e) => !/chat error|WebSocket connection to .* failed/.test(e)), []);
  await context.close();
});

test("the widget: a tab opened from the chat's tab shows the same chat over the one socket", async () => {
  const widget = (page) => page.locator("#connect-chat-wasm-widget");
  const before = new Set((await env.api.contacts()).map((c) => c.ContactId));
  const context = await env.browser.newContext();
  const first = await context.newPage();
  const errors = [watchErrors(first)];
  await first.goto(`${env.emulator.url}/`);
  await widget(first).locator("button.launcher").click();
  await widget(first).locator("textarea:not([disabled])").waitFor();
  const contactId = (await env.api.contacts()).find((c) => !before.has(c.ContactId)).ContactId;
  const sockets = async () => (await env.api.contacts()).find((c) => c.ContactId === contactId).Sockets;
  // What the second tab asks CreateParticipantConnection for (the first has its socket by now).
  const calls = [];
  context.on("request", (r) => r.url().endsWith("/participant/connection") && calls.push(JSON.parse(r.postData()).Type.join()));
  // Opened by the chat's tab, the new tab starts with a copy of its sessionStorage: the same chat.
  const [second] = await Promise.all([context.waitForEvent("page"), first.evaluate(() => void window.open(location.href))]);
  errors.push(watchErrors(second));
  await widget(second).locator("textarea:not([disabled])").waitFor();
  const once = async (page, text) => {
    const agentSaid = widget(page).locator("li.msg.agent", { hasText: text });
    await agentSaid.waitFor();
    await sleep(200);
    assert.equal(await agentSaid.count(), 1, `"${text}" once`);
  };
  await env.api.say(contactId, "to both tabs");
  for (const page of [first, second]) await once(page, "to both tabs");
  assert.equal(await sockets(), 1, "one socket for both tabs");
  // The second tab follows: its session asks for its own credentials only (the election answered before
  // it asked). Its `preconnect` may have asked for a socket before the Web Locks said the first tab leads
  // (the request does not wait for them), but opened none.
  assert.deepEqual(calls.filter((type) => type === "CONNECTION_CREDENTIALS"), ["CONNECTION_CREDENTIALS"], "the follower's own call");
  assert.ok(calls.length <= 2, `${calls}`);
  assert.deepEqual(await second.evaluate(() => globalThis[Symbol.for("connect-chat-wasm.preconnect")]), [], "the follower preconnected nothing");
  // The tab that leads (the first) closes: the other takes over.
  await first.close();
  await env.api.say(contactId, "after the first tab closed");
  await once(second, "after the first tab closed");
  assert.equal(await until("one socket", async () => (await sockets()) === 1), true);
  assert.deepEqual(errors.flat().filter((e) => !/chat error|WebSocket connection to .* failed/.test(e)), []);
  await context.close();
});

test("a frozen leader lets the lead go at once; thawed, it follows and has missed nothing", async () => {
  const { contactId, context, pages } = await chatInTabs(env, "Frozen", 2);
  const [first, second] = pages;
  const leads = (p) => p.evaluate(() => window.tab.leads());
  await until("the first tab to lead", () => leads(first));
  await env.api.call(`contacts/${contactId}/burst`, { Count: 100 });
  for (const p of pages) await assertExactlyOnce(p, [100], "before the freeze");
  // The browser freezes the leading tab (as it does a background tab): `freeze` fires, then nothing runs.
  // Headless Chromium freezes no visible page (CDP's Page.setWebLifecycleState is then a no-op), so the
  // events are dispatched: what is tested is the library's answer to them.
  await first.evaluate(() => document.dispatchEvent(new Event("freeze")));
  const frozenAt = Date.now();
  await until("the second tab to lead", () => leads(second), 5_000);
  const takeoverMs = Date.now() - frozenAt;
  assert.ok(takeoverMs < 1000, `the takeover took ${takeoverMs} ms`);
  await env.api.call(`contacts/${contactId}/burst`, { Count: 100 });
  await assertExactlyOnce(second, [100, 100], "the new leader");
  await first.evaluate(() => document.dispatchEvent(new Event("resume")));
  await assertExactlyOnce(first, [100, 100], "the thawed tab");
  assert.equal(await leads(first), false, "the thawed tab follows");
  await env.api.call(`contacts/${contactId}/burst`, { Count: 100 });
  for (const p of pages) await assertExactlyOnce(p, [100, 100, 100], "after the thaw");
  assert.equal((await env.api.contacts()).find((c) => c.ContactId === contactId).Sockets, 1);
  await context.close();
});

test("a leader that goes silent without a word (its page paused) loses the lock to a steal; back, it follows and has missed nothing", async () => {
  // An emulator that lets the silent leader keep its socket while the new leader opens one.
  const roomy = await startEmulator();
  const roomyApi = controlApi(roomy.url);
  const context = await env.browser.newContext();
  try {
    const started = await roomyApi.call("start-chat", { DisplayName: "Silent" });
    const contactId = started.ContactId;
    const pages = [];
    for (let i = 0; i < 2; i++) pages.push(await openTab(context, roomy.url, started.ParticipantToken));
    const [first, second] = pages;
    const leads = (p) => p.evaluate(() => window.tab.leads());
    await until("the first tab to lead", () => leads(first));
    await roomyApi.call(`contacts/${contactId}/burst`, { Count: 100 });
    for (const p of pages) await assertExactlyOnce(p, [100], "before the silence");
    // The leader's page stops running (the debugger pauses it): no `freeze`, no `pagehide`, no heartbeat;
    // it keeps its lock and its socket. The follower hears nothing for 1.5 s and steals the lock.
    const cdp = await context.newCDPSession(first);
    await cdp.send("Debugger.enable");
    await cdp.send("Debugger.pause");
    const silentAt = Date.now();
    await until("the second tab to lead", () => leads(second), 10_000);
    const stealMs = Date.now() - silentAt;
    assert.ok(stealMs < 3_000, `the steal took ${stealMs} ms`);
    await roomyApi.call(`contacts/${contactId}/burst`, { Count: 100 });
    await assertExactlyOnce(second, [100, 100], "the new leader");
    // The old leader runs again: it learns the lock was taken, closes its socket, follows and fills its gap.
    await cdp.send("Debugger.resume");
    await assertExactlyOnce(first, [100, 100], "the silent tab, back");
    await until("the silent tab to follow", async () => !(await leads(first)), 5_000);
    await roomyApi.call(`contacts/${contactId}/burst`, { Count: 100 });
    for (const p of pages) await assertExactlyOnce(p, [100, 100, 100], "after");
    await until("one customer socket", async () => (await roomyApi.contacts()).find((c) => c.ContactId === contactId).Sockets === 1, 5_000);
    console.log(`# the steal took ${stealMs} ms`);
  } finally {
    await context.close();
    roomy.stop();
  }
});

test("a chat open in one tab relays nothing; a second tab is relayed to from when it says it is there", async () => {
  const started = await env.api.call("start-chat", { DisplayName: "Alone" });
  const contactId = started.ContactId;
  const context = await env.browser.newContext();
  // Every frame a tab posts on its BroadcastChannels (the heartbeats are numbers; a frame is its text).
  await context.addInitScript(() => {
    const post = BroadcastChannel.prototype.postMessage;
    window.relayed = 0;
    BroadcastChannel.prototype.postMessage = function (data) {
      if (typeof data === "string") window.relayed++;
      return post.call(this, data);
    };
  });
  try {
    const open = () => openTab(context, env.emulator.url, started.ParticipantToken);
    const first = await open();
    await env.api.call(`contacts/${contactId}/burst`, { Count: 200 });
    await assertExactlyOnce(first, [200], "the only tab");
    assert.equal(await first.evaluate(() => window.relayed), 0, "nothing relayed with no other tab");
    const second = await open();
    await env.api.call(`contacts/${contactId}/burst`, { Count: 200 });
    const all = await assertExactlyOnce(first, [200, 200], "the first tab");
    // The second tab (a tab opened afresh, with no position of its own) has the second burst, each once,
    // and may have the first from the transcript (its gap fill from the start).
    await until("the second burst in the second tab", async () => (await burstItems(second)).some(([id]) => id === all[399]));
    const ids = (await burstItems(second)).map(([id]) => id);
    assert.equal(new Set(ids).size, ids.length, "the second tab: an item repeated");
    assert.deepEqual(ids.slice(-200), all.slice(200), "the second burst's items, in order");
    assert.ok((await first.evaluate(() => window.relayed)) >= 200, "the second burst relayed");
  } finally {
    await context.close();
  }
});
