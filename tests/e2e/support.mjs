// Shared by the end-to-end tests: an emulator and a browser for a test file, the emulator's control API,
// waiting for a condition, and axe-core run inside the page.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startEmulator, launchBrowser, watchErrors } from "./harness.mjs";

/** The test file's emulator (started with `args`), its control API and a browser, in the returned object
 * once `before` has run (then `setUp(env)`, when the last argument is a function: a file's own set-up,
 * in the same hook, as another root `before` may run first); `after` stops them. */
export function emulatorAndBrowser(...args) {
  const env = {};
  const setUp = typeof args.at(-1) === "function" ? args.pop() : undefined;
  before(async () => {
    env.emulator = await startEmulator(...args);
    env.api = controlApi(env.emulator.url);
    env.browser = await launchBrowser();
    await setUp?.(env);
  });
  after(async () => {
    await env.browser?.close();
    env.emulator?.stop();
  });
  return env;
}

/** A page of `context` on www/tabs.html (the library alone; `query` its options) showing the chat of
 * `token`, once connected; its page errors go into `errors` (an array) when given. */
export async function openTab(context, base, token, query = "", errors) {
  const page = await context.newPage();
  errors?.push(watchErrors(page));
  await page.goto(`${base}/tabs.html${query}#${encodeURIComponent(token)}`);
  await page.waitForFunction(() => window.tab?.state === "connected");
  return page;
}

/** A chat started for `name` and shown in `n` tabs of one new browser context (`openTab`, with `query`):
 * `{ contactId, token, context, pages, errors }`. */
export async function chatInTabs(env, name, n, query = "") {
  const started = await env.api.call("start-chat", { DisplayName: name });
  const context = await env.browser.newContext();
  const pages = [];
  const errors = [];
  for (let i = 0; i < n; i++) pages.push(await openTab(context, env.emulator.url, started.ParticipantToken, query, errors));
  return { contactId: started.ContactId, token: started.ParticipantToken, context, pages, errors };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check()` is truthy (polled every 50 ms) and returns its value; fails after `ms`. */
export async function until(what, check, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function controlApi(url) {
  const call = async (path, body) => {
    const r = await fetch(`${url}/emulator/${path}`, { method: body ? "POST" : "GET", body: body && JSON.stringify(body) });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    call,
    contacts: async () => (await call("contacts")).Contacts,
    /** The contact whose customer is `name` (each test's widgets use names of their own). */
    contactOf: async (name) => {
      const found = (await call("contacts")).Contacts.find((c) => c.CustomerName === name);
      if (!found) throw new Error(`no contact for ${name}`);
      return found.ContactId;
    },
    say: (contactId, Content, extra = {}) => call(`contacts/${contactId}/messages`, { Content, ...extra }),
    event: (contactId, ContentType) => call(`contacts/${contactId}/events`, { ContentType }),
    transcript: async (contactId) => (await call(`contacts/${contactId}/transcript`)).Transcript,
  };
}

const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/** axe-core on the whole page (it looks into open shadow roots): no serious or critical violation. The
 * source is evaluated through the DevTools protocol, which the page's CSP does not govern. */
export async function assertAccessible(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  // Colours are measured as shown: an opening panel is still fading in, so let finite animations end.
  // (After a frame, so that one just started is among them.)
  await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished));
  });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.split("\n").slice(0, 3).join(" ")}`).join("\n")}`);
  });
  assert.deepEqual(violations, [], `axe, state "${state}":\n${violations.join("\n")}`);
}
