"""Precompressed copies of the site's static assets: ``x.js`` gets ``x.js.br`` and ``x.js.gz``
beside it, for a host that serves them as they are (nginx ``gzip_static``/``brotli_static``,
Caddy ``file_server { precompressed br gzip }``; README: Serving the site).

Which files: scripts, styles, JSON, WebAssembly, text, XML, SVG and the stored stdlib zip, from
1 KiB up, and only where the compressed copy is at least 10 % smaller (a deflated zip such as the
calculator wheel gains nothing and gets none). Not HTML: one per page, it changes with the data,
and every web server compresses it on the fly by default (nginx's default ``gzip_types`` is
text/html alone, which is why the rest is done here).

Brotli (the ``brotli`` package; without it, gzip only) at quality 11 for the files under the
``best`` folders (the vendored Pyodide: 90 % of the calculator's bytes, and stable) and 9 for the
rest (they change with the data: quality 11 is ~25x slower, ~1 s per 500 KB, for ~10 % less).
Quality 11 is slow on big files (the 9.6 MB Pyodide wasm takes about 25 s), so every result is
kept in ``cache_dir`` under the sha256 of its input: a file is compressed once per content, and
rebuilds only copy. Gzip is level 9 with no name and mtime 0: same input, same bytes.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import os
import shutil
import time
from pathlib import Path

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency; gzip alone still works
    brotli = None

SUFFIXES = frozenset({".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".txt", ".xml", ".svg"})
MIN_BYTES = 1024
GAIN = 0.9          # keep a compressed copy only when it is at most 90 % of the original
CACHE_DAYS = 30     # cache entries not used for this long are removed


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


ENCODINGS = ("gz", "br") if brotli else ("gz",)


def _cached(cache_dir: Path | None, digest: str, kind: str, make, data: bytes) -> bytes:
    if cache_dir is None:
        return make(data)
    path = cache_dir / digest[:2] / f"{digest}.{kind}"
    try:
        out = path.read_bytes()
        os.utime(path)  # used: keep it
        return out
    except OSError:
        pass
    out = make(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(out)
    tmp.replace(path)
    return out


def precompress(site_dir: Path, cache_dir: Path | None = None, best: tuple = ()) -> dict:
    """Write ``.br`` (when brotli is installed) and ``.gz`` beside every asset of ``site_dir`` the
    module doc names; stale ones from an earlier build are removed. ``best``: folder prefixes
    (relative, posix, e.g. ``"assets/pyodide/"``) whose files get brotli's quality 11. Returns
    ``{"files": n, "bytes": raw, "gz": total, "br": total or None}`` over the files compressed."""
    site_dir = Path(site_dir)
    cache_dir = Path(cache_dir) if cache_dir else None
    stats = {"files": 0, "bytes": 0, "gz": 0, "br": 0 if brotli else None}
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES:
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest() if len(data) >= MIN_BYTES else ""
        quality = 11 if path.relative_to(site_dir).as_posix().startswith(tuple(best)) else 9
        for ext in ENCODINGS:
            kind, make = ("gz", _gzip) if ext == "gz" else (
                f"br{quality}", functools.partial(brotli.compress, quality=quality))
            target = path.with_name(f"{path.name}.{ext}")
            out = _cached(cache_dir, digest, kind, make, data) if digest else None
            if out is None or len(out) > GAIN * len(data):
                target.unlink(missing_ok=True)
                continue
            target.write_bytes(out)
            shutil.copystat(path, target)
            stats[ext] += len(out)
        if digest and path.with_name(f"{path.name}.gz").exists():
            stats["files"] += 1
            stats["bytes"] += len(data)
    if cache_dir is not None and cache_dir.is_dir():
        old = time.time() - CACHE_DAYS * 86400
        for entry in cache_dir.glob("*/*.*"):
            if entry.stat().st_mtime < old:
                entry.unlink(missing_ok=True)
    return stats
