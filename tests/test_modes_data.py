"""Issue 13, data side: service tiers, residency, peak hours, tool fees and cache storage in
data/models/*.yaml and the gateway's offers in site.yaml load into the catalog dict, round-trip
through calculator.catalog, and mistakes are named at their line."""
from datafix import expect, line_of, load, make_data_dir, mutate

from calculator.catalog import Catalog

PROVIDER_BLOCK = '''\
provider: anthropic
name: Anthropic
modes:
  batch: {multiplier: "0.5", source: https://docs.anthropic.example/batch, checked: 2026-01-15}
residency:
  us: {multiplier: "1.1", source: https://docs.anthropic.example/residency, checked: 2026-01-15}
tools:
  web_search: {per_1000: "10.00", free: none stated, source: https://docs.anthropic.example/tools, checked: 2026-01-15}
'''

MODEL_BLOCK = '''\
    modes:
      fast: {multiplier: "2", source: https://docs.anthropic.example/fast, checked: 2026-01-15}
      priority:
        multiplier: "2"
        long_context: standard
        prices: {cache_read: "0.50"}
        tiers: [{above: 200000, cache_read: "1.00"}]
        source: https://docs.anthropic.example/priority
        checked: 2026-01-15
    time_of_day:
      from: 2026-01-01T00:00Z
      multiplier: "2"
      days: [mon, tue, wed, thu, fri]
      hours_utc: ["01:00-04:00", "06:00-10:00"]
      exceptions: public holidays are off-peak (not modelled)
      source: https://docs.anthropic.example/peak
      checked: 2026-01-15
    cache_storage: {per_hour: "0.50", source: https://docs.anthropic.example/storage, checked: 2026-01-15}
    source: https://docs.anthropic.example/pricing
'''

SITE_BLOCK = '''\
  offers:
    modes:
      batch: {}
      priority: {ratio: "0.60"}
    residency:
      us: {}
  overrides:
'''


def _with_modifiers(tmp_path):
    data = make_data_dir(tmp_path)
    f = data / "models" / "anthropic.yaml"
    mutate(f, "provider: anthropic\nname: Anthropic\n", PROVIDER_BLOCK)
    mutate(f, "    source: https://docs.anthropic.example/pricing\n", MODEL_BLOCK)
    mutate(data / "site.yaml", "  overrides:\n", SITE_BLOCK)
    return data, f


def test_modifiers_load_inherit_and_round_trip(tmp_path):
    data, _ = _with_modifiers(tmp_path)
    result = load(data)
    assert result.errors == []
    d = result.catalog_dict
    by = {m["slug"]: m for m in d["models"]}
    test2, old = by["claude-test-2"], by["claude-old-1"]
    assert sorted(test2["modes"]) == ["batch", "fast", "priority"]      # provider's batch inherited
    assert sorted(old["modes"]) == ["batch"]
    assert old["residency"]["us"]["multiplier"] == "1.1"
    assert test2["time_of_day"]["hours_utc"] == ["01:00-04:00", "06:00-10:00"]
    assert "time_of_day" not in old and "cache_storage" not in old
    assert test2["tools"]["web_search"]["per_1000"] == "10.00"
    assert "modes" not in by["gpt-test"]
    assert d["offers"]["modes"]["priority"] == {"ratio": "0.60"}
    assert Catalog.from_dict(d).to_dict() == d
    m = result.catalog.model("claude-test-2")
    assert str(m.modes["priority"].apply(m.prices.base, None).cache_read) == "0.50"
    assert str(m.modes["priority"].apply(m.prices.tiers[0].rates, 200000).cache_read) == "1.00"
    assert m.cache_storage.price == result.catalog.model("claude-test-2").cache_storage.price


def test_model_entry_false_removes_the_providers(tmp_path):
    data, f = _with_modifiers(tmp_path)
    mutate(f, "    modes:\n      fast:", "    residency: {us: false}\n    modes:\n      batch: false\n      fast:")
    d = load(data).catalog_dict
    test2 = next(m for m in d["models"] if m["slug"] == "claude-test-2")
    assert sorted(test2["modes"]) == ["fast", "priority"] and "residency" not in test2


def test_mode_tier_must_name_a_threshold(tmp_path):
    data, f = _with_modifiers(tmp_path)
    mutate(f, "tiers: [{above: 200000, cache_read", "tiers: [{above: 250000, cache_read")
    result = load(data)
    expect(result, data, f, line_of(f, "above: 250000"), "250000", "thresholds")


def test_mode_needs_a_price(tmp_path):
    data, f = _with_modifiers(tmp_path)
    mutate(f, 'fast: {multiplier: "2", source', "fast: {source")
    expect(load(data), data, f, line_of(f, "fast: {source"), "multiplier")


def test_peak_window_backwards_and_unknown_mode_in_site(tmp_path):
    data, f = _with_modifiers(tmp_path)
    mutate(f, '"06:00-10:00"', '"10:00-06:00"')
    mutate(data / "site.yaml", "      batch: {}\n      priority", "      turbo: {}\n      priority")
    result = load(data)
    messages = " | ".join(p.message for p in result.errors)
    assert "ends before it starts" in messages
    assert "turbo" in messages


def test_multiplier_is_a_quoted_decimal(tmp_path):
    data, f = _with_modifiers(tmp_path)
    mutate(f, 'multiplier: "1.1"', "multiplier: 1.1")
    result = load(data)
    assert any("residency" in p.message or "multiplier" in p.message for p in result.errors)
