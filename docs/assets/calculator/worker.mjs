// The calculator's Web Worker: Pyodide + the calculator wheel, answering JSON requests.
// Glue only: every figure comes from calculator.api in Python.
//
// Start it as a MODULE worker (a classic worker cannot load Pyodide):
//   const w = new Worker(new URL("assets/calculator/worker.mjs", base), {type: "module"});
// Page -> worker
//   {type: "init", wheelURL, pricesURL, indexURL?, lock?}   once, first. URLs resolve against
//        this file's URL, so pass absolute ones. indexURL (folder of pyodide.mjs, with a trailing
//        "/") defaults to the vendored ../pyodide/; lock: the "info" of its pyodide-lock.json.
//   {id, fn, args}   a call: calculator.api.call(fn, JSON.stringify(args)); may be sent before
//        "ready" (it waits). fn: a name calculator.api.call dispatches (estimate, rank, charts, usage,
//        tokens, errors), or "vectors" with args {document: a tests/vectors/*.json document},
//        answered {count, failures} by calculator.vectors. At init the prices text goes to
//        calculator.api.load(text).
// Worker -> page
//   {type: "ready", ms, pyodideMs, pyodide, models}   ms: worker start to ready; pyodideMs: to
//        loadPyodide() done; pyodide: its version; models: count from calculator.api.load
//   {type: "failed", error}                Pyodide, the wheel or the prices did not load
//   {id, ok: true, result}                 result: the parsed JSON that Python returned
//   {id, ok: false, error}                 an exception or a load failure, as text; never thrown
//   {type: "died", error}                  Pyodide itself failed (the Python guard below turns every
//        Python exception into a reply, so a throw from the call is the runtime's own death, e.g.
//        "Pyodide has suffered a fatal error"); the page then starts a new worker
const started = performance.now();
const defaultIndexURL = new URL("../pyodide/", import.meta.url).href;
let api = null; // {call, version, models, pyodideMs} once ready
let ready = null; // Promise, set by init
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

async function init({ wheelURL, pricesURL, indexURL, lock }) {
  if (!wheelURL || !pricesURL) throw new Error("init needs wheelURL and pricesURL");
  const base = self.location.href;
  const index = new URL(indexURL || defaultIndexURL, base).href;
  // Start both downloads while Pyodide compiles.
  const wheel = fetchOk(new URL(wheelURL, base), "calculator wheel").then((r) => r.arrayBuffer());
  const prices = fetchOk(new URL(pricesURL, base), "prices").then((r) => r.text());
  wheel.catch(() => {}); // reported below, once awaited
  prices.catch(() => {});

  const { loadPyodide } = await import(`${index}pyodide.mjs`);
  // lock: the vendored pyodide-lock.json's "info" (the build puts it in config.json). Given, Pyodide
  // skips fetching the lock file (119 KB); the calculator never calls loadPackage, so no package
  // entry is needed. Absent (Pyodide from a CDN), Pyodide fetches its own lock file as usual.
  const py = await loadPyodide(lock ? { indexURL: index, lockFileContents: { info: lock, packages: {} } } : { indexURL: index });
  const pyodideMs = Math.round(performance.now() - started);
  const sitePackages = py.runPython("import sysconfig; sysconfig.get_path('purelib')");
  // unpackArchive throws on a bad wheel; loadPackage(url) would only log it.
  py.unpackArchive(new Uint8Array(await wheel), "wheel", { extractDir: sitePackages });
  const pyApi = py.pyimport("calculator.api");
  const loaded = JSON.parse(pyApi.load(await prices));
  if (loaded.errors && loaded.errors.length) {
    throw new Error(loaded.errors.map((e) => e.message).join("; "));
  }
  const call = py.runPython(GLUE);
  api = { call, version: py.version, models: loaded.models, pyodideMs };
}

async function answer({ id, fn, args }) {
  try {
    await ready;
    if (!api) throw new Error(`the calculator did not load: ${initError}`);
    if (dead) return { id, ok: false, error: dead, fatal: true };
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

self.onmessage = async ({ data }) => {
  if (data && data.type === "init") {
    if (ready) return; // one init per worker
    ready = init(data).then(
      () => self.postMessage({
        type: "ready",
        ms: Math.round(performance.now() - started),
        pyodideMs: api.pyodideMs,
        pyodide: api.version,
        models: api.models,
      }),
      (err) => {
        initError = String(err && err.message ? err.message : err);
        self.postMessage({ type: "failed", error: initError });
      },
    );
    return;
  }
  if (!ready) {
    self.postMessage({ id: data && data.id, ok: false, error: "send {type: 'init'} first" });
    return;
  }
  self.postMessage(await answer(data || {}));
};
