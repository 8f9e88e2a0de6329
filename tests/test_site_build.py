"""The generated site, built in process with --strict semantics (tests/sitebuild.py).

The default site is built once per test run (Pyodide not copied: these tests do not run the
calculator). Tests that need other data build their own small variant from a copy of data/.
Every figure is checked against calculator.api directly, not against the page code.
"""
import datetime
import json
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from calculator import api
from calculator.catalog import Catalog
from hooks.sitegen import build as sitegen
from hooks.sitegen import markers
from calculator.buckets import BUCKETS
from hooks.sitegen.figures import WORKLOADS
from hooks.data.load import load_catalog
from sitebuild import REPO, BuildFailed, build_site, copy_data, data_date

BUCKET_LABELS = {b.billed: b.price_label for b in BUCKETS}


# ---- fixtures and helpers -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def catalog():
    result = load_catalog(REPO / "data")
    assert result.catalog is not None, "\n".join(map(str, result.problems))
    return result.catalog


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("default") / "site", pyodide=False)


class _Parse(HTMLParser):
    """Tables (rows of cell text), links (href), ids, code blocks and the nav links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.links, self.ids, self.codes, self.assets = [], [], set(), [], []
        self._cell = None
        self._code = None
        self._nav = 0
        self.nav_links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "name" in a and tag == "a":
            self.ids.add(a["name"])
        if tag == "nav" and "md-nav--primary" in (a.get("class") or ""):
            self._nav += 1
        elif tag == "nav" and self._nav:
            self._nav += 1
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
            if self._nav:
                self.nav_links.append(a["href"])
        elif tag == "code":
            self._code = []
        if tag in ("script", "img") and a.get("src"):
            self.assets.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon"):
            self.assets.append(a["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "code" and self._code is not None:
            self.codes.append("".join(self._code))
            self._code = None
        elif tag == "nav" and self._nav:
            self._nav -= 1

    def handle_data(self, data):
        self.words.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._code is not None:
            self._code.append(data)


def parse(html):
    p = _Parse()
    p.words = []
    p.feed(html)
    p.text = " ".join("".join(p.words).split())   # the page's text, whitespace folded
    return p


def table_with(html, first_header):
    """Every table of the page whose first heading cell is `first_header`, as {first cell: row}."""
    out = []
    for table in parse(html).tables:
        if table and table[0] and table[0][0] == first_header:
            out.append({row[0]: row for row in table[1:]})
    return out


DAY = data_date(REPO / "data").isoformat()   # the date the `site` fixture is built for


def callable_models(catalog):
    return [m for m in catalog.models if m.callable_on(DAY)]


def engine_rates_on(catalog, slug, day, input_tokens=0):
    view = api.rates_view(catalog, {"model": slug, "input": input_tokens, "at": day})
    assert not view["errors"], view["errors"]
    return {r["bucket"]: r for r in view["rows"]}


def engine_rates(catalog, slug, input_tokens=0):
    view = api.rates_view(catalog, {"model": slug, "input": input_tokens, "at": DAY})
    assert not view["errors"], view["errors"]
    return {r["bucket"]: r for r in view["rows"]}


# ---- the build itself -------------------------------------------------------------------------------

def test_default_site_builds_strict_without_warnings(site):
    assert site.warnings == []
    assert (site.site_dir / "index.html").is_file()


def test_generated_pages_are_never_written_into_docs(site):
    for folder in ("models", "pricing", "api"):
        assert not (REPO / "docs" / folder).exists(), f"docs/{folder} must stay generated-only"


def test_site_generation_needs_no_mkdocs():
    """hooks.sitegen renders every page with mkdocs not importable (a successor generator can use it)."""
    code = ("import sys; sys.modules['mkdocs'] = None\n"
            "from hooks.sitegen import build\n"
            "b = build.build(build.Path('data'))\n"
            "assert b.ok, b.problems\n"
            "print(len(b.pages))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 50


def test_vendored_assets_and_calculator_files(site, catalog):
    assert (site.site_dir / "assets/vendor/tablesort.min.js").is_file()
    assert (site.site_dir / "assets/vendor/tablesort.number.min.js").is_file()
    config = site.json("assets/calculator/config.json")
    assert (site.site_dir / "assets/calculator" / config["wheel"]).is_file()
    assert config["prices"] == "catalog.json" and config["pyodide"] == "../pyodide/"
    assert not (site.site_dir / "assets/pyodide").exists(), "pyodide=False must skip the 13 MB copy"
    prices = site.json("assets/calculator/catalog.json")
    assert prices == catalog.to_dict()
    assert Catalog.from_dict(prices).to_dict() == prices


# ---- navigation and URLs ------------------------------------------------------------------------------

def test_stable_urls_and_navigation(site, catalog):
    nav = parse(site.html("")).nav_links
    for f in catalog.families.values():
        assert site.path(f"models/family/{f.id}/").is_file()
        assert site.path(f"pricing/{f.id}/").is_file()
        assert f"models/family/{f.id}/" in nav
        assert f"pricing/{f.id}/" in nav
    for path in ("models/", "pricing/", "pricing/cache/", "pricing/tracker/", "pricing/changes/", "api/",
                 "how-it-works/", "verify/", "calculator/", "errors/"):
        assert site.path(path).is_file(), path
        assert path in nav, path
    for m in catalog.models:
        assert site.path(f"models/{m.slug}/").is_file()
        assert f"models/{m.slug}/" not in nav, "per-model pages stay out of the navigation"


def test_every_generated_page_links_to_its_yaml_for_editing(site, catalog):
    edit = "https://github.com/example/pricebook/edit/main/"

    def edit_link(url_path):
        found = re.search(r'<a href="([^"]+)" title="Edit this page"', site.html(url_path))
        return found and found.group(1)

    for m in catalog.models:
        assert edit_link(f"models/{m.slug}/") == edit + m.file
    for f in catalog.families.values():
        provider_file = f"data/models/{f.provider}.yaml"
        assert edit_link(f"models/family/{f.id}/") == edit + provider_file
        assert edit_link(f"pricing/{f.id}/") == edit + provider_file
    for path in ("models/", "pricing/", "pricing/cache/", "pricing/tracker/", "pricing/changes/"):
        assert edit_link(path) == edit + "data/site.yaml"
    for path, doc in (("", "index.md"), ("api/", "api.md"), ("how-it-works/", "how-it-works.md"),
                      ("verify/", "verify.md")):
        assert edit_link(path) == edit + "docs/" + doc


def test_no_broken_internal_link_or_anchor(site):
    """Every relative href/src of every built page resolves to a file, and every #fragment to an id."""
    ids, broken = {}, []

    def ids_of(file):
        if file not in ids:
            ids[file] = parse(file.read_text(encoding="utf-8")).ids if file.suffix == ".html" else set()
        return ids[file]

    for page in site.html_files():
        parsed = parse(page.read_text(encoding="utf-8"))
        for ref in parsed.links + parsed.assets:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:")):
                continue
            if not parts.path:
                target = page
            elif parts.path.startswith("/"):          # 404.html links from the site root
                target = (site.site_dir / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site.site_dir)}: {ref}")
            elif parts.fragment and parts.fragment not in ids_of(target):
                broken.append(f"{page.relative_to(site.site_dir)}: {ref} (no such anchor)")
    assert broken == []


# ---- models -----------------------------------------------------------------------------------------

def test_every_slug_is_in_the_tables(site, catalog):
    """Callable models with their slug to copy; retired ones listed apart, their slug offered nowhere."""
    index = site.html("models/")
    retired = [m for m in catalog.models if m.status_on(DAY) == "retired"]
    assert retired, "the default data has retired models (claude-sonnet-4-5, ...)"
    for m in catalog.models:
        # the copyable slug (with its aliases for the filter box: data-pb-also)
        copy = re.compile(f'<code class="pb-slug" title="Click to copy"(?: data-pb-also="[^"]*")?>{re.escape(m.slug)}</code>')
        assert f'href="../../models/{m.slug}/"' in site.html(f"pricing/{m.family}/")
        assert f'href="../../models/{m.slug}/"' in site.html("pricing/tracker/")
        page = site.html(f"models/{m.slug}/")
        if m in retired:
            assert not copy.search(index) and not copy.search(site.html(f"models/family/{m.family}/"))
            assert f'href="{m.slug}/"' in index and f"Retired on {m.retires_on}" in page
            assert f"<code>{m.slug}\n</code>" not in page and "/chat/completions" not in page
            assert "Also accepted" not in page, "a retired model's aliases are not offered either"
            if m.replacement:
                assert f"Use {m.replacement} instead" in page
                assert f'<a href="../{m.replacement}/"><code>{m.replacement}</code>' in page
        else:
            assert copy.search(index) and copy.search(site.html(f"models/family/{m.family}/"))
            assert f"<code>{m.slug}\n</code>" in page, "the copyable slug block"


def test_model_table_shows_engine_figures(site, catalog):
    (table,) = table_with(site.html("models/"), "Model")
    assert len(table) == len(callable_models(catalog))
    for m in callable_models(catalog):
        row = table[m.name]
        rates = engine_rates(catalog, m.slug)
        assert row[1] == m.slug
        assert row[4] == f"{m.context_window:,}" and row[5] == f"{m.max_output:,}"
        assert row[7] == rates["uncached_input"]["gateway_rate_text"]
        assert row[8] == rates["output"]["gateway_rate_text"]
        assert row[9].startswith(rates["cache_read"]["gateway_rate_text"])


def test_model_pages_show_engine_rates_tiers_and_workloads(site, catalog):
    workloads = {w["id"]: {r["slug"]: r for r in api.rank_view(catalog, {**w["usage"], "at": DAY})["rows"]}
                 for w in WORKLOADS}
    for m in catalog.models:
        html = site.html(f"models/{m.slug}/")
        rate_tables = table_with(html, "Token bucket")
        assert len(rate_tables) == 1 + len(m.prices.tiers)
        thresholds = [None] + [t.above for t in m.prices.tiers]
        for table, above in zip(rate_tables, thresholds):
            rates = engine_rates(catalog, m.slug, 0 if above is None else above + 1)
            for bucket, label in BUCKET_LABELS.items():
                row = next(r for k, r in table.items() if k.startswith(label))
                assert row[1] == rates[bucket]["official_rate_text"], (m.slug, bucket)
                assert row[2] == rates[bucket]["gateway_rate_text"], (m.slug, bucket)
                assert ("(input rate)" in row[1]) == rates[bucket]["billed_as_input"]
        if not m.callable_on(DAY):
            assert table_with(html, "Workload") == [], "no workload figures for a retired model"
            continue
        (work,) = table_with(html, "Workload")
        for w, row in zip(WORKLOADS, work.values()):
            expected = workloads[w["id"]][m.slug]
            if expected["fits"]:
                assert row[2] == expected["official"]["display"]
                assert row[3].split(" (")[0] == expected["gateway"]["display"]
            else:
                assert row[2] == "too long for this model"
        assert m.source in html and m.checked in html


def test_every_curl_example_names_an_existing_slug(site, catalog):
    known = {m.slug for m in catalog.models} | {a for m in catalog.models for a in m.aliases}
    seen = 0
    for page in site.html_files():
        for code in parse(page.read_text(encoding="utf-8")).codes:
            if not code.lstrip().startswith("curl "):
                continue
            for slug in re.findall(r'"model":\s*"([^"]+)"', code):
                seen += 1
                assert slug in known, f"{page.relative_to(site.site_dir)}: curl example names {slug!r}"
    assert seen >= len(callable_models(catalog))
    for m in callable_models(catalog):
        assert f'"model": "{m.slug}"' in "".join(parse(site.html(f"models/{m.slug}/")).codes)


def test_claude_pages_show_both_routes_others_one(site, catalog):
    for m in callable_models(catalog):
        html = site.html(f"models/{m.slug}/")
        assert "/v1/chat/completions" in html
        assert ("/anthropic/v1/messages" in html) == (catalog.families[m.family].provider == "anthropic")


# ---- pricing -----------------------------------------------------------------------------------------

def test_family_comparisons_show_engine_figures(site, catalog):
    for f in catalog.families.values():
        html = site.html(f"pricing/{f.id}/")
        tables = table_with(html, "Model")
        comparison = tables[0]
        for m in catalog.family_models(f.id):
            row = comparison[m.name]
            rates = engine_rates(catalog, m.slug)
            assert row[1] == rates["uncached_input"]["official_rate_text"]
            assert row[2] == rates["uncached_input"]["gateway_rate_text"]
            assert row[3] == rates["output"]["official_rate_text"]
            assert row[4] == rates["output"]["gateway_rate_text"]
            assert row[7] == f"{m.ratio * 100:.1f}%"
        ranked = api.rank_view(catalog, {**WORKLOADS[1]["usage"], "family": f.id, "at": DAY})["rows"]
        ranked_table = tables[-1]
        assert list(ranked_table) == [r["name"] for r in ranked], "cheapest first, as the engine ranks"
        for r in ranked:
            assert ranked_table[r["name"]][1:] == [r["official"]["display"], r["gateway"]["display"],
                                                  r["percent"] + "%"]


def test_claude_family_is_listed_at_35_percent(site, catalog):
    html = site.html("pricing/claude/")
    for m in catalog.family_models("claude"):
        expected = "50.0%" if m.slug == "claude-opus-4-1" else "35.0%"
        assert table_with(html, "Model")[0][m.name][7] == expected


def test_cache_page_worked_examples_come_from_the_engine(site, catalog):
    html = site.html("pricing/cache/")
    examples = table_with(html, "Request")
    assert len(examples) == len(catalog.families)
    heads = re.findall(r'<h3 id="[^"]*">[^:<]+: ([^<]+)<a', html)
    by_name = {m.name: m for m in catalog.models}
    for head, table in zip(heads, examples):
        m = by_name[head]
        usages = [{"input": 100000, "output": 1000}, {"input": 100000, "cache_write_5m": 90000, "output": 1000},
                  {"input": 100000, "cache_read": 90000, "output": 1000}]
        for usage, row in zip(usages, table.values()):
            view = api.estimate_view(catalog, {"model": m.slug, **usage})
            assert row[4:] == [view["per_request"]["official"]["display"], view["per_request"]["gateway"]["display"]]
        repeat = list(table.values())
        assert Decimal(repeat[2][5].lstrip("$")) <= Decimal(repeat[0][5].lstrip("$")), "reading the cache is cheaper"


def test_tracker_lists_every_official_price_with_source_and_date(site, catalog):
    (table,) = table_with(site.html("pricing/tracker/"), "Model")
    assert len(table) == len(catalog.models)
    for m in catalog.models:
        row = table[m.name]
        rates = engine_rates(catalog, m.slug)
        assert row[2] == rates["uncached_input"]["official_rate_text"]
        assert row[3] == rates["output"]["official_rate_text"]
        assert row[9].startswith(m.checked)
        assert f'href="{m.source}"' in site.html("pricing/tracker/")
        # announced changes: Gemini 3.8 Flash's end of its introductory rate
        future = [s for s in m.scheduled if s.start > DAY]
        assert (row[7] != "") == bool(future), m.slug
        for s in future:
            assert f"from {s.start}: input {engine_rates_on(catalog, m.slug, s.start)['uncached_input']['official_rate_text']}" in row[7]
    assert any(m.scheduled for m in catalog.models), "the default data has an announced change"


def test_price_changes_newest_first_with_engine_rates(site, catalog):
    html = site.html("pricing/changes/")
    days = re.findall(r'<h3 id="[^"]*">(\d{4}-\d{2}-\d{2})( \(announced\))?<a', html)
    bounds = {h.until for m in catalog.models for h in m.history} | {s.start for m in catalog.models for s in m.scheduled}
    assert days == [(d, " (announced)") for d in sorted(b for b in bounds if b > DAY)] + \
        [(d, "") for d in sorted((b for b in bounds if b <= DAY), reverse=True)]
    assert any(a for _, a in days), "the announced change is listed"
    # one sample checked by hand against the engine: the first history entry of the first model with one
    m = next(m for m in catalog.models if m.history)
    entry = m.history[0]
    before_day = (datetime.date.fromisoformat(entry.until) - datetime.timedelta(days=1)).isoformat()
    before = api.estimate_view(catalog, {"model": m.slug, "input": 0, "at": before_day})["rows"]
    after = api.estimate_view(catalog, {"model": m.slug, "input": 0, "at": entry.until})["rows"]
    for b, a in zip(before, after):
        if b["official_rate"] != a["official_rate"]:
            assert b["official_rate_text"] in html and a["official_rate_text"] in html


def test_stale_prices_are_flagged_on_the_page_and_warned(tmp_path, catalog):
    limit = catalog.site["stale_after_days"]
    newest = max(datetime.date.fromisoformat(m.checked) for m in catalog.models)
    late = newest + datetime.timedelta(days=limit + 1)
    built = build_site(tmp_path / "site", pyodide=False, today=late, strict=False)
    stale_warnings = [w for w in built.warnings if "stale_after_days" in w]
    assert len(stale_warnings) == len(catalog.models)
    (table,) = table_with(built.html("pricing/tracker/"), "Model")
    assert all("stale" in row[9] for row in table.values())
    assert "not checked for more than" in built.html("pricing/tracker/")
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path / "strict", pyodide=False, today=late)
    assert any("stale_after_days" in m for m in failed.value.messages)


# ---- exports -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["models", "prices", "errors"])
def test_exports_validate_against_their_published_schemas(site, name):
    schema = site.json(f"api/{name}.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == json.loads((REPO / "data/schema" / f"{name}-export.schema.json").read_text())
    jsonschema.validate(site.json(f"api/{name}.json"), schema, cls=jsonschema.Draft202012Validator)


def test_prices_export_is_the_engine_as_decimal_strings(site, catalog):
    exported = {m["slug"]: m for m in site.json("api/prices.json")["models"]}
    assert list(exported) == [m.slug for m in catalog.models]
    for m in catalog.models:
        rates = engine_rates(catalog, m.slug)
        for bucket, field in (("uncached_input", "input"), ("output", "output"), ("cache_read", "cache_read"),
                              ("cache_write_5m", "cache_write_5m"), ("cache_write_1h", "cache_write_1h")):
            assert exported[m.slug]["official"][field] == rates[bucket]["official_rate"]
            assert exported[m.slug]["gateway"][field] == rates[bucket]["gateway_rate"]
            assert isinstance(exported[m.slug]["gateway"][field], str)
            Decimal(exported[m.slug]["gateway"][field])
        assert [t["above"] for t in exported[m.slug]["tiers"]] == [t.above for t in m.prices.tiers]


def test_models_and_errors_exports_cover_the_data(site, catalog):
    models = site.json("api/models.json")["models"]
    assert [m["slug"] for m in models] == [m.slug for m in catalog.models]
    assert all(m["url"].endswith(f"models/{m['slug']}/") for m in models)
    errors = site.json("api/errors.json")["families"]
    assert len(errors) == len(catalog.errors)
    for exported, family in zip(errors, catalog.errors):
        assert exported["phrases"] == [p["text"] for p in family.get("phrases", [])]


def test_llms_txt_and_llms_full(site, catalog):
    llms = site.text("llms.txt")
    full = site.text("llms-full.txt")
    assert llms.startswith(f"# {catalog.site['brand']} docs")
    for m in catalog.models:
        assert f"models/{m.slug}/" in llms and f"`{m.slug}`" in llms
        assert f"URL: {site.json('api/models.json')['models'][0]['url'].split('models/')[0]}models/{m.slug}/" in full
    assert "<!--" not in full.split("URL:", 2)[1], "markers of hand-written pages are filled in"
    assert "api/prices.json" in llms


# ---- mkdocs serve ------------------------------------------------------------------------------------

def test_serve_shows_a_price_edit_after_its_rebuild(tmp_path):
    """A real `mkdocs serve` (bench/build.py's Server: a free 127.0.0.1 port, stopped with SIGINT)
    of a copy of the project: a model's input price raised in data/models, the rebuild waited for
    ("Reloading browsers"), and the model page served over HTTP shows the new figure, the models
    table too (nothing of the first build is reused: memo, shared navigation, skeletons)."""
    from urllib.request import urlopen

    from bench.build import Server, make_project
    project = make_project(tmp_path / "project")
    path = project / "data" / "models" / "anthropic.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index('input: "3.00"', text.index("- slug: claude-sonnet-4-6"))
    edited = text[:start] + 'input: "3.70"' + text[start + len('input: "3.00"'):]
    extra = {"PRICEBOOK_BUILD_DATE": data_date(project / "data").isoformat(), "PRICEBOOK_VENDOR_PYODIDE": "0"}
    with Server(project, timeout=300, extra_env=extra) as server:
        get = lambda url: urlopen(f"http://127.0.0.1:{server.port}/{url}", timeout=60).read().decode()  # noqa: E731
        before, table_before = get("models/claude-sonnet-4-6/"), get("models/")
        server.rebuild(path, edited)
        after, table_after = get("models/claude-sonnet-4-6/"), get("models/")
    # official 3.00 -> 3.70 on the page (3.30 is there already: US residency, 3.00 x 1.1); the models
    # table shows the gateway's: x 0.35, 1.05 -> 1.295
    assert "$3.00" in before and "$3.70" not in before and "$1.295" not in table_before
    assert "$3.70" in after and "$1.295" in after and "$1.295" in table_after


# ---- search ------------------------------------------------------------------------------------------

def test_search_separator_splits_codes_and_slugs(site):
    separator = site.search_index()["config"]["separator"]
    split = lambda s: [t for t in re.split(separator, s) if t]  # noqa: E731
    assert split("insufficient_quota") == ["insufficient", "quota"]
    assert split("out-of-balance") == ["out", "of", "balance"]
    assert split("gpt-5.4") == ["gpt", "5.4"], "version numbers stay whole"


def test_search_index_has_model_pages_with_slug_tags(site, catalog):
    docs = site.search_index()["docs"]
    by_location = {d["location"]: d for d in docs}
    for m in catalog.models:
        entry = by_location[f"models/{m.slug}/"]
        assert m.slug in entry["tags"]
        assert set(m.aliases) <= set(entry["tags"])


# ---- escaping ------------------------------------------------------------------------------------------

HOSTILE = "<script>alert('pb')</script> Haiku & </title> | *x* [y](z)"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    data = copy_data(tmp)
    path = data / "models/anthropic.yaml"
    text = path.read_text()
    found = re.search(r"^    name: (Claude Haiku 4\.5)$", text, re.M)
    assert found, "the test renames Claude Haiku 4.5"
    path.write_text(text.replace(found.group(0), f"    name: {json.dumps(HOSTILE)}"))
    site_yaml = data / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("      name: Claude\n", '      name: "<script>alert(1)</script>"\n', 1))
    return build_site(tmp / "site", data_dir=data, pyodide=False)


def test_a_script_in_a_model_name_is_escaped_everywhere(hostile_site):
    raw = re.compile(r"<script>alert|</title> \|", re.I)
    hits = [str(p.relative_to(hostile_site.site_dir)) for p in hostile_site.html_files() if raw.search(p.read_text())]
    assert hits == []
    index = hostile_site.search_index()
    for doc in index["docs"]:
        assert not raw.search(doc["title"]) and not raw.search(doc["text"]), doc["location"]
    page = hostile_site.html("models/claude-haiku-4-5/")
    assert "&lt;script&gt;alert(&#x27;pb&#x27;)&lt;/script&gt;" in page
    assert "<title>&lt;script&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; vs official" in hostile_site.html("")   # the nav title
    assert "&lt;script&gt;alert(&#x27;pb&#x27;)" in hostile_site.html("models/")
    assert "&lt;script&gt;alert(&#x27;pb&#x27;)" in hostile_site.html("pricing/tracker/")
    # the JSON exports carry the name as data, exactly
    names = [m["name"] for m in hostile_site.json("api/models.json")["models"]]
    assert HOSTILE in names


# ---- bad data -------------------------------------------------------------------------------------------

def test_bad_data_fails_with_one_error_listing_every_problem(tmp_path):
    data = copy_data(tmp_path)
    path = data / "models/openai.yaml"
    lines = path.read_text().splitlines()
    price = next(i for i, line in enumerate(lines) if re.match(r'^\s+input: "', line))
    family = next(i for i, line in enumerate(lines) if re.match(r"^\s+family: gpt$", line))
    lines[price] = re.sub(r'"([0-9.]+)"', r"\1", lines[price])          # an unquoted price
    lines[family] = lines[family].replace("gpt", "gtp")                   # an unknown family
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path / "site", data_dir=data, pyodide=False)
    text = "\n".join(failed.value.messages)
    assert f"data/models/openai.yaml:{price + 1}:" in text
    assert f"data/models/openai.yaml:{family + 1}:" in text
    assert "Traceback" not in text
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_slug_that_would_take_a_site_url_is_refused(tmp_path):
    data = copy_data(tmp_path)
    path = data / "models/zai.yaml"
    text = path.read_text()
    slug = re.search(r"^  - slug: (\S+)$", text, re.M)
    path.write_text(text.replace(slug.group(0), "  - slug: index", 1))
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path / "site", data_dir=data, pyodide=False)
    assert any("data/models/zai.yaml:" in m and "'index' cannot be a model slug" in m
               for m in failed.value.messages)


def test_a_bug_in_the_generator_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        return {}["families"]  # what a slip in the generator would raise
    monkeypatch.setattr(sitegen, "build", broken)
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path / "site", pyodide=False)
    text = "\n".join(failed.value.messages) + str(failed.value.cause or "")
    assert "internal error in on_config (KeyError: 'families')" in text
    assert "Traceback" not in text
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_topic_card_naming_a_missing_page_is_refused_with_its_line(tmp_path):
    data = copy_data(tmp_path)
    path = data / "topics.yaml"
    text = path.read_text()
    line = text.splitlines().index("    page: pricing/tracker.md") + 1   # a card no error family relates to
    path.write_text(text.replace("    page: pricing/tracker.md", "    page: pricing/traker.md"))
    with pytest.raises(BuildFailed) as failed:
        build_site(tmp_path / "site", data_dir=data, pyodide=False)
    assert any(f"data/topics.yaml:{line}:" in m and "'pricing/traker.md' is not a page of the site" in m
               and "did you mean 'pricing/tracker.md'" in m for m in failed.value.messages), failed.value.messages


def test_without_topics_yaml_the_related_pages_are_refused_not_borrowed(tmp_path):
    data = copy_data(tmp_path)
    (data / "topics.yaml").unlink()
    result = load_catalog(data)
    related = [str(p) for p in result.errors if ".page: " in p.message]
    assert related and all("this data folder has no topics.yaml" in r for r in related), related


def test_unknown_marker_in_a_hand_written_page_is_an_error(catalog):
    with pytest.raises(sitegen.SiteError, match="unknown marker"):
        markers.fill_markers("text <!-- pricebook:nope --> text", catalog, "x.md")
    filled = markers.fill_markers("# <!-- pricebook:brand --> docs", catalog, "index.md")
    assert filled == f"# {catalog.site['brand']} docs"


def test_hand_written_pages_get_the_data(site, catalog):
    index = site.html("")
    for path in ("", "api/", "how-it-works/", "verify/"):
        html = site.html(path)
        assert '<meta name="description" content="' in html, f"{path}: front matter parsed"
        assert "description:" not in html.split("<article")[1], f"{path}: front matter leaked into the page"
    assert "<!--" not in re.sub(r"(?s)<script.*?</script>", "", index).split('<article')[1].split("</article>")[0]
    base = catalog.site["base_url"]
    assert f"{base}{catalog.site['routes']['openai']}" in site.html("api/")
    assert f"{base}{catalog.site['routes']['anthropic']}" in site.html("api/")
    for topic in ("api/", "how-it-works/", "models/", "errors/", "pricing/cache/", "pricing/tracker/",
                  "calculator/", "verify/"):
        assert f'href="{topic}"' in index, f"the topic map links {topic}"
    for f in catalog.families.values():
        assert f'href="../models/family/{f.id}/"' in site.html("how-it-works/")


def test_calculator_texts_equal_the_model_and_pricing_pages(site, catalog):
    """A rate, a ratio, a tier and a request count read the same on the calculator page as on the
    model page and the pricing pages for the same model and workload (one view layer writes them)."""
    from hooks.sitegen.pages.calculator import DEFAULT_WORKLOAD, default_model
    model = default_model(catalog)
    calc = site.html("calculator/")
    (breakdown,) = table_with(calc, "Bucket")
    (model_rates,) = table_with(site.html(f"models/{model.slug}/"), "Token bucket")[:1]
    view = api.estimate_view(catalog, {**DEFAULT_WORKLOAD, "model": model.slug})
    for b in BUCKETS:
        calc_row = breakdown[b.label]
        page_row = model_rates[b.price_label]
        assert calc_row[2] == page_row[1] and calc_row[3] == page_row[2], b.billed
    ratio = view["ratio_text"]
    assert ratio in parse(calc).text and ratio in parse(site.html(f"models/{model.slug}/")).text
    assert f"All {view['requests_text']}" in parse(calc).text
    # the compare table's tier cells and the pricing comparison's rates, for models with tiers
    ranked = {r["slug"]: r for r in api.rank_view(catalog, DEFAULT_WORKLOAD)["rows"]}
    (compare,) = [t for t in parse(calc).tables if t and t[0][:2] == ["#", "Model"]]
    for row in compare[1:]:
        slug = row[1].split()[-1]
        assert row[3] == ranked[slug]["tier_text"] and row[6] == ranked[slug]["percent_text"]
    family_page = site.html(f"pricing/{model.family}/")
    assert model_rates["Input"][2] in family_page and model_rates["Output"][2] in family_page
