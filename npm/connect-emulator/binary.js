// Where the emulator binary is: in the per-platform package npm installed beside this one (the
// optional-dependency pattern esbuild uses: each platform's package declares its os and cpu, so npm
// installs only the one that fits), or CONNECT_EMULATOR_BINARY.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The package holding this platform's binary. */
export function platformPackage(platform = process.platform, arch = process.arch) {
  return `connect-emulator-${platform}-${arch}`;
}

/** The binary's path; throws with what to do when there is none for this platform. */
export function binaryPath() {
  if (process.env.CONNECT_EMULATOR_BINARY) return process.env.CONNECT_EMULATOR_BINARY;
  const pkg = platformPackage();
  const exe = process.platform === "win32" ? "connect-emulator.exe" : "connect-emulator";
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    throw new Error(
      `connect-emulator: no binary for ${process.platform}-${process.arch} (the optional dependency ${pkg} ` +
        "is not installed: it may not exist for this platform, or npm was told to omit optional " +
        "dependencies). Set CONNECT_EMULATOR_BINARY to a connect-emulator binary built with " +
        "`cargo build --release -p connect-emulator`.",
    );
  }
}
