"""Build-time vendoring for the browser calculator: Pyodide, tablesort, the calculator wheel.

Plain functions, no mkdocs import: the hook adapter calls them, and so can any other generator.

- ``copy_pyodide``: the runtime files of the npm package ``pyodide`` (pinned in
  package-lock.json) into ``<site>/assets/pyodide/``, so the site works offline, with the
  calculator's own standard library (``stdlib_zip``) as its ``python_stdlib.zip``.
- ``stdlib_zip``: the standard library modules the calculator reaches, and the calculator package,
  compiled to ``.pyc`` by Pyodide's own Python under Node (``pyodide_stdlib.mjs``), cached;
  ``pyodide_lock_info``: what the worker passes as ``lockFileContents`` instead of fetching
  ``pyodide-lock.json``.
- ``copy_tablesort``: tablesort's minified JS and its number sort into ``<site>/assets/vendor/``.
- ``build_calculator_wheel``: a pure-Python wheel holding only the ``calculator`` package,
  written directly with ``zipfile`` (no build backend, no network, byte-for-byte reproducible),
  which Pyodide installs with ``loadPackage(url)`` or ``unpackArchive(bytes, "wheel", ...)``.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

__all__ = [
    "PYODIDE_FILES",
    "TABLESORT_FILES",
    "VendorError",
    "build_calculator_wheel",
    "copy_pyodide",
    "copy_tablesort",
    "pyodide_lock_info",
    "stdlib_zip",
    "wheel_name",
]

# What the browser fetches from indexURL when it runs `loadPyodide()` from pyodide.mjs:
# pyodide.mjs imports `${indexURL}pyodide.asm.mjs`, which fetches `pyodide.asm.wasm`;
# the interpreter mounts `python_stdlib.zip` (the calculator's own, see stdlib_zip);
# `pyodide-lock.json` is not copied: the worker passes `lockFileContents` (pyodide_lock_info)
# and the calculator never calls loadPackage. Left out on purpose: pyodide.js (the classic
# script; classic workers are not supported anyway), *.map (fetched only by an open devtools),
# *.d.ts, console*.html, README/package.json.
PYODIDE_RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
STDLIB = "python_stdlib.zip"
PYODIDE_FILES = (*PYODIDE_RUNTIME, STDLIB)  # what assets/pyodide/ holds

# (path inside node_modules/tablesort, name in assets/vendor/)
TABLESORT_FILES = (
    ("dist/tablesort.min.js", "tablesort.min.js"),
    ("dist/sorts/tablesort.number.min.js", "tablesort.number.min.js"),
)

PACKAGE = "calculator"
DIST_NAME = "pricebook-calculator"  # the wheel's project name; file names use pricebook_calculator
# 1980-01-01, the earliest date a zip entry can hold: fixed so that rebuilds give the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_SETUP_HINT = "run `make setup` (or `npm ci` in the repository root) first"


class VendorError(Exception):
    """A vendored asset or the calculator wheel cannot be produced; the message says what to do."""


def _node_package(node_modules: Path, name: str) -> Path:
    pkg = Path(node_modules) / name
    if not (pkg / "package.json").is_file():
        raise VendorError(
            f"npm package {name!r} is not installed: {pkg} is missing; {_SETUP_HINT}"
        )
    return pkg


def _copy_files(src_dir: Path, pairs, dest_dir: Path, site_dir: Path, pkg: str) -> list[str]:
    missing = [rel for rel, _ in pairs if not (src_dir / rel).is_file()]
    if missing:
        raise VendorError(
            f"npm package {pkg!r} in {src_dir} lacks {', '.join(missing)}: "
            f"is it the version pinned in package-lock.json? {_SETUP_HINT}"
        )
    dest_dir.mkdir(parents=True, exist_ok=True)
    copied = []
    for rel, name in pairs:
        src, dest = src_dir / rel, dest_dir / name
        s = src.stat()
        # `mkdocs serve` rebuilds often: skip the 13 MB copy when the target is already it.
        if not (
            dest.is_file()
            and dest.stat().st_size == s.st_size
            and int(dest.stat().st_mtime) == int(s.st_mtime)
        ):
            shutil.copy2(src, dest)
        copied.append(dest.relative_to(site_dir).as_posix())
    return copied


def copy_pyodide(node_modules: Path, site_dir: Path, stdlib: Path | None = None) -> list[str]:
    """Copy Pyodide's runtime files into ``site_dir/assets/pyodide/``, with ``stdlib`` (a zip
    from ``stdlib_zip``; None: Pyodide's stock one) as its ``python_stdlib.zip``.

    Returns the copied paths relative to ``site_dir`` (posix), e.g.
    ``"assets/pyodide/pyodide.mjs"``. Raises ``VendorError`` if node_modules/pyodide is absent
    or incomplete.
    """
    site_dir = Path(site_dir)
    src = _node_package(node_modules, "pyodide")
    dest = site_dir / "assets" / "pyodide"
    copied = _copy_files(src, [(f, f) for f in PYODIDE_RUNTIME], dest, site_dir, "pyodide")
    if stdlib is None:
        return copied + _copy_files(src, [(STDLIB, STDLIB)], dest, site_dir, "pyodide")
    shutil.copyfile(stdlib, dest / STDLIB)
    return copied + [(dest / STDLIB).relative_to(site_dir).as_posix()]


def pyodide_lock_info(node_modules: Path) -> dict:
    """The ``info`` of the pinned pyodide-lock.json (its ABI version is what Pyodide checks): the
    worker passes ``{info, packages: {}}`` as ``lockFileContents`` and skips fetching the file."""
    lock = _node_package(node_modules, "pyodide") / "pyodide-lock.json"
    try:
        return json.loads(lock.read_text(encoding="utf-8"))["info"]
    except (OSError, ValueError, KeyError) as e:
        raise VendorError(f"cannot read the info of {lock} ({e}); {_SETUP_HINT}") from e


# ---------------------------------------------------------------------------------------------
# The calculator's standard library, as .pyc

STDLIB_SCRIPT = Path(__file__).with_name("pyodide_stdlib.mjs")
WORKER = Path(__file__).resolve().parents[2] / "docs" / "assets" / "calculator" / "worker.mjs"
# Stored, not deflated: .pyc compress well (3.5 MB stored -> 1.02 MB brotli, 1.39 MB gzip), and
# the build writes .br/.gz beside it for a host that serves them (README: Serving). Deflating the
# members instead (1.37 MB) would hide them from that compression; see README for the trade-off.
STDLIB_DEFLATE = False


def _stdlib_key(node_modules: Path, wheel: Path) -> str:
    """What the zip depends on: the Pyodide release (its stdlib and its Python), the script that
    records and compiles, the worker glue it runs, and the calculator (the wheel is a reproducible
    zip of its sources). Not the prices: which modules the engine imports is a matter of code."""
    pkg = _node_package(node_modules, "pyodide")
    h = hashlib.sha256()
    for part in (
        (pkg / "package.json").read_bytes(),
        (pkg / STDLIB).read_bytes() if (pkg / STDLIB).is_file() else b"",
        STDLIB_SCRIPT.read_bytes(),
        WORKER.read_bytes(),
        Path(wheel).read_bytes(),
        str(STDLIB_DEFLATE).encode(),
    ):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:20]


def stdlib_zip(node_modules: Path, wheel: Path, catalog: Path, cache_dir: Path, node: str | None = None) -> Path:
    """The calculator's trimmed ``.pyc`` standard library for the vendored Pyodide, with the
    calculator package compiled into it (``calculator/*.pyc``); returns its path inside
    ``cache_dir``.

    Made by ``node pyodide_stdlib.mjs build`` (about 3 s: Pyodide starts, runs the worker's path
    with ``wheel`` and ``catalog``, compiles what was imported) only when no zip for the same
    Pyodide, script, worker glue and wheel is in ``cache_dir``. Raises ``VendorError`` (one line)
    when Node is missing or the step fails.
    """
    node_modules, cache_dir = Path(node_modules), Path(cache_dir)
    key = _stdlib_key(node_modules, wheel)
    out = cache_dir / f"python_stdlib-{key}.zip"
    if out.is_file():
        return out
    node = node or shutil.which("node")
    if not node:
        raise VendorError(
            "Node.js is not on PATH: the build compiles the calculator's Python standard library "
            "inside Pyodide under Node (>= 18); install it (as `make setup` needs), or set "
            "extra.pricebook.vendor_pyodide: false or pyodide_url in mkdocs.yml"
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    cmd = [node, str(STDLIB_SCRIPT), "build", "--pyodide", str(node_modules / "pyodide"),
           "--wheel", str(wheel), "--catalog", str(catalog), "--out", str(out)]
    if STDLIB_DEFLATE:
        cmd.append("--deflate")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise VendorError(f"compiling the calculator's standard library for Pyodide: {node} failed ({e})") from e
    if proc.returncode != 0 or not out.is_file():
        said = [line for line in proc.stderr.splitlines() if line.startswith("pyodide_stdlib: ")]
        reason = said[-1].removeprefix("pyodide_stdlib: ") if said else (
            (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1])
        raise VendorError(f"compiling the calculator's standard library for Pyodide failed: {reason[:2000]}")
    for old in cache_dir.glob("python_stdlib-*.zip"):  # keep only the zip of the current sources
        if old != out:
            with contextlib.suppress(OSError):
                old.unlink()
    return out


def copy_tablesort(node_modules: Path, site_dir: Path) -> list[str]:
    """Copy tablesort.min.js and tablesort.number.min.js into ``site_dir/assets/vendor/``.

    Returns the copied paths relative to ``site_dir`` (posix). Raises ``VendorError`` if
    node_modules/tablesort is absent or incomplete.
    """
    site_dir = Path(site_dir)
    src = _node_package(node_modules, "tablesort")
    return _copy_files(src, TABLESORT_FILES, site_dir / "assets" / "vendor", site_dir, "tablesort")


# ---------------------------------------------------------------------------------------------
# The calculator wheel


def _project_meta(repo_root: Path) -> dict:
    pyproject = repo_root / "pyproject.toml"
    try:
        with pyproject.open("rb") as f:
            project = tomllib.load(f)["project"]
        return {
            "version": str(project["version"]),
            "requires_python": project.get("requires-python"),
        }
    except (OSError, KeyError, tomllib.TOMLDecodeError) as e:
        raise VendorError(f"cannot read [project] version from {pyproject}: {e}") from e


def wheel_name(version: str) -> str:
    """``pricebook_calculator-<version>-py3-none-any.whl`` (names normalized as PEP 427 says)."""
    dist = re.sub(r"[-_.]+", "_", DIST_NAME).lower()
    return f"{dist}-{version.replace('-', '_')}-py3-none-any.whl"


def _package_files(pkg_dir: Path) -> list[tuple[str, bytes]]:
    files = []
    for path in sorted(pkg_dir.rglob("*")):
        rel = path.relative_to(pkg_dir.parent)
        if (
            not path.is_file()
            or "__pycache__" in rel.parts
            or any(part.startswith(".") for part in rel.parts)
            or path.suffix in (".pyc", ".pyo")
        ):
            continue
        files.append((rel.as_posix(), path.read_bytes()))
    return files


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _zip_write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
    info.create_system = 3  # unix, whatever the building OS, for identical bytes everywhere
    zf.writestr(info, data, compresslevel=9)


def build_calculator_wheel(repo_root: Path, out_dir: Path) -> Path:
    """Write ``out_dir/pricebook_calculator-<version>-py3-none-any.whl`` and return its path.

    The wheel holds the ``calculator`` package only (every file under ``repo_root/calculator``
    but caches and dotfiles) plus its .dist-info; the version is pyproject.toml's. Same sources,
    same bytes. Raises ``VendorError`` if the package or the version is missing.
    """
    repo_root, out_dir = Path(repo_root), Path(out_dir)
    pkg_dir = repo_root / PACKAGE
    if not (pkg_dir / "__init__.py").is_file():
        raise VendorError(f"no Python package to put in the wheel: {pkg_dir / '__init__.py'} is missing")
    meta = _project_meta(repo_root)
    version = meta["version"]
    files = _package_files(pkg_dir)

    dist_info = f"{wheel_name(version).split('-py3-')[0]}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {DIST_NAME}",
        f"Version: {version}",
        "Summary: pricebook's pricing engine (stdlib only), packaged for Pyodide",
    ]
    if meta["requires_python"]:
        metadata.append(f"Requires-Python: {meta['requires_python']}")
    files += [
        (f"{dist_info}/METADATA", ("\n".join(metadata) + "\n").encode()),
        (
            f"{dist_info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: pricebook hooks.vendor\n"
            b"Root-Is-Purelib: true\nTag: py3-none-any\n",
        ),
        (f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode()),
    ]
    record_name = f"{dist_info}/RECORD"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")  # quotes a name with a comma, as RECORD wants
    writer.writerows((name, _record_hash(data), len(data)) for name, data in files)
    writer.writerow((record_name, "", ""))
    files.append((record_name, record.getvalue().encode()))

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files:
            _zip_write(zf, name, data)
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / wheel_name(version)
    wheel.write_bytes(buf.getvalue())
    return wheel
