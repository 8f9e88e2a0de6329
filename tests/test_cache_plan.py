"""Cache economics (calculator/cache_plan.py): break-even against a brute-force count, the real
data's options, the texts, and the worker's JSON entry. The hand-computed figures are in
tests/vectors/cache.json (run in CPython, Pyodide under Node and Chromium)."""
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import api, cache_plan, display
from calculator.catalog import Catalog
from calculator.vectors import check

HERE = Path(__file__).parent
DOC = json.loads((HERE / "vectors" / "cache.json").read_text(encoding="utf-8"))
CATALOG = Catalog.from_dict(DOC["catalog"])


def totals(slug, prefix, reuses, minutes, fresh=0, output=0):
    p = cache_plan.plan(CATALOG.model(slug), prefix, reuses, minutes, fresh, output, "2026-11-10", CATALOG.offers)
    return p.none.official, {r.option.key: r for r in p.rows}


@settings(max_examples=150, deadline=None)
@given(slug=st.sampled_from(["claude-t", "gpt-new-t", "gpt-long-t", "gpt-old-t", "gemini-t", "deepseek-t"]),
       prefix=st.integers(1024, 150_000), reuses=st.integers(1, 40), gap=st.integers(0, 900),
       fresh=st.integers(0, 5000), output=st.integers(0, 3000))
def test_break_even_is_the_first_reuse_count_that_pays_at_the_same_spacing(slug, prefix, reuses, gap, fresh, output):
    """For requests `gap` minutes apart, the break-even R is cheaper than no cache and R - 1 is not
    (counted by pricing every R from 1 up), official and gateway alike."""
    _, rows = totals(slug, prefix, reuses, gap * reuses, fresh, output)
    for key, row in rows.items():
        for side in ("official", "gateway"):
            want = None
            for r in range(1, 60):
                none, at_r = totals(slug, prefix, r, gap * r, fresh, output)
                other = at_r[key].total
                if side == "gateway":
                    none = cache_plan.plan(CATALOG.model(slug), prefix, r, gap * r, fresh, output, "2026-11-10",
                                           CATALOG.offers).none.gateway
                if getattr(other, side) < none:
                    want = r
                    break
            got = row.break_even if side == "official" else row.break_even_gateway
            if want is None:   # never within 60 reuses: the engine says never (or a count beyond)
                assert got is None or got >= 60, (key, side, got)
            else:
                assert got == want, (key, side, got, want)


def test_the_cache_vectors_can_fail():
    broken = json.loads(json.dumps(DOC))
    broken["cache"][0]["expect"]["rows"]["5m"]["official"] = "0.0646"
    broken["cache"][0]["expect"]["answer"] = "Yes."
    failures = check(broken)
    assert len(failures) == 2 and "5m official is '0.0645'" in failures[1] and "expected 'Yes.'" in failures[0]


@pytest.fixture(scope="module")
def real():
    from hooks.data.load import load_catalog
    result = load_catalog(HERE.parent / "data")
    return result.catalog


def test_real_data_claude_has_5_minute_and_1_hour_caches(real):
    view = api.cache_view(real, {"model": "claude-sonnet-4-6", "prefix": "50000", "reuses": "9", "minutes": "30",
                                 "at": "2026-12-02"})
    assert [r["key"] for r in view["rows"]] == ["none", "5m", "1h"]
    five, hour = view["rows"][1], view["rows"][2]
    assert (five["break_even"], hour["break_even"]) == (1, 2)     # 1.25x / 0.1x and 2x / 0.1x
    # $3 input: none 10 x 50,000 x 3/1M = 1.5; 5m 50,000 x 3.75/1M + 9 x 50,000 x 0.30/1M = 0.1875 + 0.135
    assert (view["rows"][0]["official"]["exact"], five["official"]["exact"]) == ("1.5", "0.3225")
    assert view["answer"].startswith("Yes: the 5-minute cache pays from the 1st reuse and saves $1.1775")
    # The picture draws the table: gateway and official bars per option, each the row's exact total,
    # lengths on one scale (the no-cache official bar, $1.50, is the longest).
    bars = re.findall(r'data-series="(\d)" data-label="([^"]+)" data-value="([^"]+)" x="[^"]+" y="[^"]+" '
                      r'width="([^"]+)"', view["picture"])
    want = {(str(i), r["label"], r[side]["exact"]) for i, side in enumerate(("gateway", "official"))
            for r in view["rows"]}
    assert {b[:3] for b in bars} == want and len(bars) == 6
    widths = {(b[0], b[1]): Decimal(b[3]) for b in bars}
    longest = widths[("1", "No cache")]
    assert longest == max(widths.values())
    assert abs(widths[("1", "5-minute cache")] / longest - Decimal("0.3225") / Decimal("1.5")) < Decimal("0.01")


def test_real_data_openai_12_hour_only_where_priced(real):
    terra = api.cache_view(real, {"model": "gpt-6.1-terra", "prefix": "50000", "at": "2026-12-02"})
    assert [r["key"] for r in terra["rows"]] == ["none", "30m"]
    assert terra["omitted_text"].startswith("OpenAI's 12-hour retention is not shown")
    old = api.cache_view(real, {"model": "gpt-5-mini", "prefix": "50000", "at": "2026-12-02"})
    assert [r["key"] for r in old["rows"]] == ["none", "5m", "12h"] and old["omitted_text"] == ""
    assert "Writes bill at the input rate" in old["rows"][2]["note"]


def test_real_data_every_callable_model_gets_an_answer(real):
    for m in real.models:
        if not m.callable_on("2026-12-02"):
            continue
        view = api.cache_view(real, {"model": m.slug, "prefix": "8000", "at": "2026-12-02"})
        assert view["errors"] == [] and view["answer"], m.slug


def test_worker_entry_and_form_errors():
    api.load(json.dumps(DOC["catalog"]))
    try:
        out = json.loads(api.call("cache", json.dumps({"model": "claude-t", "prefix": "10,000", "reuses": "9",
                                                       "minutes": "30", "at": "2026-11-10"})))
        assert out["rows"][1]["official"]["display"] == "$0.0645"
        bad = json.loads(api.call("cache", json.dumps({"model": "claude-t", "prefix": "-3", "reuses": "x"})))
        assert {e["field"] for e in bad["errors"]} == {"prefix", "reuses"}
    finally:
        api.load(json.dumps({"version": 0}))


def test_cache_texts():
    assert [display.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "102nd", "111th"]
    assert display.minutes(5) == "5 minutes" and display.minutes(1) == "1 minute"
    assert display.minutes(720) == "12 hours" and display.minutes(60) == "1 hour"
    assert display.minutes(Decimal(10) / 3) == "3.3 minutes"
    assert display.cache_gap(30, 9) == "one request every 3.3 minutes"
    assert display.cache_gap(0, 9) == "all requests at once"
    assert display.cache_saving(Decimal("0.2355"), "78.5") == "saves $0.2355 (78.5%)"
    assert display.cache_saving(Decimal("-0.0225"), "-25.0") == "costs $0.0225 more (25.0%)"
    assert display.cache_saving(Decimal(0), "0.0") == "the same"
    assert display.break_even_text(2) == "from the 2nd reuse"
    assert display.break_even_text(None) == "never at this spacing"
    assert display.break_even_text(None, offered=False) == "not offered"
