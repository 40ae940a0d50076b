// Accessibility, checked by a tool: axe-core on every state of the widget (closed, the pre-chat form,
// open, chatting, each interactive template, the sign-in prompt, a failed message, the end confirmation,
// ended, a start that failed, dark, right to left, a phone), none serious or critical; and by hand
// where a tool cannot: the whole chat by keyboard, focus never lost, each new message announced once (added
// to the live log once and never re-added), prefers-reduced-motion honoured. Screenshots of each state go
// to test-results/a11y-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { watchErrors, artifacts } from "./harness.mjs";
import { assertAccessible, emulatorAndBrowser } from "./support.mjs";
import { SAMPLES, STREAMED } from "../../www/samples.js";

const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
let allErrors = [];
const env = emulatorAndBrowser();
const sample = (label) => {
  const s = SAMPLES.find((x) => x.label === label);
  return { Content: typeof s.content === "function" ? s.content() : s.content, ContentType: s.contentType || INTERACTIVE };
};

async function newPage({ viewport = { width: 1100, height: 800 }, colorScheme = "light", reducedMotion = "no-preference" } = {}) {
  // axe sets inline styles while it measures, which the pages' CSP would report: the CSP itself is
  // checked by the other tests.
  const context = await env.browser.newContext({ viewport, colorScheme, reducedMotion, bypassCSP: true });
  const page = await context.newPage();
  allErrors.push(watchErrors(page));
  return page;
}
/** Checks the page with axe and keeps a picture of the state. */
async function check(page, state) {
  await assertAccessible(page, state);
  await page.screenshot({ path: `${artifacts}/a11y-${state}.png`, animations: "disabled" });
}
const focused = (page) => page.evaluate(() => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a ? `${a.localName}${a.className ? "." + String(a.className).split(" ").join(".") : ""}` : null;
});
/** The one-tag widget of the demo shop, with a watch on its live log: every node ever added to it. */
const shop = (page) => page.locator("#connect-chat-wasm-widget");
async function watchLog(page) {
  await page.evaluate(() => {
    const log = document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelector(".log");
    window.added = [];
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) window.added.push({ cls: n.className, text: n.textContent, hidden: n.getAttribute("aria-hidden") });
    }).observe(log, { childList: true });
  });
}


test("by keyboard, every state passes axe: closed, open, chatting, each template, ended", async () => {
  const page = await newPage();
  await page.goto(`${env.emulator.url}/`);
  await shop(page).locator("button.launcher").waitFor();
  await check(page, "closed");

  // Tab reaches the launcher; Enter opens; the composer has the focus once the chat is live.
  for (let i = 0; i < 20 && (await focused(page)) !== "button.launcher"; i++) await page.keyboard.press("Tab");
  assert.equal(await focused(page), "button.launcher");
  await page.keyboard.press("Enter");
  await shop(page).locator("textarea:not([disabled])").waitFor();
  assert.equal(await focused(page), "textarea.input");
  await watchLog(page);
  await check(page, "open");

  const contactId = (await env.api.contacts())[0].ContactId;
  await page.keyboard.type("Hello, I need help with an order");
  await page.keyboard.press("Enter");
  await shop(page).locator("li.msg.customer .receipt.sent").waitFor();
  await env.api.say(contactId, "Of course! What is the order number?");
  await shop(page).locator("li.msg.agent", { hasText: "order number" }).waitFor();
  await check(page, "chatting");

  // Each template, as the bot sends it, checked open; the first answered by keyboard.
  for (const [label, title] of [["List picker", "Which product"], ["Panel", "How can we help"], ["Quick replies", "Did that answer"],
    ["Time slots", "Book a fitting"], ["Carousel", "Our most popular gear"], ["Step-by-step guide", "Delivery address"], ["Markdown", "Order #1042"]]) {
    await env.api.say(contactId, sample(label).Content, { ContentType: sample(label).ContentType, ParticipantRole: "SYSTEM" });
    await shop(page).locator("li.msg", { hasText: title }).last().waitFor();
    if (label === "Step-by-step guide") await shop(page).locator(".template-viewresource .view-form").waitFor();
    await check(page, `template-${label.toLowerCase().replaceAll(" ", "-")}`);
    if (label === "List picker") {
      const choice = shop(page).locator("li.has-template", { hasText: title }).locator("button.choice").first();
      await choice.focus();
      await page.keyboard.press("Enter");
      await shop(page).locator("li.has-template .reply").first().waitFor();
      // The answered card's buttons are disabled: the focus went to the composer, not to the page.
      assert.equal(await focused(page), "textarea.input");
    }
  }
  // A streamed reply, and the sign-in prompt.
  await env.api.call(`contacts/${contactId}/stream`, STREAMED);
  await shop(page).locator("li.msg:not(.streaming)", { hasText: "arrives tomorrow" }).waitFor();
  await env.api.call(`contacts/${contactId}/authentication`, {});
  await shop(page).locator(".template.auth").waitFor();
  await check(page, "sign-in");

  // Ending by keyboard: End, then the confirmation's buttons (focus on Cancel first).
  const end = shop(page).locator("button.end");
  await end.focus();
  await page.keyboard.press("Enter");
  assert.equal(await focused(page), "button.confirm-no");
  await check(page, "confirm-end");
  await page.keyboard.press("Shift+Tab"); // not trapped: the confirmation is part of the panel
  await shop(page).locator("button.confirm-yes").focus();
  await page.keyboard.press("Enter");
  await shop(page).locator(".status.ended").waitFor();
  assert.equal(await focused(page), "button.status-action", "focus lands on Start a new chat");
  await check(page, "ended");
  // Escape minimises; the focus goes back to the launcher.
  await page.keyboard.press("Escape");
  assert.equal(await focused(page), "button.launcher");

  // Announced once: every bubble was added to the live log once (the streamed reply grew hidden from
  // screen readers, then came once, whole).
  const added = await page.evaluate(() => window.added);
  const shown = added.filter((n) => n.cls.startsWith("msg") && n.hidden !== "true");
  const texts = shown.map((n) => n.text);
  assert.equal(new Set(texts).size, texts.length, `a bubble added twice: ${texts.filter((t, i) => texts.indexOf(t) !== i)}`);
  assert.equal(shown.filter((n) => n.text.includes("arrives tomorrow")).length, 1);
  assert.ok(added.some((n) => n.hidden === "true" && n.cls.includes("streaming")), "the growing reply was hidden from the live log");
  await page.context().close();
});

test("a start that failed, a failed message, dark, right to left, a phone, the pre-chat form: axe finds nothing serious", async () => {
  // The start fails (the backend is down): the status says so, with a retry the keyboard reaches.
  let page = await newPage();
  await page.route("**/emulator/start-chat", (route) => route.fulfill({ status: 503, body: "down" }));
  await page.goto(`${env.emulator.url}/`);
  await shop(page).locator("button.launcher").click();
  await shop(page).locator(".status.error").waitFor();
  assert.equal(await focused(page), "button.status-action", "focus on Try again");
  await check(page, "error");
  await page.unroute("**/emulator/start-chat");
  await page.keyboard.press("Enter");
  await shop(page).locator("textarea:not([disabled])").waitFor();
  // Refused for good (a 4xx: the outbox retries a 5xx at its place, greyed, until it goes through).
  await page.route("**/participant/message", (route) =>
    route.fulfill({ status: 400, headers: { "x-amzn-ErrorType": "ValidationException" }, body: '{"message":"refused"}' }));
  await shop(page).locator("textarea").fill("This one fails");
  await shop(page).locator("textarea").press("Enter");
  await shop(page).locator("li.msg.failed button.resend").waitFor();
  await check(page, "failed-message");
  await page.context().close();

  // The element page: dark (system), Support's pre-chat form (German, dark by attribute), then Arabic.
  page = await newPage({ colorScheme: "dark" });
  await page.goto(`${env.emulator.url}/element.html`);
  await page.evaluate(() => document.getElementById("support").open());
  await page.locator("connect-chat#support form.pre-chat-form").waitFor();
  assert.equal(await focused(page), "input", "focus on the form's first field");
  await check(page, "pre-chat-dark");
  // Filled in and sent by keyboard alone; the chat starts with the focus in the composer.
  await page.keyboard.type("Noor Haddad");
  await page.keyboard.press("Tab");
  await page.keyboard.type("noor@example.com");
  await page.keyboard.press("Tab");
  await page.keyboard.press("ArrowDown"); // the topic's first option
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "button.pre-chat-submit");
  await page.keyboard.press("Enter");
  await page.locator("connect-chat#support textarea:not([disabled])").waitFor();
  assert.equal(await focused(page), "textarea.input");
  await page.evaluate(() => document.getElementById("support").close());
  await page.locator("connect-chat#sales button.launcher").click();
  await page.locator("connect-chat#sales textarea:not([disabled])").waitFor();
  await env.api.say(await env.api.contactOf("Sam (customer)"), "Hi Sam, how can I help?");
  await page.locator("connect-chat#sales li.msg.agent").waitFor();
  await check(page, "dark");
  await page.evaluate(() => {
    for (const el of document.querySelectorAll("connect-chat")) el.remove();
    const el = document.createElement("connect-chat");
    el.id = "rtl";
    for (const [k, v] of Object.entries({ lang: "ar", "start-chat-url": "/emulator/start-chat", endpoint: "/", "display-name": "Layla" })) el.setAttribute(k, v);
    document.body.append(el);
    return el.open();
  });
  await page.locator("connect-chat#rtl textarea:not([disabled])").waitFor();
  await env.api.say(await env.api.contactOf("Layla"), "مرحبا! كيف يمكنني مساعدتك؟");
  await page.locator("connect-chat#rtl li.msg.agent").waitFor();
  await check(page, "rtl-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await check(page, "rtl");
  await page.context().close();

  page = await newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${env.emulator.url}/`);
  await shop(page).locator("button.launcher").click();
  await shop(page).locator("textarea:not([disabled])").waitFor();
  await check(page, "mobile");
  await page.context().close();
});

test("prefers-reduced-motion: no animation", async () => {
  for (const reducedMotion of ["no-preference", "reduce"]) {
    const page = await newPage({ reducedMotion });
    await page.goto(`${env.emulator.url}/`);
    await shop(page).locator("button.launcher").click();
    const name = await shop(page).locator(".panel").evaluate((p) => getComputedStyle(p).animationName);
    assert.equal(name, reducedMotion === "reduce" ? "none" : "ccw-in", reducedMotion);
    await page.context().close();
  }
});

test("no page errors but those the tests caused", () => {
  const caused = (e) => e.includes("favicon") || /HTTP 503 POST \S+\/emulator\/start-chat/.test(e) || /HTTP 400 POST \S+\/participant\/message/.test(e);
  assert.deepEqual(allErrors.flat().filter((e) => !caused(e)), []);
});
