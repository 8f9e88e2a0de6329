"""The `pricebook` console script: check, estimate, compare, diff, errors; exit codes and messages."""
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from datafix import make_data_dir, mutate
from hooks.cli import main

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SCRIPT = Path(sys.executable).parent / "pricebook"


def run(*args, stdin=None, cwd=REPO):
    """The installed console script, as a maintainer runs it."""
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "hooks.cli"]
    return subprocess.run(cmd + list(args), input=stdin, capture_output=True, text=True, cwd=cwd, timeout=60)


def cli(capsys, *args):
    """In process (fast): (exit code, stdout, stderr)."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_passes_on_the_default_data():
    r = run("check")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: ") and " models in 5 files" in r.stdout
    assert int(r.stdout.split()[1]) >= 25


def test_check_names_every_mistake_with_file_and_line(tmp_path):
    data = make_data_dir(tmp_path)
    mutate(data / "models" / "openai.yaml", 'input: "1.25"', "input: 1.25")
    mutate(data / "site.yaml", 'ratio: "0.35"', 'ratio: "1.5"')
    r = run("check", "--data", str(data))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert any(l.startswith("data/models/openai.yaml:") and "quote it" in l for l in lines)
    assert any(l.startswith("data/site.yaml:") and "ratio" in l for l in lines)
    assert lines[-1].startswith("pricebook: 2 problem(s)")


def _project_copy(tmp_path):
    """data/ and docs/ side by side, as in the repository."""
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    return tmp_path / "data"


def test_check_finds_what_only_the_site_knows(tmp_path, capsys):
    data = _project_copy(tmp_path)
    topics = data / "topics.yaml"
    line = topics.read_text().splitlines().index("    page: pricing/tracker.md") + 1
    mutate(topics, "    page: pricing/tracker.md", "    page: pricing/traker.md")
    slug_file = data / "models" / "zai.yaml"
    text = slug_file.read_text()
    slug = next(l for l in text.splitlines() if l.startswith("  - slug: "))
    slug_line = text.splitlines().index(slug) + 1
    slug_file.write_text(text.replace(slug, "  - slug: family", 1))
    code, out, err = cli(capsys, "check", "--data", str(data))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert any(l.startswith(f"data/models/zai.yaml:{slug_line}:") and "'family' cannot be a model slug" in l
               for l in lines), err
    # a reserved slug stops the rest (the pages are not rendered); fix it and the topic card shows up
    slug_file.write_text(text)
    code, out, err = cli(capsys, "check", "--data", str(data))
    assert code == 1
    assert err.splitlines()[0].startswith(f"data/topics.yaml:{line}:") and "did you mean 'pricing/tracker.md'" in err


def test_check_of_a_data_folder_alone_skips_the_page_check(tmp_path, capsys):
    shutil.copytree(DATA, tmp_path / "data")
    mutate(tmp_path / "data" / "topics.yaml", "    page: pricing/tracker.md", "    page: pricing/traker.md")
    code, out, _ = cli(capsys, "check", "--data", str(tmp_path / "data"))
    assert code == 0 and out.startswith("ok: ")


def test_a_bug_is_one_line_not_a_traceback(capsys, monkeypatch):
    import hooks.sitegen.build
    monkeypatch.setattr(hooks.sitegen.build, "build", lambda *a, **k: {}["families"])
    code, out, err = cli(capsys, "check")
    assert code == 70 and out == ""
    assert err.strip() == ("pricebook: internal error (KeyError: 'families'); `pricebook check` names any data "
                           "problem, otherwise please report this")


def _independent(model, n_in, n_read, n_w5, n_out):
    """Cost from the raw YAML text, written out separately from the engine."""
    prices = model["prices"]
    for tier in model.get("tiers") or ():
        if n_in > tier["above"]:
            prices = tier
    rate = lambda k: Decimal(prices.get(k) or prices["input"])
    m = Decimal(1_000_000)
    return {"input": Decimal(n_in - n_read - n_w5) * rate("input") / m,
            "cache_read": Decimal(n_read) * rate("cache_read") / m,
            "cache_write": Decimal(n_w5) * rate("cache_write_5m") / m,
            "output": Decimal(n_out) * rate("output") / m}


@pytest.mark.parametrize("workload", [(120_000, 60_000, 10_000, 3_000), (350_000, 300_000, 20_000, 8_000)])
def test_estimate_json_agrees_with_an_independent_calculation_for_every_default_model(capsys, workload):
    site = yaml.safe_load((DATA / "site.yaml").read_text())
    ratios = {f: Decimal(v["ratio"]) for f, v in site["pricing"]["families"].items()}
    ratios.update({o["model"]: Decimal(o["ratio"]) for o in site["pricing"]["overrides"]})
    checked = refused = 0
    for path in sorted((DATA / "models").glob("*.yaml")):
        provider = yaml.safe_load(path.read_text())
        for model in provider["models"]:
            n_in, n_read, n_w5, n_out = workload
            # the day the YAML's `prices` were read: those are the prices in force then
            day = str(model["checked"])
            code, out, err = cli(capsys, "estimate", "--model", model["slug"], "--input", str(n_in),
                                 "--cache-read", str(n_read), "--cache-write", str(n_w5),
                                 "--output", str(n_out), "--requests", "2", "--json", "--at", day)
            rule = model.get("window_counts", provider.get("window_counts"))
            window = n_in + (n_out if rule == "prompt_and_output" else 0)
            retired = str(model.get("retires_on") or "9999") <= day   # the date decides
            if retired or window > model["context_window"] or n_in > model["context_window"] \
                    or n_out > model["max_output"]:
                assert code == 1 and out and ("retired" in err or "bills nothing" in err), (model["slug"], err)
                refused += 1
                continue
            assert code == 0, err
            got = json.loads(out)
            want = _independent(model, *workload)
            ratio = ratios.get(model["slug"], ratios[model["family"]])
            for key, value in want.items():
                assert Decimal(got["official"][key]) == value * 2, (model["slug"], key)
                assert Decimal(got["gateway"][key]) == value * 2 * ratio, (model["slug"], key)
            assert Decimal(got["official"]["total"]) == sum(want.values()) * 2
            assert set(got) == {"model", "tier", "official", "gateway"}
            checked += 1
    assert checked >= 25 and checked + refused >= 50


def test_estimate_json_shape_and_exact_strings():
    r = run("estimate", "--data", str(DATA), "--model", "claude-haiku-4-5", "--input", "1000",
            "--output", "100", "--json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["model"] == "claude-haiku-4-5" and got["tier"] is None
    assert set(got["official"]) == {"input", "cache_read", "cache_write", "output", "total"}
    assert all(isinstance(v, str) and "e" not in v.lower() for v in got["official"].values())


def test_estimate_table_for_people(capsys):
    code, out, _ = cli(capsys, "estimate", "--model", "claude-haiku-4-5", "--input", "12,000", "--output", "800")
    assert code == 0
    assert "Uncached input" in out and "total, 1 request " in out and "saving against the official price" in out


def test_estimate_from_a_usage_file_and_stdin(tmp_path):
    usage = {"input_tokens": 100, "cache_read_input_tokens": 9_900, "cache_creation_input_tokens": 0,
             "output_tokens": 50}
    f = tmp_path / "usage.json"
    f.write_text(json.dumps({"id": "msg_x", "usage": usage}))
    a = run("estimate", "--model", "claude-haiku-4-5", "--usage", str(f), "--json")
    b = run("estimate", "--model", "claude-haiku-4-5", "--usage", "-", "--json", stdin=json.dumps(usage))
    manual = run("estimate", "--model", "claude-haiku-4-5", "--input", "10000", "--cache-read", "9900",
                 "--output", "50", "--json")
    assert a.returncode == b.returncode == manual.returncode == 0, a.stderr + b.stderr
    assert json.loads(a.stdout) == json.loads(b.stdout) == json.loads(manual.stdout)


def test_estimate_at_a_date_uses_the_history(tmp_path, capsys):
    data = make_data_dir(tmp_path)
    def total(*extra):
        code, out, err = cli(capsys, "estimate", "--data", str(data), "--model", "claude-test-2",
                             "--input", "1000000", "--json", *extra)
        assert code == 0, err
        return json.loads(out)["official"]
    # 1M tokens > the 500,000 tier today (9.00); before 2025-06-01 the launch price had no tiers: 4.00
    assert total()["input"] == "9"
    assert total("--at", "2025-05-31")["input"] == "4"
    assert total("--at", "2025-06-01")["input"] == "3.5"


def test_compare_ranks_every_model_cheapest_first(capsys):
    code, out, _ = cli(capsys, "compare", "--input", "50000", "--output", "2000", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) >= 25
    totals = [Decimal(r["gateway"]) for r in rows]
    assert totals == sorted(totals)
    code, out, _ = cli(capsys, "compare", "--input", "50000", "--family", "glm", "--json")
    assert {r["family"] for r in json.loads(out)} == {"glm"}


@pytest.mark.parametrize("args,words", [
    (["estimate", "--model", "claude-sonet-4-5", "--input", "10"], "unknown model slug 'claude-sonet-4-5'; did you mean"),
    (["estimate", "--model", "claude-haiku-4-5", "--input", "abc"], "--input: enter a whole number"),
    (["estimate", "--model", "claude-haiku-4-5", "--input", "-5"], "--input: cannot be negative"),
    (["estimate", "--model", "claude-haiku-4-5", "--input", "10", "--cache-read", "20"], "larger than the whole input"),
    (["estimate", "--model", "claude-haiku-4-5", "--input", "10", "--at", "2026-13-01"], "not a date"),
    (["estimate", "--input", "10"], "--model SLUG is required"),
    (["estimate", "--model", "claude-haiku-4-5", "--usage", "/nonexistent.json"], "cannot read"),
    (["compare", "--input", "10", "--family", "nope"], "unknown family"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_arguments_get_one_line_and_exit_2(args, words):
    r = run(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and words in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_diff_lists_changed_prices_between_a_revision_and_the_working_tree(tmp_path):
    repo = tmp_path / "repo"
    data = make_data_dir(repo)
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "data", "--allow-empty")
    git("add", "data")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "data")
    assert run("diff", "--data", str(data)).stdout.strip() == "no price changes since HEAD"
    mutate(data / "models" / "openai.yaml", 'output: "10.00"', 'output: "12.00"')
    mutate(data / "site.yaml", 'ratio: "0.35"', 'ratio: "0.40"')
    r = run("diff", "--data", str(data), "--json")
    assert r.returncode == 0, r.stderr
    changes = json.loads(r.stdout)
    assert {"model": "gpt-test", "field": "output", "old": "10.00", "new": "12.00", "change": "+20.0%",
            "suspicious": False, "in_place": True} in changes
    assert {"model": "claude-test-2", "field": "gateway ratio", "old": "0.35", "new": "0.40",
            "change": "+14.3%", "suspicious": False, "in_place": False} in changes
    table = run("diff", "HEAD", "--data", str(data)).stdout
    assert "gpt-test" in table and "+20.0%" in table
    bad = run("diff", "no-such-rev", "--data", str(data))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
