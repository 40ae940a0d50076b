// What a real Connect chat carries besides text, in the widget on the shop page (strict CSP): every
// interactive template answered by mouse and by keyboard (the emulator records exactly what the reference
// widget sends), markdown rendered safely, a streamed reply as one bubble, customer authentication through
// the sign-in page, and a rejected attachment. Screenshots go to test-results/rich-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "./harness.mjs";
import { SAMPLES, storesPage } from "../../www/samples.js";

const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
const EVENT = "application/vnd.amazonaws.connect.event.";
let emulator, browser, page, errors, contactId;
const shot = (name, p = page) => p.screenshot({ path: `${artifacts}/rich-${name}.png` });
const widget = () => page.locator("#connect-chat-wasm-widget");
const sample = (label) => {
  const s = SAMPLES.find((x) => x.label === label);
  return typeof s.content === "function" ? s.content() : s.content;
};

async function control(path, body) {
  const res = await fetch(`${emulator.url}/emulator/contacts/${contactId}/${path}`, { method: "POST", body: JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}
const bot = (content, contentType = INTERACTIVE) => control("messages", { Content: content, ContentType: contentType, ParticipantRole: "SYSTEM" });

/** Sends a template as the bot; returns its bubble once the widget shows it. */
async function template(content, title) {
  const all = widget().locator("li.has-template", { hasText: title });
  const before = await all.count();
  await bot(content);
  await all.nth(before).waitFor();
  return all.nth(before);
}

/** What the customer sent, as the emulator recorded it: [{ type, content }]. */
async function said() {
  const t = await (await fetch(`${emulator.url}/emulator/contacts/${contactId}/transcript`)).json();
  return t.Transcript.filter((i) => i.ParticipantRole === "CUSTOMER" && i.Type === "MESSAGE").map((i) => ({ type: i.ContentType, content: i.Content }));
}
/** Waits for the customer's next message and returns it. */
async function nextSaid(before) {
  for (let i = 0; i < 100; i++) {
    const all = await said();
    if (all.length > before) {
      assert.equal(all.length, before + 1, "one answer, sent once");
      return all[before];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the customer's answer never reached the emulator");
}

/** Moves the keyboard focus with Tab (Shift+Tab going back) until `target` has it: proof that it is
 * reachable by keyboard. */
async function tabTo(target, back = true) {
  const handle = await target.elementHandle();
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((el) => el.getRootNode().activeElement === el, handle)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`could not reach ${await target.innerText()} with the keyboard`);
}
const composer = () => widget().locator("textarea");

before(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  errors = watchErrors(page);
  await page.goto(`${emulator.url}/`);
  await widget().locator("button.launcher").click();
  await widget().locator("textarea:not([disabled])").waitFor();
  const { Contacts } = await (await fetch(`${emulator.url}/emulator/contacts`)).json();
  contactId = Contacts[0].ContactId;
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

test("every template, answered by mouse, sends what the reference widget sends", async () => {
  // ListPicker: the chosen title; then the reply message, and the template is done.
  let n = (await said()).length;
  const list = await template(sample("List picker"), "Which product is it about?");
  await list.locator("button.choice", { hasText: "Ridge Jacket" }).click();
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: "Ridge Jacket" });
  await list.locator(".reply", { hasText: "Thanks!" }).waitFor();
  assert.equal(await list.locator("button.choice:not([disabled])").count(), 0, "answered once");
  assert.equal(await list.locator("button.chosen").innerText().then((t) => t.includes("Ridge Jacket")), true);
  await widget().locator("li.msg.customer", { hasText: "Ridge Jacket" }).waitFor();
  await shot("1-list-picker");

  // Panel, with a hyperlink element that opens a page and sends nothing.
  const panel = await template(sample("Panel"), "How can we help?");
  const faq = panel.locator("a.choice", { hasText: "Read the FAQ" });
  assert.equal(await faq.getAttribute("href"), "https://www.example.com/faq");
  assert.equal(await faq.getAttribute("target"), "_blank");
  assert.equal(await faq.getAttribute("rel"), "noopener noreferrer");
  await panel.locator("button.choice", { hasText: "Start a return" }).click();
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: "Start a return" });

  // QuickReply chips.
  await (await template(sample("Quick replies"), "Did that answer your question?")).locator("button.chip", { hasText: /^No$/ }).click();
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: "No" });

  // TimePicker: slots grouped by day; pick one, confirm, and the slot's date is sent.
  const picker = sample("Time slots");
  const slots = JSON.parse(picker).data.content.timeslots;
  const times = await template(picker, "Book a fitting");
  assert.equal(await times.locator(".day").count(), 2, "two days");
  await times.locator(".location", { hasText: "Bristol" }).waitFor();
  await times.locator("button.slot").nth(1).click();
  assert.equal(await times.locator("button.slot[aria-pressed=true]").count(), 1);
  await shot("2-time-picker");
  await times.locator("button.confirm").click();
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: slots[1].date });
  await times.locator(".reply", { hasText: "Your fitting is booked" }).waitFor();

  // Carousel: step to the third card; its element answers with the card's identifier.
  const carousel = await template(sample("Carousel"), "Our most popular gear");
  await carousel.locator("button.step[aria-label=Next]").click();
  await carousel.locator("button.step[aria-label=Next]").click();
  assert.equal(await carousel.locator(".position").innerText(), "3 of 3");
  assert.equal(await carousel.locator(".slide:not([hidden])").getAttribute("aria-label"), "3 of 3");
  await shot("3-carousel");
  await carousel.locator(".slide:not([hidden]) button.choice", { hasText: "Add to basket" }).click();
  assert.deepEqual(await nextSaid(n++),
    { type: "text/plain", content: '{"templateIdentifier":"pack","listTitle":"Summit Pack 30L","selectionText":"Add to basket"}' });
  await widget().locator("li.msg.customer", { hasText: "Summit Pack 30L - Add to basket" }).waitFor();

  // A paged list: "Show more" asks the flow for page 2, which takes page 1's place.
  await (await template(storesPage(0), "Which store suits you?")).locator("button.choice", { hasText: "Show more stores" }).click();
  assert.deepEqual(await nextSaid(n++), {
    type: `${INTERACTIVE}.response`,
    content: '{"version":"1.0","data":{"actionName":"SHOW_MORE","preIndex":-1,"nextIndex":3,"listId":"stores","templateType":"ListPicker","referenceId":"demo-stores"},"action":"SHOW_MORE"}',
  });
  await bot(storesPage(1));
  const page2 = widget().locator("li.has-template", { hasText: "Oxford" });
  await page2.waitFor();
  assert.equal(await widget().locator("li.has-template", { hasText: "Which store suits you?" }).count(), 1, "page 2 replaced page 1");
  assert.equal(await widget().locator("li.msg.customer", { hasText: "SHOW_MORE" }).count(), 0, "paging is not a message");
  await page2.locator("button.choice", { hasText: "Oxford" }).click();
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: "Oxford" });

  // ViewResource: the view's form (DescribeView), filled from viewData; the action sends its output.
  const guide = await template(sample("Step-by-step guide"), "Confirm your delivery address");
  assert.equal(await guide.locator("input[name=street]").inputValue(), "1 Harbourside");
  await guide.locator("input[name=city]").fill("Bristol");
  await guide.locator("input[name=postcode]").fill("BS1 5DB");
  await shot("4-guide");
  await guide.locator("button.action", { hasText: "Submit" }).click();
  assert.deepEqual(await nextSaid(n++), {
    type: `${INTERACTIVE}.response`,
    content: '{"action":"Submit","data":{"street":"1 Harbourside","city":"Bristol","postcode":"BS1 5DB"},"templateType":"ViewResource","version":"1.0"}',
  });

  // A template of the wrong shape is not shown as raw JSON.
  await bot('{"templateType":"ListPicker","version":"1.0","data":{"content":{"title":"no elements"}}}');
  await widget().locator("li.msg.system .unsupported", { hasText: "can't be shown" }).waitFor();
  assert.equal(await widget().locator("li.msg", { hasText: "templateType" }).count(), 0);
});

test("every template answered by keyboard", async () => {
  let n = (await said()).length;
  const chip = (await template(sample("Quick replies"), "Did that answer your question?")).locator("button.chip", { hasText: "Yes, thanks" });
  await composer().focus();
  await tabTo(chip);
  await page.keyboard.press("Enter");
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: "Yes, thanks" });

  const list = await template(sample("List picker"), "Which product is it about?");
  await composer().focus();
  await tabTo(list.locator("button.choice", { hasText: "Summit Pack 30L" }));
  await page.keyboard.press("Space");
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: "Summit Pack 30L" });

  const panel = await template(sample("Panel"), "How can we help?");
  await composer().focus();
  await tabTo(panel.locator("button.choice", { hasText: "Track my order" }));
  await page.keyboard.press("Enter");
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: "Track my order" });

  const picker = sample("Time slots");
  const times = await template(picker, "Book a fitting");
  await composer().focus();
  await tabTo(times.locator("button.slot").nth(3));
  await page.keyboard.press("Space");
  await tabTo(times.locator("button.confirm"), false);
  await page.keyboard.press("Enter");
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: JSON.parse(picker).data.content.timeslots[3].date });

  // The carousel steps with its buttons and with the arrow keys; the position is announced.
  const carousel = await template(sample("Carousel"), "Our most popular gear");
  await composer().focus();
  await tabTo(carousel.locator("button.step[aria-label=Next]"));
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  assert.equal(await carousel.locator(".position").innerText(), "3 of 3");
  assert.equal(await carousel.locator("button.step[aria-label=Previous]").evaluate((b) => b.getRootNode().activeElement === b), true,
    "at the end the focus moves to Previous instead of getting lost");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await carousel.locator(".position").innerText(), "2 of 3");
  assert.equal(await carousel.locator(".position").getAttribute("aria-live"), "polite");
  await tabTo(carousel.locator(".slide:not([hidden]) button.choice", { hasText: "More details" }));
  await page.keyboard.press("Enter");
  assert.deepEqual(await nextSaid(n++),
    { type: "text/plain", content: '{"templateIdentifier":"jacket","listTitle":"Ridge Jacket","selectionText":"More details"}' });

  const guide = await template(sample("Step-by-step guide"), "Confirm your delivery address");
  await guide.locator("input[name=city]").waitFor();
  await composer().focus();
  await tabTo(guide.locator("input[name=city]"));
  await page.keyboard.type("Leeds");
  await page.keyboard.press("Tab");
  await page.keyboard.type("LS1");
  await tabTo(guide.locator("button.action", { hasText: "Submit" }), false);
  await page.keyboard.press("Enter");
  assert.deepEqual(await nextSaid(n++), {
    type: `${INTERACTIVE}.response`,
    content: '{"action":"Submit","data":{"street":"1 Harbourside","city":"Leeds","postcode":"LS1"},"templateType":"ViewResource","version":"1.0"}',
  });
});

test("markdown renders as nodes, links only where safe", async () => {
  await bot(sample("Markdown"), "text/markdown");
  const md = widget().locator("li.msg .md", { hasText: "Order #1042 has shipped" }).last();
  await md.waitFor();
  assert.equal(await md.locator("strong").first().innerText(), "Order #1042 has shipped");
  assert.equal(await md.locator("li").count(), 2);
  assert.equal(await md.locator("em").innerText(), "Two");
  assert.equal(await md.locator("code").innerText(), "NW-1042-UK");
  assert.equal(await md.locator("s").innerText(), "Old address");
  const links = md.locator("a");
  assert.equal(await links.count(), 1, "the javascript: link is not a link");
  assert.equal(await links.getAttribute("href"), "https://www.example.com/track/NW-1042-UK");
  assert.equal(await links.getAttribute("target"), "_blank");
  assert.equal(await links.getAttribute("rel"), "noopener noreferrer");
  assert.match(await md.innerText(), /This one is not a link: click me/);
  await bot('<img src=x onerror="alert(1)"> and <script>alert(2)</script> **still text**', "text/markdown");
  const hostile = widget().locator("li.msg .md", { hasText: "still text" });
  await hostile.waitFor();
  assert.equal(await hostile.locator("img, script").count(), 0);
  assert.match(await hostile.innerText(), /<img src=x onerror="alert\(1\)"> and <script>alert\(2\)<\/script> still text/);
  await shot("5-markdown");
});

test("a streamed reply is one bubble that grows, then settles", async () => {
  const chunks = ["Let me ", "look that ", "up for you. ", "Your order ", "left our warehouse ", "this morning."];
  const sent = control("stream", { Chunks: chunks, IntervalMs: 250 });
  const bubble = widget().locator("li.msg.streaming");
  await bubble.waitFor();
  const id = await bubble.getAttribute("data-id");
  let seen = "";
  for (let i = 0; i < 4; i++) {
    const now = await widget().locator(`li[data-id="${id}"]`).innerText().catch(() => seen);
    assert.equal(await widget().locator(`li[data-id="${id}"]`).count(), 1, "one bubble");
    assert.ok(now.length >= seen.length, "it only grows");
    seen = now;
    if (i === 1) await shot("6-streaming");
    await page.waitForTimeout(200);
  }
  await sent;
  const done = widget().locator(`li.msg[data-id="${id}"]:not(.streaming)`);
  await done.waitFor();
  assert.equal(await done.locator(".text").innerText(), chunks.join(""));
  assert.equal(await widget().locator(`li[data-id="${id}"]`).count(), 1);
  assert.equal(await done.getAttribute("aria-hidden"), null, "the settled reply is announced");
});

test("the customer signs in through the identity provider's page", async () => {
  const prompts = widget().locator(".template.auth");
  const before = await prompts.count();
  await control("authentication", {});
  const prompt = prompts.nth(before);
  // Enabled once the library has the sign-in URL (GetAuthenticationUrl, asked for at once).
  const signIn = prompt.locator("button:not([disabled])", { hasText: /^Sign in$/ });
  await signIn.waitFor();
  await shot("7-sign-in-prompt");
  const [popup] = await Promise.all([page.waitForEvent("popup"), signIn.click()]);
  await popup.waitForLoadState();
  assert.match(popup.url(), /\/emulator\/authenticate\?session=/);
  assert.equal(await popup.evaluate(() => window.name), "connect-chat-auth");
  await popup.screenshot({ path: `${artifacts}/rich-8-sign-in-page.png` });
  const closed = popup.waitForEvent("close", { timeout: 10_000 });
  await popup.locator("button", { hasText: "Sign in" }).click();
  await closed; // the widget closes the popup once the flow says how it went
  await widget().locator("li.note", { hasText: "You are signed in to your account." }).waitFor();
  assert.equal(await prompt.locator("button:not([disabled])").count(), 0);
  await shot("9-signed-in");
});

test("the customer may continue without signing in", async () => {
  const prompts = widget().locator(".template.auth");
  const before = await prompts.count();
  await control("authentication", {});
  const prompt = prompts.nth(before);
  await prompt.locator("button", { hasText: "Continue without signing in" }).click();
  await widget().locator("li.note", { hasText: "Sign-in cancelled." }).waitFor();
  const t = await (await fetch(`${emulator.url}/emulator/contacts/${contactId}/transcript`)).json();
  assert.equal(t.Transcript.filter((i) => i.ContentType === `${EVENT}authentication.cancelled`).length, 1);
});

test("a rejected attachment is shown as blocked, not downloadable", async () => {
  await control("scan", { Status: "REJECTED" });
  await widget().locator("input[type=file]").setInputFiles({ name: "invoice.txt", mimeType: "text/plain", buffer: Buffer.from("not really") });
  const blocked = widget().locator(".file.blocked", { hasText: "invoice.txt" });
  await blocked.waitFor();
  assert.match(await blocked.innerText(), /Blocked by the attachment scan/);
  assert.equal(await widget().locator("button.file-link", { hasText: "invoice.txt" }).count(), 0);
  await shot("10-rejected-attachment");
  await control("scan", { Status: "APPROVED" });
});

test("after a reload, an answered template stays read-only and an open one can still be answered", async () => {
  let n = (await said()).length;
  const question = "Anything else today?";
  await bot(JSON.stringify({ templateType: "QuickReply", version: "1.0", data: { content: { title: question, elements: [{ title: "All good" }, { title: "One more thing" }] } } }));
  await widget().locator("li.has-template", { hasText: question }).waitFor();
  await page.reload();
  const open = widget().locator("li.has-template", { hasText: question });
  await open.locator("button.chip:not([disabled])", { hasText: "All good" }).waitFor();
  const answered = widget().locator("li.has-template", { hasText: "Which product is it about?" }).first();
  assert.equal(await answered.locator("button:not([disabled])").count(), 0, "answered before the reload: read-only");
  await open.locator("button.chip", { hasText: "All good" }).click();
  assert.deepEqual(await nextSaid(n++), { type: "text/plain", content: "All good" });
  await shot("12-after-reload");
});

test("the agent console sends every sample, and no page had an error", async () => {
  const agent = await page.context().newPage();
  const agentErrors = watchErrors(agent);
  await agent.goto(`${emulator.url}/agent.html`);
  await agent.locator("#contacts button").first().click();
  await agent.waitForFunction(() => document.getElementById("state").textContent === "connected");
  const before = await widget().locator("li.has-template").count();
  for (const label of ["List picker", "Panel", "Quick replies", "Time slots", "Carousel", "Paged list", "Step-by-step guide"]) {
    await agent.locator("#samples button", { hasText: label }).click();
    await page.waitForTimeout(150);
  }
  await page.waitForFunction((n) => document.querySelector("#connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.has-template").length >= n,
    before + 6);
  await agent.locator("#stream").click();
  await widget().locator("li.msg", { hasText: "and arrives tomorrow." }).waitFor();
  await agent.screenshot({ path: `${artifacts}/rich-11-agent-console.png` });
  // Images of the samples point at a host this offline machine cannot reach; the widget hides them.
  assert.deepEqual(errors, [], "no errors and no CSP violations on the shop page");
  assert.deepEqual(agentErrors, []);
});
