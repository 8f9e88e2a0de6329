"""Issue 13 part 5: service tiers, residency, peak hours, tool fees and cache storage on the model
and pricing pages and in the exports (api/*.json against their schemas, llms*.txt), and `pricebook
compare` with the mode flags. Expected rates are worked by hand from the data."""
import json
import re
from pathlib import Path

import jsonschema
import pytest
from datafix import FIXTURE_TODAY, load, mutate
from test_modes_data import _with_modifiers

from hooks.cli import main
from hooks.data.load import load_catalog
from hooks.sitegen import build as sitegen
from hooks.sitegen import export
from hooks.sitegen.figures import Figures

REPO = Path(__file__).resolve().parent.parent
AT = "2026-12-02"
NO_TIER = "\u2014"
_VALUE = re.compile(r'<data value="[0-9.]+">|</data>')


def _exports(catalog, at, schema_dir):
    """Every export the build writes, validated against its published schema."""
    out = export.files(catalog, [], schema_dir, figs=Figures(catalog, at))
    for name in export.EXPORT_SCHEMAS:
        data, schema = json.loads(out[f"api/{name}.json"]), json.loads(out[f"api/{name}.schema.json"])
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator,
                            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return out


@pytest.fixture(scope="module")
def repo_exports():
    catalog = load_catalog(REPO / "data").catalog
    return _exports(catalog, AT, REPO / "data" / "schema")


def test_prices_export_carries_tiers_residency_and_peak_hours(repo_exports):
    prices = json.loads(repo_exports["api/prices.json"])
    by = {m["slug"]: m for m in prices["models"]}
    opus = by["claude-opus-5"]
    # $5 / $25 standard, batch 0.5x; gateway x 0.35 (the Claude family's share)
    assert opus["modes"]["batch"]["official"]["input"] == "2.5"
    assert opus["modes"]["batch"]["official"]["output"] == "12.5"
    assert opus["modes"]["batch"]["gateway"]["input"] == "0.875"
    # US-only inference 1.1x after the tier: 2.50 x 1.1 = 2.75, x 0.35 = 0.9625
    us = opus["residency"]["us"]
    assert (us["multiplier"], us["offered"], us["modes"]) == ("1.1", True, ["standard", "batch"])
    assert us["rates"]["batch"]["official"]["input"] == "2.75"
    assert us["rates"]["batch"]["gateway"]["input"] == "0.9625"
    assert by["claude-haiku-4-5"]["residency"] == {}          # before 4.6: no US-only inference
    # Gemini flex: official half price, the gateway does not offer flex -> null, never a price
    flex = by["gemini-3.8-flash"]["modes"]["flex"]
    assert flex["official"]["input"] == "0.375" and flex["gateway"] is None
    # GPT-5.4 priority: the priority page's own rates, none above 272K
    prio = by["gpt-5.4"]["modes"]["priority"]
    assert (prio["official"]["input"], prio["gateway"]["input"], prio["long_context"]) == ("5", "2.5", "standard")
    # DeepSeek: weekday peak windows in UTC, 2x the off-peak 0.15 / 0.60; gateway x 0.80
    tod = by["deepseek-flash"]["time_of_day"]
    assert tod["hours_utc"] == ["01:00-04:00", "06:00-10:00"]
    assert tod["days"] == ["mon", "tue", "wed", "thu", "fri"] and tod["from"] == "2026-08-16T16:00Z"
    assert (tod["official"]["input"], tod["official"]["output"], tod["gateway"]["input"]) == ("0.3", "1.2", "0.24")
    assert by["claude-opus-5"]["time_of_day"] is None
    assert prices["offers"]["modes"] == {"batch": {"ratio": None}, "priority": {"ratio": None}}
    assert prices["offers"]["cache_storage"] is None
    models = {m["slug"]: m for m in json.loads(repo_exports["api/models.json"])["models"]}
    assert models["gemini-3.8-flash"]["modes"] == ["batch", "flex"] and models["deepseek-flash"]["peak_hours"]


def test_llms_txt_names_tiers_and_peak_hours(repo_exports):
    llms = repo_exports["llms.txt"]
    line = next(x for x in llms.splitlines() if "slug `deepseek-flash`" in x)
    assert line.endswith("; peak hours weekdays 01:00-04:00 and 06:00-10:00 UTC at 2\u00d7")
    line = next(x for x in llms.splitlines() if "slug `gemini-3.8-flash`" in x)
    assert line.endswith("; service tiers batch, flex (not through the gateway)")
    line = next(x for x in llms.splitlines() if "slug `claude-opus-5`" in x)
    assert line.endswith("; service tiers batch; us residency 1.1\u00d7")


def test_fees_and_storage_in_exports_and_pages(tmp_path):
    """The fixture's model with every modifier: web search $10 per 1,000 (offered here), cache
    storage $0.50 per 1M tokens per hour (not offered), fast mode (not offered), priority at the
    gateway's own 60%."""
    data, _ = _with_modifiers(tmp_path)
    mutate(data / "site.yaml", "    residency:\n      us: {}\n", "    residency:\n      us: {}\n    tools:\n      web_search: {}\n")
    catalog = load(data).catalog
    out = _exports(catalog, FIXTURE_TODAY.isoformat(), data / "schema")
    m = next(x for x in json.loads(out["api/prices.json"])["models"] if x["slug"] == "claude-test-2")
    assert m["tools"]["web_search"]["per_1000"] == {"official": "10", "gateway": "3.5"}   # 10.00 x 0.35
    assert m["cache_storage"]["per_hour"] == {"official": "0.5", "gateway": None}
    assert m["modes"]["fast"]["gateway"] is None and m["modes"]["fast"]["official"]["input"] == "6"
    # priority: 2x with its own cache read 0.50; the gateway sells it at 60% of that
    assert m["modes"]["priority"]["official"]["cache_read"] == "0.5"
    assert m["modes"]["priority"]["gateway"]["input"] == "3.6"
    assert m["residency"]["us"]["rates"]["fast"] == {"official": {"input": "6.6", "output": "33", "cache_read": "0.66",
                                                                  "cache_write_5m": "8.25", "cache_write_1h": "13.2"},
                                                     "gateway": None}
    old = next(x for x in json.loads(out["api/prices.json"])["models"] if x["slug"] == "claude-old-1")
    assert old["tools"]["web_search"]["per_1000"]["official"] == "10" and old["cache_storage"] is None

    built = sitegen.build(data, today=FIXTURE_TODAY)
    pages = {p.src_uri: p.markdown for p in built.pages}
    compare = _VALUE.sub("", pages["pricing/claude.md"])
    section = compare[compare.index("### Service tiers"):compare.index("### One request")]
    heads = next(x for x in section.splitlines() if x.startswith("| Model | Batch"))
    assert heads.split(" | ")[1:4] == ["Batch input official", "Batch input gateway", "Batch output official"]
    row = next(x for x in section.splitlines() if x.startswith("| [Claude Test 2]"))
    cells = [c.strip() for c in row.strip("|").split("|")][1:]
    # batch in/out official & gateway, then priority, then fast (not offered by the gateway)
    assert cells == ["$1.50", "$0.525", "$7.50", "$2.625", "$6.00", "$3.60", "$30.00", "$18.00",
                     "$6.00", "not offered", "$30.00", "not offered"]
    old_row = next(x for x in section.splitlines() if x.startswith("| [Claude Old 1]"))
    assert [c.strip() for c in old_row.strip("|").split("|")][5:] == [NO_TIER] * 8   # no priority, no fast
    assert "| [Claude Test 2](../models/claude-test-2.md) | Web search | $10.00 per 1,000 searches | $3.50 per 1,000 searches |" in section
    assert "| Cache storage | $0.50 per 1M tokens per hour | not offered |" in section
    index = pages["pricing/index.md"]
    assert ("- **Fast mode**, faster output at a higher rate: [Claude](claude.md#service-tiers). "
            "The gateway does not offer it: no gateway price.") in index
    assert ("- **Priority**, faster, more reliable serving at a higher rate: [Claude](claude.md#service-tiers). "
            "The gateway offers it at 60% of the official priority price.") in index
    assert "- **Flex**, lower-priority requests, slower and sometimes refused when busy. No model in the catalog" in index
    cache = _VALUE.sub("", pages["pricing/cache.md"])
    assert "| [Claude Test 2](../models/claude-test-2.md) | Cache storage | $0.50 per 1M tokens per hour | not offered |" in cache
    tracker = pages["pricing/tracker.md"]
    assert ("| Batch | [Claude Test 2](../models/claude-test-2.md), [Claude Old 1](../models/claude-old-1.md) | "
            "[docs.anthropic.example](https://docs.anthropic.example/batch) | 2026-01-15 |") in tracker
    model = _VALUE.sub("", pages["models/claude-test-2.md"])
    assert "| Web search | $10.00 per 1,000 searches | $3.50 per 1,000 searches | none stated |" in model
    assert "| Fast mode, us residency (1.1\u00d7) | $6.60 | $33.00 | $0.66 | not offered | not offered | not offered |" in model


def test_money_cells_carry_their_exact_value(repo_exports):
    """Sortable price tables sort by <data value> (the exact rate), and the text exports drop it."""
    built = sitegen.build(REPO / "data")
    pages = {p.src_uri: p.markdown for p in built.pages}
    assert '| <data value="2.5">$2.50</data> | <data value="0.875">$0.875</data> |' in pages["pricing/claude.md"]
    models = pages["models/index.md"]
    assert 'data-pb-also="claude-sonnet-4.6"' in models and "data-pb-filter" in models
    for src in ("pricing/claude.md", "pricing/cache.md", "pricing/tracker.md", "models/index.md", "models/gpt-5.4.md"):
        tables = re.findall(r'<div class="pb-sortable" markdown>\n\n(\|.*?)\n\n</div>', pages[src], re.S)
        assert tables, src
        for t in tables:    # every right-aligned (number) cell with a $ amount carries its value
            lines = t.splitlines()
            numeric = [i for i, a in enumerate(lines[1].strip("|").split("|")) if a.endswith(":")]
            cells = [line.strip("|").split("|") for line in lines[2:]]
            assert all("<data value=" in row[i] for row in cells for i in numeric
                                   if "$" in row[i]), (src, lines[0])
    full = export.llms_full(built.catalog, [(p.src_uri, p.markdown) for p in built.pages])
    assert "<data value" not in full and "| $2.50 | $0.875 |" in full


def run_compare(capsys, *argv):
    code = main(["compare", "--data", str(REPO / "data"), "--at", AT, "--json", *argv])
    return code, json.loads(capsys.readouterr()[0])


def test_compare_json_keeps_its_shape_with_gateway_null(capsys):
    code, rows = run_compare(capsys, "--input", "100000", "--output", "1000", "--mode", "flex", "--family", "gemini")
    flash = next(r for r in rows if r["model"] == "gemini-3.8-flash")
    # flex 0.375 / 1.875: 0.0375 + 0.001875; the gateway does not offer flex
    assert code == 0 and flash == {"model": "gemini-3.8-flash", "family": "gemini", "tier": None, "fits": True,
                                   "official": "0.039375", "gateway": None}
    code, rows = run_compare(capsys, "--input", "100000", "--output", "1000", "--mode", "batch", "--family", "claude",
                             "--residency", "us")
    opus = next(r for r in rows if r["model"] == "claude-opus-5")
    # batch 2.50 / 12.50 x 1.1: 0.275 + 0.01375 = 0.28875; x 0.35 = 0.1010625
    assert (opus["official"], opus["gateway"]) == ("0.28875", "0.1010625")
    assert next(r for r in rows if r["model"] == "claude-haiku-4-5")["fits"] is False   # no us residency
    code, rows = run_compare(capsys, "--input", "100000", "--output", "10000", "--family", "deepseek",
                             "--time", "2026-12-02T09:30Z")
    # Wednesday 09:30 UTC is peak: 2 x (0.015 + 0.006) = 0.042; gateway x 0.80
    assert {r["model"]: (r["official"], r["gateway"]) for r in rows}["deepseek-flash"] == ("0.042", "0.0336")


def test_compare_refuses_a_bad_mode_and_fees_without_a_price(capsys):
    assert main(["compare", "--data", str(REPO / "data"), "--input", "10", "--mode", "turbo"]) == 2
    assert "invalid choice" in capsys.readouterr()[1]
    code, rows = run_compare(capsys, "--input", "1000", "--web-searches", "2", "--family", "claude")
    assert code == 0 and rows and all(r["fits"] is False and "no web search fee" in r["limit"] for r in rows)
