"""Loading and validating data/: one test per kind of mistake, each a small mutation of a valid
fixture folder (tests/datafix.py), asserting the file, the line and the words of the message."""
import datetime
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from calculator.catalog import Catalog
from datafix import REPO, expect, line_of, load, make_data_dir, mutate
from hooks.data.load import load_catalog
from hooks.data.yamlfile import load_yaml


@pytest.fixture
def data(tmp_path):
    return make_data_dir(tmp_path)


@pytest.fixture
def anthropic(data):
    return data / "models" / "anthropic.yaml"


@pytest.fixture
def openai(data):
    return data / "models" / "openai.yaml"


@pytest.fixture
def site(data):
    return data / "site.yaml"


def check(data, file, old, new, *words, line_text=None, count=1, **kw):
    """Mutate, load, and expect an error on the line holding `line_text` (default: `new`'s
    first line)."""
    mutate(file, old, new, count=count)
    result = load(data, **kw)
    line = line_of(file, line_text if line_text is not None else new.split("\n")[0].strip())
    problem = expect(result, data, file, line, *words)
    assert result.catalog is None
    return result, problem


# -- the valid fixture and the real data ----------------------------------------------------------

def test_fixture_is_valid_and_round_trips(data):
    result = load(data)
    assert result.problems == []
    assert result.catalog is not None
    d = result.catalog_dict
    assert Catalog.from_dict(d).to_dict() == d
    m = {m["slug"]: m for m in d["models"]}
    assert m["claude-test-2"]["file"] == "data/models/anthropic.yaml"
    assert m["claude-test-2"]["provider"] == "anthropic" and m["claude-test-2"]["provider_name"] == "Anthropic"
    assert m["claude-test-2"]["prices"]["input"] == "3.00"          # text, never a float
    assert m["claude-test-2"]["checked"] == "2026-01-15"            # ISO text, not datetime.date
    assert m["claude-test-2"]["history"][0]["until"] == "2025-06-01"
    assert m["claude-old-1"]["deprecated_on"] == "2026-06-30"
    assert d["site"]["brand"] == "Testhub" and d["site"]["stale_after_days"] == 120
    assert "pricing" not in d["site"]
    assert d["families"]["claude"]["ratio"] == "0.35"
    assert d["overrides"][0]["model"] == "claude-old-1"
    assert str(result.catalog.model("claude-old-1").ratio) == "0.50"
    assert result.catalog.model("claude-test-2.0").slug == "claude-test-2"


def test_real_data_loads_with_zero_errors():
    assert len(list((REPO / "data" / "models").glob("*.yaml"))) >= 5
    result = load_catalog(REPO / "data")
    assert result.errors == [], "\n".join(map(str, result.errors))
    assert result.catalog is not None
    assert Catalog.from_dict(result.catalog_dict).to_dict() == result.catalog_dict
    assert all(m["file"].startswith("data/models/") for m in result.catalog_dict["models"])


def test_errors_files_are_collected_with_their_file(data):
    (data / "schema" / "errors.schema.json").unlink(missing_ok=True)   # absent: not schema-checked
    target = data / "errors" / "rate-limit.yaml"
    # the cross-file rules (hooks/data/rules/errors_yaml.py) still run: an example for each route keeps them quiet
    target.write_text("# yaml-language-server: $schema=../schema/errors.schema.json\ntitle: Rate limits\n"
                      "examples: [{route: openai}, {route: anthropic}]\n")
    result = load(data)
    assert result.errors == [], "\n".join(map(str, result.errors))
    assert result.catalog_dict["errors"] == [{"title": "Rate limits", "examples": [{"route": "openai"},
                                                                                   {"route": "anthropic"}],
                                              "file": "data/errors/rate-limit.yaml"}]
    assert result.catalog.errors[0]["file"] == "data/errors/rate-limit.yaml"


def test_errors_files_are_schema_checked_when_the_schema_exists(data):
    assert (data / "schema" / "errors.schema.json").exists()
    target = data / "errors" / "rate-limit.yaml"
    target.write_text("# yaml-language-server: $schema=../schema/errors.schema.json\nnot_a_field: 1\n")
    result = load(data)
    assert any(p.path == "data/errors/rate-limit.yaml" for p in result.errors)
    assert result.catalog is None


# -- YAML syntax --------------------------------------------------------------------------------

def test_bad_indentation(data, anthropic):
    check(data, anthropic, "    provider_model_id: claude-old-1-20240101",
          "   provider_model_id: claude-old-1-20240101", "indentation")


def test_unclosed_quote(data, anthropic):
    _, p = check(data, anthropic, 'output: "15.00"', 'output: "15.00', "quoted", "never closed")
    assert p.col == len('      output: ') + 1


def test_tab_indentation(data, openai):
    _, p = check(data, openai, "      output:", "\t  output:", "tab", "spaces", line_text="\t  output:")
    assert p.col == 1


def test_duplicate_key_names_both_lines(data, openai):
    mutate(openai, '      output: "10.00"\n', '      output: "10.00"\n      input: "2.00"\n')
    result = load(data)
    first, second = line_of(openai, 'input: "1.25"'), line_of(openai, 'input: "2.00"')
    expect(result, data, openai, second, "duplicate key 'input'", f"line {first}", f"line {second}")


def test_second_document_is_refused(data, openai):
    mutate(openai, "provider: openai\n", "provider: openai\n---\n")
    result = load(data)
    expect(result, data, openai, line_of(openai, "---"), "second YAML document")


# -- schema: fields and types -----------------------------------------------------------------

def test_unknown_field_with_hint(data, anthropic):
    check(data, anthropic, '      output: "75.00"', '      outptu: "75.00"',
          "unknown field 'outptu'", "did you mean 'output'", "claude-old-1")


def test_unknown_top_level_field(data, site):
    check(data, site, "brand: Testhub", "brnad: Testhub", "unknown field 'brnad'", "did you mean 'brand'")


def test_missing_required_field(data, openai):
    mutate(openai, "    provider_model_id: gpt-test-2026-01-01\n", "")
    result = load(data)
    expect(result, data, openai, line_of(openai, "- slug: gpt-test"),
           "missing required field 'provider_model_id'", "gpt-test")


def test_missing_required_output_price_points_at_prices(data, anthropic):
    mutate(anthropic, '      output: "75.00"\n', "")
    result = load(data)
    expect(result, data, anthropic, line_of(anthropic, "prices:", nth=4),
           "missing required field 'output'", "prices", "claude-old-1")


def test_wrong_type(data, openai):
    check(data, openai, "context_window: 400000", "context_window: 400k",
          "context_window", "whole number", '"400k"')


def test_wrong_type_list_for_mapping(data, openai):
    check(data, openai, "    aliases: [gpt-test-latest]", "    aliases: gpt-test-latest",
          "aliases", "expected a list")


def test_enum_with_hint(data, openai):
    check(data, openai, "status: preview", "status: previwe", "status", "not one of", "did you mean 'preview'")


# -- prices ------------------------------------------------------------------------------------

def test_unquoted_float_price(data, anthropic):
    check(data, anthropic, 'input: "3.00"', "input: 3.10", "prices.input", "unquoted number", 'quote it, like "3.10"')


def test_unquoted_int_price(data, anthropic):
    check(data, anthropic, 'output: "15.00"', "output: 15", "unquoted number", 'like "15.00"')


def test_price_with_currency_sign(data, openai):
    check(data, openai, 'output: "10.00"', 'output: "$10"', "currency sign", '"10"')


def test_price_as_words(data, openai):
    check(data, openai, 'output: "10.00"', 'output: "ten dollars"', "currency", line_text="ten dollars")
    mutate(openai, 'output: "ten dollars"', 'output: "ten"')
    result = load(data)
    expect(result, data, openai, line_of(openai, '"ten"'), "price", "not a number", '"3.00"')


def test_negative_price(data, anthropic):
    check(data, anthropic, 'cache_read: "0.30"', 'cache_read: "-0.30"', "prices.cache_read", "negative")


def test_negative_unquoted_price(data, anthropic):
    check(data, anthropic, 'cache_read: "0.30"', "cache_read: -0.30", "negative")


def test_absurdly_huge_price(data, anthropic):
    check(data, anthropic, 'input: "9.00"', 'input: "3000000"', "tiers[1].input", "absurdly large", "1,000,000")


def test_price_with_too_many_decimals(data, openai):
    check(data, openai, 'cache_read: "0.125"', 'cache_read: "0.1234567890123"', "plain decimal", "12 decimals")


def test_cache_read_above_input(data, anthropic):
    check(data, anthropic, 'cache_read: "0.30"', 'cache_read: "3.30"', "cache_read", "above input", '"3.00"')


def test_cache_read_above_input_in_a_tier(data, anthropic):
    check(data, anthropic, 'cache_read: "0.60"', 'cache_read: "6.60"', "tiers[0].cache_read", "above input")


def test_cache_write_above_input_is_allowed(data, anthropic):
    mutate(anthropic, 'cache_write_1h: "6.00"', 'cache_write_1h: "9.00"')
    assert load(data).errors == []


# -- tiers -------------------------------------------------------------------------------------

def test_tiers_not_ascending(data, anthropic):
    check(data, anthropic, "above: 500000", "above: 150000", "strictly ascending", "150000", "200000")


def test_tier_duplicated(data, anthropic):
    mutate(anthropic, "above: 500000", "above: 200000")
    result = load(data)
    first, second = line_of(anthropic, "above: 200000"), line_of(anthropic, "above: 200000", nth=2)
    expect(result, data, anthropic, second, "tiers[1].above", "duplicate tier", "200000", f"line {first}")


# -- ratios ------------------------------------------------------------------------------------

@pytest.mark.parametrize("ratio,words", [
    ('"0"', ("greater than 0", "at most 1")),
    ('"1.5"', ("out of range", "at most 1")),
    ('"-0.2"', ("negative",)),
    ("0.35", ("unquoted number", '"0.35"')),
    ('"35%"', ("not a number",)),
])
def test_ratio_out_of_range_or_unquoted(data, site, ratio, words):
    check(data, site, 'ratio: "0.35"', f"ratio: {ratio}", "pricing.families.claude.ratio", *words)


def test_ratio_one_is_allowed(data, site):
    mutate(site, 'ratio: "0.35"', 'ratio: "1"')
    assert load(data).errors == []


def test_override_ratio_out_of_range(data, site):
    check(data, site, 'ratio: "0.50"\n      note', 'ratio: "2"\n      note', "pricing.overrides[0].ratio",
          "out of range", line_text='ratio: "2"')


# -- dates -------------------------------------------------------------------------------------

def test_checked_in_the_future(data, openai):
    check(data, openai, "checked: 2026-01-15", "checked: 2026-05-01", "checked", "in the future", "2026-02-01")


def test_checked_not_a_real_date(data, openai):
    check(data, openai, "checked: 2026-01-15", "checked: 2026-02-30", "checked", "not a real date", "2026-02-30")


def test_checked_not_a_date(data, openai):
    check(data, openai, "checked: 2026-01-15", "checked: last week", "checked", "YYYY-MM-DD", '"last week"')


def test_history_until_not_ascending(data, anthropic):
    check(data, anthropic, "until: 2025-10-01", "until: 2025-05-01", "history[1].until", "oldest first",
          "2025-05-01", "2025-06-01")


def test_history_until_after_checked(data, anthropic):
    check(data, anthropic, "until: 2025-10-01", "until: 2026-01-20", "after checked")


def test_stale_price_is_a_warning(data, openai):
    result = load(data, today=datetime.date(2026, 12, 6))
    assert result.errors == [] and result.catalog is not None
    p = expect(result, data, openai, line_of(openai, "checked:"), "last checked 2026-01-15, 325 days ago",
               "limit is 120 days", level="warning")
    assert str(p).startswith(f"data/models/openai.yaml:{p.line}:{p.col}: warning: ")
    assert len(result.warnings) == 3


def test_stale_price_is_an_error_when_strict(data, openai):
    result = load(data, today=datetime.date(2026, 12, 6), strict=True)
    expect(result, data, openai, line_of(openai, "checked:"), "325 days ago", "limit is 120 days")
    assert result.catalog is None


def test_not_stale_at_the_limit(data):
    assert load(data, today=datetime.date(2026, 1, 15) + datetime.timedelta(days=120)).warnings == []


# -- deprecation -------------------------------------------------------------------------------

def test_retired_without_retires_on(data, anthropic):
    mutate(anthropic, "    status: deprecated\n", "    status: retired\n")
    result = load(data)
    expect(result, data, anthropic, line_of(anthropic, "status: retired"), "retired", "retires_on",
           "claude-old-1")


def test_active_after_its_retirement_date_is_a_warning(data, openai):
    mutate(openai, "    status: preview\n", "    status: preview\n    retires_on: 2026-01-15\n")
    result = load(data)   # dated 2026-02-01
    (warning,) = [p for p in result.warnings if "retired on 2026-01-15" in p.message]
    assert warning.line == line_of(openai, "status: preview") and "write status: retired" in warning.message
    assert result.catalog.model("gpt-test").status_on("2026-01-15") == "retired"
    assert result.catalog.model("gpt-test").status_on("2026-01-14") == "preview"


def test_lifecycle_dates_in_order(data, openai):
    mutate(openai, "    status: preview\n", "    status: preview\n    released: 2026-08-01\n    retires_on: 2026-06-30\n")
    result = load(data)
    expect(result, data, openai, line_of(openai, "retires_on: 2026-06-30"), "before released 2026-08-01")


def test_replacement_must_be_a_slug_of_the_catalog(data, openai):
    mutate(openai, "    status: preview\n", "    status: preview\n    replacement: gpt-nope\n")
    result = load(data)
    expect(result, data, openai, line_of(openai, "replacement: gpt-nope"), "gpt-nope", "not the slug")


def test_scheduled_prices_after_the_history(data, anthropic):
    text = anthropic.read_text()
    assert "  - until: 2025-06-01\n" in text
    mutate(anthropic, "    history:\n", '    scheduled:\n      - from: 2025-05-01\n        prices: {input: "4.00", output: "16.00"}\n    history:\n')
    result = load(data)
    expect(result, data, anthropic, line_of(anthropic, "from: 2025-05-01"), "not after 2025-10-01", "scheduled")


# -- slugs, aliases, families, overrides, provider --------------------------------------------

def test_slug_not_url_safe(data, openai):
    check(data, openai, "- slug: gpt-test", "- slug: GPT_Test", "not URL-safe", "lowercase")


def test_slug_starting_with_a_dot(data, openai):
    check(data, openai, "- slug: gpt-test", "- slug: .gpt-test", "not URL-safe", "starts with a letter or digit")


def test_alias_not_url_safe(data, openai):
    check(data, openai, "[gpt-test-latest]", '["gpt test"]', "aliases[0]", "not URL-safe")


def test_duplicate_slug_across_files_names_both_places(data, anthropic, openai):
    mutate(openai, "- slug: gpt-test", "- slug: claude-old-1")
    result = load(data)
    first = line_of(anthropic, "- slug: claude-old-1")
    expect(result, data, openai, line_of(openai, "- slug: claude-old-1"), "duplicate slug 'claude-old-1'",
           f"data/models/anthropic.yaml:{first}:")


def test_alias_equal_to_another_models_slug(data, anthropic, openai):
    mutate(openai, "[gpt-test-latest]", "[claude-test-2]")
    result = load(data)
    expect(result, data, openai, line_of(openai, "aliases:"), "alias 'claude-test-2'", "slug",
           f"data/models/anthropic.yaml:{line_of(anthropic, '- slug: claude-test-2')}:")


def test_duplicate_alias_across_files(data, anthropic, openai):
    mutate(openai, "[gpt-test-latest]", "[claude-test-2.0]")
    result = load(data)
    expect(result, data, openai, line_of(openai, "aliases:"), "alias 'claude-test-2.0'", "already an alias",
           f"data/models/anthropic.yaml:{line_of(anthropic, 'aliases:')}:")


def test_family_not_in_site(data, openai):
    check(data, openai, "family: gpt", "family: gtp", "'gtp' is not a family", "site.yaml", "did you mean 'gpt'")


def test_override_naming_a_missing_model(data, site):
    check(data, site, "- model: claude-old-1", "- model: claude-old-2", "claude-old-2", "not the slug of any model",
          "did you mean 'claude-old-1'")


def test_override_naming_an_alias(data, site):
    check(data, site, "- model: claude-old-1", "- model: claude-test-2.0", "alias of claude-test-2")


def test_provider_header_not_matching_file_name(data, openai):
    check(data, openai, "provider: openai", "provider: open-ai", "does not match the file name openai.yaml")


# -- URLs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://openai.example/api/pricing", "javascript:alert(1)", "ftp://x.example/a"])
def test_source_must_be_https(data, openai, url):
    check(data, openai, "source: https://openai.example/api/pricing", f"source: {url}", "source", "https://",
          "not allowed")


def test_site_link_must_be_https(data, site):
    check(data, site, "support: https://testhub.example/support", "support: http://testhub.example/support",
          "links.support", "https://")


# -- files that are not YAML data -----------------------------------------------------------------

def test_empty_file(data, openai):
    openai.write_text("# yaml-language-server: $schema=../schema/models.schema.json\n\n")
    result = load(data)
    expect(result, data, openai, 1, "empty")


def test_top_level_not_a_mapping(data, openai):
    openai.write_text("- just\n- a list\n")
    result = load(data)
    expect(result, data, openai, 1, "expected a mapping")


def test_not_utf8(data, openai):
    openai.write_bytes(openai.read_text().replace("name: GPT Test", "name: GPT T\xe9st").encode("latin-1"))
    result = load(data)
    p = expect(result, data, openai, line_of_bytes(openai, b"GPT T"), "not UTF-8", "0xE9")
    assert p.col == len(b"    name: GPT T") + 1


def line_of_bytes(path, needle):
    return next(i for i, line in enumerate(path.read_bytes().split(b"\n"), 1) if needle in line)


def test_binary_file(data, openai):
    openai.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = load(data)
    expect(result, data, openai, 3, "binary file")   # the NUL byte is on the third line


def test_alias_bomb_is_refused_fast(data, openai):
    bomb = ['lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    openai.write_text(openai.read_text() + "\n".join(bomb) + "\n")
    start = time.perf_counter()
    result = load(data)
    assert time.perf_counter() - start < 5
    expect(result, data, openai, line_of(openai, "b: &b"), "aliases", "not allowed", "write the value out")


def test_file_over_1mb_is_refused_before_parsing(data, openai):
    openai.write_text(openai.read_text() + "# padding\n" * 120_000)
    start = time.perf_counter()
    result = load(data)
    assert time.perf_counter() - start < 5
    expect(result, data, openai, 1, "limit is 1,000,000 bytes")


def test_control_character(data, openai):
    check(data, openai, "name: GPT Test", "name: GPT\x07Test", "U+0007", "not allowed", line_text="name: GPT\x07")


def test_missing_schema_line_is_a_warning(data, openai):
    mutate(openai, "# yaml-language-server: $schema=../schema/models.schema.json\n", "")
    result = load(data)
    assert result.errors == []
    expect(result, data, openai, 1, "yaml-language-server", level="warning")


def test_missing_site_file(data, site):
    site.unlink()
    result = load(data)
    expect(result, data, site, 1, "cannot read")


# -- every mistake in one run, never a traceback -----------------------------------------------------

def test_every_mistake_from_every_file_in_one_run(data, site, anthropic, openai):
    mutate(site, "brand: Testhub", "brnad: Testhub")
    mutate(anthropic, 'input: "3.00"', "input: 3.00")
    mutate(anthropic, "above: 500000", "above: 100000")
    mutate(openai, "status: preview", "status: beta")
    mutate(openai, "checked: 2026-01-15", "checked: 2026-13-01")
    result = load(data)
    assert result.catalog is None
    places = {(p.path, p.line) for p in result.errors}
    assert places >= {
        ("data/site.yaml", line_of(site, "brnad")),
        ("data/models/anthropic.yaml", line_of(anthropic, "input: 3.00")),
        ("data/models/anthropic.yaml", line_of(anthropic, "above: 100000")),
        ("data/models/openai.yaml", line_of(openai, "status: beta")),
        ("data/models/openai.yaml", line_of(openai, "checked: 2026-13-01")),
    }
    assert len(set(map(str, result.problems))) == len(result.problems), "one line per problem"


def test_one_mistake_one_message(data, anthropic):
    mutate(anthropic, 'input: "3.00"', 'input: "$3"')
    assert len(load(data).problems) == 1


def test_where_points_at_values_and_falls_back_to_parents(data, anthropic):
    doc, problems = load_yaml(anthropic, "data/models/anthropic.yaml")
    assert problems == []
    assert doc.where(("models", 0, "prices", "input")) == (line_of(anthropic, 'input: "3.00"'), 14)
    assert doc.where(("models", 0, "history", 0, "prices", "output")) == (
        line_of(anthropic, 'input: "4.00"'), line_of_col(anthropic, '"20.00"'))
    assert doc.where(("models", 0, "prices", "nope")) == doc.where(("models", 0, "prices"))
    assert doc.key_where(("models", 0, "prices")) == (line_of(anthropic, "prices:"), 5)
    assert doc.source(("models", 0, "context_window")) == "1000000" and not doc.quoted(("models", 0, "slug"))
    assert doc.quoted(("models", 0, "prices", "input"))


def line_of_col(path, text):
    line = next(line for line in path.read_text().split("\n") if text in line)
    return line.index(text) + 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["", "\t", ":", '"', "'", "- ", "&a ", "*a",
                                                                     "{", "]", "\n  ", "\x00", "\xff", "!!x ",
                                                                     "? ", "<<: ", "---\n", "~", "1e3"]))
@example(pos=4006, junk="? ")   # found by this test: an alias list holding a mapping made the loader raise
def test_never_raises_on_damaged_files(tmp_path_factory, pos, junk):
    data = make_data_dir(tmp_path_factory.mktemp("fuzz"))
    target = data / "models" / "anthropic.yaml"
    text = target.read_text()
    pos %= len(text)
    target.write_text(text[:pos] + junk + text[pos:])
    result = load(data)
    for p in result.problems:
        assert p.line >= 1 and p.col >= 1 and p.message
    assert (result.catalog is None) == bool(result.errors)


def test_misspelt_required_field_is_one_message(data, openai):
    mutate(openai, "    prices:\n", "    price:\n")
    result = load(data)
    assert len(result.problems) == 1
    expect(result, data, openai, line_of(openai, "price:"), "unknown field 'price'", "did you mean 'prices'")


def test_error_rules_get_the_error_docs_and_their_problems_are_reported(data, monkeypatch):
    import hooks.data.load
    (data / "schema" / "errors.schema.json").unlink(missing_ok=True)
    (data / "errors" / "auth.yaml").write_text("# yaml-language-server: $schema=../schema/errors.schema.json\n"
                                               "title: Auth\n")
    seen = {}

    def fake(docs, catalog_dict, today):
        seen["docs"] = docs
        seen["slugs"] = [m["slug"] for m in catalog_dict["models"]]
        return [docs[0].problem(("title",), "title: made-up rule")]

    monkeypatch.setattr(hooks.data.load, "check_errors", fake)
    result = load(data)
    assert [d.path for d in seen["docs"]] == ["data/errors/auth.yaml"] and seen["docs"][0].data["title"] == "Auth"
    assert "gpt-test" in seen["slugs"]
    expect(result, data, data / "errors" / "auth.yaml", 2, "made-up rule")

    monkeypatch.setattr(hooks.data.load, "check_errors", lambda docs, d: 1 / 0)
    result = load(data)
    assert any("internal error in the error-page checks" in p.message for p in result.errors)


@pytest.mark.parametrize("name", ["site.schema.json", "models.schema.json"])
def test_schemas_are_editor_friendly(name):
    import json

    import jsonschema
    schema = json.loads((REPO / "data" / "schema" / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema" and schema["title"]

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, f"{where}: additionalProperties"
            for key, prop in node.get("properties", {}).items():
                assert prop.get("title") and prop.get("description"), f"{where}.{key}: title/description"
            for key, value in node.items():
                if key not in ("enum", "const", "examples", "if", "not"):   # conditions, not fields
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")
    walk(schema, name)


def test_data_files_reference_their_schema():
    files = [REPO / "data" / "site.yaml", *sorted((REPO / "data" / "models").glob("*.yaml"))]
    for f in files:
        first = f.read_text().split("\n", 1)[0]
        assert first.startswith("# yaml-language-server: $schema="), f
        assert (f.parent / first.split("=", 1)[1]).resolve().exists(), f


def test_yaml_1_2_scalars_like_the_editor(data, openai):
    # `no`/`yes`/`on` are text (YAML 1.2, as the editor reads it), not booleans; only true/false are
    mutate(openai, "name: GPT Test", "name: no")
    assert load(data).errors == []
    mutate(openai, "name: no", "name: true")
    result = load(data)
    expect(result, data, openai, line_of(openai, "name: true"), "expected text", "true", 'quote it ("true")')


def test_unquoted_number_where_text_is_expected(data, openai):
    check(data, openai, "provider_model_id: gpt-test-2026-01-01", "provider_model_id: 5.1",
          "provider_model_id", "expected text", "the unquoted number 5.1", 'quote it ("5.1")')


def test_underscored_number_is_text_like_in_the_editor(data, openai):
    check(data, openai, "context_window: 400000", "context_window: 400_000", "whole number", '"400_000"')


@pytest.mark.parametrize("schema", [
    {"type": "strin"}, {"properties": {"a": {"minLength": -1}}}, {"pattern": "("}, {"$defs": {"x": {"type": 5}}},
    {"items": {"required": "x"}}, {"properties": {"a": {"items": {"enum": 3}}}}, {"allOf": [{"maxItems": "3"}]},
    {"properties": {"a": {"$ref": 5}}}, {"additionalProperties": 3}, {"required": ["a", "a"]}, {"anyOf": []},
    {"type": "object", "properties": {"a": {"type": ["string", "null"]}}, "x-message": "custom"}, True,
    {"$schema": "http://json-schema.org/draft-07/schema#", "type": "strin"},
])
def test_schema_check_agrees_with_jsonschema(schema):
    import jsonschema

    from hooks.data.schema import check_schema
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
        expected = None
    except jsonschema.SchemaError as exc:
        expected = exc.message
    try:
        check_schema(schema)
        got = None
    except jsonschema.SchemaError as exc:
        got = exc.message
    assert got == expected


def test_every_data_schema_passes_the_schema_check():
    import json
    from hooks.data.schema import check_schema
    paths = sorted((REPO / "data" / "schema").glob("*.schema.json"))
    assert {p.name for p in paths} >= {"site.schema.json", "models.schema.json", "errors.schema.json",
                                       "topics.schema.json"}, "the loop found the schemas"
    for path in paths:
        check_schema(json.loads(path.read_text()))
