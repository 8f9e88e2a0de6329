"""calculator/display.py, the one place that writes amounts, rates, token counts, tiers, ratios and
request counts, each against its own table of expected text; and the rule that keeps it the one place."""
import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest

from calculator import display
from calculator.buckets import BUCKETS

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value, shown", [
    ("3", "$3.00"), ("3.00", "$3.00"), ("2.8000", "$2.80"), ("0.105", "$0.105"), ("0.0028", "$0.0028"),
    ("0", "$0.00"), ("0.5", "$0.50"), ("1250", "$1,250.00"), ("0.075", "$0.075"), ("15", "$15.00"),
    (Decimal("8.00") * Decimal("0.35"), "$2.80"), ("0.000001", "$0.000001"),
])
def test_rate(value, shown):
    assert display.rate(value) == shown


@pytest.mark.parametrize("value, billed_as_input, shown", [
    ("0.15", True, "$0.15 (input rate)"), ("0.15", False, "$0.15")])
def test_rate_cell(value, billed_as_input, shown):
    assert display.rate_cell(value, billed_as_input) == shown


@pytest.mark.parametrize("amount, shown", [
    ("0", "$0.00"), ("0.00005", "$0.0001"), ("0.00004999", "$0.000050"), ("25", "$25.00"), ("25.0000", "$25.00"),
    ("12.5", "$12.50"), ("0.3125", "$0.3125"), ("1.234", "$1.234"), ("1.23405", "$1.2341"), ("0.0100", "$0.01"),
    ("1234.56", "$1,234.56"), ("1234.56785", "$1,234.5679"), ("999.99995", "$1,000.00"), ("-0.5", "-$0.50"),
    ("0.0000012", "$0.0000012"), ("0.000000001", "$0.0000000010"), ("0.00099", "$0.001"),
])
def test_usd(amount, shown):
    assert display.usd(Decimal(amount)) == shown


@pytest.mark.parametrize("fn, arg, shown", [
    (display.tokens, 12000, "12,000"), (display.tokens, 0, "0"),
    (display.requests_text, 1, "1 request"), (display.requests_text, 20, "20 requests"),
    (display.requests_text, 1000, "1,000 requests"),
    (display.tier_text, None, "base rates"), (display.tier_text, 200000, "long-context rates (above 200,000 tokens)"),
    (display.tier_short, None, "base"), (display.tier_short, 200000, "above 200,000"),
    (display.ratio_percent, "0.35", "35"), (display.ratio_percent, "0.125", "12.5"),
    (display.covered_text, None, "a zero-cost request is not limited by balance"),
    (display.covered_text, 1234, "about 1,234 such requests at the gateway price"),
])
def test_texts(fn, arg, shown):
    assert fn(arg) == shown


def test_ratio_and_tier_reason_texts():
    assert display.ratio_text("0.35") == "0.35 \u00d7 the official price"
    assert display.ratio_text("0.5", "launch offer") == "0.5 \u00d7 the official price (launch offer)"
    assert display.tier_reason(1000, None, []) == "This model has one rate for every prompt length."
    assert display.tier_reason(200000, None, [200000]) == ("Base rates: the whole prompt (200,000 tokens, cache "
                                                           "included) is not above 200,000 tokens.")
    assert display.tier_reason(200001, 200000, [200000]).startswith("Long-context rates: the whole prompt (200,001")
    assert display.percent(Decimal("0.65"), Decimal(1)) == "65.0"


# ---- the rule: nothing else writes numbers for people -----------------------------------------

def number_formats(source):
    """Line numbers where Python code formats a number with a thousands separator or a fixed
    precision: an f-string field like {n:,} or {x:.2f}, a "{:,}".format(...) or format(x, ",")."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        spec = None
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "format":
            texts = [a.value for a in list(node.args) + ([node.func.value] if isinstance(node.func, ast.Attribute) else [])
                     if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            spec = ",".join(texts) if any("," in s or re.search(r"\.\d+f", s) for s in texts) else None
        if spec and ("," in spec or re.search(r"\.\d+f", spec)):
            lines.append(node.lineno)
    return lines


def test_no_module_outside_the_view_layer_formats_money_or_token_counts():
    files = [p for p in sorted((REPO / "hooks").rglob("*.py")) + sorted((REPO / "calculator").rglob("*.py"))
             if p.name != "display.py"]
    assert len(files) > 25
    offenders = [f"{p.relative_to(REPO)}:{line}" for p in files
                 for line in number_formats(p.read_text(encoding="utf-8"))]
    templates = sorted((REPO / "hooks" / "sitegen" / "templates").glob("*.j2"))
    assert templates
    offenders += [f"{p.relative_to(REPO)}:{i}" for p in templates
                  for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                  if ".format(" in line or "|round" in line or "|float" in line]
    assert offenders == []


def test_the_rule_catches_a_number_format():
    assert number_formats('x = f"{n:,} tokens"') == [1]
    assert number_formats('y = 1\nx = "{:,}".format(n)') == [2]
    assert number_formats('x = format(n, ",")') == [1]
    assert number_formats('x = f"${v:.2f}"') == [1]
    assert number_formats('x = f"{n} tokens"\ny = {"a": 1, "b": 2}') == []


def test_calculator_js_keeps_no_bucket_label_and_formats_no_number():
    js = (REPO / "docs" / "assets" / "calculator" / "calculator.js").read_text(encoding="utf-8")
    words = {w for b in BUCKETS for w in (b.label, b.price_label, b.count_label, b.billed)
             if w not in ("input", "output", "Input", "Output")}
    words |= {"cache_read", "cache_write_5m", "cache_write_1h"}
    assert [w for w in sorted(words) if w in js] == []
    assert [f for f in ("Intl.NumberFormat", "toFixed", "toLocaleString", "toPrecision") if f in js] == []


def test_one_jinja_environment_and_one_mkdocs_import():
    code = {p: p.read_text(encoding="utf-8") for p in sorted((REPO / "hooks").rglob("*.py"))
            + sorted((REPO / "calculator").rglob("*.py"))}
    assert [p.relative_to(REPO).as_posix() for p, t in code.items() if "Environment(" in t] == \
        ["hooks/sitegen/render.py"]
    assert [p.relative_to(REPO).as_posix() for p, t in code.items()
            if re.search(r"^\s*(import mkdocs|from mkdocs)", t, re.M)] == ["hooks/mkdocs_hooks.py"]


def test_the_bucket_tables_usage_keys_are_the_ones_the_parsers_read():
    source = (REPO / "calculator" / "usage.py").read_text(encoding="utf-8")
    keys = {key.rsplit(".", 1)[-1] for b in BUCKETS for key in b.usage_keys}
    assert keys and [k for k in sorted(keys) if f'"{k}"' not in source] == []
    read = set(re.findall(r'_count\([^,]+, "([A-Za-z_]+)"', source))
    assert read <= keys, read - keys
