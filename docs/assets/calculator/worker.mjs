// The calculator's Web Worker: Pyodide + the calculator package, answering JSON requests.
// Glue only: every figure comes from calculator.api in Python.
//
// Start it as a MODULE worker (a classic worker cannot load Pyodide):
//   const w = new Worker(new URL("assets/calculator/worker.mjs", base), {type: "module"});
// It starts itself: at load it reads config.json beside it (written by the build: {wheel, prices,
// pyodide, lock}, paths relative to that file; pyodide may be an absolute CDN URL; lock: the
// "info" of the vendored pyodide-lock.json) and starts Pyodide at once, without waiting for the
// page (whose main thread is busy with the rest of the page at that moment).
// Page -> worker
//   {id, fn, args}   a call: calculator.api.call(fn, JSON.stringify(args)); may be sent at any
//        time, before "ready" too (it waits). fn: a name calculator.api.call dispatches (estimate,
//        what_if, rank, cache, charts, usage, tokens, errors), or "vectors" with args {document: a tests/vectors/*.json
//        document}, answered {count, failures} by calculator.vectors. At start-up the prices text
//        goes to calculator.api.load(text).
//   {id, fn, args, latest: true}   the same, for a form view whose older answers the page drops
//        (estimate, what_if, rank, cache, charts): of such calls sent while the worker starts, only the
//        newest of each fn is computed, the first figure waiting behind no stale one; the older
//        ones are answered {id, ok: false, superseded: true, error}.
// Worker -> page
//   {type: "ready", ms, pyodideMs, pyodide, models, start, phases}   ms: worker start to ready;
//        pyodideMs: to loadPyodide() done; pyodide: its version; models: count from
//        calculator.api.load; start: "snapshot" (this browser's memory snapshot, below) or
//        "fresh"; phases: {step: ms since the worker started} (modules, snapshotRead, key,
//        pyodide, calculator, ready) and snapshot: why it was used or not
//   {type: "failed", error}                Pyodide, the wheel or the prices did not load
//   {id, ok: true, result}                 result: the parsed JSON that Python returned
//   {id, ok: false, error}                 an exception or a load failure, as text; never thrown
//   {type: "died", error}                  Pyodide itself failed (the Python guard below turns every
//        Python exception into a reply, so a throw from the call is the runtime's own death, e.g.
//        "Pyodide has suffered a fatal error"); the page then starts a new worker
const started = performance.now();
const defaultIndexURL = new URL("../pyodide/", import.meta.url).href;
let api = null; // {call, version, models, pyodideMs} once ready
let ready = null; // Promise: the start-up (below), settled once "ready" or "failed" is posted
let initError = "";
let dead = ""; // set when Pyodide itself failed (a fatal error): this worker answers nothing more
// Python-side guard: an exception becomes [False, "Type: message"] instead of a PythonError.
// hooks/sitegen/pyodide_stdlib.mjs runs this same text to find the stdlib modules it needs.
const GLUE = `
import json, traceback
from calculator import api

def _worker_call(fn, args_json):
    try:
        if fn == "vectors":  # the golden vectors, for the browser test: {document} -> failures
            from calculator import vectors
            doc = json.loads(args_json).get("document") or {}
            return [True, json.dumps({"count": vectors.count(doc), "failures": vectors.check(doc)})]
        return [True, api.call(fn, args_json)]
    except (Exception, SystemExit) as exc:
        traceback.print_exc()  # to the worker's console
        return [False, f"{type(exc).__name__}: {exc}"]

_worker_call
`;

async function fetchOk(url, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${what} ${url}: HTTP ${response.status}`);
  return response;
}

// ---- start-up ---------------------------------------------------------------------------------
// What a start costs, in order: Pyodide's JS modules (compiled, or from the code cache), its wasm
// (the same), the interpreter's start (unmarshalling the standard library), the calculator's
// import and the prices. A returning visitor's browser skips the last three: after a fresh
// start, once the page has been idle a moment, the worker writes a Pyodide memory snapshot (the
// interpreter's whole memory, calculator imported and prices loaded) to the origin private file
// system, and the next start restores it instead. It is used only when everything that went into
// it is the same: its key hashes the Pyodide folder, its lock info and the prices text this start
// fetched; Pyodide checks its own build id; the standard library zip mounted (which holds the
// calculator too) must carry the id the snapshot was made with (hooks/sitegen/pyodide_stdlib.mjs
// writes it as the zip's comment: a hash of every member). The file is written aside and swapped
// in whole (createWritable), so a reader finds a complete snapshot or none; its length is
// checked, its bytes are not hashed (a SHA-256 of 31 MB costs this thread about 90 ms, a third of
// what the snapshot saves). Anything else (no storage, a failed restore) falls back to a fresh
// start, silently; phases.snapshot says why, and a snapshot that failed is deleted.
const SNAPSHOT_FORMAT = 1; // bump when what a snapshot holds changes
const SNAPSHOT_IDLE_MS = 1000; // written once no call came for this long after ready
const MAGIC = "pricebook-snapshot\n";
const phases = {}; // step -> ms since the worker started (sent with "ready")
const mark = (step) => { phases[step] = Math.round(performance.now() - started); };
const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
  .map((b) => b.toString(16).padStart(2, "0")).join("");
const utf8 = (text) => new TextEncoder().encode(text);
let saveLater = null; // set when this start may write a snapshot; called after each answer
class NotUsed extends Error {} // a snapshot left aside for a reason phases.snapshot gives

async function snapshotFile(create = false) {
  if (!self.navigator.storage || !navigator.storage.getDirectory) throw new Error("no storage");
  const dir = await navigator.storage.getDirectory();
  // one file per site folder (two sites on one origin keep one each)
  const site = (await hex(utf8(new URL(".", import.meta.url).href))).slice(0, 16);
  return dir.getFileHandle(`pricebook-calculator-${site}.snapshot`, { create });
}

// {header, bytes: Promise} or {why}: the file is MAGIC, a 4-byte header length, the header JSON
// padded to 8 bytes ({key, index, stdlib, models, size}), then the snapshot bytes. Once the header
// is read, the Pyodide JS modules it names (the folder of the last start) are imported; the bytes
// are read meanwhile, off this thread (loadPyodide waits for them only just before instantiating).
async function readSnapshot() {
  let file;
  try {
    file = await (await snapshotFile()).getFile();
  } catch (err) {
    return { why: err.name === "NotFoundError" ? "none yet" : `no storage (${err.name || err})` };
  }
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  const text = new TextDecoder();
  if (head.length < MAGIC.length + 4 || text.decode(head.subarray(0, MAGIC.length)) !== MAGIC) return { why: "not a snapshot" };
  const length = new DataView(head.buffer).getUint32(MAGIC.length, true);
  const header = JSON.parse(text.decode(head.subarray(MAGIC.length + 4, MAGIC.length + 4 + length)));
  preload(header.index);
  const at = Math.ceil((MAGIC.length + 4 + length) / 8) * 8;
  const bytes = file.slice(at, at + header.size).arrayBuffer().then((buffer) => {
    if (buffer.byteLength !== header.size) throw new NotUsed("truncated");
    mark("snapshotRead");
    return new Uint8Array(buffer);
  });
  bytes.catch(() => {}); // reported by restore()
  return { header, bytes };
}

const preloaded = new Set();
function preload(index) { // Pyodide's two JS modules (loadPyodide imports the second one later)
  if (typeof index !== "string" || preloaded.has(index)) return;
  preloaded.add(index);
  for (const name of ["pyodide.mjs", "pyodide.asm.mjs"]) import(`${index}${name}`).catch(() => {});
}

// Read at once, while the settings arrive: the snapshot file, if this browser keeps one.
let snapshotRead = readSnapshot().catch((err) => ({ why: `unreadable (${err.name || err})` }));

async function writeSnapshot(py, key, index, models) {
  const stdlib = stdlibId(py);
  if (!stdlib) return "the standard library has no id";
  const bytes = py.makeMemorySnapshot();
  const header = utf8(JSON.stringify({ key, index, stdlib, models, size: bytes.length }));
  const prefix = new Uint8Array(Math.ceil((MAGIC.length + 4 + header.length) / 8) * 8);
  prefix.set(utf8(MAGIC));
  new DataView(prefix.buffer).setUint32(MAGIC.length, header.length, true);
  prefix.set(header, MAGIC.length + 4);
  const out = await (await snapshotFile(true)).createWritable(); // swapped in whole on close
  await out.write(prefix);
  await out.write(bytes);
  await out.close();
  return "written";
}

// The id hooks/sitegen/pyodide_stdlib.mjs writes as the standard library zip's comment ("" if none).
function stdlibId(py) {
  const zip = py.FS.readdir("/lib").find((name) => name.endsWith(".zip"));
  if (!zip) return "";
  const path = `/lib/${zip}`;
  const bytes = new Uint8Array(81); // the comment ends the file
  const stream = py.FS.open(path, "r");
  try {
    py.FS.read(stream, bytes, 0, bytes.length, Math.max(0, py.FS.stat(path).size - bytes.length));
  } finally {
    py.FS.close(stream);
  }
  const tail = new TextDecoder().decode(bytes);
  return /^pricebook-stdlib [0-9a-f]{64}$/.test(tail) ? tail : "";
}

async function init({ wheelURL, pricesURL, indexURL, lock }) {
  mark("init");
  if (!wheelURL || !pricesURL) throw new Error("init needs wheelURL and pricesURL");
  const base = self.location.href;
  const index = new URL(indexURL || defaultIndexURL, base).href;
  // The prices (and, for a Pyodide from a CDN, the wheel) download while Pyodide compiles.
  const prices = fetchOk(new URL(pricesURL, base), "prices").then((r) => r.text());
  const fetchWheel = () => fetchOk(new URL(wheelURL, base), "calculator wheel").then((r) => r.arrayBuffer());
  const wheel = lock ? null : fetchWheel();
  for (const p of [prices, wheel]) if (p) p.catch(() => {}); // reported below, once awaited

  preload(index);
  const { loadPyodide } = await import(`${index}pyodide.mjs`);
  mark("modules");
  // lock: the vendored pyodide-lock.json's "info" (the build puts it in config.json). Given, Pyodide
  // skips fetching the lock file (119 KB); the calculator never calls loadPackage, so no package
  // entry is needed. Absent (Pyodide from a CDN), Pyodide fetches its own lock file as usual, and
  // no snapshot is kept.
  const options = lock ? { indexURL: index, lockFileContents: { info: lock, packages: {} } } : { indexURL: index };
  // The snapshot's key: what this start would load that the snapshot's memory holds and the
  // standard library zip's id does not cover (the zip holds the calculator, and is checked apart).
  const key = lock && prices.then((text) => hex(utf8(JSON.stringify([SNAPSHOT_FORMAT, index, lock, text]))));
  if (key) {
    key.catch(() => {});
    if (await restore(loadPyodide, options, key)) return;
  }
  const py = await loadPyodide(lock ? { ...options, _makeSnapshot: true } : options);
  const pyodideMs = Math.round(performance.now() - started);
  mark("pyodide");
  // The vendored standard library zip (it carries the pricebook id) holds the calculator, compiled
  // by the build from the same wheel, and comes first on sys.path; with another zip (a CDN's
  // stock one), the wheel is unpacked into site-packages.
  if (!stdlibId(py)) {
    const sitePackages = py.runPython("import sysconfig; sysconfig.get_path('purelib')");
    // unpackArchive throws on a bad wheel; loadPackage(url) would only log it.
    py.unpackArchive(new Uint8Array(await (wheel || fetchWheel())), "wheel", { extractDir: sitePackages });
  }
  const pyApi = py.pyimport("calculator.api");
  const loaded = JSON.parse(pyApi.load(await prices));
  pyApi.destroy();
  if (loaded.errors && loaded.errors.length) {
    throw new Error(loaded.errors.map((e) => e.message).join("; "));
  }
  const call = py.runPython(GLUE);
  mark("calculator");
  if (key) {
    let timer = 0;
    saveLater = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        saveLater = null;
        key.then((k) => writeSnapshot(py, k, index, loaded.models)).then(
          (how) => { phases.snapshot = how; },
          (err) => { phases.snapshot = `not written (${err.name || err})`; });
      }, SNAPSHOT_IDLE_MS);
    };
  }
  api = { call, version: py.version, models: loaded.models, pyodideMs, start: "fresh" };
}

// Start from the snapshot: true, or false (phases.snapshot says why) for a fresh start.
async function restore(loadPyodide, options, key) {
  const snap = await snapshotRead;
  snapshotRead = null; // the bytes are freed once used
  if (snap.why) {
    phases.snapshot = snap.why;
    return false;
  }
  // The key is checked and the bytes read before Pyodide's loader starts (its modules are preloaded
  // meanwhile): a loader abandoned half way (its snapshot promise rejected) left the fresh start
  // that followed failing now and then under load.
  const k = await key;
  mark("key");
  if (k !== snap.header.key) {
    phases.snapshot = "stale";
    snapshotFile().then((file) => file.remove()).catch(() => {}); // written anew after this start
    return false;
  }
  try {
    const py = await loadPyodide({ ...options, _loadSnapshot: await snap.bytes });
    mark("pyodide");
    if (stdlibId(py) !== snap.header.stdlib) throw new Error("made with another standard library");
    const call = py.runPython(GLUE);
    phases.snapshot = "used";
    mark("calculator");
    api = { call, version: py.version, models: snap.header.models, pyodideMs: phases.pyodide, start: "snapshot" };
    return true;
  } catch (err) {
    phases.snapshot = err instanceof NotUsed ? err.message
      : `failed (${String(err && err.message ? err.message : err).split("\n")[0]})`;
    snapshotFile().then((file) => file.remove()).catch(() => {}); // written anew after this start
    return false;
  }
}

// fn -> the id of the newest call with `latest` sent before the start-up settled
const newest = new Map();
let settled = false;

async function answer({ id, fn, args, latest }) {
  try {
    const queued = !settled;
    if (queued && latest) newest.set(fn, id);
    await ready;
    if (!api) throw new Error(`the calculator did not load: ${initError}`);
    if (dead) return { id, ok: false, error: dead, fatal: true };
    if (queued && latest && newest.get(fn) !== id) {
      return { id, ok: false, superseded: true, error: `superseded by a newer ${fn} call` };
    }
    let ok, text;
    try {
      const out = api.call(String(fn), JSON.stringify(args ?? {}));
      [ok, text] = out.toJs();
      out.destroy();
    } catch (err) {
      dead = `the calculator's engine stopped (${String(err && err.message ? err.message : err).split("\n")[0]}); it is restarting`;
      self.postMessage({ type: "died", error: dead });
      return { id, ok: false, error: dead, fatal: true };
    }
    if (!ok) return { id, ok: false, error: text };
    try {
      return { id, ok: true, result: JSON.parse(text) };
    } catch (err) {
      return { id, ok: false, error: `calculator.api.call(${JSON.stringify(fn)}) returned bad JSON: ${err.message}` };
    }
  } catch (err) {
    // A PythonError (BaseException, fatal error) or a JS error: report, never throw.
    return { id, ok: false, error: String(err && err.message ? err.message : err) };
  }
}

// The settings: config.json beside this file (the build writes it: {wheel, prices, pyodide, lock},
// paths relative to it), read as soon as the worker loads.
async function settings() {
  const url = new URL("config.json", import.meta.url);
  let response;
  try {
    response = await fetch(url, { cache: "no-cache" });
  } catch (err) {
    throw new Error(`the calculator's settings did not load (${err.message || err})`);
  }
  if (!response.ok) throw new Error(`the calculator's settings did not load (${url.pathname}: HTTP ${response.status})`);
  const c = await response.json();
  return {
    wheelURL: new URL(c.wheel, url).href,
    pricesURL: new URL(c.prices || "catalog.json", url).href,
    indexURL: c.pyodide ? new URL(c.pyodide, url).href : undefined,
    lock: c.lock || undefined,
  };
}

ready = settings().then(init).then(
  () => {
    settled = true;
    mark("ready");
    self.postMessage({
      type: "ready",
      ms: Math.round(performance.now() - started),
      pyodideMs: api.pyodideMs,
      pyodide: api.version,
      models: api.models,
      start: api.start,
      phases,
    });
    if (saveLater) saveLater();
  },
  (err) => {
    settled = true;
    initError = String(err && err.message ? err.message : err);
    self.postMessage({ type: "failed", error: initError });
  },
);

self.onmessage = async ({ data }) => {
  self.postMessage(await answer(data || {}));
  if (saveLater) saveLater();
};
