// prepack of every per-platform package (npm/connect-emulator-<platform>-<arch>/): copies the release
// binary of the emulator into the package's bin/ so `npm pack` puts it in the tarball. The package's own
// os and cpu say which binary it wants; the binary is taken from CONNECT_EMULATOR_BINARY if set (a
// cross-compiled one, see npm/README.md), else from the workspace's target/release/ when the package is
// the host's platform. Nothing is built here: `cargo build --release -p connect-emulator` first.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const [os] = pkg.os ?? [];
const [cpu] = pkg.cpu ?? [];
if (!os || !cpu) throw new Error(`${pkg.name}: package.json must name one os and one cpu`);
const exe = os === "win32" ? "connect-emulator.exe" : "connect-emulator";

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
let source = process.env.CONNECT_EMULATOR_BINARY;
if (!source) {
  if (os !== process.platform || cpu !== process.arch) {
    throw new Error(`${pkg.name} is for ${os}-${cpu}, this machine is ${process.platform}-${process.arch}: ` +
      "set CONNECT_EMULATOR_BINARY to a binary built for it");
  }
  source = join(workspace, "target", "release", exe);
}
if (!existsSync(source)) {
  throw new Error(`no emulator binary at ${source}: run \`cargo build --release -p connect-emulator\` first`);
}
const target = join(pkgDir, "bin", exe);
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
chmodSync(target, 0o755);
console.error(`${pkg.name}: ${source} -> bin/${exe}`);
