"""The calculator worker's memory snapshot in Chromium (docs/assets/calculator/worker.mjs): the
first visit starts Pyodide fresh and writes the snapshot; a later visit restores it and gives the
same answers (every golden vector); a damaged, stale or unusable snapshot falls back to a fresh
start, silently, and is replaced.

Each test has its own browser context (its own origin private file system). The snapshot file is
read and rewritten from the page, with the layout worker.mjs documents: MAGIC, a 4-byte header
length, the header JSON padded to 8 bytes, the snapshot bytes.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from calculator import vectors

REPO = Path(__file__).resolve().parent.parent
READY = "() => window.pricebook && ['ready', 'failed'].includes(window.pricebook.engine.state)"

# The snapshot file's header ({key, index, stdlib, models, size}) and when the file was written,
# or null when there is none.
HEADER = """async () => {
  const dir = await navigator.storage.getDirectory();
  for await (const [name, handle] of dir.entries()) {
    if (!name.endsWith('.snapshot')) continue;
    let file, data;
    try {
      file = await handle.getFile();
      data = new Uint8Array(await file.arrayBuffer());
    } catch {
      return null;  // replaced while read
    }
    const at = 'pricebook-snapshot\\n'.length;
    if (data.length < at + 4) return null;  // created, being written
    const length = new DataView(data.buffer).getUint32(at, true);
    return {...JSON.parse(new TextDecoder().decode(data.subarray(at + 4, at + 4 + length))), written: file.lastModified};
  }
  return null;
}"""
# Rewrite the snapshot file: [header changes, byte offset into the snapshot bytes to overwrite
# (or null), how many bytes to cut off its end].
REWRITE = """async ([changes, poke, cut]) => {
  const dir = await navigator.storage.getDirectory();
  let file = null;
  for await (const [name, handle] of dir.entries()) if (name.endsWith('.snapshot')) file = handle;
  const data = new Uint8Array(await (await file.getFile()).arrayBuffer());
  const at = 'pricebook-snapshot\\n'.length;
  const length = new DataView(data.buffer).getUint32(at, true);
  const start = Math.ceil((at + 4 + length) / 8) * 8;
  const header = {...JSON.parse(new TextDecoder().decode(data.subarray(at + 4, at + 4 + length))), ...changes};
  const bytes = data.slice(start, data.length - cut);
  if (poke !== null) bytes.fill(0xA5, poke, poke + 64);
  const text = new TextEncoder().encode(JSON.stringify(header));
  const prefix = new Uint8Array(Math.ceil((at + 4 + text.length) / 8) * 8);
  prefix.set(data.subarray(0, at));
  new DataView(prefix.buffer).setUint32(at, text.length, true);
  prefix.set(text, at + 4);
  const out = await file.createWritable();
  await out.write(prefix);
  await out.write(bytes);
  await out.close();
}"""


@pytest.fixture()
def context(chromium):
    ctx = chromium.new_context()
    yield ctx
    ctx.close()


def visit(context, site_url):
    """Open the calculator in a new tab until the worker is ready; (page, the "ready" message)."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site_url}calculator/")
    page.wait_for_function(READY, timeout=90_000)
    info = page.evaluate("window.pricebook.engine.info")
    assert page.evaluate("window.pricebook.engine.state") == "ready", page.evaluate("window.pricebook.engine.error")
    assert errors == []
    return page, info


def wait_for_snapshot(page, old=None):
    """The header of the snapshot the worker writes once the page is idle (written after old's)."""
    for _ in range(150):
        header = page.evaluate(HEADER)
        if header and (old is None or header["written"] > old["written"]):
            return header
        page.wait_for_timeout(200)
    raise AssertionError("the worker wrote no snapshot within 30 s")


def vector_results(page):
    out = {}
    for path in sorted((REPO / "tests" / "vectors").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        reply = page.evaluate("doc => window.pricebook.call('vectors', {document: doc})", doc)
        assert reply["ok"], reply
        out[path.name] = reply["result"]
        assert reply["result"] == {"count": vectors.count(doc), "failures": []}, path.name
    assert out
    return out


def estimate(page):
    args = {"model": page.evaluate("document.getElementById('pb-model').value"), "input": "123457",
            "output": "2000", "cache_read": "1000"}
    reply = page.evaluate("args => window.pricebook.call('estimate', args)", args)
    assert reply["ok"] and not reply["result"]["errors"], reply
    return reply["result"]


def test_a_second_visit_restores_the_snapshot_and_answers_the_same(context, site_url, catalog_models):
    first, info = visit(context, site_url)
    assert info["start"] == "fresh" and info["phases"]["snapshot"] == "none yet", info
    header = wait_for_snapshot(first)
    assert header["models"] == info["models"] == catalog_models
    assert header["stdlib"].startswith("pricebook-stdlib ") and header["size"] > 1_000_000
    assert header["index"] == f"{site_url}assets/pyodide/"
    fresh_answer, fresh_vectors = estimate(first), vector_results(first)
    first.close()

    second, info = visit(context, site_url)
    assert info["start"] == "snapshot" and info["phases"]["snapshot"] == "used", info
    assert info["models"] == catalog_models
    assert estimate(second) == fresh_answer
    assert vector_results(second) == fresh_vectors
    # The page shows the engine's figures, as after a fresh start.
    second.wait_for_function("() => document.getElementById('pb-result').dataset.origin === 'worker'")
    assert second.evaluate(HEADER) == header  # used, not rewritten
    second.close()


@pytest.mark.parametrize("changes, poke, cut, why", [
    ({}, None, 4096, "truncated"),                              # shorter than its header says
    ({"key": "0" * 64}, None, 0, "stale"),                      # another wheel, prices or Pyodide
    ({"stdlib": "pricebook-stdlib " + "0" * 64}, None, 0,       # another standard library zip
     "failed (made with another standard library)"),
    ({}, 0, 0, "failed (Snapshot has invalid magic number)"),   # not Pyodide's
])
def test_a_bad_snapshot_falls_back_to_a_fresh_start_and_is_replaced(context, site_url, changes, poke, cut, why):
    first, _ = visit(context, site_url)
    wait_for_snapshot(first)
    first.evaluate(REWRITE, [changes, poke, cut])
    bad = first.evaluate(HEADER)
    first.close()

    page, info = visit(context, site_url)
    assert info["start"] == "fresh" and info["phases"]["snapshot"] == why, info
    fresh = vector_results(page)
    header = wait_for_snapshot(page, old=bad)  # written anew
    assert header["key"] != "0" * 64 and not header["stdlib"].endswith("0" * 64)
    page.close()

    page, info = visit(context, site_url)
    assert info["start"] == "snapshot", info
    assert vector_results(page) == fresh
    page.close()


@pytest.fixture(scope="module")
def catalog_models():
    from hooks.data.load import load_catalog
    result = load_catalog(REPO / "data")
    assert result.catalog is not None
    return len(result.catalog.models)


def test_with_another_standard_library_the_wheel_is_unpacked_and_no_snapshot_kept(built_site, chromium):
    """Pyodide's stock zip (no calculator inside, no pricebook id) in place of the build's: the
    worker unpacks the wheel, answers every vector, and keeps no snapshot it could not check."""
    from browser_site import serve
    stock = (REPO / "node_modules" / "pyodide" / "python_stdlib.zip").read_bytes()
    with serve(built_site, replace={"assets/pyodide/python_stdlib.zip": stock}) as base:
        ctx = chromium.new_context()
        try:
            page, info = visit(ctx, base)
            assert info["start"] == "fresh", info
            vector_results(page)
            assert page.evaluate("window.pricebook.call('estimate', {}).then((r) => r.ok)")
            page.wait_for_timeout(2500)  # idle: a snapshot would be written now
            assert page.evaluate(HEADER) is None
        finally:
            ctx.close()
