// How <connect-chat> looks and speaks: the presets in light and dark (by the system's preference or the
// theme attribute), a site's own custom properties and ::part() rules, the languages (from `lang` or the
// page, times through Intl, strings overridden), Arabic mirrored right to left, and a 390×844 phone where
// the panel is the whole viewport and follows the on-screen keyboard. Screenshots go to
// test-results/looks-*.png (the README's theme pictures are copies of the preset ones).
import { test } from "node:test";
import assert from "node:assert/strict";
import { watchErrors, artifacts } from "./harness.mjs";
import { emulatorAndBrowser } from "./support.mjs";

let errors = [];
const env = emulatorAndBrowser();
const shot = (page, name, clip) => page.screenshot({ path: `${artifacts}/looks-${name}.png`, animations: "disabled", ...(clip ? { clip } : {}) });

/** A page with one <connect-chat> of these attributes (the element page's own two removed), a chat
 * started, a message each way; resolves to { page, chat }. */
async function chatting(attrs, { viewport = { width: 1100, height: 760 }, colorScheme = "light", html } = {}) {
  const context = await env.browser.newContext({ viewport, colorScheme, hasTouch: viewport.width < 480, isMobile: viewport.width < 480 });
  const page = await context.newPage();
  errors.push(watchErrors(page));
  await page.goto(`${env.emulator.url}/element.html`);
  const name = "Alex";
  await page.evaluate(({ attrs, name, html }) => {
    for (const el of document.querySelectorAll("connect-chat")) el.remove();
    document.querySelector("main").hidden = true; // the widget alone in the pictures
    if (html) document.documentElement.lang = html;
    const el = document.createElement("connect-chat");
    el.id = "look";
    for (const [k, v] of Object.entries({ "start-chat-url": "/emulator/start-chat", endpoint: "/", "display-name": name, ...attrs })) el.setAttribute(k, v);
    document.body.append(el);
  }, { attrs, name, html });
  const chat = page.locator("connect-chat#look");
  await chat.locator("button.launcher").click();
  await chat.locator("textarea:not([disabled])").waitFor();
  const contactId = (await env.api.contacts())[0].ContactId; // the newest: the tests run one at a time
  await env.api.say(contactId, "Hello! The Ridge Jacket comes in three colours. Which one would you like?");
  await chat.locator("li.msg.agent").waitFor();
  await chat.locator("textarea").fill("The blue one, please.");
  await chat.locator("textarea").press("Enter");
  await chat.locator("li.msg.customer .receipt.sent, li.msg.customer .receipt.delivered, li.msg.customer .receipt.read").waitFor();
  return { page, chat, context, contactId };
}
const colour = (loc, prop = "backgroundColor") => loc.evaluate((e, p) => getComputedStyle(e)[p], prop);
const panelClip = { x: 690, y: 90, width: 400, height: 670 };


for (const preset of ["default", "ocean", "sunset", "mono"]) {
  test(`preset ${preset}, light and dark`, async () => {
    const attrs = preset === "default" ? {} : { preset };
    const light = await chatting({ ...attrs, theme: "light", title: "Northwind support" });
    const lightPanel = await colour(light.chat.locator(".panel"));
    assert.equal(lightPanel, "rgb(255, 255, 255)");
    await shot(light.page, `preset-${preset}-light`, panelClip);
    await light.context.close();
    const dark = await chatting({ ...attrs, theme: "dark", title: "Northwind support" });
    assert.equal(await colour(dark.chat.locator(".panel")), "rgb(17, 24, 39)");
    await shot(dark.page, `preset-${preset}-dark`, panelClip);
    await dark.context.close();
  });
}

test("dark follows the system unless the theme attribute says otherwise", async () => {
  const system = await chatting({}, { colorScheme: "dark" });
  assert.equal(await colour(system.chat.locator(".panel")), "rgb(17, 24, 39)", "prefers-color-scheme: dark");
  await shot(system.page, "dark-system");
  await system.page.evaluate(() => document.getElementById("look").setAttribute("theme", "light"));
  assert.equal(await colour(system.chat.locator(".panel")), "rgb(255, 255, 255)", "theme=light wins");
  await system.context.close();
});

test("a site's custom properties and ::part() rules restyle it", async () => {
  const { page, chat, context } = await chatting({ class: "branded", title: "Brand chat" });
  assert.equal(await colour(chat.locator("button.send")), "rgb(109, 40, 217)", "--ccw-accent");
  assert.equal(await colour(chat.locator("button.launcher"), "borderTopLeftRadius"), "18px", "::part(launcher)");
  assert.match(await colour(chat.locator("header"), "backgroundImage"), /linear-gradient/, "::part(header)");
  assert.match(await colour(chat.locator(".panel"), "fontFamily"), /Georgia/, "--ccw-font");
  // The site's own launcher icon, slotted in.
  await page.evaluate(() => {
    const icon = document.createElement("img");
    icon.slot = "launcher-icon";
    icon.alt = "";
    icon.src = "favicon.svg";
    document.getElementById("look").append(icon);
  });
  const slotted = await chat.locator("slot[name=launcher-icon]").evaluate((s) => s.assignedElements().map((e) => e.localName));
  assert.deepEqual(slotted, ["img"]);
  const box = await page.locator("connect-chat#look > img[slot=launcher-icon]").boundingBox();
  const launcher = await chat.locator("button.launcher").boundingBox();
  assert.ok(box.width === 28 && box.x > launcher.x && box.x + box.width < launcher.x + launcher.width, "inside the launcher, sized by the widget");
  await shot(page, "branded");
  await context.close();
});

test("languages: from lang or the page, times through Intl, strings overridden by the site", async () => {
  const ja = await chatting({ lang: "ja" });
  assert.equal(await ja.chat.locator("textarea").getAttribute("placeholder"), "メッセージを入力");
  assert.equal(await ja.chat.locator("button.send").innerText(), "送信");
  const at = await ja.chat.locator("li.msg.agent time").getAttribute("datetime");
  const shown = await ja.chat.locator("li.msg.agent time").innerText();
  assert.equal(shown, new Intl.DateTimeFormat("ja", { hour: "2-digit", minute: "2-digit" }).format(new Date(at)));
  await shot(ja.page, "lang-ja");
  // Switched to French as the README says: off the page, lang changed, back on; the same chat resumes.
  const contacts = (await env.api.contacts()).length;
  await ja.page.evaluate(async () => {
    const el = document.getElementById("look");
    el.remove();
    await new Promise((r) => setTimeout(r));
    el.setAttribute("lang", "fr");
    document.body.append(el);
  });
  await ja.chat.locator("textarea:not([disabled])").waitFor();
  assert.equal(await ja.chat.locator("textarea").getAttribute("placeholder"), "Écrivez un message");
  await ja.chat.locator("li.msg.customer", { hasText: "The blue one" }).waitFor();
  assert.equal((await env.api.contacts()).length, contacts, "the same chat");
  await ja.context.close();

  // No lang attribute: the page's <html lang="es-MX"> picks Spanish; one string is the site's own.
  const es = await chatting({ strings: '{"send":"¡Enviar ya!"}' }, { html: "es-MX" });
  assert.equal(await es.chat.locator("textarea").getAttribute("placeholder"), "Escribe un mensaje");
  assert.equal(await es.chat.locator("button.send").innerText(), "¡Enviar ya!");
  await es.context.close();
});

test("Arabic is mirrored: right to left, the launcher and panel on the left", async () => {
  const { page, chat, context } = await chatting({ lang: "ar", title: "خدمة العملاء" });
  assert.equal(await chat.locator(".root").getAttribute("dir"), "rtl");
  assert.equal(await chat.locator("button.send").innerText(), "إرسال");
  const launcher = await chat.locator("button.launcher").boundingBox();
  const panel = await chat.locator(".panel").boundingBox();
  assert.ok(launcher.x < 100 && panel.x < 100, `left side: launcher ${launcher.x}, panel ${panel.x}`);
  // Mirrored bubbles too: the customer's at the line's end (the left), the agent's at its start.
  const mine = await chat.locator("li.msg.customer").boundingBox();
  const theirs = await chat.locator("li.msg.agent").boundingBox();
  assert.ok(mine.x < theirs.x, "the customer's bubble on the left, the agent's on the right");
  const clip = { x: 14, y: 90, width: 400, height: 670 };
  await shot(page, "rtl-ar", clip);
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "rtl-ar-dark", clip);
  await context.close();
});

test("a 390×844 phone: the panel is the whole viewport and stays usable with the on-screen keyboard", async () => {
  for (const [name, attrs, colorScheme] of [["mobile-light", {}, "light"], ["mobile-dark", {}, "dark"], ["mobile-rtl", { lang: "he" }, "light"]]) {
    const { page, chat, context } = await chatting(attrs, { viewport: { width: 390, height: 844 }, colorScheme });
    const panel = await chat.locator(".panel").boundingBox();
    assert.deepEqual([panel.x, panel.y, panel.width, panel.height], [0, 0, 390, 844], name);
    assert.equal(await chat.locator("button.launcher").isVisible(), false, "the launcher steps aside");
    await shot(page, name);
    if (name === "mobile-light") {
      // The keyboard takes the lower half: the visual viewport shrinks, and so does the panel, keeping the
      // composer in view above the keyboard.
      await page.setViewportSize({ width: 390, height: 450 });
      await page.waitForFunction(() => document.getElementById("look").shadowRoot.querySelector(".panel").getBoundingClientRect().height === 450);
      const input = await chat.locator("textarea").boundingBox();
      assert.ok(input.y + input.height <= 450, `composer above the keyboard: ${input.y + input.height}`);
      await chat.locator("textarea").focus();
      await shot(page, "mobile-keyboard");
      // Minimise: the launcher is back.
      await chat.locator("button.close").click();
      assert.equal(await chat.locator("button.launcher").isVisible(), true);
    }
    await context.close();
  }
});

test("no page errors", () => {
  assert.deepEqual(errors.flat().filter((e) => !e.includes("favicon")), []);
});
