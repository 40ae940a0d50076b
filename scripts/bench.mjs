// `npm run bench`: connect-chat-wasm against amazon-connect-chatjs, the same work in one headless
// Chromium run against the same emulator. Prints a table (median and spread, ratio ours/chatjs) and
// writes bench-results/bench.json. Repetitions: BENCH_RUNS (default 7). BENCH_ONLY=widget measures the
// widget alone.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem, release, platform } from "node:os";
import { startEmulator, launchBrowser } from "../tests/e2e/harness.mjs";
import { shipped } from "./shipped.mjs";

const root = new URL("../", import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS || 7);
const BURST = 10_000;
const MEMORY_ITEMS = 100_000;
const www = `${root}target/bench-www`;

function sh(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}

// ----- build: the release package and the release emulator -----
sh("bash", ["scripts/setup.sh"]);
sh("bash", ["scripts/build-pkg.sh"]);
sh("cargo", ["build", "--release", "--quiet", "-p", "connect-emulator"]);
rmSync(www, { recursive: true, force: true });
mkdirSync(`${www}/chatjs`, { recursive: true });
cpSync(`${root}bench/page.html`, `${www}/page.html`);
cpSync(`${root}bench/page.js`, `${www}/page.js`);
cpSync(`${root}pkg`, `${www}/pkg`, { recursive: true });
const chatjsFile = `${root}node_modules/amazon-connect-chatjs/dist/amazon-connect-chat.js`;
cpSync(chatjsFile, `${www}/chatjs/amazon-connect-chat.js`);
const chatjsVersion = JSON.parse(readFileSync(`${root}node_modules/amazon-connect-chatjs/package.json`)).version;

// ----- bytes shipped -----
const bytes = {
  ours: shipped([`${root}pkg/connect_chat_wasm_bg.wasm`, `${root}pkg/connect_chat_wasm.js`]),
  chatjs: shipped([chatjsFile]),
};

// ----- the browser runs -----
process.env.EMULATOR_BIN = `${root}target/release/connect-emulator`;
const emulator = await startEmulator("--static", www);
const shortTtl = await startEmulator("--static", www, "--websocket-url-ttl", "3");
const browser = await launchBrowser(["--js-flags=--expose-gc", "--enable-precise-memory-info"]);

async function startChat(base) {
  const res = await fetch(`${base}/emulator/start-chat`, { method: "POST", body: "{}" });
  return res.json();
}

/** A fresh context (empty cache) with a page connected through `lib`. */
async function openPage(lib, base = emulator.url) {
  const chat = await startChat(base);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const q = new URLSearchParams({ lib, endpoint: base, contactId: chat.ContactId, participantId: chat.ParticipantId, token: chat.ParticipantToken });
    await page.goto(`${base}/page.html?${q}`);
    await page.waitForFunction(() => window.bench && (window.bench.coldStart !== undefined || window.bench.failed), null, { timeout: 30_000 });
    const failed = await page.evaluate(() => window.bench.failed);
    if (failed) throw new Error(`${lib} did not connect: ${failed}`);
    return { page, context, chat };
  } catch (e) {
    await context.close();
    throw e;
  }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { median: q(0.5), min: s[0], max: s[s.length - 1], p25: q(0.25), p75: q(0.75), runs: s.length };
};

const results = { ours: {}, chatjs: {}, bare: {} };
/** Opens a page connected through `lib`, runs `measure` on it, and closes it whatever happens: a failed
 * measurement must not leave a page running beside the next ones. */
async function onPage(lib, measure, base) {
  const opened = await openPage(lib, base);
  try {
    return await measure(opened);
  } finally {
    await opened.context.close();
  }
}

/** Runs one measurement; a failure (an item lost, no reconnect: see bench/page.js) is recorded and
 * reported, and the benchmark goes on. */
async function attempt(lib, what, measure) {
  try {
    return await measure();
  } catch (e) {
    const reason = `${what}: ${String(e.message || e).split("\n")[0]}`;
    console.log(`  ${lib} failed ${reason}`);
    (results[lib].failures ??= []).push(reason);
    return undefined;
  }
}
const only = process.env.BENCH_ONLY;
for (const lib of only === "widget" ? [] : ["ours", "chatjs"]) {
  console.log(`measuring ${lib}…`);
  const cold = [], rate = [], gaps = [];
  for (let i = 0; i < RUNS; i++) {
    await attempt(lib, `run ${i + 1}`, () => onPage(lib, async ({ page }) => {
      cold.push(await page.evaluate(() => window.bench.coldStart));
      const ms = await page.evaluate((n) => window.bench.burst(n), BURST);
      rate.push(BURST / (ms / 1000));
      await page.waitForTimeout(200);
      gaps.push(await page.evaluate(() => window.bench.reconnectGap()));
    }));
  }
  results[lib].coldStartMs = stats(cold);
  results[lib].itemsPerSecond = stats(rate);
  results[lib].reconnectGapMs = stats(gaps);

  // Memory: a listener that keeps nothing; heap (after gc) plus wasm memory, at 10,000 and 100,000 items.
  await attempt(lib, "memory", () => onPage(lib, async ({ page }) => {
    const base = await page.evaluate(() => window.bench.memory());
    const at = {};
    for (let sent = 0; sent < MEMORY_ITEMS; sent += 10_000) {
      await page.evaluate(() => window.bench.burst(10_000, false));
      if (sent + 10_000 === 10_000 || sent + 10_000 === MEMORY_ITEMS) {
        await page.waitForTimeout(300);
        at[sent + 10_000] = await page.evaluate(() => window.bench.memory());
      }
    }
    const total = (m) => m.jsHeap + m.wasm;
    results[lib].memory = {
      baselineBytes: total(base),
      after10kBytes: total(at[10_000]),
      after100kBytes: total(at[MEMORY_ITEMS]),
      growth10kTo100kBytes: total(at[MEMORY_ITEMS]) - total(at[10_000]),
      jsHeapAfter100k: at[MEMORY_ITEMS].jsHeap,
      wasmAfter100k: at[MEMORY_ITEMS].wasm,
    };
  }));

  // Renewals and reconnects: URLs live 3 s; 200 messages 50 ms apart with two dropped sockets.
  await attempt(lib, "renewals", () => onPage(lib, async ({ page, chat }) => {
    await page.evaluate(() => window.bench.reset(true));
    const sent = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${shortTtl.url}/emulator/contacts/${chat.ContactId}/messages`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ Content: `renewal ${i}` }),
      });
      sent.push((await res.json()).Id);
      if (i === 70 || i === 140) await fetch(`${shortTtl.url}/emulator/contacts/${chat.ContactId}/drop`, { method: "POST" });
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.waitForTimeout(4_000);
    const got = await page.evaluate(() => window.bench.ids);
    const seen = new Map();
    for (const id of got) seen.set(id, (seen.get(id) || 0) + 1);
    results[lib].renewal = {
      sent: sent.length,
      lost: sent.filter((id) => !seen.has(id)).length,
      duplicated: [...seen.values()].filter((n) => n > 1).length,
      connections: await page.evaluate(() => window.bench.connections),
    };
  }, shortTtl.url));
}

// The ceiling: a bare WebSocket with JSON.parse and nothing else (bench/page.js, startBare), on the same burst.
if (only !== "widget") {
  console.log("measuring a bare WebSocket (the ceiling)…");
  const rate = [];
  for (let i = 0; i < RUNS; i++) {
    await attempt("bare", `run ${i + 1}`, () => onPage("bare", async ({ page }) => {
      const ms = await page.evaluate((n) => window.bench.burst(n), BURST);
      rate.push(BURST / (ms / 1000));
    }));
  }
  results.bare = { itemsPerSecond: stats(rate) };
}

// The widget: N agent messages arrive one by one and each becomes a bubble. Main-thread time (Chromium's
// TaskDuration, every task of the page) from the first message until the last bubble is in the DOM,
// per message, for two lengths: equal figures mean linear time.
console.log("measuring the widget's rendering…");
const WIDGET_LENGTHS = [1_000, 10_000];
{
  cpSync(`${root}pkg`, `${root}www/pkg`, { recursive: true });
  const demo = await startEmulator("--static", `${root}www`);
  results.widget = {};
  for (const n of WIDGET_LENGTHS) {
    const perItem = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      await attempt("ours", `widget ${n}`, async () => {
        const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
        try {
          const page = await context.newPage();
          await page.goto(`${demo.url}/`);
          const host = page.locator("#connect-chat-wasm-widget");
          await host.locator("button.launcher").click();
          await host.locator("textarea:not([disabled])").waitFor();
          const contacts = await (await fetch(`${demo.url}/emulator/contacts`)).json();
          const contact = contacts.Contacts[0].ContactId; // newest first: this page's
          const cdp = await context.newCDPSession(page);
          await cdp.send("Performance.enable");
          const busy = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration").value;
          const count = () => page.evaluate(() => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent").length);
          const before = await count();
          const t0 = await busy();
          await fetch(`${demo.url}/emulator/contacts/${contact}/burst`, { method: "POST", body: JSON.stringify({ Count: n }) });
          await page.waitForFunction((want) => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent").length >= want, before + n, { timeout: 120_000, polling: 200 });
          const seconds = (await busy()) - t0;
          if ((await count()) !== before + n) throw new Error("the bubbles do not match the messages");
          perItem.push((seconds * 1e6) / n);
        } finally {
          await context.close();
        }
      });
    }
    results.widget[n] = { microsecondsPerMessage: stats(perItem) };
  }
  demo.stop();
}

await browser.close();
emulator.stop();
shortTtl.stop();

// ----- report -----
const chromium = execFileSync("/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}`, node: process.version, chromium };
const report = { date: new Date().toISOString(), machine, chatjsVersion, runs: RUNS, burst: BURST, memoryItems: MEMORY_ITEMS, bytes, results };
mkdirSync(`${root}bench-results`, { recursive: true });
writeFileSync(`${root}bench-results/bench.json`, JSON.stringify(report, null, 2) + "\n");

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");
const spread = (s, d = 0) => `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})`;
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : "n/a");
const o = results.ours, c = results.chatjs;
const mb = (m, key, d) => (m.memory ? fmt(m.memory[key] / 1e6, d) : "failed");
const renewal = (m) => (m.renewal ? `${m.renewal.lost} / ${m.renewal.duplicated}` : "failed");
const mainRows = () => [
  ["bytes shipped, gzip -9", fmt(bytes.ours.gzip), fmt(bytes.chatjs.gzip), ratio(bytes.ours.gzip, bytes.chatjs.gzip)],
  ["bytes shipped, brotli", fmt(bytes.ours.brotli), fmt(bytes.chatjs.brotli), ratio(bytes.ours.brotli, bytes.chatjs.brotli)],
  ["cold start to connected, ms (median, min–max)", spread(o.coldStartMs, 1), spread(c.coldStartMs, 1), ratio(o.coldStartMs.median, c.coldStartMs.median)],
  [`inbound ${fmt(BURST)}-item burst, items/s`, spread(o.itemsPerSecond), spread(c.itemsPerSecond), ratio(o.itemsPerSecond.median, c.itemsPerSecond.median)],
  ["  the same burst, bare WebSocket + JSON.parse, no library (the ceiling)", spread(results.bare.itemsPerSecond), "", ""],
  ["memory after 100,000 items (JS heap + wasm), MB", mb(o, "after100kBytes", 1), mb(c, "after100kBytes", 1), ratio(o.memory?.after100kBytes, c.memory?.after100kBytes)],
  ["memory growth 10,000 → 100,000 items, MB", mb(o, "growth10kTo100kBytes", 2), mb(c, "growth10kTo100kBytes", 2), ""],
  ["dropped socket to connected again, ms", spread(o.reconnectGapMs), spread(c.reconnectGapMs), ratio(o.reconnectGapMs.median, c.reconnectGapMs.median)],
  ["renewals + 2 drops: items lost / duplicated (of 200)", renewal(o), renewal(c), ""],
];
const rows = [
  ...(only === "widget" ? [] : mainRows()),
  ...WIDGET_LENGTHS.map((n) => [
    `widget: main-thread µs per message, ${fmt(n)} messages one by one`,
    results.widget[n]?.microsecondsPerMessage?.runs ? spread(results.widget[n].microsecondsPerMessage) : "failed",
    "",
    "",
  ]),
];
const header = ["figure", "connect-chat-wasm", `amazon-connect-chatjs ${chatjsVersion}`, "ours/chatjs"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => "| " + r.map((v, i) => String(v).padEnd(widths[i])).join(" | ") + " |";
console.log("\n" + line(header));
console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
for (const r of rows) console.log(line(r));
console.log(`\n${RUNS} runs each; ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, ${chromium}, Node ${process.version}`);
for (const lib of ["ours", "chatjs", "bare"]) {
  for (const f of results[lib].failures ?? []) console.log(`failed (${lib}): ${f}`);
}
console.log("report: bench-results/bench.json");
