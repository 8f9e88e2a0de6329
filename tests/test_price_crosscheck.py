"""Cross-check the catalog's official prices against genai-prices (pinned dev dependency).

Every model in data/models/*.yaml whose provider_model_id genai-prices knows is priced at a small
workload, one token bucket at a time, both from our YAML (Decimal, our billing semantics) and with
genai_prices.calc_price. Each difference must be listed in EXPLAINED; an entry in EXPLAINED that no
longer differs is an error too, and so is a model genai-prices does not know that is missing from
UNKNOWN_TO_GENAI_PRICES (or listed there while genai-prices does know it).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import genai_prices
import yaml
from genai_prices import Usage
from genai_prices.data_snapshot import get_snapshot

from calculator.buckets import PRICE_FIELDS

MODELS_DIR = Path(__file__).resolve().parent.parent / "data" / "models"

# Our provider ids -> genai-prices provider ids.
GENAI_PROVIDER = {
    "anthropic": "anthropic",
    "openai": "openai",
    "zai": "zai",
    "deepseek": "deepseek",
    "google": "google",
}

# Tokens per bucket: far below every context tier, so base rates are compared.
TOKENS = 1000
PER = Decimal(1_000_000)

BUCKETS = PRICE_FIELDS

_OPENAI_CACHE_WRITE = (
    "OpenAI's 30-minute cache writes (1.25x input) are listed as cache_write_5m, the short-retention "
    "bucket; genai-prices has one write rate, while OpenAI publishes no 1-hour rate, so our "
    "long-retention bucket bills at input (see openai.yaml)"
)

# (slug, bucket) -> why our figure differs from genai-prices 0.2.3.
EXPLAINED: dict[tuple[str, str], str] = {
    **{
        (slug, bucket): _OPENAI_CACHE_WRITE
        for slug in (
            "gpt-6-astra",
            "gpt-6.1-sol",
            "gpt-6-sol",
            "gpt-6.1-terra",
            "gpt-6-luna",
            "gpt-5.6-sol",
            "gpt-5.6-terra",
            "gpt-5.6-luna",
        )
        for bucket in ("cache_write_1h",)
    },
}

# slug -> why genai-prices 0.2.3 cannot be compared.
UNKNOWN_TO_GENAI_PRICES: dict[str, str] = {
    "gemini-4-carbon": "released 2026-11-10, after genai-prices 0.2.3",
}


def _load_catalog() -> list[tuple[str, dict]]:
    models = []
    for path in sorted(MODELS_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for model in doc["models"]:
            models.append((doc["provider"], model))
    return models


def _price(value: object) -> Decimal:
    assert isinstance(value, str), f"price {value!r} must be a quoted string"
    return Decimal(value)


def _ours(prices: dict, bucket: str) -> Decimal:
    """Our cost of TOKENS tokens in one bucket; an unpriced bucket bills at the input rate."""
    rate = _price(prices[bucket]) if bucket in prices else _price(prices["input"])
    return rate * TOKENS / PER


def _usage(bucket: str) -> Usage:
    n = TOKENS
    if bucket == "input":
        return Usage(input_tokens=n)
    if bucket == "output":
        return Usage(output_tokens=n)
    if bucket == "cache_read":
        return Usage(input_tokens=n, cache_read_tokens=n)
    if bucket == "cache_write_5m":
        return Usage(input_tokens=n, cache_write_tokens=n, cache_write_5m_tokens=n)
    if bucket == "cache_write_1h":
        return Usage(input_tokens=n, cache_write_tokens=n, cache_write_1h_tokens=n)
    raise AssertionError(bucket)


def _when(checked: object) -> datetime:
    # Midday UTC on the day we checked the official page: off-peak for DeepSeek's time-of-day
    # billing, and the price genai-prices had in force that day.
    assert isinstance(checked, date), f"checked {checked!r} must be a YAML date"
    return datetime.combine(checked, time(12, 0), tzinfo=UTC)


def _genai_model(provider: str, provider_model_id: str):
    try:
        _, model = get_snapshot().find_provider_model(
            provider_model_id, None, GENAI_PROVIDER[provider], None
        )
    except LookupError:
        return None
    return model


def _compare() -> tuple[dict[tuple[str, str], str], set[str]]:
    differences: dict[tuple[str, str], str] = {}
    unknown: set[str] = set()
    for provider, model in _load_catalog():
        slug = model["slug"]
        genai_model = _genai_model(provider, model["provider_model_id"])
        if genai_model is None:
            unknown.add(slug)
            continue
        for bucket in BUCKETS:
            ours = _ours(model["prices"], bucket)
            theirs = genai_prices.calc_price(
                _usage(bucket),
                model["provider_model_id"],
                provider_id=GENAI_PROVIDER[provider],
                genai_request_timestamp=_when(model["checked"]),
            ).total_price
            if ours != theirs:
                differences[(slug, bucket)] = (
                    f"{slug} {bucket}: ours {ours} vs genai-prices {theirs} "
                    f"(genai model {genai_model.id!r}, {TOKENS} tokens)"
                )
    return differences, unknown


def test_catalog_is_not_empty():
    assert len(_load_catalog()) >= 25


def test_prices_match_genai_prices_or_are_explained():
    differences, _ = _compare()
    unexplained = [msg for key, msg in sorted(differences.items()) if key not in EXPLAINED]
    stale = sorted(key for key in EXPLAINED if key not in differences)
    problems = []
    if unexplained:
        problems.append("unexplained differences:\n  " + "\n  ".join(unexplained))
    if stale:
        problems.append("EXPLAINED entries that no longer differ:\n  " + "\n  ".join(map(str, stale)))
    assert not problems, "\n".join(problems)


def test_models_unknown_to_genai_prices_are_listed():
    _, unknown = _compare()
    assert unknown == set(UNKNOWN_TO_GENAI_PRICES), (
        f"not in genai-prices but not listed: {sorted(unknown - set(UNKNOWN_TO_GENAI_PRICES))}; "
        f"listed but genai-prices knows them: {sorted(set(UNKNOWN_TO_GENAI_PRICES) - unknown)}"
    )
