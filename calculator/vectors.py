"""Run the golden vectors (tests/vectors/*.json) against this engine; used by pytest in CPython,
by Pyodide under Node and by the built site in Chromium, so all three check the same numbers."""
import json
from decimal import Decimal

from . import api
from .catalog import Catalog
from .display import usd as format_usd
from .usage import UsageError, parse_served, parse_usage


def check(vectors):
    """Failure messages for one vectors document (a dict); [] when everything agrees."""
    failures = []
    catalog = Catalog.from_dict(vectors["catalog"])
    for case in vectors.get("estimates", ()):
        got = api.estimate_view(catalog, case["args"])
        for key, want in case.get("expect_view", {}).items():
            if got.get(key) != want:
                failures.append(f"{case['name']}: {key} is {got.get(key)!r}, expected {want!r}")
        if "expect_error" in case:
            fields = [e["field"] for e in got["errors"]]
            if case["expect_error"] not in fields:
                failures.append(f"{case['name']}: expected an error at {case['expect_error']}, got {got['errors']}")
            continue
        if got["errors"]:
            failures.append(f"{case['name']}: unexpected errors {got['errors']}")
            continue
        summary = got["summary"]
        for key, want in case["expect"].items():
            if summary.get(key) != want:
                failures.append(f"{case['name']}: {key} is {summary[key]}, expected {want}")
    for case in vectors.get("ranks", ()):
        got = api.rank_view(catalog, case["args"])
        rows = [[r["slug"], r["fits"], r["gateway"]["exact"] if r["fits"] else None] for r in got.get("rows", ())]
        if got["errors"] or rows != case["expect"]:
            failures.append(f"{case['name']}: ranked {rows or got['errors']}, expected {case['expect']}")
    for case in vectors.get("display", ()):
        got = format_usd(Decimal(case["amount"]))
        if got != case["expect"]:
            failures.append(f"display {case['amount']}: {got}, expected {case['expect']}")
    for case in vectors.get("usage", ()):
        shape, usage = parse_usage(case["usage"])
        got = {"shape": shape, **usage.to_dict()}
        if got != case["expect"]:
            failures.append(f"{case['name']}: {got}, expected {case['expect']}")
    for case in vectors.get("served", ()):
        try:
            got = parse_served(case["usage"])
        except UsageError as err:
            if case.get("expect_error", "\0") not in str(err):
                failures.append(f"{case['name']}: error {err}, expected {case.get('expect_error') or case['expect']}")
            continue
        if "expect_error" in case or got != case["expect"]:
            failures.append(f"{case['name']}: {got}, expected {case.get('expect_error') or case['expect']}")
    for case in vectors.get("cache", ()):
        failures.extend(_check_cache(catalog, case))
    return failures


def _check_cache(catalog, case):
    """One cache-economics case: `expect` holds top-level keys of api.cache_view (answer, best,
    ...) and `rows`: {option key: {field: value}}, where a money field compares its exact string."""
    got = api.cache_view(catalog, case["args"])
    if "expect_error" in case:
        fields = [e["field"] for e in got["errors"]]
        return [] if case["expect_error"] in fields else [f"{case['name']}: expected an error at "
                                                          f"{case['expect_error']}, got {got['errors']}"]
    if got["errors"]:
        return [f"{case['name']}: unexpected errors {got['errors']}"]
    failures = []
    rows = {r["key"]: r for r in got["rows"]}
    for key, want in case["expect"].items():
        if key != "rows" and got.get(key) != want:
            failures.append(f"{case['name']}: {key} is {got.get(key)!r}, expected {want!r}")
    want_rows = case["expect"].get("rows", {})
    if sorted(want_rows) != sorted(rows):
        failures.append(f"{case['name']}: options {sorted(rows)}, expected {sorted(want_rows)}")
    for key, fields in want_rows.items():
        for name, want in fields.items():
            value = rows.get(key, {}).get(name)
            value = value["exact"] if isinstance(value, dict) else value
            if value != want:
                failures.append(f"{case['name']}: {key} {name} is {value!r}, expected {want!r}")
    return failures


def count(vectors):
    return sum(len(vectors.get(k, ())) for k in ("estimates", "ranks", "display", "usage", "served", "cache"))


def run_vectors(path):
    with open(path, encoding="utf-8") as fh:
        return check(json.load(fh))
