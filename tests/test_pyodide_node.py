"""The calculator in Pyodide under Node, with the standard library the site ships: the build's
trimmed `.pyc` zip, which holds the calculator compiled too (hooks/sitegen/vendor.py stdlib_zip,
made by hooks/sitegen/pyodide_stdlib.mjs).

Needs node and node_modules (`make setup`); without them these tests fail rather than skip,
so a machine that cannot run the browser side does not pass silently.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from hooks.data.load import load_catalog
from hooks.sitegen import vendor

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "node_modules"
RUNNER = REPO / "tests" / "pyodide" / "run_vectors.mjs"
ENTRY = REPO / "tests" / "pyodide" / "run_in_pyodide.py"
CACHE = NODE_MODULES / ".cache" / "pricebook"   # the build's own cache: same key, same zip


def _node():
    node = shutil.which("node")
    assert node, "node is not on PATH: the Pyodide tests need Node >= 18"
    assert (NODE_MODULES / "pyodide" / "package.json").is_file(), (
        "node_modules/pyodide is missing: run `make setup` (or `npm ci`)"
    )
    return node


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """(wheel, catalog.json, the stdlib zip the build ships for this calculator)."""
    _node()
    tmp = tmp_path_factory.mktemp("stdlib")
    wheel = vendor.build_calculator_wheel(REPO, tmp)
    result = load_catalog(REPO / "data")
    assert result.catalog is not None, "\n".join(map(str, result.problems))
    catalog = tmp / "catalog.json"
    catalog.write_text(json.dumps(result.catalog.to_dict()), encoding="utf-8")
    return wheel, catalog, vendor.stdlib_zip(NODE_MODULES, wheel, catalog, CACHE)


def check(shipped, zip_path, calculator=REPO / "calculator"):
    wheel, catalog, _ = shipped
    return subprocess.run(
        [_node(), str(vendor.STDLIB_SCRIPT), "check", "--pyodide", str(NODE_MODULES / "pyodide"),
         "--wheel", str(wheel), "--catalog", str(catalog), "--zip", str(zip_path),
         "--calculator", str(calculator), "--vectors", str(REPO / "tests" / "vectors")],
        capture_output=True, text=True, timeout=300)


def test_golden_vectors_pass_in_pyodide_with_the_shipped_stdlib(shipped):
    wheel, _, stdlib = shipped
    proc = subprocess.run(
        [_node(), str(RUNNER), "--stdlib", str(stdlib), str(wheel), str(ENTRY)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert f"stdlib: {stdlib}" in proc.stdout, output
    assert "Python 3.14" in proc.stdout, output
    # ... and the calculator compiled into it (first on sys.path), not the wheel's sources.
    assert "calculator from /lib/python314.zip/calculator/__init__.pyc" in proc.stdout, output
    # The golden vectors are mandatory: every file under tests/vectors/ ran, and none failed.
    files = sorted((REPO / "tests" / "vectors").glob("*.json"))
    assert files, "tests/vectors/*.json is missing"
    match = re.search(r"^vectors: (\d+) in (\d+) file\(s\), failures: 0$", proc.stdout, re.M)
    assert match, output
    assert int(match.group(1)) > 0, output
    assert int(match.group(2)) == len(files), output


def test_shipped_stdlib_has_every_module_the_engine_reaches(shipped):
    """Every stdlib module the calculator's import statements name (function bodies too), the
    worker's start-up, every kind of request and the vectors, on the shipped zip alone."""
    proc = check(shipped, shipped[2])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("ok: "), proc.stdout


def test_the_check_fails_when_a_module_is_missing(shipped, tmp_path):
    """Negative control: the same zip without difflib (the unknown-model suggestion)."""
    smaller = tmp_path / "no-difflib.zip"
    with zipfile.ZipFile(shipped[2]) as src, zipfile.ZipFile(smaller, "w") as dst:
        for info in src.infolist():
            if info.filename != "difflib.pyc":
                dst.writestr(info, src.read(info))
    proc = check(shipped, smaller)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    said = proc.stderr.strip().splitlines()[-1]
    assert said.startswith("pyodide_stdlib: FAIL"), proc.stderr
    assert "calculator/catalog.py" in said and "import difflib" in said, said
    assert "No module named 'difflib'" in said, said


def test_the_check_fails_on_a_new_lazy_import(shipped, tmp_path):
    """Negative control: a calculator whose function imports a module the zip lacks is caught by
    reading its import statements, though no request reaches that function."""
    calc = tmp_path / "calculator"
    shutil.copytree(REPO / "calculator", calc, ignore=shutil.ignore_patterns("__pycache__"))
    with (calc / "money.py").open("a", encoding="utf-8") as fh:
        fh.write("\n\ndef _never_called():\n    import statistics\n    return statistics\n")
    proc = check(shipped, shipped[2], calculator=calc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "calculator/money.py" in proc.stderr and "import statistics" in proc.stderr, proc.stderr


def test_shipped_stdlib_is_pyc_only_stored_and_reproducible(shipped, tmp_path):
    wheel, catalog, stdlib = shipped
    with zipfile.ZipFile(stdlib) as zf:
        infos = zf.infolist()
        files = [i.filename for i in infos if not i.is_dir()]
        assert {"decimal.pyc", "difflib.pyc", "encodings/__init__.pyc", "encodings/cp437.pyc"} <= set(files)
        # every module of the calculator package, compiled (no source)
        package = {f"calculator/{p.stem}.pyc" for p in (REPO / "calculator").glob("*.py")}
        assert package and package == {f for f in files if f.startswith("calculator/")}
        assert all(name.endswith(".pyc") for name in files), [n for n in files if not n.endswith(".pyc")]
        # Pyodide's start imports these only where an ImportError is expected: left out
        assert {"shutil.pyc", "zipfile/__init__.pyc"} <= set(files)
        assert not [f for f in files if f in ("bz2.pyc", "lzma.pyc") or f.startswith("compression/")]
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        # Compiled by Python 3.14 (the magic number of 3.14 .pyc files), with an unchecked hash:
        # flags = 0b01 (hash-based, check_source off), so no timestamp in the bytes.
        header = zf.read("decimal.pyc")[:8]
        assert header[4:8] == b"\x01\x00\x00\x00", header
        assert header[:4] != importlib_magic(), "compiled by the host's Python, not Pyodide's"
        # The id the worker's memory snapshot is checked against (worker.mjs): the members' hash.
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update((name + ":").encode() + hashlib.sha256(zf.read(name)).digest())
        assert zf.comment == b"pricebook-stdlib " + digest.hexdigest().encode()
    assert len(files) < 200  # trimmed: Pyodide's own zip holds 559 modules
    # A fresh compile (another cache folder) gives the same bytes.
    again = vendor.stdlib_zip(NODE_MODULES, wheel, catalog, tmp_path / "cache")
    assert again != stdlib and again.read_bytes() == stdlib.read_bytes()
    # ... and a second call is served from the cache.
    assert vendor.stdlib_zip(NODE_MODULES, wheel, catalog, tmp_path / "cache") == again


def importlib_magic():
    import importlib.util
    return importlib.util.MAGIC_NUMBER


def test_a_build_without_node_says_so_in_one_line(shipped, tmp_path, monkeypatch):
    wheel, catalog, _ = shipped
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no node on it
    with pytest.raises(vendor.VendorError) as err:
        vendor.stdlib_zip(NODE_MODULES, wheel, catalog, tmp_path / "cache")
    message = str(err.value)
    assert "\n" not in message and "Node.js is not on PATH" in message, message
    assert not (tmp_path / "cache").exists()
