#!/usr/bin/env node
// `npx connect-emulator [flags]`: runs the prebuilt binary with the same flags and output (it prints
// `listening on http://127.0.0.1:PORT` when ready), passes Ctrl-C and SIGTERM on, and exits as it exits.
import { spawn } from "node:child_process";
import { binaryPath } from "../binary.js";

let binary;
try {
  binary = binaryPath();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const child = spawn(binary, process.argv.slice(2), { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (e) => {
  console.error(`connect-emulator: cannot run ${binary}: ${e.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  // A child ended by a signal: the same exit status a shell gives.
  process.exit(code ?? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal] ?? 1));
});
