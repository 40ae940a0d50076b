// Shared by the end-to-end tests: an emulator process serving www/, and headless Chromium.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const root = new URL("../../", import.meta.url).pathname;
export const artifacts = `${root}test-results`;
mkdirSync(artifacts, { recursive: true });

/** Starts `connect-emulator --port 0 --static www ...args`; resolves to { url, stop }. */
export function startEmulator(...args) {
  const bin = process.env.EMULATOR_BIN || `${root}target/debug/connect-emulator`;
  const child = spawn(bin, ["--port", "0", "--static", `${root}www`, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve({ url: m[1], stop: () => child.kill() });
    });
  });
}

/** Headless Debian Chromium with the flags this network needs (and any `extra`), started through
 * `executable` (a wrapper that pins it, for the benchmark) if given. */
export function launchBrowser(extra = [], executable = process.env.CHROMIUM || "/usr/bin/chromium") {
  return chromium.launch({
    executablePath: executable,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic", ...extra,
    ],
  });
}

/** Collects page errors so a test can assert there were none. */
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // Failed requests are reported below with their URL; the console line says less.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`console: ${m.text()}`);
  });
  page.on("response", async (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()} ${r.request().postData() ?? ""} -> ${await r.text().catch(() => "")}`);
  });
  return errors;
}
