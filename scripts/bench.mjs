// `npm run bench`: connect-chat-wasm against amazon-connect-chatjs, the same work in one headless
// Chromium run against the same emulator, runs interleaved (ours, theirs, the floor, in turn). Prints the
// tables (median and min–max, ratios) and writes bench-results/bench.json. Repetitions: BENCH_RUNS
// (default 7). BENCH_ONLY=widget measures the widget alone, BENCH_ONLY=isolated the per-item cost alone.
// Where `taskset` exists, the emulator is pinned to the first core (BENCH_PIN=off leaves it to the
// scheduler; BENCH_PIN=both also pins the browser to the second).
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
cpSync(`${root}bench/isolated.html`, `${www}/isolated.html`);
cpSync(`${root}bench/isolated.js`, `${www}/isolated.js`);
cpSync(`${root}bench/common.js`, `${www}/common.js`);
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
// Two cores: the emulator is pinned to one, so it never wanders onto the core the page runs on. The browser
// is left free: pinned to one core, its renderer, GPU and network processes preempt each other, and
// main-thread time (which counts a preempted task's wall time) grew by half for every library alike.
// Both are pinned through small wrappers, as both are started by path.
const pinned = process.env.BENCH_PIN !== "off" && cpus().length >= 2 && existsSync("/usr/bin/taskset");
function pin(core, bin) {
  const wrapper = `${root}target/bench-pin-${core}.sh`;
  writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/taskset -c ${core} ${bin} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}
const emulatorBin = `${root}target/release/connect-emulator`;
process.env.EMULATOR_BIN = pinned ? pin(0, emulatorBin) : emulatorBin;
if (pinned && process.env.BENCH_PIN === "both") process.env.CHROMIUM = pin(1, "/usr/bin/chromium");
const emulator = await startEmulator("--static", www);
// The bursts are measured once more in a second browser pinned to the core the emulator is not on
// (unless BENCH_PIN=both pinned the first already): left to the scheduler, which of the two busy
// processes gets a core when decided a burst's rate more than any library did (the floor itself was
// below chatjs's median in some runs), where pinned each side has a core of its own and what the page
// spends per item shows. Only the bursts: pinned, the browser's own processes preempt each other on
// one core and the cold start, which they all take part in, grows for every page.
const pinnedBrowser = pinned && process.env.BENCH_PIN !== "both"
  ? await launchBrowser(["--js-flags=--expose-gc"], pin(1, "/usr/bin/chromium"))
  : undefined;
const shortTtl = await startEmulator("--static", www, "--websocket-url-ttl", "3");
const browser = await launchBrowser(["--js-flags=--expose-gc", "--enable-precise-memory-info"]);

async function startChat(base) {
  const res = await fetch(`${base}/emulator/start-chat`, { method: "POST", body: "{}" });
  return res.json();
}

/** A fresh context (empty cache) with a page connected through `lib`, in `using` (the browser left to
 * the scheduler unless told otherwise). */
async function openPage(lib, base = emulator.url, file = "page.html", extra = {}, using = browser) {
  const chat = await startChat(base);
  const context = await using.newContext();
  try {
    const page = await context.newPage();
    const q = new URLSearchParams({ lib, endpoint: base, contactId: chat.ContactId, participantId: chat.ParticipantId, token: chat.ParticipantToken, ...extra });
    // The page says when it is done (see bench/page.js): connected and subscribed, every phase marked, or
    // failed. Polling it would put Playwright's own script into the cold start.
    const settled = page.waitForEvent("console", { predicate: (m) => m.text() === "bench:settled", timeout: 30_000 });
    await page.goto(`${base}/${file}?${q}`);
    await settled;
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
async function onPage(lib, measure, base, file, extra, using) {
  const opened = await openPage(lib, base, file, extra, using);
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

/** A burst of BURST on `page`, then the same again on the same page, their rates pushed onto `m.rate`
 * and `m.warm`: the first burst is also the page's first use of the code that receives (the browser's,
 * the library's: wasm runs unoptimised until it has been used a while); the second shows the steady
 * state. */
async function twoBursts(page, m) {
  for (const into of [m.rate, m.warm]) {
    const ms = await page.evaluate((n) => window.bench.burst(n), BURST);
    into.push(BURST / (ms / 1000));
  }
}
/** More runs where the spread is wide: after the planned ones, another round while any figure's middle half
 * spans more than 30% (p75 / p25 > 1.3), up to BENCH_MAX_RUNS (twice the planned runs). */
const MAX_RUNS = Number(process.env.BENCH_MAX_RUNS || 2 * RUNS);
const wide = (...series) => series.some((xs) => xs.length >= 4 && stats(xs).p75 / stats(xs).p25 > 1.3);

/** The libraries in turn, starting with a different one each run, so neither always follows the other. */
const inTurn = (libs, run) => libs.map((_, k) => libs[(k + run) % libs.length]);
const PHASES = ["loaded", "ready", "connectionAnswered", "socketCreated", "socketOpen", "subscribed", "connected"];
const measured = Object.fromEntries(["ours", "chatjs", "bare"].map((lib) => [lib, { cold: [], subscribed: [], rate: [], warm: [], gaps: [], phases: {} }]));
if (!only) {
  // A round that is not counted: a fresh browser's first pages (its processes started, its network
  // service's first connections, the emulator's first files read) were the slowest of their library's, and
  // that fell on whichever library came first.
  console.log("warming the browser and the emulator up (one page each, not counted)…");
  for (const lib of ["bare", "chatjs", "ours"]) {
    await attempt(lib, "warm-up", () => onPage(lib, ({ page }) => page.evaluate((n) => window.bench.burst(n), BURST)));
  }
  console.log("measuring cold start, burst and reconnect, runs interleaved…");
  const spreads = () => ["ours", "chatjs", "bare"].flatMap((lib) => [measured[lib].subscribed, measured[lib].rate]);
  for (let i = 0; i < RUNS || (i < MAX_RUNS && wide(...spreads())); i++) {
    for (const lib of inTurn(["ours", "chatjs", "bare"], i)) {
      const m = measured[lib];
      await attempt(lib, `run ${i + 1}`, () => onPage(lib, async ({ page }) => {
        m.cold.push(await page.evaluate(() => window.bench.coldStart));
        const phases = await page.evaluate(() => window.bench.phases());
        for (const p of PHASES) (m.phases[p] ??= []).push(phases[p]);
        m.subscribed.push(phases.subscribed);
        await twoBursts(page, m);
        if (lib === "bare") return;
        await page.waitForTimeout(200);
        m.gaps.push(await page.evaluate(() => window.bench.reconnectGap()));
      }));
    }
  }
  for (const lib of ["ours", "chatjs", "bare"]) {
    const m = measured[lib];
    results[lib].coldStartMs = stats(m.cold);
    results[lib].coldStartToSubscribedMs = stats(m.subscribed);
    results[lib].coldStartToSubscribedRuns = m.subscribed;
    results[lib].coldStartPhasesMs = Object.fromEntries(PHASES.map((p) => [p, stats(m.phases[p] ?? [])]));
    results[lib].itemsPerSecond = stats(m.rate);
    results[lib].burstRuns = m.rate;
    results[lib].warmItemsPerSecond = stats(m.warm);
    results[lib].warmBurstRuns = m.warm;
    if (lib !== "bare") results[lib].reconnectGapMs = stats(m.gaps);
  }
}

// The bursts again, in the pinned browser (see `pinnedBrowser`): a page each, in turn, its first burst
// and then its second, as above.
if (!only && pinnedBrowser) {
  console.log("measuring the bursts with the browser pinned to the other core, runs interleaved…");
  const m = { ours: { rate: [], warm: [] }, chatjs: { rate: [], warm: [] }, bare: { rate: [], warm: [] } };
  const spreads = () => Object.values(m).flatMap((x) => [x.rate, x.warm]);
  for (let i = 0; i < RUNS || (i < MAX_RUNS && wide(...spreads())); i++) {
    for (const lib of inTurn(["ours", "chatjs", "bare"], i)) {
      await attempt(lib, `pinned burst run ${i + 1}`, () => onPage(lib, ({ page }) => twoBursts(page, m[lib]), emulator.url, "page.html", {}, pinnedBrowser));
    }
  }
  for (const lib of ["ours", "chatjs", "bare"]) {
    results[lib].pinnedItemsPerSecond = stats(m[lib].rate);
    results[lib].pinnedBurstRuns = m[lib].rate;
    results[lib].pinnedWarmItemsPerSecond = stats(m[lib].warm);
    results[lib].pinnedWarmBurstRuns = m[lib].warm;
  }
}

// Cold start again, to subscribed only: ours with `preconnect` (bench/page.js ?preconnect=1 and
// ?preconnect=first), and every page with CreateParticipantConnection answered 100 ms late (the
// emulator's connection fault), as a service in a distant region answers: there the network, which
// `preconnect` overlaps with the loading, is most of the wait. Every library and the floor are measured
// here too with the service near, so that each variant is set against pages of the same runs (the main
// runs' pages each go on to bursts and a drop, and their cold starts come minutes from these). Cold
// starts are cheap and their spread is wide: three times the runs.
const DISTANT_MS = 100;
const COLD_RUNS = 3 * RUNS;
const COLD_VARIANTS = [["ours", 0], ["oursPreconnected", 0], ["oursPreconnectedFirst", 0], ["chatjs", 0], ["bare", 0], ["ours", DISTANT_MS], ["oursPreconnected", DISTANT_MS], ["chatjs", DISTANT_MS], ["bare", DISTANT_MS]];
/** The page's query for each variant: `preconnect` started with the library's loading, or first (the
 * library loaded once its subscription is acknowledged). */
const VARIANT_QUERY = { oursPreconnected: { preconnect: "1" }, oursPreconnectedFirst: { preconnect: "first" } };
const variantKey = (lib, delay) => `${lib}@${delay}`;
results.coldStartVariants = {};
if (!only) {
  console.log("measuring cold start with preconnect and with a distant service, runs interleaved…");
  const cold = {};
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const [lib, delay] of inTurn(COLD_VARIANTS, i)) {
      const c = (cold[variantKey(lib, delay)] ??= { subscribed: [], phases: {} });
      const page = VARIANT_QUERY[lib] ? "ours" : lib;
      await attempt(page, `cold start ${variantKey(lib, delay)} run ${i + 1}`, async () => {
        if (delay) await fetch(`${emulator.url}/emulator/faults/connection`, { method: "POST", body: JSON.stringify({ DelayMs: delay }) });
        await onPage(page, async ({ page }) => {
          const phases = await page.evaluate(() => window.bench.phases());
          for (const p of PHASES) (c.phases[p] ??= []).push(phases[p]);
          c.subscribed.push(phases.subscribed);
        }, emulator.url, "page.html", VARIANT_QUERY[lib] ?? {});
      });
    }
  }
  for (const [key, c] of Object.entries(cold)) {
    results.coldStartVariants[key] = { toSubscribedMs: stats(c.subscribed), phasesMs: Object.fromEntries(PHASES.map((p) => [p, stats(c.phases[p] ?? [])])) };
  }
}

for (const lib of only ? [] : ["ours", "chatjs"]) {
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

// The per-item cost, isolated (bench/isolated.js): the same prerecorded frames from an in-page fake
// WebSocket, for each library and the floor, each stream after a warm-up; main-thread time per item
// (Chromium's TaskDuration around the delivery, which includes what a library defers).
const ISO_N = 10_000;
const ISO_KINDS = ["message", "receipt", "typing", "mix"];
const ISO_LISTEN = ["item", "message", "both"];
const ISO_LIBS = ["bare", "ours", "chatjs"];
const ISO_RUNS = Number(process.env.BENCH_ISOLATED_RUNS || RUNS);
/** A timer of the page's streams: `stream(kind, listen)` delivers ISO_N frames of `kind` and gives the
 * main-thread µs per item (Chromium's TaskDuration around the delivery, which includes what a library
 * defers), after checking what the listeners saw. */
async function streamTimer(page, context) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const busy = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration").value;
  return async (kind, listen) => {
    await page.evaluate(([k, n]) => window.bench.prepare(k, n), [kind, ISO_N]);
    // Each stream starts from a collected heap (the browser runs with --expose-gc): the frames of the
    // streams before (10,000 strings each, the bench's own garbage) were otherwise collected at random
    // inside a later stream, which moved its figure by up to a quarter, for any library. The collections
    // of what a stream itself leaves behind still fall inside it.
    await page.evaluate(() => gc());
    const t0 = await busy();
    const seen = await page.evaluate(() => window.bench.deliver());
    const seconds = (await busy()) - t0;
    const want = expected(kind, listen);
    if (seen.item !== want.item || seen.message !== want.message) {
      throw new Error(`${kind}: the listeners saw ${seen.item} items and ${seen.message} messages, not ${want.item} and ${want.message}`);
    }
    return (seconds * 1e6) / ISO_N;
  };
}
/** Every kind, in blocks, so that what is measured after is the code the engine has optimised. */
async function warmUp(page) {
  for (let w = 0; w < 3; w++) {
    for (const kind of ["message", "receipt", "typing"]) {
      await page.evaluate(([k, n]) => window.bench.prepare(k, n), [kind, 3_000]);
      await page.evaluate(() => window.bench.deliver());
    }
  }
}
/** What the listeners must have seen of each stream: every item; the messages (6 in 10 of the mix). */
const expected = (kind, listen) => ({
  item: listen === "message" ? 0 : ISO_N,
  message: listen === "item" ? 0 : kind === "message" ? ISO_N : kind === "mix" ? ISO_N * 0.6 : 0,
});
results.isolated = { items: ISO_N, runs: ISO_RUNS, perItemMicroseconds: {} };
if (!only || only === "isolated") {
  console.log("measuring the per-item cost, isolated, runs interleaved…");
  const samples = {};
  /** The first items of a fresh page (the mix, listener on item) by library, and the streams after them
   * by kind and library: kept apart from the rest, whose spread alone decides on more runs. */
  const firstSamples = {}, mixedSamples = {};
  const isoSpreads = () => Object.values(samples).flatMap((byKind) => Object.values(byKind).flatMap((byLib) => Object.values(byLib)));
  for (let i = 0; i < ISO_RUNS || (i < 2 * ISO_RUNS && wide(...isoSpreads())); i++) {
    for (const listen of ISO_LISTEN) {
      for (const lib of inTurn(ISO_LIBS, i)) {
        await attempt(lib, `isolated ${listen} run ${i + 1}`, () => onPage(lib, async ({ page, context }) => {
          const stream = await streamTimer(page, context);
          await warmUp(page);
          for (const kind of ISO_KINDS) (((samples[listen] ??= {})[kind] ??= {})[lib] ??= []).push(await stream(kind, listen));
        }, emulator.url, "isolated.html", { listen }));
      }
    }
  }
  // The page's first items, on pages of their own: the mix on a fresh page, the code not yet optimised
  // (as in a chat's first minutes and the first burst). Then, on the same page, the warm-up and the
  // streams as above: what a chat that began with a mix, as chats do, makes of the code (the order the
  // engine first sees items in changes the figures after; the rows above began with a block of each kind).
  for (let i = 0; i < ISO_RUNS; i++) {
    for (const lib of inTurn(ISO_LIBS, i)) {
      await attempt(lib, `isolated first items run ${i + 1}`, () => onPage(lib, async ({ page, context }) => {
        const stream = await streamTimer(page, context);
        (firstSamples[lib] ??= []).push(await stream("mix", "item"));
        await warmUp(page);
        for (const kind of ISO_KINDS) ((mixedSamples[kind] ??= {})[lib] ??= []).push(await stream(kind, "item"));
      }, emulator.url, "isolated.html", { listen: "item" }));
    }
  }
  for (const listen of ISO_LISTEN) {
    for (const kind of ISO_KINDS) {
      for (const lib of ISO_LIBS) {
        ((results.isolated.perItemMicroseconds[listen] ??= {})[kind] ??= {})[lib] = stats(samples[listen]?.[kind]?.[lib] ?? []);
      }
    }
  }
  results.isolated.firstItemsMicroseconds = Object.fromEntries(ISO_LIBS.map((lib) => [lib, stats(firstSamples[lib] ?? [])]));
  results.isolated.afterMixedStartMicroseconds = Object.fromEntries(ISO_KINDS.map((kind) =>
    [kind, Object.fromEntries(ISO_LIBS.map((lib) => [lib, stats(mixedSamples[kind]?.[lib] ?? [])]))]));
}

// The widget: N agent messages arrive one by one and each becomes a bubble. Main-thread time (Chromium's
// TaskDuration, every task of the page) from the first message until the last bubble is in the DOM,
// per message, for two lengths: equal figures mean linear time.
const WIDGET_LENGTHS = [1_000, 10_000];
if (!only || only === "widget") {
  console.log("measuring the widget's rendering…");
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
          // The transcript keeps only the newest bubbles in the DOM: the last one says when all came, and
          // those on the page must be the newest messages, in order, each once.
          const bubbles = () => page.evaluate(() => [...document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent .text")].map((p) => p.textContent));
          const t0 = await busy();
          await fetch(`${demo.url}/emulator/contacts/${contact}/burst`, { method: "POST", body: JSON.stringify({ Count: n }) });
          await page.waitForFunction((last) => [...document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent .text")].pop()?.textContent === last,
            `burst ${n - 1}`, { timeout: 120_000, polling: 200 });
          const seconds = (await busy()) - t0;
          const shown = (await bubbles()).filter((text) => text.startsWith("burst "));
          if (shown.some((text, i) => text !== `burst ${n - shown.length + i}`)) throw new Error("the bubbles do not match the messages");
          results.widget.mounted = Math.max(results.widget.mounted ?? 0, await page.evaluate(() => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li").length));
          perItem.push((seconds * 1e6) / n);
        } finally {
          await context.close();
        }
      });
    }
    results.widget[n] = { microsecondsPerMessage: stats(perItem) };
  }
  // A reload with a chat going on (the customer moves to another page of the shop): from the navigation
  // until the socket's subscription is acknowledged and until the widget says the chat is back
  // (`chat-started`: connected, and the transcript fetched), with every CreateParticipantConnection
  // answered at once and 100 ms late (a distant service). The page says when through a console line and a
  // script of the page's own (a WebSocket that only watches), not through polling.
  results.widget.reload = {};
  await attempt("ours", "widget reload", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    try {
      const page = await context.newPage();
      await page.addInitScript(() => {
        const at = (window.reloadTimes = {});
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          constructor(...args) {
            super(...args);
            this.addEventListener("message", (e) => { if (String(e.data).includes('"aws/subscribe"')) at.subscribed ??= performance.now(); });
          }
        };
        document.addEventListener("chat-started", () => {
          at.started ??= performance.now();
          console.log("bench:chat-started");
        }, true);
      });
      await page.goto(`${demo.url}/`);
      const host = page.locator("#connect-chat-wasm-widget");
      await host.locator("button.launcher").click();
      await host.locator("textarea:not([disabled])").waitFor();
      const times = { 0: { subscribed: [], started: [] }, [DISTANT_MS]: { subscribed: [], started: [] } };
      const fault = (body) => fetch(`${demo.url}/emulator/faults/connection`, { method: "POST", body: JSON.stringify(body) });
      for (let i = 0; i <= RUNS; i++) {
        for (const delay of i % 2 ? [DISTANT_MS, 0] : [0, DISTANT_MS]) {
          // Every call of this reload (one; two should the tabs' election answer late), and none after it.
          if (delay) await fault({ DelayMs: delay, Count: 2 });
          const started = page.waitForEvent("console", { predicate: (m) => m.text() === "bench:chat-started", timeout: 30_000 });
          await page.reload();
          await started;
          if (delay) await fault({ Count: 0 });
          const at = await page.evaluate(() => window.reloadTimes);
          if (i === 0) continue; // the first of each: not counted, as elsewhere
          times[delay].subscribed.push(at.subscribed);
          times[delay].started.push(at.started);
        }
      }
      for (const [delay, t] of Object.entries(times)) results.widget.reload[delay] = { subscribedMs: stats(t.subscribed), chatStartedMs: stats(t.started) };
    } finally {
      await context.close();
    }
  });
  demo.stop();
}

await browser.close();
await pinnedBrowser?.close();
emulator.stop();
shortTtl.stop();

// ----- report -----
const chromium = execFileSync("/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}`, node: process.version, chromium };
const report = { date: new Date().toISOString(), machine, pinned, chatjsVersion, runs: RUNS, burst: BURST, memoryItems: MEMORY_ITEMS, bytes, results };
mkdirSync(`${root}bench-results`, { recursive: true });
writeFileSync(`${root}bench-results/bench.json`, JSON.stringify(report, null, 2) + "\n");

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");
const spread = (s, d = 0) => `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})`;
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : "n/a");
const o = results.ours, c = results.chatjs;
const mb = (m, key, d) => (m.memory ? fmt(m.memory[key] / 1e6, d) : "failed");
const renewal = (m) => (m.renewal ? `${m.renewal.lost} / ${m.renewal.duplicated}` : "failed");
const PHASE_NAMES = {
  loaded: "library loaded (module fetched; chatjs: script run)",
  ready: "library ready (wasm compiled and instantiated)",
  connectionAnswered: "CreateParticipantConnection answered",
  socketCreated: "WebSocket created (the page's own work is over; the browser opens it)",
  socketOpen: "WebSocket open",
  subscribed: "subscription acknowledged",
};
const phase = (m, p) => (m.coldStartPhasesMs?.[p]?.runs ? spread(m.coldStartPhasesMs[p], 1) : "n/a");
const b = results.bare;
/** Whether every run of `runs` reached `n` ("no" says in how many it did). */
const inEveryRun = (runs, n) => {
  if (!runs?.length) return "n/a";
  const reached = runs.filter((x) => x >= n).length;
  return reached === runs.length ? "yes" : `no: ${reached} of ${runs.length}`;
};
/** In how many rounds (each library's page opened in turn) `runs` reached chatjs's figure of the same
 * round; "n/a" when a failed page left the rounds unpaired. */
const sameRound = (runs, theirs) =>
  runs?.length && runs.length === theirs?.length ? `${runs.filter((x, i) => x >= theirs[i]).length} of ${runs.length}` : "n/a";
const mainRows = () => [
  ["bytes shipped, gzip -9", fmt(bytes.ours.gzip), fmt(bytes.chatjs.gzip), "", ratio(bytes.ours.gzip, bytes.chatjs.gzip), ""],
  ["bytes shipped, brotli", fmt(bytes.ours.brotli), fmt(bytes.chatjs.brotli), "", ratio(bytes.ours.brotli, bytes.chatjs.brotli), ""],
  ["cold start to subscribed (aws/chat acknowledged), ms", spread(o.coldStartToSubscribedMs, 1), spread(c.coldStartToSubscribedMs, 1), spread(b.coldStartToSubscribedMs, 1), ratio(o.coldStartToSubscribedMs.median, c.coldStartToSubscribedMs.median), ratio(o.coldStartToSubscribedMs.median, b.coldStartToSubscribedMs.median)],
  ...Object.entries(PHASE_NAMES).map(([p, name]) => [`  ${name}, ms after start`, phase(o, p), phase(c, p), phase(b, p), "", ""]),
  ["  the library says connected, ms after start (chatjs: before its socket opened)", spread(o.coldStartMs, 1), spread(c.coldStartMs, 1), spread(b.coldStartMs, 1), "", ratio(o.coldStartMs.median, b.coldStartMs.median)],
  ...variantRows(),
  ...burstRows(`inbound ${fmt(BURST)}-item burst through the emulator, items/s`, "  ", "itemsPerSecond", "burstRuns"),
  ...burstRows(`  the page's second burst of ${fmt(BURST)} (the code warmed up), items/s`, "    ", "warmItemsPerSecond", "warmBurstRuns"),
  ...pinnedRows(),
  ["memory after 100,000 items (JS heap + wasm), MB", mb(o, "after100kBytes", 1), mb(c, "after100kBytes", 1), "", ratio(o.memory?.after100kBytes, c.memory?.after100kBytes), ""],
  ["memory growth 10,000 → 100,000 items, MB", mb(o, "growth10kTo100kBytes", 2), mb(c, "growth10kTo100kBytes", 2), "", "", ""],
  ["dropped socket to connected again, ms", spread(o.reconnectGapMs), spread(c.reconnectGapMs), "", ratio(o.reconnectGapMs.median, c.reconnectGapMs.median), ""],
  ["renewals + 2 drops: items lost / duplicated (of 200)", renewal(o), renewal(c), "", "", ""],
];
/** One burst figure's rows: its rates (`results[lib][key]`) by library, then, for ours and the floor,
 * whether every run (`results[lib][runs]`) reached chatjs's median and in how many rounds each beat
 * chatjs's page of the same round (the floor's column says how far the burst's noise reaches: were the
 * floor not ≥ chatjs's median in every run, no library could be). `indent` starts the two checks' labels. */
function burstRows(title, indent, key, runs) {
  return [
    [title, spread(o[key]), spread(c[key]), spread(b[key]), ratio(o[key].median, c[key].median), ratio(o[key].median, b[key].median)],
    [`${indent}≥ chatjs's median in every run`, inEveryRun(o[runs], c[key].median), "", inEveryRun(b[runs], c[key].median), "", ""],
    [`${indent}≥ chatjs's own of the same round, rounds`, sameRound(o[runs], c[runs]), "", sameRound(b[runs], c[runs]), "", ""],
  ];
}
/** The bursts measured in the pinned browser, as the rows above (none when the machine cannot pin). */
function pinnedRows() {
  if (!o.pinnedItemsPerSecond?.runs || !c.pinnedItemsPerSecond?.runs || !b.pinnedItemsPerSecond?.runs) return [];
  return [
    ...burstRows(`  the same, the browser pinned to the core the emulator is not on: first burst, items/s`, "    ", "pinnedItemsPerSecond", "pinnedBurstRuns"),
    ...burstRows(`    its second burst, items/s`, "    ", "pinnedWarmItemsPerSecond", "pinnedWarmBurstRuns"),
  ];
}
/** The cold-start variants' rows (runs of their own, see `COLD_VARIANTS`): every library and the floor
 * with the service near, ours with preconnect against the chatjs and the floor of those same runs, and
 * every page with the distant service. */
function variantRows() {
  const variant = (lib, delay) => results.coldStartVariants[variantKey(lib, delay)];
  const v = (lib, delay) => variant(lib, delay)?.toSubscribedMs;
  const connected = (lib, delay) => variant(lib, delay)?.phasesMs.connected;
  const cell = (s) => (s?.runs ? spread(s, 1) : "failed");
  const near = [v("ours", 0), v("chatjs", 0), v("bare", 0)];
  const far = [v("ours", DISTANT_MS), v("oursPreconnected", DISTANT_MS), v("chatjs", DISTANT_MS), v("bare", DISTANT_MS)];
  // Each preconnect variant: to subscribed against chatjs and the floor, its phases, and when the
  // library says connected (against the floor's own), which is what the page can show.
  const preconnectRows = (lib, title, phases) => {
    const pre = v(lib, 0);
    return [
      [`  ${title}: subscribed, ms after start`, cell(pre), "", "", ratio(pre?.median, near[1]?.median), ratio(pre?.median, near[2]?.median)],
      ...phases.map((p) => [`    ${PHASE_NAMES[p]}, ms after start`, cell(variant(lib, 0)?.phasesMs[p]), "", "", "", ""]),
      ["    the library says connected, ms after start", cell(connected(lib, 0)), "", "", "", ratio(connected(lib, 0)?.median, connected("bare", 0)?.median)],
    ];
  };
  return [
    [`cold start to subscribed again, in runs of its own (${COLD_RUNS} pages each, with the variants below), ms`, cell(near[0]), cell(near[1]), cell(near[2]), ratio(near[0]?.median, near[1]?.median), ratio(near[0]?.median, near[2]?.median)],
    ["  the library says connected, ms after start", cell(connected("ours", 0)), cell(connected("chatjs", 0)), cell(connected("bare", 0)), "", ratio(connected("ours", 0)?.median, connected("bare", 0)?.median)],
    ...preconnectRows("oursPreconnected", "ours with preconnect", ["loaded", "ready", "connectionAnswered", "socketCreated", "socketOpen"]),
    ...preconnectRows("oursPreconnectedFirst", "ours with preconnect, the library loaded once subscribed", ["connectionAnswered", "socketCreated", "socketOpen", "loaded", "ready"]),
    [`cold start to subscribed, CreateParticipantConnection answered ${DISTANT_MS} ms late (a distant service), ms`, cell(far[0]), cell(far[2]), cell(far[3]), ratio(far[0]?.median, far[2]?.median), ratio(far[0]?.median, far[3]?.median)],
    ["  ours with preconnect, the same", cell(far[1]), "", "", ratio(far[1]?.median, far[2]?.median), ratio(far[1]?.median, far[3]?.median)],
    ...[["ours", "the library says connected"], ["oursPreconnected", "with preconnect, the library says connected"]].map(([lib, title]) => [
      `  ${title}, ms after start`, cell(connected(lib, DISTANT_MS)), "", cell(connected("bare", DISTANT_MS)), "", ratio(connected(lib, DISTANT_MS)?.median, connected("bare", DISTANT_MS)?.median),
    ]),
  ];
}
const widgetRows = () => WIDGET_LENGTHS.map((n) => [
  `widget: main-thread µs per message, ${fmt(n)} messages one by one (${fmt((results.widget?.[n]?.microsecondsPerMessage?.median * n) / 1000)} ms in all)`,
  results.widget?.[n]?.microsecondsPerMessage?.runs ? spread(results.widget[n].microsecondsPerMessage) : "failed",
  "", "", "", "",
]);
const reloadRows = () => [0, DISTANT_MS].flatMap((delay) => {
  const r = results.widget?.reload?.[delay];
  const late = delay ? `, CreateParticipantConnection answered ${delay} ms late` : "";
  return [
    [`widget: a reload with a chat going on${late}: subscribed, ms after navigation`, r?.subscribedMs?.runs ? spread(r.subscribedMs) : "failed", "", "", "", ""],
    [`  the chat back (chat-started), ms after navigation`, r?.chatStartedMs?.runs ? spread(r.chatStartedMs) : "failed", "", "", "", ""],
  ];
});
const rows = [...(only ? [] : mainRows()), ...(!only || only === "widget" ? [...widgetRows(), ...reloadRows()] : [])];
const header = ["figure", "connect-chat-wasm", `amazon-connect-chatjs ${chatjsVersion}`, "no library (the floor)", "ours/chatjs", "ours/floor"];
function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => "| " + r.map((v, i) => String(v).padEnd(widths[i])).join(" | ") + " |";
  console.log("\n" + line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const r of rows) console.log(line(r));
}
if (rows.length) table(header, rows);

// The per-item table: µs per item, median (min–max); what each library adds above the floor, and ours
// against theirs and against the floor.
if (!only || only === "isolated") {
  const iso = results.isolated.perItemMicroseconds;
  /** A row: each library's µs per item, ours in items/s, what ours adds against chatjs, ours against the floor. */
  const isoRow = (label, r = {}) => {
    const [fl, ou, ch] = [r.bare, r.ours, r.chatjs].map((x) => x?.median);
    const runs = [r.bare, r.ours, r.chatjs].every((x) => x?.runs);
    return [
      label, runs ? spread(r.ours, 2) : "failed", runs ? spread(r.chatjs, 2) : "failed", runs ? spread(r.bare, 2) : "failed",
      runs ? fmt(1e6 / ou) : "", runs ? ratio(ou - fl, ch - fl) : "", runs ? ratio(ou, fl) : "",
    ];
  };
  const isoRows = ISO_LISTEN.flatMap((listen) => ISO_KINDS.map((kind) =>
    isoRow(`${kind}, listener on ${listen === "both" ? "item and message" : listen}`, iso[listen]?.[kind])));
  for (const kind of ISO_KINDS) isoRows.push(isoRow(`${kind}, listener on item, the page begun with a mix`, results.isolated.afterMixedStartMicroseconds[kind]));
  isoRows.push(isoRow(`mix, the page's first ${fmt(ISO_N)} (not yet optimised), listener on item`, results.isolated.firstItemsMicroseconds));
  table(["per item, isolated: µs (median, min–max)", "connect-chat-wasm", `amazon-connect-chatjs ${chatjsVersion}`, "no library (the floor)", "ours, items/s", "ours added / chatjs added", "ours/floor"], isoRows);
}
console.log(`\n${RUNS} runs each, interleaved${pinned ? `, the emulator pinned to core 0${process.env.BENCH_PIN === "both" ? " and the browser to core 1" : ""}` : ""}; ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, ${chromium}, Node ${process.version}`);
for (const lib of ["ours", "chatjs", "bare"]) {
  for (const f of results[lib].failures ?? []) console.log(`failed (${lib}): ${f}`);
}
console.log("report: bench-results/bench.json");
