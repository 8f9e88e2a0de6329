"""calculator/charts.py and the chart views of calculator/api.py, in CPython: the geometry says
what the numbers say (bars proportional to the amounts, the tier cliff at its threshold, the wall
at the context window, each price period's step at its rate), and every number on a chart is the
table's. The same views run in the browser's worker: tests/test_charts_browser.py."""
import copy
import datetime
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator import api, charts, display
from calculator.catalog import Catalog
from test_fuzz import SETTINGS, forms   # the fuzz suite's hostile calculator forms

DOC = json.loads((Path(__file__).parent / "vectors" / "engine.json").read_text(encoding="utf-8"))
CATALOG = Catalog.from_dict(DOC["catalog"])
NS = {"s": "http://www.w3.org/2000/svg"}
Q = Decimal("0.01")   # charts write coordinates with two decimals


def parse(svg):
    """The SVG as XML (it must be well-formed: the browser parses it as image/svg+xml)."""
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    cid = root.get("id")
    assert root.get("aria-labelledby") == f"{cid}-title {cid}-desc"
    assert root.find("s:title", NS).get("id") == f"{cid}-title" and root.find("s:title", NS).text
    assert root.find("s:desc", NS).get("id") == f"{cid}-desc" and root.find("s:desc", NS).text
    assert "style=" not in svg and "<script" not in svg   # the page's CSP: classes only
    return root


def D(el, name):
    return Decimal(el.get(name))


def bar_texts(root):
    """{(label, series): (rect, the value text written at its end)}."""
    out = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        kids = list(group)
        for i, el in enumerate(kids):
            if el.tag.endswith("rect") and el.get("data-label") is not None:
                out[(el.get("data-label"), int(el.get("data-series")))] = (el, kids[i + 1].text)
    return out


# ---- bars ----------------------------------------------------------------------------------------

def test_bars_are_proportional_to_the_amounts_and_write_each_value():
    svg = charts.bars(["a", "b", "c"], [("Gateway", [Decimal("1"), Decimal("2.5"), None]),
                                        ("Official", [Decimal("4"), Decimal("0"), Decimal("10")])],
                      display.usd, chart_id="t", title="T", desc="D")
    bars = bar_texts(parse(svg))
    assert set(bars) == {("a", 0), ("b", 0), ("a", 1), ("b", 1), ("c", 1)}   # None: no bar
    widths = {k: D(rect, "width") for k, (rect, _) in bars.items()}
    # the longest bar is the largest amount; every bar is value x the same factor
    unit = widths[("c", 1)] / 10
    for k, (rect, text) in bars.items():
        value = Decimal(rect.get("data-value"))
        assert abs(widths[k] - value * unit) <= Q, k
        assert text == display.usd(value)
        assert D(rect, "x") == 0
    assert widths[("b", 1)] == 0
    assert widths[("c", 1)] == charts.WIDTH - (charts.CHAR * len("$10.00") + 6)   # room for its text ("$10.00")
    assert "not offered" in svg


def test_bars_extend_left_of_zero_for_a_negative_amount():
    root = parse(charts.bars(["saving"], [("s", [Decimal("-2")]), ("t", [Decimal("6")])], display.usd,
                             chart_id="n", title="T", desc="D"))
    (neg, _), (pos, _) = bar_texts(root)[("saving", 0)], bar_texts(root)[("saving", 1)]
    zero = D(pos, "x")
    assert D(neg, "x") + D(neg, "width") == zero
    assert abs(D(pos, "width") - 3 * D(neg, "width")) <= Q
    assert zero > 0


def test_chart_text_is_escaped():
    svg = charts.bars(['<script>alert(1)</script> & "x"'], [("<b>", [Decimal(1)])], display.usd,
                      chart_id="e", title="<i>title</i>", desc="a & b")
    root = parse(svg)
    assert "<script>" not in svg and "<b>" not in svg
    assert root.find("s:title", NS).text == "<i>title</i>"


def test_bars_refuse_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="2 values for 1 labels"):
        charts.bars(["a"], [("s", [1, 2])], display.usd, chart_id="x", title="T", desc="D")


@pytest.mark.parametrize("top, count, ticks", [
    ("6.0225", 4, ["0", "2", "4", "6", "8"]), ("1080000", 5, ["0", "250000", "500000", "750000", "1000000", "1250000"]),
    ("0.3", 4, ["0", "0.1", "0.2", "0.3"]), ("20", 4, ["0", "5", "10", "15", "20"]), ("0", 4, ["0", "1"]),
])
def test_nice_ticks(top, count, ticks):
    assert [str(t.normalize()) if t else "0" for t in charts.nice_ticks(Decimal(top), count)] == \
        [str(Decimal(t).normalize()) for t in ticks]


@pytest.mark.parametrize("fn, value, text", [
    (display.tick_usd, Decimal(0), "$0"), (display.tick_usd, Decimal("0.05"), "$0.05"),
    (display.tick_usd, Decimal("2.5"), "$2.50"), (display.tick_usd, Decimal(1000), "$1,000"),
    (display.tick_tokens, 0, "0"), (display.tick_tokens, 500, "500"), (display.tick_tokens, 2500, "2.5K"),
    (display.tick_tokens, 250000, "250K"), (display.tick_tokens, 1000000, "1M"), (display.tick_tokens, 1250000, "1.25M"),
    (display.month_tick, datetime.date(2026, 3, 1), "Mar 2026"),
])
def test_axis_texts(fn, value, text):
    assert fn(value) == text


def test_month_ticks_start_on_month_starts_and_stay_few():
    ticks = charts.month_ticks(datetime.date(2026, 1, 15), datetime.date(2027, 2, 1), display.month_tick)
    assert [t for _, t in ticks] == ["Apr 2026", "Jul 2026", "Oct 2026", "Jan 2027"]
    assert charts.month_ticks(datetime.date(2026, 1, 1), datetime.date(2026, 3, 1), display.month_tick)[0][1] == "Jan 2026"


# ---- the calculator's pictures -----------------------------------------------------------------

WORKLOAD = {"model": "sonnet-test", "input": 300000, "cache_read": 100000, "cache_write_5m": 20000,
            "output": 1000, "requests": 3, "at": "2026-11-01"}


def test_where_the_money_goes_shows_the_breakdown_tables_cells():
    view = api.estimate_view(CATALOG, WORKLOAD)
    root = parse(api.charts_view(CATALOG, WORKLOAD)["buckets"])
    bars = bar_texts(root)
    shown = [r for r in view["rows"] if r["tokens"]]
    assert len(shown) == 4 and {label for label, _ in bars} == {r["label"] for r in shown}  # the 1-hour write has no tokens
    for r in shown:
        for series, side in ((0, "gateway"), (1, "official")):
            rect, text = bars[(r["label"], series)]
            assert rect.get("data-value") == r[side]["exact"]
            assert text == r[side]["display"]           # the table's cell, as written
    # one request: the uncached input of 180,000 tokens at the long-context $6.00 is $1.08 official
    assert bars[("Uncached input", 1)][0].get("data-value") == "1.08"


def curve_points(root, series):
    return {int(c.get("data-x")): c for c in root.iter("{http://www.w3.org/2000/svg}circle")
            if c.get("data-series") == series}


def test_the_prompt_length_curve_has_the_cliff_at_the_threshold_and_the_wall_at_the_window():
    usage = {**WORKLOAD, "cache_read": 0, "cache_write_5m": 0}
    root = parse(api.charts_view(CATALOG, usage)["curve"])
    official = curve_points(root, display.OFFICIAL)
    # hand-computed, one request of 1,000 output tokens: base $3.00 / $15.00, above 200,000 $6.00 / $22.50
    assert {x: c.get("data-value") for x, c in official.items()} == {
        0: "0.015", 200000: "0.615", 200001: "1.222506", 300000: "1.8225", 1000000: "6.0225"}
    gateway = curve_points(root, display.gateway_name("the gateway"))
    assert gateway[300000].get("data-value") == "0.637875"       # x 0.35
    assert api.estimate_view(CATALOG, usage)["per_request"]["official"]["exact"] == "1.8225"   # this prompt's point
    # geometry: x is proportional to the prompt, y to the cost, on each side of the cliff
    x0, y0 = D(official[0], "cx"), D(official[0], "cy")
    per_token = (D(official[1000000], "cx") - x0) / 1000000
    per_dollar = (y0 - D(official[1000000], "cy")) / (Decimal("6.0225") - Decimal("0.015"))
    for x, c in official.items():
        assert abs(D(c, "cx") - (x0 + x * per_token)) <= Q
        assert abs(D(c, "cy") - (y0 - (Decimal(c.get("data-value")) - Decimal("0.015")) * per_dollar)) <= 2 * Q
    assert D(official[200000], "cx") == D(official[200001], "cx")            # the cliff is vertical
    assert D(official[200000], "cy") - D(official[200001], "cy") > 14         # $0.6075 of the $8 axis' 190 units
    marks = {m.get("data-x"): m for m in root.iter("{http://www.w3.org/2000/svg}path") if m.get("data-x")}
    assert set(marks) == {"200000", "1000000", "300000"}
    assert "pb-mark--cliff" in marks["200000"].get("class") and "pb-mark--wall" in marks["1000000"].get("class")
    assert re.match(rf"M{D(official[1000000], 'cx').normalize()} ", marks["1000000"].get("d"))   # the wall at the window
    band = next(r for r in root.iter("{http://www.w3.org/2000/svg}rect") if "pb-band--refused" in r.get("class"))
    assert D(band, "x") == D(official[1000000], "cx")
    desc = root.find("s:desc", NS).text
    assert "$0.615 official at 200,000 tokens, $1.2225 one token more" in desc
    assert "A prompt longer than 1,000,000 tokens is refused" in desc


def test_a_window_that_holds_the_output_too_moves_the_wall():
    doc = copy.deepcopy(DOC["catalog"])
    doc["models"][0]["window"] = "prompt_and_output"
    root = parse(api.charts_view(Catalog.from_dict(doc), WORKLOAD)["curve"])
    assert max(curve_points(root, display.OFFICIAL)) == 999000
    assert any(m.get("data-x") == "999000" and "pb-mark--wall" in m.get("class")
               for m in root.iter("{http://www.w3.org/2000/svg}path"))


def test_the_ranking_chart_is_the_tables_cheapest_rows_and_the_chosen_model():
    args = {**WORKLOAD, "input": 100000, "cache_read": 0, "cache_write_5m": 0, "chart": True}
    view = api.rank_view(CATALOG, args)
    assert "chart" not in api.rank_view(CATALOG, {**args, "chart": False})
    bars = bar_texts(parse(view["chart"]))
    rows = {r["name"]: r for r in view["rows"] if r["fits"]}
    assert {label for label, _ in bars} == set(rows)
    for name, r in rows.items():
        assert bars[(name, 0)][1] == r["gateway"]["display"] and bars[(name, 1)][1] == r["official"]["display"]
    assert 'class="pb-group pb-current"' in view["chart"]


def test_the_ranking_chart_adds_the_chosen_model_after_the_cheapest(monkeypatch):
    monkeypatch.setattr(api, "RANK_CHART_TOP", 1)
    args = {**WORKLOAD, "input": 100000, "cache_read": 0, "cache_write_5m": 0, "chart": True, "model": "opus-test"}
    view = api.rank_view(CATALOG, args)
    labels = [label for label, _ in bar_texts(parse(view["chart"]))]
    assert labels[0] == view["rows"][0]["name"] and labels[-1] == "Opus (test)" and len(set(labels)) == 2
    assert "and the chosen model" in view["chart"]


def test_chart_views_report_bad_input_like_the_estimate():
    out = api.charts_view(CATALOG, {**WORKLOAD, "input": "abc"})
    assert out["errors"] and out["errors"] == api.estimate_view(CATALOG, {**WORKLOAD, "input": "abc"})["errors"]
    assert json.loads(api.load(json.dumps(DOC["catalog"])))["errors"] == []
    assert json.loads(api.call("charts", json.dumps(WORKLOAD)))["curve"].startswith("<svg")   # the worker's way


# ---- price history -----------------------------------------------------------------------------

def history_doc():
    doc = copy.deepcopy(DOC["catalog"])
    gpt = next(m for m in doc["models"] if m["slug"] == "gpt-test")
    gpt["scheduled"] = [{"from": "2026-09-01", "prices": {"input": "2.00", "output": "16.00"}, "note": "announced rise"}]
    return doc


def test_price_history_steps_at_each_periods_rate_from_its_start():
    catalog = Catalog.from_dict(history_doc())
    view = api.history_view(catalog, catalog.model("gpt-test"), "2026-06-01")
    assert [(r["period"], r["official_input_text"], r["official_output_text"], r["gateway_output_text"])
            for r in view["rows"]] == [("until 2026-01-01", "$2.50", "$20.00", "$10.00"),
                                       ("2026-01-01 to 2026-09-01", "$1.25", "$10.00", "$5.00"),
                                       ("from 2026-09-01 (announced)", "$2.00", "$16.00", "$8.00")]
    root = parse(view["chart"])
    points = [c for c in root.iter("{http://www.w3.org/2000/svg}circle")
              if c.get("data-series") == display.rate_series("Output", "official")]
    assert [(c.get("data-key"), c.get("data-value")) for c in points] == [("", "20"), ("2026-01-01", "10"),
                                                                          ("2026-09-01", "16")]
    # y proportional to the rate ($0 to $20 on the axis), x to the date
    bottom = D(points[0], "cy") + (D(points[1], "cy") - D(points[0], "cy")) * 2   # $20 -> $10 is half-way down
    assert abs(bottom - (D(points[2], "cy") + (D(points[1], "cy") - D(points[0], "cy")) * Decimal("1.6"))) <= 2 * Q
    day = lambda iso: datetime.date.fromisoformat(iso).toordinal()  # noqa: E731
    per_day = (D(points[2], "cx") - D(points[1], "cx")) / (day("2026-09-01") - day("2026-01-01"))
    marks = {m.get("data-x"): m.get("class") for m in root.iter("{http://www.w3.org/2000/svg}path") if m.get("data-x")}
    assert marks == {str(day("2026-06-01")): "pb-mark pb-mark--today", str(day("2026-09-01")): "pb-mark pb-mark--announced"}
    today = next(p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("data-x") == str(day("2026-06-01")))
    x_today = Decimal(re.match(r"M([\d.]+) ", today.get("d")).group(1))
    assert abs(x_today - (D(points[1], "cx") + per_day * (day("2026-06-01") - day("2026-01-01")))) <= Q
    assert "pb-band--announced" in view["chart"]
    desc = root.find("s:desc", NS).text
    assert desc.startswith("until 2026-01-01: input $2.50, output $20.00 official; $1.25 and $10.00 at the gateway")


def test_a_model_whose_price_never_changed_has_no_history_chart():
    assert api.history_view(CATALOG, CATALOG.model("sonnet-test"), "2026-06-01") == {"any": False, "rows": [], "chart": ""}


def test_timeline_serves_the_export_and_the_history_alike():
    m = Catalog.from_dict(history_doc()).model("gpt-test")
    assert api.timeline(m) == [(None, "2026-01-01", "past", "before the cut"), ("2026-01-01", "2026-09-01", "current", ""),
                               ("2026-09-01", None, "scheduled", "announced rise")]


def test_a_change_of_tier_alone_is_listed_without_a_flat_chart():
    doc = copy.deepcopy(DOC["catalog"])
    sonnet = doc["models"][0]
    sonnet["history"] = [{"until": "2026-03-13", "prices": dict(sonnet["prices"]), "note": "surcharge removed",
                          "tiers": [{"above": 100000, "input": "9.00", "output": "30.00"}]}]
    view = api.history_view(Catalog.from_dict(doc), Catalog.from_dict(doc).model("sonnet-test"), "2026-06-01")
    assert view["any"] and view["chart"] == "" and [r["note"] for r in view["rows"]] == ["surcharge removed", ""]


@SETTINGS
@given(forms(), st.sampled_from([m.slug for m in CATALOG.models] * 5 + ["nope"]))
def test_the_worker_draws_every_form_it_prices_as_well_formed_svg(form, slug):
    api.load(json.dumps(DOC["catalog"]))
    out = json.loads(api.call("charts", json.dumps({**form, "model": slug}, allow_nan=True)))
    if out["errors"]:
        assert all(e["field"] and e["message"] for e in out["errors"])
        return
    for name in ("buckets", "curve"):
        root = parse(out[name])
        for el in root.iter():
            for attr in ("x", "y", "width", "cx", "cy"):
                if el.get(attr) is not None:
                    assert Decimal(el.get(attr)).is_finite() and (attr not in ("width",) or Decimal(el.get(attr)) >= 0)
