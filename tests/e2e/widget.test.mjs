// The demo as a person uses it: a customer chats through the embedded widget on the shop page (strict
// CSP), an agent answers in the agent console, in one headless Chromium. Screenshots go to test-results/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "./harness.mjs";

let emulator, browser, context, customer, agent, customerErrors, agentErrors;
const shot = (page, name) => page.screenshot({ path: `${artifacts}/widget-${name}.png` });
const widget = (page) => page.locator("#connect-chat-wasm-widget");

before(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 760 } });
  customer = await context.newPage();
  agent = await context.newPage();
  customerErrors = watchErrors(customer);
  agentErrors = watchErrors(agent);
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

test("a customer opens the widget on a page with a strict CSP", async () => {
  await customer.goto(`${emulator.url}/`);
  const launcher = widget(customer).locator("button.launcher");
  await launcher.waitFor();
  assert.equal(await launcher.getAttribute("aria-expanded"), "false");
  // Keyboard: focus the launcher and press Enter.
  await launcher.focus();
  await customer.keyboard.press("Enter");
  await widget(customer).locator("textarea:not([disabled])").waitFor();
  assert.equal(await launcher.getAttribute("aria-expanded"), "true");
  assert.equal(await widget(customer).locator('[role="dialog"]').getAttribute("aria-label"), "Northwind support");
  // The page's hostile `button { background: hotpink }` does not reach the widget.
  const bg = await widget(customer).locator("button.send").evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.notEqual(bg, "rgb(255, 105, 180)");
  await shot(customer, "1-open");
});

test("the agent picks the chat up in the console", async () => {
  await agent.goto(`${emulator.url}/agent.html`);
  await agent.locator("#contacts button").first().click();
  await agent.waitForFunction(() => document.getElementById("state").textContent === "connected");
  await shot(agent, "2-agent-console");
});

test("they chat, with typing indicators, read receipts and text-only rendering", async () => {
  const input = widget(customer).locator("textarea");
  await input.fill("Hi! Where is my order #1042?");
  await agent.locator("#typing:not([hidden])").waitFor();
  await input.press("Enter");
  await agent.locator("#log li.customer", { hasText: "Where is my order #1042?" }).waitFor();
  // The console sends a read receipt for every customer message: the customer sees it.
  await widget(customer).locator("li.msg.customer .receipt.read").waitFor();
  assert.equal(await widget(customer).locator("li.msg.customer .receipt").getAttribute("aria-label"), "Read");

  await agent.locator("#text").fill("Let me check. <img src=x onerror=alert(1)>");
  await widget(customer).locator(".typing:not([hidden])").waitFor();
  assert.match(await widget(customer).locator(".typing").innerText(), /is typing/);
  await agent.locator("#text").press("Enter");
  const reply = widget(customer).locator("li.msg.agent", { hasText: "Let me check." });
  await reply.waitFor();
  assert.equal(await reply.locator(".text").innerText(), "Let me check. <img src=x onerror=alert(1)>");
  assert.equal(await widget(customer).locator("img").count(), 0, "markup stays text");
  assert.equal(await reply.locator(".who").innerText(), "Agent");
  assert.ok(await reply.locator("time").getAttribute("datetime"));
  await shot(customer, "3-conversation");
});

test("attachments both ways", async () => {
  await widget(customer).locator("input[type=file]").setInputFiles({
    name: "receipt.txt", mimeType: "text/plain", buffer: Buffer.from("order 1042, paid"),
  });
  const atAgent = agent.locator("#log li.customer button.file", { hasText: "receipt.txt" });
  await atAgent.waitFor();
  const [agentDownload] = await Promise.all([agent.waitForEvent("download"), atAgent.click()]);
  assert.equal(readFileSync(await agentDownload.path(), "utf8"), "order 1042, paid");

  const label = `${artifacts}/label.pdf`;
  writeFileSync(label, "%PDF-1.4 shipping label");
  await agent.locator("#file").setInputFiles(label);
  const atCustomer = widget(customer).locator("button.file-link", { hasText: "label.pdf" });
  await atCustomer.waitFor();
  const [download] = await Promise.all([customer.waitForEvent("download"), atCustomer.click()]);
  assert.equal(download.suggestedFilename(), "label.pdf");
  assert.equal(readFileSync(await download.path(), "utf8"), "%PDF-1.4 shipping label");
  await shot(customer, "4-attachments");
});

test("a dropped socket shows a banner, heals, and loses nothing", async () => {
  const contacts = await (await fetch(`${emulator.url}/emulator/contacts`)).json();
  const contactId = contacts.Contacts[0].ContactId;
  const banner = widget(customer).locator(".status.warning");
  const sawBanner = customer.waitForFunction(
    () => document.querySelector("#connect-chat-wasm-widget").shadowRoot.querySelector(".status.warning:not([hidden])"),
    null, { polling: "raf", timeout: 10_000 },
  );
  // An outage of a second and a half: the first reconnect attempts are refused.
  await fetch(`${emulator.url}/emulator/contacts/${contactId}/drop`, { method: "POST", body: JSON.stringify({ RefuseMs: 1500 }) });
  await sawBanner;
  assert.match(await banner.innerText(), /Reconnecting/);
  await shot(customer, "5-reconnecting");
  await agent.locator("#text").fill("Your parcel left the warehouse today.");
  await agent.locator("#text").press("Enter");
  await widget(customer).locator("li.msg.agent", { hasText: "left the warehouse" }).waitFor();
  await widget(customer).locator(".status").waitFor({ state: "hidden" });
  assert.equal(await widget(customer).locator("li.msg.agent", { hasText: "left the warehouse" }).count(), 1);
});

test("a reload resumes the same chat", async () => {
  const requests = [];
  const asked = (r) => r.url().endsWith("/participant/connection") && requests.push(JSON.parse(r.postData()).Type.join());
  customer.on("request", asked);
  await customer.reload();
  await widget(customer).locator("textarea:not([disabled])").waitFor();
  customer.off("request", asked);
  // The chat's connection went out while the library loaded (`preconnect`), and the session, leading
  // (the tabs' election answered first), took it over: one CreateParticipantConnection in all.
  assert.deepEqual(requests, ["WEBSOCKET,CONNECTION_CREDENTIALS"], "one call, for the socket");
  assert.deepEqual(await customer.evaluate(() => globalThis[Symbol.for("connect-chat-wasm.preconnect")]), [], "and taken over");
  await widget(customer).locator("li.msg.agent", { hasText: "left the warehouse" }).waitFor();
  await agent.locator("#text").fill("Anything else?");
  await agent.locator("#text").press("Enter");
  await widget(customer).locator("li.msg.agent", { hasText: "Anything else?" }).waitFor();
  assert.equal(await widget(customer).locator("li.msg.customer", { hasText: "order #1042" }).count(), 1, "history once");
  assert.equal(await widget(customer).locator("li.msg.customer", { hasText: "order #1042" }).locator(".receipt.read").count(), 1,
    "the read mark survives the reload");
});

test("the agent ends the chat and the widget says so", async () => {
  await agent.locator("#end").click();
  await widget(customer).locator(".status.ended").waitFor();
  await widget(customer).locator("li.note", { hasText: "The chat has ended" }).waitFor();
  assert.match(await widget(customer).locator(".status").innerText(), /ended/);
  assert.equal(await widget(customer).locator("textarea").isDisabled(), true);
  await shot(customer, "6-ended");
  await shot(agent, "7-agent-ended");
  // Escape minimises the panel and gives focus back to the launcher.
  await widget(customer).locator("button.close").press("Escape");
  assert.equal(await widget(customer).locator("button.launcher").getAttribute("aria-expanded"), "false");
  assert.equal(await widget(customer).locator("button.launcher").evaluate((b) => b.getRootNode().activeElement === b), true);
  // The browser logs the handshakes the simulated outage refused, and a session still reconnecting when
  // the chat ends is refused (403, then `connection-lost`, as it should), and so is a read receipt that
  // was on its way when the agent ended the chat (the chat.ended item had not reached the page yet);
  // nothing else may show up.
  const noise = (e) =>
    e.includes("favicon") ||
    /WebSocket handshake: Unexpected response code: 500/.test(e) ||
    /HTTP 403 POST \S+\/participant\/connection .*the chat has ended/.test(e) ||
    /HTTP 403 POST \S+\/participant\/event \{"ContentType":"application\/vnd\.amazonaws\.connect\.event\.message\.read".*the chat has ended/.test(e);
  assert.deepEqual(customerErrors.filter((e) => !noise(e)), [], "no errors and no CSP violations on the shop page");
  assert.deepEqual(agentErrors.filter((e) => !noise(e)), []);
});
