"""What the build adds after MkDocs: the vendored Pyodide with the calculator's own .pyc stdlib
(hooks/sitegen/vendor.py), its settings, and the precompressed copies (hooks/sitegen/precompress.py)."""
from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from pathlib import Path

import brotli
import pytest

from hooks.sitegen import precompress, settings

REPO = Path(__file__).resolve().parent.parent
CDN = "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/"


# ---- the site the browser tests use (Pyodide vendored, precompress on: the defaults) -------------

def test_vendored_pyodide_carries_the_trimmed_stdlib_and_no_lock_file(built_site):
    pyodide = built_site / "assets" / "pyodide"
    assert sorted(p.name for p in pyodide.iterdir() if p.suffix not in (".br", ".gz")) == sorted(
        ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"])
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as zf:
        names = zf.namelist()
    assert "decimal.pyc" in names and not [n for n in names if n.endswith(".py")]
    lock = json.loads((REPO / "node_modules/pyodide/pyodide-lock.json").read_text(encoding="utf-8"))
    config = json.loads((built_site / "assets/calculator/config.json").read_text(encoding="utf-8"))
    assert config["pyodide"] == "../pyodide/" and config["lock"] == lock["info"]


def test_precompressed_copies_beside_the_assets(built_site):
    for rel in ("assets/pyodide/pyodide.asm.wasm", "assets/pyodide/python_stdlib.zip",
                "assets/calculator/calculator.js", "assets/calculator/catalog.json", "search/search_index.json"):
        raw = (built_site / rel).read_bytes()
        assert brotli.decompress((built_site / f"{rel}.br").read_bytes()) == raw, rel
        assert gzip.decompress((built_site / f"{rel}.gz").read_bytes()) == raw, rel
    assert len((built_site / "assets/pyodide/python_stdlib.zip.br").read_bytes()) < 1_200_000
    # HTML is left to the server's own compression; a deflated wheel gains nothing.
    assert not list(built_site.rglob("*.html.br")) and not list(built_site.rglob("*.html.gz"))
    assert not list((built_site / "assets/calculator").glob("*.whl.*"))


# ---- settings -------------------------------------------------------------------------------------

def test_precompress_setting_is_checked_and_overridable():
    assert settings.load(None, REPO).precompress is True
    assert settings.load({"precompress": False}, REPO).precompress is False
    assert settings.load(None, REPO, {"PRICEBOOK_PRECOMPRESS": "0"}).precompress is False
    with pytest.raises(settings.SettingsError, match=r"extra\.pricebook\.precompress: 'sometimes'"):
        settings.load({"precompress": "sometimes"}, REPO)


def _build(site_dir, pricebook):
    """A strict build with extra.pricebook replaced by `pricebook` (plus the data and date)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from sitebuild import data_date
    block = {"data": str(REPO / "data"), "build_date": data_date(REPO / "data").isoformat(), **pricebook}
    old = {k: os.environ.pop(k, None) for k in settings.ENVIRONMENT}
    try:
        cfg = load_config(str(REPO / "mkdocs.yml"), strict=True, site_dir=str(site_dir),
                          extra={"pricebook": block})
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    finally:
        os.environ.update({k: v for k, v in old.items() if v is not None})
    return Path(site_dir)


def test_a_cdn_pyodide_uses_its_stock_stdlib_and_precompress_off_writes_none(tmp_path):
    site = _build(tmp_path / "site", {"pyodide_url": CDN, "precompress": False})
    config = json.loads((site / "assets/calculator/config.json").read_text(encoding="utf-8"))
    assert config["pyodide"] == CDN and "lock" not in config  # the CDN's own lock file and stdlib
    assert not (site / "assets/pyodide").exists()
    assert not list(site.rglob("*.br"))
    assert [p.name for p in site.rglob("*.gz")] == ["sitemap.xml.gz"]  # MkDocs' own


# ---- precompress on its own -----------------------------------------------------------------------

def _tree(root):
    text = ("const figure = 'the same line again';\n" * 400).encode()
    (root / "a").mkdir(parents=True)
    (root / "a/big.js").write_bytes(text)
    (root / "a/small.css").write_bytes(b"p{}")
    (root / "a/page.html").write_bytes(text)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("x.txt", text)
    (root / "a/deflated.zip").write_bytes(buf.getvalue())
    return text


def test_precompress_writes_what_gains_and_nothing_else(tmp_path):
    site = tmp_path / "site"
    text = _tree(site)
    stats = precompress.precompress(site, tmp_path / "cache", best=("a/",))
    assert sorted(
        p.suffix for p in (tmp_path / "cache").glob("*/*")) == [".br11", ".gz"]
    assert brotli.decompress((site / "a/big.js.br").read_bytes()) == text
    assert gzip.decompress((site / "a/big.js.gz").read_bytes()) == text
    assert sorted(p.name for p in (site / "a").iterdir()) == [
        "big.js", "big.js.br", "big.js.gz", "deflated.zip", "page.html", "small.css"]
    assert stats["files"] == 1 and stats["bytes"] == len(text) and 0 < stats["br"] < stats["gz"] < len(text)
    # Same input, same bytes (gzip without name or time).
    first = (site / "a/big.js.gz").read_bytes()
    precompress.precompress(site)
    assert (site / "a/big.js.gz").read_bytes() == first
    # A file that no longer gains loses its stale copies.
    (site / "a/big.js").write_bytes(b"x")
    precompress.precompress(site)
    assert not (site / "a/big.js.br").exists() and not (site / "a/big.js.gz").exists()


def test_precompress_reads_its_cache_instead_of_compressing_again(tmp_path):
    site = tmp_path / "site"
    _tree(site)
    cache = tmp_path / "cache"
    precompress.precompress(site, cache)
    entries = sorted(cache.glob("*/*.br9"))  # not under `best`: quality 9
    assert len(entries) == 1
    entries[0].write_bytes(b"from the cache")   # what a second run copies, if it uses the cache
    precompress.precompress(site, cache)
    assert (site / "a/big.js.br").read_bytes() == b"from the cache"
