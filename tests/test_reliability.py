"""Issue 12, items 6 to 10: inputs that under-counted, hung, killed the engine or reached git as an
option. The CLI is the installed console script (run from test_cli); the engine is called as the
worker and the CLI call it."""
import json
import subprocess

import pytest

from calculator import api
from calculator.usage import MAX_DEPTH, UsageError, json_depth, parse_usage
from datafix import make_data_dir
from test_cli import REPO, SCRIPT, run

# ---- 6: an object that matches no provider's shape exactly is refused -----------------------------

MIXED = [
    ({"prompt_tokens": 1000, "completion_tokens": 100, "cache_read_input_tokens": 800},
     "OpenAI chat", "cache_read_input_tokens"),
    ({"input_tokens": 10, "output_tokens": 5, "total_tokens": 15, "cache_read_input_tokens": 3},
     "Anthropic", "total_tokens"),
    ({"input_tokens": 10, "output_tokens": 5, "input_tokens_details": {}, "promptTokenCount": 9},
     "OpenAI responses", "promptTokenCount"),
    ({"promptTokenCount": 10, "candidatesTokenCount": 5, "prompt_tokens_details": {"cached_tokens": 4}},
     "Gemini", "prompt_tokens_details"),
]


@pytest.mark.parametrize("obj,shape,extra", MIXED, ids=[m[1] for m in MIXED])
def test_mixed_shape_usage_is_refused_naming_the_keys(obj, shape, extra):
    with pytest.raises(UsageError) as refused:
        parse_usage(json.dumps(obj))
    assert f"read as {shape} usage, but {extra} does not belong" in str(refused.value)
    view = api.usage_view(json.dumps({"usage": obj}))
    assert view["errors"] and extra in view["errors"][0]["message"] and "fields" not in view


def test_mixed_shape_usage_is_refused_by_the_cli():
    r = run("estimate", "--model", "gpt-5-mini", "--usage", "-",
            stdin='{"prompt_tokens":1000,"completion_tokens":100,"cache_read_input_tokens":800}')
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "cache_read_input_tokens does not belong" in r.stderr, r.stderr


def test_deepseek_cache_hits_are_the_cache_read():
    shape, usage = parse_usage({"prompt_tokens": 1000, "completion_tokens": 10, "total_tokens": 1010,
                                "prompt_cache_hit_tokens": 600, "prompt_cache_miss_tokens": 400})
    assert (shape, usage.input, usage.cache_read, usage.output) == ("openai-chat", 1000, 600, 10)


# ---- 7: deep JSON is refused before it is parsed ---------------------------------------------------

def test_deep_json_is_refused_before_parsing():
    deep = "[" * 100_000 + "]" * 100_000
    assert json_depth(deep) == 100_000
    assert json_depth('{"a": "[[[[[[", "b": [1, {"c": 2}]}') == 3, "brackets in strings do not count"
    view = api.usage_view(deep)
    assert view["errors"][0]["message"].startswith(f"that JSON nests more than {MAX_DEPTH} levels deep")
    nested = {"usage": {"prompt_tokens": 5, "completion_tokens": 1}}
    assert api.usage_view(json.dumps(nested))["fields"]["input"] == 5


def test_the_prompt_box_has_a_size_cap():
    assert api.tokens_view("x" * api.MAX_PROMPT_CHARS)["tokens"] == api.MAX_PROMPT_CHARS // 4
    too_big = api.tokens_view("x" * (api.MAX_PROMPT_CHARS + 1))
    assert too_big["errors"][0]["field"] == "prompt" and "more than 2,000,000 characters" in \
        too_big["errors"][0]["message"]


# ---- 8: a revision never reaches git as an option -------------------------------------------------

def _repo(tmp_path):
    repo = tmp_path / "repo"
    data = make_data_dir(repo)
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("add", "data")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "data")
    return data


@pytest.mark.parametrize("rev", ["--output={victim}", "-o{victim}", "--output"])
def test_diff_never_passes_a_revision_to_git_as_an_option(tmp_path, rev):
    data = _repo(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    r = run("diff", "--data", str(data), "--", rev.format(victim=victim))
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "is not a revision" in r.stderr
    assert victim.read_text() == "precious\n"


def test_diff_names_an_unknown_revision_in_one_line(tmp_path):
    data = _repo(tmp_path)
    r = run("diff", "--data", str(data), "no-such-rev")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert "'no-such-rev' is not a revision of this repository" in r.stderr
    assert run("diff", "--data", str(data), "HEAD~0").stdout.strip() == "no price changes since HEAD~0"


# ---- 9: --usage reads at most the limit plus one byte ----------------------------------------------

def test_usage_from_dev_zero_is_refused_at_once():
    r = subprocess.run([str(SCRIPT), "estimate", "--model", "gpt-5-mini", "--usage", "/dev/zero"],
                       capture_output=True, text=True, timeout=30, cwd=REPO)
    assert r.returncode == 2 and "is more than 1,000,000 bytes" in r.stderr, r.stderr


def test_a_large_usage_file_is_refused_without_reading_it_whole(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(50_000_000)     # sparse: 50 MB that cost no disk
    r = run("estimate", "--model", "gpt-5-mini", "--usage", str(big))
    assert r.returncode == 2 and f"{big} is more than 1,000,000 bytes" in r.stderr, r.stderr
    stdin = run("estimate", "--model", "gpt-5-mini", "--usage", "-", stdin="{" + " " * 1_000_001 + "}")
    assert stdin.returncode == 2 and "stdin is more than 1,000,000 bytes" in stdin.stderr


# ---- 10: dates and decimal commas ------------------------------------------------------------------

@pytest.mark.parametrize("at", ["20250601", "2025-W23-1", "2025-W23", "2025-6-1", "2025-06-01T00:00"])
def test_at_takes_only_yyyy_mm_dd(at):
    r = run("estimate", "--model", "gpt-5-mini", "--input", "1000", "--at", at)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"--at: '{at}' is not a date; write it as YYYY-MM-DD" in r.stderr, r.stderr


def test_at_with_a_real_date_still_works():
    r = run("estimate", "--model", "gpt-5-mini", "--input", "1000", "--at", "2025-06-01")
    assert r.returncode == 0 and "prices in force on 2025-06-01" in r.stdout, r.stderr


def test_a_decimal_comma_is_called_one():
    with pytest.raises(api.InputError) as balance:
        api.parse_balance("10,00")
    assert str(balance.value) == "10,00 has a decimal comma: write 10.00"
    assert api.parse_balance("1,250.50") == api.Decimal("1250.50")
    with pytest.raises(api.InputError) as count:
        api.parse_count("input", "10,00")
    assert "decimal comma" in str(count.value) and "write 10" in str(count.value)
    assert api.parse_count("input", "12,000") == 12000
