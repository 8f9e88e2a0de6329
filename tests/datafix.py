"""A small valid data folder to mutate in tests.

    from datafix import make_data_dir, mutate, line_of, load   # tests/ is on sys.path under pytest
    data = make_data_dir(tmp_path)                  # tmp_path/data, a valid catalog (3 models)
    f = data / "models" / "anthropic.yaml"
    mutate(f, 'input: "3.00"', "input: 3.00")       # exact text, must occur once (count= for more)
    result = load(data)                             # load_catalog with today=FIXTURE_TODAY
    assert line_of(f, "input: 3.00") == result.errors[0].line

Paths in problems are relative to tmp_path (the fake repo root): "data/models/anthropic.yaml".
The schemas are copied from the repo's data/schema, so tests exercise the real ones.
"""
import datetime
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE_TODAY = datetime.date(2026, 2, 1)
CHECKED = "2026-01-15"

SITE_YAML = """\
# yaml-language-server: $schema=schema/site.schema.json
brand: Testhub
tagline: One key for test models.
base_url: https://api.testhub.example
routes:
  openai: /v1
  anthropic: /anthropic
key_placeholder: YOUR_TESTHUB_KEY
links:
  dashboard: https://testhub.example/dashboard
  topup: https://testhub.example/top-up
  support: https://testhub.example/support
  status: https://status.testhub.example
pricing:
  currency: USD
  stale_after_days: 120
  families:
    claude:
      name: Claude
      provider: anthropic
      ratio: "0.35"
      label: Listed at 35% of the official price.
    gpt:
      name: GPT
      provider: openai
      ratio: "0.50"
      label: Listed at 50% of the official price.
  overrides:
    - model: claude-old-1
      ratio: "0.50"
      note: Older capacity is scarce.
"""

ANTHROPIC_YAML = """\
# yaml-language-server: $schema=../schema/models.schema.json
provider: anthropic
name: Anthropic
models:
  - slug: claude-test-2
    name: Claude Test 2
    family: claude
    provider_model_id: claude-test-2-20260101
    context_window: 1000000
    max_output: 64000
    status: active
    aliases: [claude-test-2.0]
    prices:
      input: "3.00"
      output: "15.00"
      cache_read: "0.30"
      cache_write_5m: "3.75"
      cache_write_1h: "6.00"
    tiers:
      - above: 200000
        input: "6.00"
        output: "22.50"
        cache_read: "0.60"
      - above: 500000
        input: "9.00"
        output: "30.00"
    source: https://docs.anthropic.example/pricing
    checked: {checked}
    history:
      - until: 2025-06-01
        prices: {{input: "4.00", output: "20.00"}}
        note: launch price
      - until: 2025-10-01
        prices: {{input: "3.50", output: "17.50"}}

  - slug: claude-old-1
    name: Claude Old 1
    family: claude
    provider_model_id: claude-old-1-20240101
    context_window: 200000
    max_output: 8192
    status: deprecated
    deprecated_on: 2026-06-30
    prices:
      input: "15.00"
      output: "75.00"
    source: https://docs.anthropic.example/legacy
    checked: {checked}
"""

OPENAI_YAML = """\
# yaml-language-server: $schema=../schema/models.schema.json
provider: openai
name: OpenAI
models:
  - slug: gpt-test
    name: GPT Test
    family: gpt
    provider_model_id: gpt-test-2026-01-01
    context_window: 400000
    max_output: 128000
    status: preview
    aliases: [gpt-test-latest]
    prices:
      input: "1.25"
      output: "10.00"
      cache_read: "0.125"
    source: https://openai.example/api/pricing
    checked: {checked}
"""


def make_data_dir(tmp_path, checked=CHECKED, errors=None):
    """Write a minimal valid data folder at tmp_path/data and return it. `checked` is every
    model's checked date (pass datetime.date.today().isoformat() for a build with no staleness
    warnings); `errors` maps file names to text for data/errors/ (copied schema included when the
    repo has data/schema/errors.schema.json)."""
    data = Path(tmp_path) / "data"
    (data / "models").mkdir(parents=True)
    (data / "errors").mkdir()
    (data / "schema").mkdir()
    for schema in (REPO / "data" / "schema").glob("*.schema.json"):
        shutil.copy(schema, data / "schema" / schema.name)
    (data / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (data / "models" / "anthropic.yaml").write_text(ANTHROPIC_YAML.format(checked=checked), encoding="utf-8")
    (data / "models" / "openai.yaml").write_text(OPENAI_YAML.format(checked=checked), encoding="utf-8")
    for name, text in (errors or {}).items():
        (data / "errors" / name).write_text(text, encoding="utf-8")
    return data


def mutate(path, old, new, count=1):
    """Replace exact text `old` by `new` in a file; `old` must occur exactly `count` times
    (so a test never silently mutates nothing when the fixture changes)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    assert found == count, f"{old!r} occurs {found} times in {path.name}, expected {count}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path, text, nth=1):
    """1-based line number of the `nth` line of a file containing `text`."""
    hits = [i for i, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), 1) if text in line]
    assert len(hits) >= nth, f"{text!r} is not on {nth} line(s) of {Path(path).name}"
    return hits[nth - 1]


def load(data_dir, today=FIXTURE_TODAY, strict=False):
    """load_catalog with the fixture's fixed `today`."""
    from hooks.data.load import load_catalog
    return load_catalog(Path(data_dir), today=today, strict=strict)


def rel(path, data_dir):
    """The repo-relative path a Problem names for a file in a fixture data folder."""
    return Path(path).relative_to(Path(data_dir).parent).as_posix()


def expect(result, data_dir, file, line, *words, level="error"):
    """The one Problem of `level` in `file` (a path) at `line` whose message has all `words`
    (case-insensitive); fails listing every problem otherwise."""
    path = rel(file, data_dir)
    pool = result.errors if level == "error" else result.warnings
    hits = [p for p in pool if p.path == path and p.line == line
            and all(w.lower() in p.message.lower() for w in words)]
    listing = "\n".join(str(p) for p in result.problems) or "(no problems)"
    assert hits, f"no {level} at {path}:{line} with {words}; got:\n{listing}"
    return hits[0]
