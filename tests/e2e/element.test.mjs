// <connect-chat> as a site uses it: several on one page (www/element.html, strict CSP, the ES module
// build loaded natively), each its own chat; methods, properties and DOM events; a clean teardown when
// removed (no socket, timer or listener left); the one-tag embed served from the server's root; bad
// configuration reported as events. Screenshots go to test-results/element-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "./harness.mjs";
import { controlApi } from "./support.mjs";

let emulator, api, browser, context, page, errors;
const shot = (name, p = page) => p.screenshot({ path: `${artifacts}/element-${name}.png`, animations: "disabled" });
const chat = (id, p = page) => p.locator(`connect-chat#${id}`);
const events = (p = page) => p.evaluate(() => [...document.querySelectorAll("#events li")].map((li) => li.textContent));

// Counts what the page has open: WebSockets, and timers not yet fired or cleared (their creators' code
// runs as it would; only the bookkeeping is added).
const TRACKER = () => {
  const open = new Set();
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      open.add(this);
      this.addEventListener("close", () => open.delete(this));
    }
  };
  const timers = new Map();
  const { setTimeout: st, clearTimeout: ct, setInterval: si, clearInterval: ci } = window;
  window.setTimeout = function (fn, ms, ...rest) {
    const id = st.call(window, (...a) => {
      timers.delete(id);
      if (typeof fn === "function") fn(...a);
    }, ms, ...rest);
    timers.set(id, { ms, stack: new Error().stack });
    return id;
  };
  window.clearTimeout = (id) => (timers.delete(id), ct.call(window, id));
  window.setInterval = function (fn, ms, ...rest) {
    const id = si.call(window, fn, ms, ...rest);
    timers.set(id, { ms, interval: true, stack: new Error().stack });
    return id;
  };
  window.clearInterval = (id) => (timers.delete(id), ci.call(window, id));
  window.tracker = {
    sockets: () => [...open].filter((s) => s.readyState <= 1).length,
    timers: () => [...timers.values()],
  };
};

/** Listeners on window and document, by type (DevTools protocol: what the page itself cannot list). */
async function listeners(p) {
  const cdp = await p.context().newCDPSession(p);
  const count = {};
  for (const expr of ["window", "document"]) {
    const { result } = await cdp.send("Runtime.evaluate", { expression: expr });
    const { listeners: found } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
    for (const l of found) count[`${expr}:${l.type}`] = (count[`${expr}:${l.type}`] || 0) + 1;
  }
  await cdp.detach();
  return count;
}

before(async () => {
  emulator = await startEmulator();
  api = controlApi(emulator.url);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  await context.addInitScript(TRACKER);
  page = await context.newPage();
  errors = watchErrors(page);
  await page.goto(`${emulator.url}/element.html`);
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

test("two elements on one page: each its own chat, its pre-chat form, its events", async () => {
  // Sales opens with the launcher and starts at once.
  await chat("sales").locator("button.launcher").click();
  await chat("sales").locator("textarea:not([disabled])").waitFor();
  assert.equal(await page.evaluate(() => document.getElementById("sales").session.state), "connected");
  assert.equal(await page.evaluate(() => document.getElementById("sales").isOpen), true);

  // Support, through its method, shows its pre-chat form (in German: lang="de") and nothing starts yet.
  await page.evaluate(() => document.getElementById("support").open());
  const form = chat("support").locator("form.pre-chat-form");
  await form.waitFor();
  assert.equal(await form.locator("h3").innerText(), "Bevor wir beginnen");
  assert.equal(await page.evaluate(() => document.getElementById("support").session), null);
  // A required field left empty is said beside it, and focused.
  await form.locator("button[type=submit]").click();
  assert.equal(await form.locator("input[name=DisplayName]").getAttribute("aria-invalid"), "true");
  assert.equal(await form.locator("input[name=DisplayName]").evaluate((i) => i.getRootNode().activeElement === i), true);
  assert.equal(await form.locator("#" + (await form.locator("input[name=DisplayName]").getAttribute("aria-describedby"))).innerText(),
    "Bitte füllen Sie dieses Feld aus.", "in the widget's language, tied to the field");
  await form.locator("input[name=DisplayName]").fill("Kim Weber");
  await form.locator("input[name=email]").fill("kim@");
  await form.locator("button[type=submit]").click();
  assert.equal(await form.locator("input[name=email]").getAttribute("aria-invalid"), "true");
  assert.match(await form.locator("input[name=email] + .field-error").innerText(), /Bitte prüfen Sie diese Angabe/);
  await form.locator("input[name=email]").fill("kim@example.com");
  await form.locator("select[name=topic]").selectOption("Rücksendung");
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith("/emulator/start-chat") && r.postDataJSON()?.DisplayName === "Kim Weber"),
    form.locator("button[type=submit]").click(),
  ]);
  // The answers go to the start-chat backend as contact attributes; the name as the customer's name.
  assert.deepEqual(request.postDataJSON(), { DisplayName: "Kim Weber", Attributes: { email: "kim@example.com", topic: "Rücksendung" } });
  await chat("support").locator("textarea:not([disabled])").waitFor();

  // Two contacts; what the agent says in each shows in that widget only.
  const sales = await api.contactOf("Sam (customer)");
  const support = await api.contactOf("Kim Weber");
  assert.notEqual(sales, support);
  // The contact keeps them, for the agent (the emulator's listing, which the agent console shows).
  const listed = (await (await fetch(`${emulator.url}/emulator/contacts`)).json()).Contacts.find((c) => c.ContactId === support);
  assert.deepEqual(listed.Attributes, { email: "kim@example.com", topic: "Rücksendung" });
  await api.say(sales, "Sales here: which size?");
  await api.say(support, "Support hier: worum geht es?");
  await chat("sales").locator("li.msg.agent", { hasText: "which size" }).waitFor();
  await chat("support").locator("li.msg.agent", { hasText: "worum geht es" }).waitFor();
  assert.equal(await chat("sales").locator("li.msg", { hasText: "worum geht es" }).count(), 0);
  assert.equal(await chat("support").locator("li.msg", { hasText: "which size" }).count(), 0);
  await shot("1-two-chats");

  const seen = await events();
  assert.equal(seen.filter((e) => e.startsWith("sales: chat-started")).length, 1, seen.join("\n"));
  assert.equal(seen.filter((e) => e.startsWith("support: chat-started")).length, 1, seen.join("\n"));
  assert.ok(seen.includes('sales: message {"from":"AGENT","content":"Sales here: which size?"}'), seen.join("\n"));
  assert.ok(seen.includes('support: message {"from":"AGENT","content":"Support hier: worum geht es?"}'), seen.join("\n"));
});

test("a reload resumes both chats, each with its history and the name its customer gave", async () => {
  await page.reload();
  for (const id of ["sales", "support"]) await chat(id).locator("textarea:not([disabled])").waitFor();
  await chat("sales").locator("li.msg.agent", { hasText: "which size" }).waitFor();
  await chat("support").locator("li.msg.agent", { hasText: "worum geht es" }).waitFor();
  await chat("support").locator("textarea").fill("Es geht um eine Rücksendung.");
  await chat("support").locator("textarea").press("Enter");
  const bubble = chat("support").locator("li.msg.customer", { hasText: "Rücksendung" });
  await bubble.locator(".receipt.sent").waitFor();
  assert.equal(await bubble.locator(".who").innerText(), "Kim Weber", "the pre-chat form's name, not the attribute's");
  assert.equal((await api.contacts()).length, 2, "no new contact");
});

test("minimised, the chat goes on: the unread count is on the launcher, in the title and in events", async () => {
  const sales = await api.contactOf("Sam (customer)");
  const title = await page.title();
  await page.evaluate(() => document.getElementById("sales").close());
  assert.equal(await page.evaluate(() => document.getElementById("sales").session.state), "connected", "minimising does not end the chat");
  await api.say(sales, "Still there?");
  await api.say(sales, "We have it in blue too.");
  const badge = chat("sales").locator(".badge");
  await page.waitForFunction(() => document.getElementById("sales").unreadCount === 2);
  assert.equal(await badge.innerText(), "2");
  assert.equal(await page.title(), `(2) ${title}`);
  assert.equal(await chat("sales").locator("button.launcher").getAttribute("aria-label"), "Open chat (2 unread)");
  // The title counts every widget's unread messages: Support's, minimised too, add to it.
  const support = await api.contactOf("Kim Weber");
  await page.evaluate(() => document.getElementById("support").close());
  await api.say(support, "Haben Sie die Sendungsnummer?");
  await page.waitForFunction(() => document.getElementById("support").unreadCount === 1);
  assert.equal(await page.title(), `(3) ${title}`);
  assert.equal(await chat("support").locator("button.launcher").getAttribute("aria-label"), "Chat öffnen (1 ungelesen)");
  await shot("2-unread");
  await page.evaluate(() => document.getElementById("support").open());
  await page.waitForFunction(() => document.title.startsWith("(2) "));
  await page.evaluate(() => document.getElementById("sales").open());
  await page.waitForFunction(() => document.getElementById("sales").unreadCount === 0);
  assert.equal(await page.title(), title, "the page's own title is back");
  assert.equal(await badge.isHidden(), true);
  const counts = (await events()).filter((e) => e.startsWith("sales: unread-changed")).map((e) => JSON.parse(e.split("unread-changed ")[1]).count);
  assert.deepEqual(counts, [1, 2, 0]);
});

test("moved, an element keeps its chat; removed, it leaves no socket, timer or listener behind", async () => {
  const sales = await api.contactOf("Sam (customer)");
  const support = await api.contactOf("Kim Weber");
  assert.equal(await page.evaluate(() => window.tracker.sockets()), 2);
  // A move (out and back in, in one task) is not a removal.
  await page.evaluate(() => {
    const el = document.getElementById("sales");
    window.salesSession = el.session;
    document.querySelector("main").append(el);
  });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.getElementById("sales").session === window.salesSession), true);
  assert.equal(await page.evaluate(() => window.salesSession.state), "connected");

  await page.evaluate(() => {
    document.getElementById("sales").remove();
    document.getElementById("support").remove();
  });
  await page.waitForFunction(() => window.tracker.sockets() === 0);
  assert.equal(await page.evaluate(() => window.salesSession.state), "closed");
  // The emulator sees no socket left either (the contacts stay: a widget put back resumes them).
  for (const id of [sales, support]) {
    const c = (await api.contacts()).find((x) => x.ContactId === id);
    for (let i = 0; i < 50 && c.Sockets > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await api.contacts()).find((x) => x.ContactId === id).Sockets, 0, id);
  }
  await page.waitForTimeout(500);
  const pending = await page.evaluate(() => window.tracker.timers());
  assert.deepEqual(pending.map((t) => `${t.ms} ms${t.interval ? " (interval)" : ""}: ${t.stack.split("\n").slice(2, 4).join(" ")}`), [], "no timer left");

  // Every listener the widgets added on window and document is gone: a new one added and removed leaves
  // exactly what was there before it.
  const baseline = await listeners(page);
  await page.evaluate(() => {
    const el = document.createElement("connect-chat");
    el.id = "third";
    el.setAttribute("start-chat-url", "/emulator/start-chat");
    el.setAttribute("endpoint", "/");
    el.setAttribute("display-name", "Third customer");
    el.setAttribute("sound", "");
    el.setAttribute("notifications", "");
    document.body.append(el);
    return el.start();
  });
  assert.equal(await page.evaluate(() => document.getElementById("third").session.state), "connected");
  assert.notDeepEqual(await listeners(page), baseline, "a live widget listens to the page");
  assert.ok(await page.evaluate(() => window.tracker.timers().length > 0), "and has timers (the tracker sees them)");
  await page.evaluate(() => document.getElementById("third").remove());
  await page.waitForFunction(() => window.tracker.sockets() === 0);
  await page.waitForTimeout(300);
  assert.deepEqual(await listeners(page), baseline);
  assert.deepEqual(await page.evaluate(() => window.tracker.timers().length), 0);
  // Removed while its language was loading and put back at once: one chat, not two.
  await page.evaluate(async () => {
    const el = document.createElement("connect-chat");
    el.id = "fourth";
    for (const [k, v] of Object.entries({ "start-chat-url": "/emulator/start-chat", endpoint: "/", "display-name": "Fourth", lang: "ko" })) el.setAttribute(k, v);
    document.body.append(el);
    await new Promise((r) => setTimeout(r)); // past the removal's microtask, before the strings arrive
    el.remove();
    await new Promise((r) => setTimeout(r));
    document.body.append(el);
    await el.start();
  });
  assert.equal(await page.evaluate(() => window.tracker.sockets()), 1);
  assert.equal(await chat("fourth").locator(".panel").count(), 1, "one panel");
  assert.equal(await chat("fourth").locator("button.send").innerText(), "보내기");
  await page.evaluate(() => document.getElementById("fourth").remove());
  await page.waitForFunction(() => window.tracker.sockets() === 0);

  // Its methods now say why they cannot act, as a rejected promise (not an uncaught exception).
  const refused = await page.evaluate(async () => {
    const el = document.createElement("connect-chat");
    return el.open().then(() => "opened", (e) => e.name);
  });
  assert.equal(refused, "InvalidStateError");
});

test("the one-tag embed served from the server's root finds the library next to itself", async () => {
  const p = await context.newPage();
  const pageErrors = watchErrors(p);
  const loaded = [];
  p.on("response", (r) => loaded.push(new URL(r.url()).pathname));
  await p.goto(`${emulator.url}/cdn.html`);
  const widget = p.locator("#connect-chat-wasm-widget");
  await widget.locator("button.launcher").click();
  await widget.locator("textarea:not([disabled])").waitFor();
  assert.equal(await p.evaluate(() => document.getElementById("connect-chat-wasm-widget").localName), "connect-chat");
  for (const f of ["/widget.js", "/widget.css", "/connect_chat_wasm.js", "/connect_chat_wasm_bg.wasm"]) assert.ok(loaded.includes(f), `${f} in ${loaded}`);
  const contactId = await api.contactOf("Customer");
  await api.say(contactId, "Hello from the root");
  await widget.locator("li.msg.agent", { hasText: "Hello from the root" }).waitFor();
  await shot("3-root-embed", p);
  assert.deepEqual(pageErrors.filter((e) => !e.includes("favicon")), []);
  await p.close();
});

test("bad configuration is an error event and a clear status, never an uncaught exception", async () => {
  const p = await context.newPage();
  const pageErrors = [];
  p.on("pageerror", (e) => pageErrors.push(e.message));
  await p.goto(`${emulator.url}/element.html`);
  const got = await p.evaluate(async () => {
    for (const el of document.querySelectorAll("connect-chat")) el.remove();
    const seen = [];
    const el = document.createElement("connect-chat");
    el.id = "bad";
    el.setAttribute("strings", "{not json");
    el.setAttribute("pre-chat-fields", '{"name":"email"}');
    el.setAttribute("resume-idle-minutes", "soon");
    el.setAttribute("module", "/nowhere/connect_chat_wasm.js");
    el.setAttribute("start-chat-url", "/emulator/start-chat");
    el.addEventListener("error", (e) => seen.push(`${e.detail.during}: ${e.detail.error.message}`));
    el.preChatFields = [{ label: "no name" }];
    document.body.append(el);
    await el.start();
    return seen;
  });
  const expected = [
    /^config: strings is not a JSON object/,
    /^config: pre-chat-fields is not a JSON array of fields/,
    /^config: resume-idle-minutes="soon" is not a number of minutes; using 30/,
    /^start: the chat library \S+\/nowhere\/connect_chat_wasm\.js could not be loaded/,
    /^config: preChatFields must be an array of fields, each with a name/,
  ];
  assert.equal(got.length, expected.length, got.join("\n"));
  for (const re of expected) assert.ok(got.some((g) => re.test(g)), `${re} in\n${got.join("\n")}`);
  const status = p.locator("connect-chat#bad .status.error");
  assert.match(await status.innerText(), /could not be loaded .*module attribute/);
  await p.evaluate(() => document.getElementById("bad").open());
  await shot("4-bad-module", p);
  assert.deepEqual(pageErrors, []);
  await p.close();
});

test("no page errors on the element page", () => {
  assert.deepEqual(errors.filter((e) => !e.includes("favicon")), []);
});
