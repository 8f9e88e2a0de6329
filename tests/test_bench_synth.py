"""The benchmark's synthetic catalog is valid data and builds (the benchmarks themselves are not
part of `make test`: `make bench` runs them)."""
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import synth  # noqa: E402
from hooks.data.load import load_catalog  # noqa: E402

N_MODELS = 80                                   # more than the real catalog: its slugs are all kept
N_ERRORS = len(synth.real_error_files()) + 3     # every real family, then varied copies


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return synth.generate(tmp_path_factory.mktemp("synth") / "data", N_MODELS, N_ERRORS)


def test_synthetic_catalog_loads_without_problems(data_dir):
    result = load_catalog(data_dir)
    assert [str(p) for p in result.problems] == []
    catalog = result.catalog
    assert len(catalog.models) == N_MODELS
    assert len(catalog.errors) == (N_ERRORS if synth.real_error_files() else 0)
    # every feature the engine and the pages use is present
    assert any(m.prices.tiers for m in catalog.models)
    assert any(len(m.prices.tiers) > 1 for m in catalog.models)
    assert any(m.history for m in catalog.models)
    assert any(m.aliases for m in catalog.models)
    assert any(m.overridden for m in catalog.models)
    assert {m.status for m in catalog.models} == {"active", "preview", "deprecated"}
    assert any(m.prices.base.cache_write_1h is not None for m in catalog.models)
    assert any(m.prices.base.cache_read is None for m in catalog.models)
    assert len({m.provider for m in catalog.models}) >= 10
    # the real catalog's slugs are kept, so the real error families' fast checks name real models
    real = load_catalog(REPO / "data").catalog
    if real is not None:
        assert {m.slug for m in real.models[:N_MODELS]} <= {m.slug for m in catalog.models}


def test_catalog_dict_matches_the_yaml(data_dir):
    """The engine benchmark's YAML-free catalog is the same catalog the loader makes."""
    from calculator.catalog import Catalog
    loaded = load_catalog(data_dir).catalog
    direct = Catalog.from_dict(synth.catalog_dict(N_MODELS))
    assert [m.slug for m in direct.models] != []
    by_slug = {m.slug: m for m in loaded.models}
    for m in direct.models:
        other = by_slug[m.slug]
        assert (m.prices, m.history, m.ratio, m.aliases, m.status) == \
               (other.prices, other.history, other.ratio, other.aliases, other.status)


def test_generator_refuses_the_real_data_folder():
    with pytest.raises(ValueError):
        synth.generate(REPO / "data", 10)


def test_synthetic_site_builds(data_dir, tmp_path, monkeypatch):
    """A strict in-process build of the synthetic catalog with the real mkdocs.yml."""
    from bench.build import make_project, count_pages
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("PRICEBOOK_GENERATE", raising=False)
    monkeypatch.delenv("PRICEBOOK_DATA", raising=False)
    project = make_project(tmp_path / "project", data_dir)
    site = tmp_path / "site"
    monkeypatch.chdir(project)
    cfg = load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(site))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    assert count_pages(site) > N_MODELS
    html = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "lab01-core-syn-" in html          # synthetic models made it into the site
    assert os.path.exists(site / "index.html")


def test_the_plain_baseline_builds_with_the_themes_overrides(data_dir, tmp_path):
    """bench/build.py's plain MkDocs (no hooks) builds the same pages with the same theme overrides:
    the calculator page has no inline script then (its hash comes from the hooks), and its worker is
    made by calculator.js."""
    from bench.build import make_project, run_build, write_plain_project
    plain = make_project(tmp_path / "plain", data_dir)
    write_plain_project(make_project(tmp_path / "generated", data_dir), plain)
    run_build(plain, tmp_path / "site")     # raises BuildFailed with the build's output
    page = (tmp_path / "site" / "calculator" / "index.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "data-worker=" not in page and "'sha256-" not in page
