// Shared by the bundler tests: the tiny app (tests/bundlers/app) with the package installed beside it,
// and the check that the app a bundler built chats in the browser.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { watchErrors, artifacts } from "../e2e/harness.mjs";

const root = new URL("../../", import.meta.url).pathname;

/** A fresh `target/<name>` holding the app and the package as `npm install connect-chat-wasm` leaves it. */
export function prepareApp(name) {
  const work = `${root}target/${name}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(`${work}/node_modules`, { recursive: true });
  cpSync(`${root}tests/bundlers/app`, work, { recursive: true });
  cpSync(`${root}pkg`, `${work}/node_modules/connect-chat-wasm`, { recursive: true });
  return { root, work };
}

/** The built app, served at `emulatorUrl`, connects and shows an agent message; no page errors. */
export async function appChats(browser, emulatorUrl, name) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${emulatorUrl}/`);
  await page.waitForFunction(() => document.getElementById("state").textContent === "connected");
  const contactId = await page.locator("#state").getAttribute("data-contact-id");
  const text = `hello via ${name}`;
  await fetch(`${emulatorUrl}/emulator/contacts/${contactId}/messages`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ Content: text }),
  });
  await page.locator("#messages li", { hasText: text }).waitFor();
  await page.screenshot({ path: `${artifacts}/${name}-app.png` });
  assert.deepEqual(errors, []);
}

/** The built widget page: `import "connect-chat-wasm/widget"` defined <connect-chat>, whose library,
 * stylesheet and French strings the bundler brought along; it chats. */
export async function widgetChats(browser, emulatorUrl, name) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${emulatorUrl}/widget.html`);
  const chat = page.locator("connect-chat#chat");
  await chat.locator("button.launcher").click();
  await chat.locator("textarea:not([disabled])").waitFor();
  assert.equal(await chat.locator("textarea").getAttribute("placeholder"), "Écrivez un message", "the page's lang, fr");
  assert.notEqual(await chat.locator("button.send").evaluate((b) => getComputedStyle(b).backgroundColor), "rgba(0, 0, 0, 0)", "styled");
  const contactId = await page.waitForFunction(() => document.body.dataset.contactId).then((h) => h.jsonValue());
  const text = `hello to the element via ${name}`;
  await fetch(`${emulatorUrl}/emulator/contacts/${contactId}/messages`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ Content: text }),
  });
  await chat.locator("li.msg.agent", { hasText: text }).waitFor();
  await page.screenshot({ path: `${artifacts}/${name}-widget.png` });
  assert.deepEqual(errors, []);
}
