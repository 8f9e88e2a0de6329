// Run a Python file inside Pyodide under Node, with the calculator wheel installed.
//
//   node tests/pyodide/run_vectors.mjs [--stdlib ZIP] <calculator.whl> <entry.py under tests/> [args...]
//
// Pyodide comes from node_modules (pinned by package-lock.json; `make setup` / `npm ci`).
// --stdlib ZIP: load Pyodide as the site does, with ZIP (the build's trimmed .pyc stdlib,
// hooks/sitegen/vendor.py stdlib_zip) as its only standard library and no lock file. The entry
// then runs with only what that zip holds, so it is exec'd directly (runpy is not in it).
// The repository's tests/ folder is mounted read-write with NODEFS at /repo/tests and the
// working directory is /repo, so the entry finds tests/vectors/*.json. The entry runs as
// __main__ with sys.argv = [entry, ...args].
// Exit status: the entry's SystemExit code; 1 if it raises; 2 on bad usage or if Pyodide
// or the wheel fails to load.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const testsDir = path.resolve(here, "..");
const argv = process.argv.slice(2);
const stdlibArg = argv[0] === "--stdlib" ? (argv.shift(), argv.shift()) : null;
const [wheelArg, entryArg, ...entryArgs] = argv;

function die(message, code = 2) {
  process.stderr.write(`run_vectors: ${message}\n`);
  process.exit(code);
}

if (!wheelArg || !entryArg) {
  die("usage: node tests/pyodide/run_vectors.mjs [--stdlib ZIP] <calculator.whl> <entry.py> [args...]");
}
if (stdlibArg !== null && !existsSync(stdlibArg)) die(`no such stdlib zip: ${stdlibArg}`);
const wheelPath = path.resolve(wheelArg);
const entryPath = path.resolve(entryArg);
if (!existsSync(wheelPath)) die(`no such wheel: ${wheelPath}`);
if (!existsSync(entryPath)) die(`no such entry: ${entryPath}`);
const entryRel = path.relative(testsDir, entryPath);
if (entryRel.startsWith("..") || path.isAbsolute(entryRel)) {
  die(`the entry must be inside ${testsDir} (it is mounted there): ${entryPath}`);
}

let loadPyodide;
try {
  ({ loadPyodide } = await import("pyodide"));
} catch (err) {
  die(`cannot import the npm package "pyodide" (${err.message}); run \`make setup\` (or \`npm ci\`) first`);
}

const t0 = performance.now();
let py;
try {
  if (stdlibArg) {
    const lock = JSON.parse(readFileSync(new URL(import.meta.resolve("pyodide/pyodide-lock.json")), "utf8"));
    py = await loadPyodide({ stdLibURL: path.resolve(stdlibArg), lockFileContents: { info: lock.info, packages: {} } });
    process.stdout.write(`stdlib: ${path.resolve(stdlibArg)}\n`);
  } else {
    py = await loadPyodide();
  }
  const sitePackages = py.runPython("import sysconfig; sysconfig.get_path('purelib')");
  // unpackArchive throws on a bad wheel (loadPackage would only log); it wants a Uint8Array.
  const wheelBytes = new Uint8Array(readFileSync(wheelPath));
  py.unpackArchive(wheelBytes, "wheel", { extractDir: sitePackages });
} catch (err) {
  die(`Pyodide or the wheel failed to load: ${err.message}`);
}
const tReady = performance.now();

py.FS.mkdirTree("/repo/tests");
py.FS.mount(py.FS.filesystems.NODEFS, { root: testsDir }, "/repo/tests");
py.FS.chdir("/repo");

const runEntry = py.runPython(`
import sys

def _run_entry(entry, args):
    sys.argv = [entry, *args]
    with open(entry, encoding="utf-8") as fh:
        code = compile(fh.read(), entry, "exec")
    try:
        exec(code, {"__name__": "__main__", "__file__": entry})
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    return 0

_run_entry
`);

let status;
try {
  status = runEntry(`/repo/tests/${entryRel.split(path.sep).join("/")}`, py.toPy(entryArgs));
} catch (err) {
  // A PythonError's message is the formatted traceback.
  process.stderr.write(`${err.message}\n`);
  status = 1;
}
const tDone = performance.now();
process.stderr.write(
  `run_vectors: Pyodide ${py.version} + wheel ready in ${(tReady - t0).toFixed(0)} ms, ` +
    `entry ran in ${(tDone - tReady).toFixed(0)} ms, exit ${status}\n`,
);
process.exit(status);
