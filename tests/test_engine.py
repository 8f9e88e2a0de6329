"""The engine: golden vectors, properties, usage shapes, the JSON api."""
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import api
from calculator.catalog import Catalog, UnknownModel
from calculator.display import usd as format_usd
from calculator.money import parse_decimal, MoneyError
from calculator.pricing import PricingError, Usage, estimate, rank
from calculator.tokens import estimate_tokens
from calculator.usage import UsageError, parse_log_line, parse_usage
from calculator.vectors import check, count

VECTORS = Path(__file__).parent / "vectors" / "engine.json"
DOC = json.loads(VECTORS.read_text())
CATALOG = Catalog.from_dict(DOC["catalog"])


@pytest.mark.parametrize("path", sorted(VECTORS.parent.glob("*.json")), ids=lambda p: p.name)
def test_golden_vectors_agree(path):
    """Every vector file in CPython (the same files run in Pyodide under Node and in the browser)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert count(doc) >= 25
    assert check(doc) == []


def test_vectors_can_fail():
    broken = json.loads(VECTORS.read_text())
    broken["estimates"][0]["expect"]["official"]["total"] = "0.184"
    broken["display"][0]["expect"] = "$0.0640"   # what half-even rounding would give
    failures = check(broken)
    assert len(failures) == 2
    assert "official is" in failures[0] and "0.184" in failures[0]


@pytest.mark.parametrize("case", [c for c in DOC["estimates"] if "expect" in c], ids=lambda c: c["name"])
def test_each_vector(case):
    got = api.estimate_view(CATALOG, case["args"])["summary"]
    assert got == {"model": case["args"]["model"], **case["expect"]}


def test_tier_is_a_cliff_chosen_by_total_input_including_cache():
    m = CATALOG.model("sonnet-test")
    below = estimate(m, Usage(input=200_000, cache_read=199_000))
    above = estimate(m, Usage(input=200_001, cache_read=199_000))
    assert below.tier is None and above.tier == 200_000
    # every bucket moves to the tier's rates, not only the tokens past the threshold
    assert above.official.cache_read == Decimal(199_000) * Decimal("0.60") / 1_000_000
    assert above.official.uncached_input == Decimal(1_001) * Decimal("6.00") / 1_000_000


def test_prices_are_exact_decimals_never_floats():
    with pytest.raises(MoneyError):
        parse_decimal(3.0)
    for bad in ("$3", "3e2", "-1", "three", "1,000", " 3"):
        with pytest.raises(MoneyError):
            parse_decimal(bad)
    # 0.1 + 0.2 style drift cannot happen: 3 requests of 0.1 per 1M
    e = estimate(CATALOG.model("gpt-test"), Usage(input=100_000), requests=3)
    assert e.official_total.total == Decimal("0.375")


def test_alias_and_unknown_slug_suggestion():
    with pytest.raises(UnknownModel) as err:
        CATALOG.model("sonet-test")
    assert "sonnet-test" in str(err.value)


def test_catalog_round_trips_through_its_dict():
    assert Catalog.from_dict(CATALOG.to_dict()).to_dict() == CATALOG.to_dict()


def test_display_rule_never_shows_nonzero_as_zero():
    assert format_usd(Decimal("0.000000001")) == "$0.0000000010"
    assert format_usd(Decimal("12345678.9")) == "$12,345,678.90"
    assert format_usd(Decimal("999.99995")) == "$1,000.00" and format_usd(Decimal("999.99994")) == "$999.9999"
    assert format_usd(Decimal("-1234.56785")) == "-$1,234.5679" and format_usd(Decimal("0")) == "$0.00"
    assert format_usd(Decimal("0.00000999995")) == "$0.000010"   # the rounding carries: still two digits


@given(st.integers(min_value=-10**15, max_value=10**15), st.integers(min_value=0, max_value=14))
def test_display_rule_is_half_up_to_4_places_with_separators(units, places):
    from decimal import ROUND_HALF_UP
    amount = Decimal(units).scaleb(-places)
    rounded = abs(amount).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    if rounded or not amount:
        shown = format_usd(amount)
        assert shown.startswith(f"{sign}$")
        digits = shown[len(sign) + 1:].replace(",", "")
        assert Decimal(digits) == rounded                 # the value rounded half-up to 4 places
        cents = digits.partition(".")[2]
        assert 2 <= len(cents) <= 4 and (len(cents) == 2 or not cents.endswith("0"))   # no zero past the cents
        assert shown == f"{sign}${Decimal(digits):,}"     # thousands separators
    else:  # two significant digits, never $0
        shown = Decimal(format_usd(amount).replace("$", ""))
        assert shown != 0 and len(shown.as_tuple().digits) == 2
        assert abs(shown - amount) <= abs(amount) / 10


def test_balance_coverage():
    view = api.estimate_view(CATALOG, {"model": "sonnet-test", "input": "1,000", "output": "100",
                                       "balance": "10"})
    # gateway per request: 0.35 x (0.003 + 0.0015) = 0.001575; 10 / 0.001575 = 6349.2
    assert view["balance"]["requests"] == 6349
    assert view["balance"]["text"] == "about 6,349 such requests at the gateway price"
    assert view["saving"]["percent"] == "65.0"


@pytest.mark.parametrize("field,raw,words", [
    ("input", "-5", "negative"), ("input", "abc", "whole number"), ("output", float("nan"), "NaN"),
    ("output", float("inf"), "NaN or Infinity"), ("input", "1e309", "whole number"),
    ("input", str(10**13), "more than"), ("cache_read", "2.5", "whole number"),
])
def test_form_input_errors_are_per_field(field, raw, words):
    view = api.estimate_view(CATALOG, {"model": "sonnet-test", "input": "1000", field: raw})
    assert [e["field"] for e in view["errors"]] == [field]
    assert words in view["errors"][0]["message"]


def test_every_bad_field_is_reported_at_once():
    view = api.estimate_view(CATALOG, {"model": "nope", "input": "-1", "output": "x", "balance": "lots"})
    assert {e["field"] for e in view["errors"]} == {"input", "output", "model", "balance"}


def test_rank_orders_by_gateway_total_and_filters_family():
    view = api.rank_view(CATALOG, {"input": 10_000, "output": 1_000})
    totals = [Decimal(r["gateway"]["exact"]) for r in view["rows"]]
    assert totals == sorted(totals) and len(totals) == 4
    only = api.rank_view(CATALOG, {"input": 10_000, "family": "claude"})
    assert {r["family"] for r in only["rows"]} == {"claude"}


def test_rank_percent_is_each_row_own_gateway_over_official():
    from calculator.display import percent
    for args in ({"input": 10_000, "output": 1_000}, {"input": 0, "output": 0}, {"input": 300_000, "output": 7}):
        rows = api.rank_view(CATALOG, args)["rows"]
        assert len({r["percent"] for r in rows}) >= (2 if args["input"] else 1)
        for r in rows:
            official, gateway = Decimal(r["official"]["exact"]), Decimal(r["gateway"]["exact"])
            assert r["percent"] == (percent(gateway, official) if official else "0.0"), r


# ---- properties -----------------------------------------------------------------------------

tokens = st.integers(min_value=0, max_value=2_000_000)
models = st.sampled_from(CATALOG.models)


@st.composite
def usages(draw):
    total = draw(tokens)
    read = draw(st.integers(0, total))
    w5 = draw(st.integers(0, total - read))
    w1 = draw(st.integers(0, total - read - w5))
    return Usage(input=total, cache_read=read, cache_write_5m=w5, cache_write_1h=w1, output=draw(tokens))


@settings(max_examples=300, deadline=None)
@given(models, usages(), st.sampled_from(["input", "cache_read", "cache_write_5m", "cache_write_1h", "output"]),
       st.integers(1, 50_000))
def test_cost_never_decreases_when_a_bucket_grows_within_a_tier(model, usage, bucket, extra):
    grown = usage.to_dict()
    grown[bucket] += extra
    if bucket != "input" and bucket != "output":
        grown["input"] += extra  # a cache part is part of the whole prompt
    grown = Usage(**grown)
    a, b = estimate(model, usage), estimate(model, grown)
    if a.tier == b.tier:
        assert b.official.total >= a.official.total
        assert b.gateway.total >= a.gateway.total
    assert a.official.total >= 0 and a.gateway.total >= 0


@settings(max_examples=300, deadline=None)
@given(models, usages(), st.integers(1, 100_000))
def test_moving_tokens_to_cache_read_never_costs_more_when_cache_is_cheaper(model, usage, moved):
    moved = min(moved, usage.uncached_input)
    cached = Usage(**{**usage.to_dict(), "cache_read": usage.cache_read + moved})
    a, b = estimate(model, usage), estimate(model, cached)
    assert a.tier == b.tier  # the whole prompt did not change, so neither did the tier
    if b.official_rates.rate("cache_read") <= b.official_rates.rate("input"):
        assert b.official.total <= a.official.total
        assert b.gateway.total <= a.gateway.total


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(["cache_read", "cache_write_5m", "cache_write_1h"]),
       st.integers(1, 10**6))
def test_parts_larger_than_the_whole_are_rejected(total, part, excess):
    with pytest.raises(PricingError) as err:
        Usage(input=total, **{part: total + excess})
    assert err.value.field == part


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))
def test_parts_together_larger_than_the_whole_are_rejected(a, b, c):
    total = max(a, b, c)
    if a + b + c > total:
        with pytest.raises(PricingError):
            Usage(input=total, cache_read=a, cache_write_5m=b, cache_write_1h=c)


# ---- usage objects and pasted text ----------------------------------------------------------

@pytest.mark.parametrize("case", DOC["usage"], ids=lambda c: c["name"])
def test_usage_shapes(case):
    shape, usage = parse_usage(case["usage"])
    assert {"shape": shape, **usage.to_dict()} == case["expect"]


def test_usage_unwraps_a_whole_response():
    body = {"id": "msg_1", "type": "message", "content": [],
            "usage": {"input_tokens": 5, "cache_read_input_tokens": 95, "output_tokens": 3}}
    assert parse_usage(json.dumps(body)) == ("anthropic", Usage(input=100, cache_read=95, output=3))
    gemini = {"usageMetadata": {"promptTokenCount": 1000, "cachedContentTokenCount": 600,
                                "candidatesTokenCount": 50, "thoughtsTokenCount": 200}}
    assert parse_usage(gemini) == ("gemini", Usage(input=1000, cache_read=600, output=250))


@pytest.mark.parametrize("bad,words", [
    ("not json", "not valid JSON"), ("[1,2]", "expected a JSON object"), ('{"foo": 1}', "no token counts"),
    ('{"prompt_tokens": -1}', "negative"), ('{"prompt_tokens": "12"}', "whole number"),
    ('{"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 20}}', "larger than the whole"),
    ('{"input_tokens": 1, "cache_creation_input_tokens": 10, "cache_creation": '
     '{"ephemeral_5m_input_tokens": 3, "ephemeral_1h_input_tokens": 4}}', "splits 7"),
])
def test_bad_usage_objects_get_a_message(bad, words):
    with pytest.raises(UsageError) as err:
        parse_usage(bad)
    assert words in str(err.value)


@pytest.mark.parametrize("text,expect", [
    ("12,000 input, 800 output", {"input": 12000, "output": 800}),
    ("input=12000 cached=4000 output=800", {"input": 12000, "cache_read": 4000, "output": 800}),
    ("in: 1.2k out: 300", {"input": 1200, "output": 300}),
    ("Usage: 1,234 prompt tokens, 56 completion tokens", {"input": 1234, "output": 56}),
    ("12000 input tokens (4,000 cache read, 1000 cache write 5m, 500 cache write 1h) 900 output",
     {"input": 12000, "cache_read": 4000, "cache_write_5m": 1000, "cache_write_1h": 500, "output": 900}),
])
def test_log_lines(text, expect):
    assert parse_log_line(text) == expect


def test_usage_view_reports_garbage_and_huge_paste():
    assert api.usage_view("lorem ipsum")["errors"][0]["field"] == "paste"
    assert "1 MB" in api.usage_view("{" + " " * 1_000_001 + "}")["errors"][0]["message"]
    assert api.usage_view('{"prompt_tokens": 10, "completion_tokens": 2}')["fields"]["input"] == 10


def test_token_estimate_states_method_and_bound():
    est = estimate_tokens("word " * 400)          # 2,000 characters
    assert est.tokens == 500 and est.low == 350 and est.high == 650
    assert "30%" in est.method
    assert estimate_tokens("\u4f60\u597d\u4e16\u754c").tokens == 4
    assert estimate_tokens("").tokens == 0


def test_worker_entry_points_never_raise():
    assert json.loads(api.load("{not json"))["errors"]
    assert json.loads(api.load(json.dumps(DOC["catalog"])))["models"] == 4
    out = json.loads(api.call("estimate", json.dumps({"model": "sonnet-test", "input": 10})))
    assert out["summary"]["official"]["total"] == "0.00003"
    assert json.loads(api.call("nope", "{}"))["errors"][0]["field"] == "fn"
    assert json.loads(api.call("estimate", "[[[["))["errors"][0]["field"] == "request"


@settings(max_examples=100, deadline=None)
@given(usages(), st.integers(1, 20))
def test_rank_fast_path_agrees_with_the_full_breakdown(usage, requests):
    for r in rank(CATALOG.models, usage, requests):
        full = estimate(r.model, usage, requests)
        assert (r.tier, r.official, r.gateway) == (full.tier, full.official_total.total, full.gateway_total.total)


def test_the_calculator_start_imports_only_what_an_estimate_needs():
    """The worker's start (import calculator.api, load the prices, one estimate) leaves the modules
    only other views use unimported: they cost the first figure nothing (the views import them).
    Nor does it import `dataclasses` or `inspect` (calculator.record instead): making dataclasses
    was most of the import's time in Pyodide."""
    import subprocess
    import sys
    code = ("import json, sys\nbefore = set(sys.modules)\nfrom calculator import api\n"
            f"api.load({json.dumps(json.dumps(DOC['catalog']))})\n"
            "out = json.loads(api.call('estimate', json.dumps({'model': sys.argv[1], 'input': '1000'})))\n"
            "assert not out['errors'], out\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('calculator'))))\n"
            "print(json.dumps(sorted(set(sys.modules) - before)))")
    model = CATALOG.models[0].slug
    proc = subprocess.run([sys.executable, "-c", code, model], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 0, proc.stderr
    loaded, new = (set(json.loads(line)) for line in proc.stdout.splitlines())
    assert "calculator.pricing" in loaded
    assert "calculator.api" in new and new.isdisjoint({"dataclasses", "inspect"}), sorted(new)
    assert loaded.isdisjoint({"calculator.cache_plan", "calculator.charts", "calculator.usage",
                              "calculator.tokens", "calculator.errors_match", "calculator.vectors"}), loaded
