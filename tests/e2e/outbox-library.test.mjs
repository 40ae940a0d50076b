// The outbox, through the library on a page (www/tabs.html?alone, persist on): the customer types 200
// messages across two offline periods (the browser's own: `context.setOffline`), two outages of the
// service (its sockets dropped and new ones refused) and a reload made while messages wait in the queue,
// during an outage (the reloaded page's connect() rejects and the page tries again, as a page should).
// The emulator's transcript has each of the 200 exactly once, in the order typed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emulatorAndBrowser, openTab, sleep, until } from "./support.mjs";

const env = emulatorAndBrowser();

test("200 messages across offline periods, outages and a reload: each recorded once, in order", async () => {
  const started = await env.api.call("start-chat", { DisplayName: "Outbox" });
  const contactId = started.ContactId;
  const context = await env.browser.newContext();
  const page = await openTab(context, env.emulator.url, started.ParticipantToken, "?alone");
  const typed = [];
  const type = async (n) => {
    for (let k = 0; k < n; k++) {
      const text = `outbox ${String(typed.length).padStart(3, "0")}`;
      typed.push(text);
      await page.evaluate((t) => void window.tab.send(t), text);
      if (k % 5 === 0) await sleep(10);
    }
  };
  const recorded = async () =>
    (await env.api.transcript(contactId)).filter((i) => i.ParticipantRole === "CUSTOMER" && i.Type === "MESSAGE").map((i) => i.Content);

  await type(30);
  // Offline (the browser's own): what is typed waits.
  await context.setOffline(true);
  await type(30);
  await sleep(500);
  await context.setOffline(false);
  await type(20);
  // The service drops the sockets and refuses new ones for a while.
  await env.api.call(`contacts/${contactId}/drop`, { RefuseMs: 800 });
  await type(30);
  // Offline again, and the page reloaded while messages wait: the queue, kept in sessionStorage, goes
  // once the page is back and the service is reachable.
  await context.setOffline(true);
  await type(20);
  assert.ok((await page.evaluate(() => window.tab.pending())) > 0, "messages wait in the queue at the reload");
  await context.setOffline(false);
  await env.api.call(`contacts/${contactId}/drop`, { RefuseMs: 1500 });
  await page.reload();
  await page.waitForFunction(() => window.tab?.send);
  await type(40);
  await env.api.call(`contacts/${contactId}/drop`, { RefuseMs: 300 });
  await type(30);
  assert.equal(typed.length, 200);

  await until("every message recorded", async () => (await recorded()).length >= 200, 30_000).catch(async (e) => {
    const got = await recorded();
    console.log("# recorded", got.length, "pending", await page.evaluate(() => window.tab.pending()), await page.evaluate(() => window.tab.state));
    console.log("# missing", typed.filter((t) => !got.includes(t)).join(","));
    throw e;
  });
  await page.waitForFunction(() => window.tab.pending() === 0);
  await sleep(500);
  const got = await recorded();
  assert.equal(new Set(got).size, got.length, "a message recorded twice");
  assert.deepEqual(got, typed, "each once, in the order typed");
  await context.close();
});
