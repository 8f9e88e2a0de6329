"""Hypothesis over the engine: hostile JSON and text never escape as anything but the project's
own error with a message; arbitrary token counts never give a negative or non-finite cost."""
import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from calculator import api
from calculator.buckets import COUNT_FIELDS
from calculator.pricing import PricingError, Usage, estimate
from calculator.usage import UsageError, parse_log_line, parse_usage
from test_engine import CATALOG, DOC

KEYS = ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "cached_tokens",
        "cache_write_tokens", "completion_tokens_details", "reasoning_tokens", "input_tokens",
        "output_tokens", "input_tokens_details", "output_tokens_details", "cache_read_input_tokens",
        "cache_creation_input_tokens", "cache_creation", "ephemeral_5m_input_tokens",
        "ephemeral_1h_input_tokens", "usage", "usageMetadata", "promptTokenCount",
        "candidatesTokenCount", "cachedContentTokenCount", "thoughtsTokenCount", "cost", "message"]
scalars = (st.none() | st.booleans() | st.integers(-10**15, 10**15) | st.floats(allow_nan=True)
           | st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6),
    max_leaves=30)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(json_values)
def test_usage_parser_raises_only_its_own_error(value):
    try:
        shape, usage = parse_usage(value)
    except UsageError as err:
        assert str(err)
        return
    assert usage.cached <= usage.input and min(usage.to_dict().values()) >= 0


@SETTINGS
@given(st.text(max_size=300) | st.binary(max_size=100).map(lambda b: b.decode("latin-1")))
def test_text_pastes_never_raise_from_the_api(text):
    for result in (api.usage_view(text), api.tokens_view(text)):
        assert isinstance(result["errors"], list)
        for err in result["errors"]:
            assert err["message"] and err["field"]
    try:
        parse_log_line(text)
    except UsageError as err:
        assert str(err)


hostile_values = (st.none() | st.booleans() | st.integers(-10**14, 10**14)
                  | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=15)
                  | st.sampled_from(["1e309", "NaN", "Infinity", "-0", "10,00", "1_000", " 7 ", "0x10"]))
FORM_FIELDS = COUNT_FIELDS + ("requests", "balance")


@st.composite
def parts_of(draw, whole_max=10**12):
    """(input, cache_read, cache_write_5m, cache_write_1h): valid by construction, the cache parts
    inside the whole prompt (parts larger than the whole: test_engine's own property)."""
    whole = draw(st.integers(0, whole_max))
    read = draw(st.integers(0, whole))
    w5 = draw(st.integers(0, whole - read))
    return whole, read, w5, draw(st.integers(0, whole - read - w5))


@st.composite
def forms(draw):
    """A form as the page sends it: a valid workload written the ways people write numbers, and in
    about one form of four one field replaced by something hostile."""
    whole, read, w5, w1 = draw(parts_of(10**9))
    counts = dict(zip(COUNT_FIELDS, (whole, read, w5, w1, draw(st.integers(0, 10**7)))))
    counts["requests"] = draw(st.integers(1, 1000))
    style = draw(st.sampled_from([str, int, lambda n: f"{n:,}", lambda n: f" {n} "]))
    form = {k: style(v) for k, v in counts.items()}
    form["balance"] = draw(st.sampled_from(["", "25", "$1,000.50", None]))
    if draw(st.integers(0, 3)) == 0:
        form[draw(st.sampled_from(FORM_FIELDS))] = draw(hostile_values)
    return form


@SETTINGS
@given(forms(), st.sampled_from([m.slug for m in CATALOG.models] * 10 + ["", "nope", "<script>"]))
def test_the_worker_entry_point_answers_every_form_with_json(form, slug):
    api.load(json.dumps(DOC["catalog"]))
    out = json.loads(api.call("estimate", json.dumps({**form, "model": slug}, allow_nan=True)))
    event("refused" if out["errors"] else "priced")
    if out["errors"]:
        assert all(e["field"] and e["message"] for e in out["errors"])
        return
    for side in ("official", "gateway"):
        for value in out["summary"][side].values():
            assert not value.startswith("-") and value.replace(".", "").isdigit()


@SETTINGS
@given(parts_of(), st.integers(0, 10**12), st.sampled_from(CATALOG.models), st.integers(1, 10**9))
def test_any_token_counts_give_a_finite_non_negative_cost(parts, o, model, n):
    i, r, w5, w1 = parts
    usage = Usage(input=i, cache_read=r, cache_write_5m=w5, cache_write_1h=w1, output=o)
    e = estimate(model, usage, n)
    for total in (e.official_total.total, e.gateway_total.total):
        assert total.is_finite() and total >= 0
