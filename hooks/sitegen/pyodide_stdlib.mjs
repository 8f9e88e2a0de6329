// The calculator's Python standard library for Pyodide: only the modules it reaches, and the
// calculator itself, as .pyc.
//
//   node hooks/sitegen/pyodide_stdlib.mjs build --pyodide DIR --wheel W --catalog C --out ZIP [--deflate]
//   node hooks/sitegen/pyodide_stdlib.mjs check --pyodide DIR --wheel W --catalog C --zip ZIP
//                                               --calculator DIR [--vectors DIR]
//
// build (run by hooks/sitegen/vendor.py, cached): start Pyodide with its stock stdlib, do what the
//   worker does (docs/assets/calculator/worker.mjs: unpack the wheel, load the prices, its Python
//   glue, read from that file), call the engine through every kind of request, import every stdlib
//   module a calculator import statement names (function bodies too), then take every module that
//   came from Pyodide's stdlib zip (its own start-up imports included: without them the
//   interpreter cannot start). Each is compiled by Pyodide's own Python (3.14: a .pyc carries its
//   interpreter's magic number, so the host's Python cannot make them) with an unchecked hash
//   (no timestamps: same inputs, same bytes) and written to a zip with fixed dates, sorted, with
//   the calculator package from the wheel compiled the same way (calculator/*.pyc: the zip comes
//   first on sys.path, so the worker imports it without compiling the sources, and does not unpack
//   the wheel). The zip's comment, "pricebook-stdlib <sha256 of its members>", tells the worker
//   that the zip is this one, and is the id its memory snapshot is checked against.
// check (the tests): start Pyodide with ZIP as its only stdlib and fail (exit 1, one line per
//   problem) unless every stdlib module the calculator sources in DIR name imports, the worker
//   path and every request above work, and the golden vectors in --vectors pass.
// Exit 1: a check failed; 2: bad usage, or Pyodide / the inputs did not load.
import { readFileSync, readdirSync, writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORKER = path.resolve(HERE, "../../docs/assets/calculator/worker.mjs");

// Every failure is one line starting "pyodide_stdlib: " (the build quotes it); the Python tracebacks
// the glue prints for a failed request come before it.
function die(message, code = 2) {
  process.stderr.write(`pyodide_stdlib: ${message.replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(code);
}

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: Object.fromEntries(["pyodide", "wheel", "catalog", "out", "zip", "calculator", "vectors"]
    .map((k) => [k, { type: "string" }]).concat([["deflate", { type: "boolean", default: false }]])),
});
const mode = positionals[0];
const need = mode === "build" ? ["pyodide", "wheel", "catalog", "out"]
  : mode === "check" ? ["pyodide", "wheel", "catalog", "zip", "calculator"] : null;
if (!need) die("usage: pyodide_stdlib.mjs build|check --pyodide DIR --wheel W --catalog C ...");
for (const k of need) if (!opt[k]) die(`${mode} needs --${k}`);

// The worker's Python glue, from worker.mjs itself: the build records what the real glue imports.
const glue = /const GLUE = `([^`]*)`/.exec(readFileSync(WORKER, "utf8"));
if (!glue) die(`no \`const GLUE = \`...\`\` in ${WORKER}`);

let wheel, catalogText, catalog;
try {
  wheel = new Uint8Array(readFileSync(opt.wheel));
  catalogText = readFileSync(opt.catalog, "utf8");
  catalog = JSON.parse(catalogText);
} catch (err) {
  die(`cannot read the inputs: ${err.message}`);
}

const indexURL = path.resolve(opt.pyodide) + path.sep;
let py;
try {
  const { loadPyodide } = await import(path.join(indexURL, "pyodide.mjs"));
  if (mode === "build") {
    py = await loadPyodide({ indexURL });
  } else { // what the site does: this zip as the stdlib, no lock file
    const { info } = JSON.parse(readFileSync(path.join(indexURL, "pyodide-lock.json"), "utf8"));
    py = await loadPyodide({ indexURL, stdLibURL: path.resolve(opt.zip), lockFileContents: { info, packages: {} } });
  }
} catch (err) {
  die(`Pyodide did not start from ${indexURL}${mode === "check" ? ` with ${opt.zip}` : ""}: ${err.message}`);
}
const STDLIB_ZIP = py.runPython("import sys; [p for p in sys.path if p.endswith('.zip')][0]");
const toJs = (proxy) => { const v = proxy.toJs({ dict_converter: Object.fromEntries }); proxy.destroy(); return v; };

const inZip = py.runPython(`
import sys
def _in_zip(zip_path):
    out = {}
    for name, m in list(sys.modules.items()):
        origin = getattr(getattr(m, "__spec__", None), "origin", None)
        if isinstance(origin, str) and origin.startswith(zip_path + "/"):
            out[name] = origin[len(zip_path) + 1:]
    return out
_in_zip
`);
const atStart = toJs(inZip(STDLIB_ZIP));

// ---- the worker's path, and every kind of request the pages make -----------------------------
const problems = [];
let call;
try {
  const sitePackages = py.runPython("import sysconfig; sysconfig.get_path('purelib')");
  py.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
  const loaded = JSON.parse(py.pyimport("calculator.api").load(catalogText));
  if (loaded.errors && loaded.errors.length) throw new Error(JSON.stringify(loaded.errors));
  const fn = py.runPython(glue[1]);
  call = (name, args) => {
    const [ok, text] = toJs(fn(name, JSON.stringify(args)));
    return [ok, ok ? JSON.parse(text) : text];
  };
} catch (err) {
  problems.push(`the worker's start-up failed: ${String(err.message).trim().split("\n").pop()}`);
}

const slug = catalog.models[0].slug;
const family = catalog.models[0].family;
const W = { model: slug, input: "120,000", cache_read: 80000, cache_write_5m: 1000, cache_write_1h: 500, output: 2000 };
const hasErrors = (r) => r.errors.length > 0;
const noErrors = (r) => r.errors.length === 0;
const REQUESTS = [
  ["estimate", W, noErrors],
  ["what_if", W, noErrors],
  ["estimate", { ...W, input: 400000, requests: "3", balance: "$25.50", at: "2025-06-01" }, () => true],
  ["estimate", { ...W, model: slug.slice(0, -1) + "x" }, hasErrors], // unknown model: a suggestion
  ["estimate", { ...W, input: "NaN", output: "12abc", cache_read: -5, requests: 0, balance: "abc" }, hasErrors],
  ["estimate", { ...W, input: 1e309, balance: "Infinity" }, hasErrors],
  ["estimate", { ...W, input: 10, cache_read: 20 }, hasErrors],
  ["rank", { input: 50000, output: 2000 }, noErrors],
  ["rank", { input: 50000, output: 2000, family, requests: 10 }, noErrors],
  ["rank", { input: 50000, family: "no such family" }, hasErrors],
  ["rank", { input: 50000, output: 2000, model: slug, chart: true }, (r) => r.chart.startsWith("<svg")],
  ["charts", W, (r) => r.buckets.startsWith("<svg") && r.curve.startsWith("<svg")],
  ["charts", { ...W, input: "NaN" }, hasErrors],
  ["usage", { text: '{"usage": {"prompt_tokens": 1200, "completion_tokens": 80, "prompt_tokens_details": {"cached_tokens": 200}}}' }, noErrors],
  ["usage", { text: '{"usage": {"input_tokens": 10, "cache_read_input_tokens": 5, "cache_creation_input_tokens": 3, "output_tokens": 7}}' }, noErrors],
  ["usage", { text: "input=12000 cache_read=100 output=800" }, () => true],
  ["usage", { text: "{not json" }, hasErrors],
  ["tokens", { text: "Hello, world! 日本語のテキスト 😀👍🏽 e\u0301 \u0000" }, noErrors],
  ["errors", { text: "429 out of balance" }, noErrors],
  ["nope", {}, hasErrors],
];
if (call) {
  for (const [name, args, ok] of REQUESTS) {
    const [done, res] = call(name, args);
    if (!done) problems.push(`${name} ${JSON.stringify(args)}: ${res}`);
    else if (!ok(res)) problems.push(`${name} ${JSON.stringify(args)}: unexpected answer ${JSON.stringify(res).slice(0, 200)}`);
  }
  const [bad] = call("vectors", { document: { catalog: 5 } }); // the glue's except branch (traceback)
  if (bad) problems.push("the glue did not report a bad vectors document");
  for (const file of opt.vectors ? readdirSync(opt.vectors).filter((f) => f.endsWith(".json")).sort() : []) {
    const [done, res] = call("vectors", { document: JSON.parse(readFileSync(path.join(opt.vectors, file), "utf8")) });
    if (!done || !res.count || res.failures.length) problems.push(`vectors ${file}: ${JSON.stringify(res).slice(0, 300)}`);
  }
}

// ---- every stdlib module a calculator import statement names --------------------------------
const sources = mode === "build"
  ? py.runPython("import calculator, os; os.path.dirname(calculator.__file__)") : null;
const files = mode === "build"
  ? Object.fromEntries(py.FS.readdir(sources).filter((f) => f.endsWith(".py"))
    .map((f) => [f, py.FS.readFile(`${sources}/${f}`, { encoding: "utf8" })]))
  : Object.fromEntries(readdirSync(opt.calculator).filter((f) => f.endsWith(".py"))
    .map((f) => [f, readFileSync(path.join(opt.calculator, f), "utf8")]));
const declared = py.runPython(`
import ast, importlib, sys
def _declared(files):
    bad, names = [], set()
    for fn, text in files.items():
        for node in ast.walk(ast.parse(text, fn)):
            if isinstance(node, ast.Import):
                names.update((a.name, fn, node.lineno) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add((node.module, fn, node.lineno))
    for name, fn, line in sorted(names):
        top = name.split(".")[0]
        if top == "calculator":
            continue
        if top not in sys.stdlib_module_names:
            bad.append(f"calculator/{fn}:{line}: {name} is not in the standard library (the engine is stdlib-only)")
            continue
        try:
            importlib.import_module(name)
        except ImportError as e:
            bad.append(f"calculator/{fn}:{line}: import {name}: {type(e).__name__}: {e}")
    return bad
_declared
`);
const filesPy = py.toPy(files);
problems.push(...toJs(declared(filesPy)));
filesPy.destroy();

if (problems.length) {
  const what = mode === "build" ? "the engine failed with the stock stdlib" : `the stdlib ${opt.zip} is not enough`;
  die(`FAIL: ${what} (${problems.length}): ${problems.join(" | ")}`, 1);
}
if (mode === "check") {
  console.log(`ok: ${Object.keys(files).length} calculator files, ${REQUESTS.length} requests and the vectors run on ${opt.zip}`);
  process.exit(0);
}

// ---- build: compile what was imported from the zip, and the calculator, with this Pyodide's Python
// Left out although Pyodide's start imports them: shutil and zipfile import these only inside
// `try: ... except ImportError` (for archive formats the calculator never reads or writes), so
// without them the interpreter starts as well and skips making them (compression.zstd's enums
// most: about 20 ms of a start in Node). `check` (tests/test_pyodide_node.py) runs the worker's
// whole path and the golden vectors on the shipped zip: a Pyodide that needs one fails it.
const LEFT_OUT = ["bz2.py", "lzma.py", "compression/"];
const members = [...new Set(Object.values(toJs(inZip(STDLIB_ZIP))))]
  .filter((m) => m.endsWith(".py") && !LEFT_OUT.some((out) => m === out || (out.endsWith("/") && m.startsWith(out))))
  .sort();
const make = py.runPython(`
import hashlib, io, os, py_compile, zipfile
def _make(zip_path, members, deflate, package_dir):
    src_zip = zipfile.ZipFile(zip_path)
    sources = []  # (zip member of the .py, file to compile)
    for member in members:
        src = os.path.join("/tmp/pyc-src", member)
        os.makedirs(os.path.dirname(src), exist_ok=True)
        with open(src, "wb") as fh:
            fh.write(src_zip.read(member))
        sources.append((member, src))
    top = os.path.dirname(package_dir)
    for folder, dirs, files in os.walk(package_dir):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        sources += [(os.path.relpath(os.path.join(folder, f), top), os.path.join(folder, f))
                    for f in sorted(files) if f.endswith(".py")]
    entries = {}
    for member, src in sources:
        # dfile: tracebacks name the zip's path, as with the stock zip
        cfile = py_compile.compile(src, cfile=f"/tmp/pyc-out/{member}c", dfile=f"{zip_path}/{member}", doraise=True,
                                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        with open(cfile, "rb") as fh:
            entries[member + "c"] = fh.read()
    dirs = {"/".join(n.split("/")[:i]) + "/" for n in entries for i in range(1, n.count("/") + 1)}
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    digest = hashlib.sha256()
    for name in sorted(entries):
        digest.update((name + ":").encode() + hashlib.sha256(entries[name]).digest())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.comment = b"pricebook-stdlib " + digest.hexdigest().encode()  # worker.mjs reads it
        for name in sorted(dirs | set(entries)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.compress_type = method
            info.external_attr = ((0o40755 << 16) | 0x10) if name.endswith("/") else (0o100644 << 16)
            zf.writestr(info, entries.get(name, b""), compresslevel=9 if deflate else None)
    return buf.getvalue()
_make
`);
const bytes = toJs(make(STDLIB_ZIP, py.toPy(members), opt.deflate, sources));
const tmp = `${opt.out}.${process.pid}.tmp`;
writeFileSync(tmp, bytes);
renameSync(tmp, opt.out);
const added = members.length - Object.keys(atStart).length;
console.log(`${members.length} stdlib modules (${Object.keys(atStart).length} at Pyodide's start, ${added} for the calculator) ` +
  `and the calculator's ${Object.keys(files).length}, ` +
  `Python ${py.runPython("import sys; sys.version.split()[0]")}, ${bytes.length} bytes -> ${opt.out}`);
