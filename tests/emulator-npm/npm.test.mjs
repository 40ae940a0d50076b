// The emulator for every web developer: the npm packages `connect-emulator` and
// `connect-emulator-linux-x64` packed as they would be published, installed from their tarballs into an
// empty folder with no Rust on the PATH, then `npx connect-emulator` and a chat through the Node API
// (StartChatContact, an agent message, the transcript read back by the control API and by GetTranscript,
// a drop, a persistent chat, stop), and the package's TypeScript declarations checked by tsc.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, lstatSync } from "node:fs";
import { tmpdir, homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const binary = join(root, "target", "release", "connect-emulator");
const here = process.platform === "linux" && process.arch === "x64";
const skip = here ? false : "the per-platform package built and tested here is linux-x64";

/** PATH without Rust: no directory holding cargo or rustc (~/.cargo/bin and any other). */
const rustless = process.env.PATH.split(delimiter)
  .filter((dir) => dir && !["cargo", "rustc"].some((exe) => existsSync(join(dir, exe))))
  .join(delimiter);
const siteEnv = { ...process.env, PATH: rustless };
delete siteEnv.CONNECT_EMULATOR_BINARY;

let work;
let site;

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...options });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The newest modification time under `dir`. */
function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

before(() => {
  if (!here) return;
  // Reuse the release binary unless the emulator's sources are newer than it.
  const sources = Math.max(newest(join(root, "emulator", "src")), statSync(join(root, "emulator", "Cargo.toml")).mtimeMs);
  if (!existsSync(binary) || statSync(binary).mtimeMs < sources) {
    const path = [join(homedir(), ".cargo", "bin"), process.env.PATH].join(delimiter);
    run("cargo", ["build", "--release", "--quiet", "-p", "connect-emulator"], { cwd: root, env: { ...process.env, PATH: path }, stdio: "inherit" });
  }
  work = mkdtempSync(join(tmpdir(), "connect-emulator-npm-"));
  for (const pkg of ["connect-emulator-linux-x64", "connect-emulator"]) {
    run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: join(root, "npm", pkg) });
  }
  site = join(work, "site");
  mkdirSync(site);
  writeFileSync(join(site, "package.json"), JSON.stringify({ private: true, type: "module" }));
  // Offline: everything comes from the tarballs (the other platforms' optional packages are skipped).
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error",
    join(work, "connect-emulator-0.1.0.tgz"), join(work, "connect-emulator-linux-x64-0.1.0.tgz")], { cwd: site, env: siteEnv });
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the install holds the binary itself, and the site's PATH has no Rust", { skip }, () => {
  assert.equal(spawnSync("cargo", ["--version"], { env: siteEnv }).error?.code, "ENOENT");
  const installed = join(site, "node_modules", "connect-emulator-linux-x64", "bin", "connect-emulator");
  assert.ok(lstatSync(installed).isFile(), "a copy in the package, not a link into the workspace");
  assert.ok(existsSync(join(site, "node_modules", ".bin", "connect-emulator")));
});

test("npx connect-emulator --port 0 runs the binary and stops on Ctrl-C", { skip }, async () => {
  // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group (npx does not
  // pass a signal on to what it runs).
  const child = spawn("npx", ["--offline", "connect-emulator", "--port", "0"], { cwd: site, env: siteEnv, detached: true });
  let out = "";
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no listening line: ${out}`)), 10_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    child.on("exit", (code) => rej(new Error(`exited ${code}: ${out}`)));
  });
  const health = await (await fetch(`${url}/emulator/health`)).json();
  assert.deepEqual(health, { ok: true });
  child.removeAllListeners("exit");
  const exited = new Promise((res) => child.once("exit", (code, signal) => res({ code, signal })));
  process.kill(-child.pid, "SIGINT");
  const { code, signal } = await exited;
  assert.ok(code === 0 || code === 130 || signal === "SIGINT", `exit ${code} ${signal}`);
  // The emulator itself goes too: its port stops answering.
  const until = Date.now() + 5_000;
  let gone = false;
  while (!gone && Date.now() < until) {
    gone = await fetch(`${url}/emulator/health`).then(() => false, () => true);
    if (!gone) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(gone, "the emulator still answers after Ctrl-C");
  const help = run("npx", ["--offline", "connect-emulator", "--help"], { cwd: site, env: siteEnv });
  assert.match(help, /--max-sockets-per-participant N/);
});

const CHAT = `
import { startEmulator, EmulatorError } from "connect-emulator";
const out = {};
const emulator = await startEmulator({ maxSocketsPerParticipant: 2 });
out.url = emulator.url;
const chat = await emulator.startChat({ displayName: "Jane" });
const bearer = (token, path, body) => fetch(emulator.url + path, {
  method: "POST", headers: { "content-type": "application/json", "x-amz-bearer": token }, body: JSON.stringify(body),
}).then((r) => r.json());
const connection = await bearer(chat.ParticipantToken, "/participant/connection",
  { Type: ["CONNECTION_CREDENTIALS"], ConnectParticipant: true });
const token = connection.ConnectionCredentials.ConnectionToken;
out.sent = await emulator.agent.send(chat.ContactId, "Hello Jane, how can I help?");
await bearer(token, "/participant/message", { ContentType: "text/plain", Content: "Where is my parcel?" });
out.control = (await emulator.transcript(chat.ContactId)).filter((i) => i.Type === "MESSAGE").map((i) => i.Content);
const page = await bearer(token, "/participant/transcript", { ScanDirection: "FORWARD", SortOrder: "ASCENDING" });
out.getTranscript = page.Transcript.filter((i) => i.Type === "MESSAGE").map((i) => [i.ParticipantRole, i.Content]);
out.dropped = await emulator.drop(chat.ContactId);
await emulator.agent.end(chat.ContactId);
const again = await emulator.startChat({ sourceContactId: chat.ContactId });
out.continued = again.ContinuedFromContactId === chat.ContactId;
out.history = (await emulator.transcript(again.ContactId)).filter((i) => i.RelatedContactId === chat.ContactId).length;
try {
  await emulator.agent.send("no-such-contact", "x");
} catch (e) {
  out.error = [e instanceof EmulatorError, e.name, e.status];
}
await emulator.stop();
out.exited = emulator.process.exitCode !== null || emulator.process.signalCode !== null;
console.log(JSON.stringify(out));
`;

test("a chat through the Node API, installed from the tarballs", { skip }, () => {
  writeFileSync(join(site, "chat.mjs"), CHAT);
  const out = JSON.parse(run("node", ["chat.mjs"], { cwd: site, env: siteEnv }));
  assert.match(out.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(typeof out.sent.Id, "string");
  assert.deepEqual(out.control, ["Hello Jane, how can I help?", "Where is my parcel?"]);
  assert.deepEqual(out.getTranscript, [["AGENT", "Hello Jane, how can I help?"], ["CUSTOMER", "Where is my parcel?"]]);
  assert.deepEqual(out.dropped, { Dropped: 0 });
  assert.equal(out.continued, true);
  assert.ok(out.history >= 4, `the earlier items in the persistent chat: ${out.history}`);
  assert.deepEqual(out.error, [true, "ResourceNotFoundException", 404]);
  assert.equal(out.exited, true);
});

test("the TypeScript declarations type a site's test (tsc --strict)", { skip }, () => {
  writeFileSync(join(site, "check.ts"), `
import { startEmulator, type Emulator, type StartedChat, type Item } from "connect-emulator";
const emulator: Emulator = await startEmulator({ port: 0, websocketUrlTtl: 5, maxSocketsPerParticipant: 1 });
const chat: StartedChat = await emulator.startChat({ displayName: "Jane", rehydrationType: "FROM_SEGMENT" });
const { Id } = await emulator.agent.send(chat.ContactId, "hi", { contentType: "text/markdown" });
const items: Item[] = await emulator.transcript(chat.ContactId);
const related: string | undefined = items[0]?.RelatedContactId;
const { Dropped } = await emulator.drop(chat.ContactId, { refuseMs: 100 });
await emulator.stop();
export { Id, related, Dropped };
// @ts-expect-error: an option the emulator does not have
await startEmulator({ colour: "blue" });
`);
  writeFileSync(join(site, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext",
      skipLibCheck: false, types: ["node"], typeRoots: [join(root, "node_modules", "@types")],
    },
    files: ["check.ts"],
  }));
  run("node", [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: site, env: siteEnv });
});
