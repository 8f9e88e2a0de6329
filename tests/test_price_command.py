"""A safe way to change a price: `pricebook price` edits a models file as text (history or
scheduled), `pricebook check` and the build compare the prices with git HEAD (a price changed in
place, a change by a factor over 3), `pricebook diff` marks both."""
import datetime
import difflib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from datafix import line_of, make_data_dir, mutate
from hooks.cli import main
from hooks.sitegen import build as sitegen

REPO = Path(__file__).resolve().parent.parent
TODAY = datetime.date.today()


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def git(repo, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout


def committed_data(tmp_path):
    """A real git repository holding a small valid data folder, committed; checked today, so
    nothing is stale."""
    repo = tmp_path / "repo"
    data = make_data_dir(repo, checked=TODAY.isoformat())
    git(repo, "init", "-q")
    git(repo, "add", "data")
    git(repo, "commit", "-qm", "data")
    return data


# ---- check against git HEAD --------------------------------------------------------------------

def test_check_warns_when_a_price_changes_in_place_and_strict_makes_it_an_error(tmp_path, capsys):
    data = committed_data(tmp_path)
    openai = data / "models" / "openai.yaml"
    code, out, err = cli(capsys, "check", "--data", data, "--strict")
    assert (code, err) == (0, ""), err
    mutate(openai, 'output: "10.00"', 'output: "12.00"')
    line = line_of(openai, 'output: "12.00"')
    code, out, err = cli(capsys, "check", "--data", data)
    assert code == 0 and out.startswith("ok: ") and "1 warning(s)" in out
    assert err == (f"data/models/openai.yaml:{line}:15: warning: prices.output (model gpt-test): price changed "
                   "in place: 10.00 -> 12.00 without a history entry; the old price would be rewritten on past "
                   "dates; use `pricebook price` or add history\n")
    code, out, err = cli(capsys, "check", "--data", data, "--strict")
    assert code == 1 and out == ""
    assert err.startswith(f"data/models/openai.yaml:{line}:15: prices.output (model gpt-test): price changed in place")
    # the same problems reach the build when it asks for them, and only then
    assert [p.message for p in sitegen.build(data, strict=True, compare_git=True).errors] == \
           [err.splitlines()[0].split(": ", 1)[1]]
    assert sitegen.build(data, strict=True).errors == []
    # a new history entry for the model makes it a recorded change, not an in-place one
    mutate(openai, "    source: https://openai.example/api/pricing",
           "    source: https://openai.example/api/pricing\n    history:\n      - until: 2025-01-01\n"
           '        prices: {input: "1.25", output: "10.00"}')
    code, out, err = cli(capsys, "check", "--data", data, "--strict")
    assert (code, err) == (0, ""), err


def test_a_change_by_a_factor_over_3_is_a_likely_slip_until_reviewed(tmp_path, capsys):
    data = committed_data(tmp_path)
    anthropic = data / "models" / "anthropic.yaml"
    # both stay consistent with the tiers (a tier rate never below the base or the tier before it)
    mutate(anthropic, 'cache_read: "0.30"', 'cache_read: "0.03"')        # a slip: down 10x
    mutate(anthropic, 'input: "9.00"', 'input: "40.00"')                 # a tier, up 4.4x
    read, tier = line_of(anthropic, 'cache_read: "0.03"'), line_of(anthropic, 'input: "40.00"')
    code, out, err = cli(capsys, "check", "--data", data)
    factor = [l for l in err.splitlines() if "factor" in l]
    assert code == 0 and factor == [
        f"data/models/anthropic.yaml:{read}:19: warning: prices.cache_read (model claude-test-2): changed by a "
        "factor of 1/10.0 (0.30 -> 0.03): a likely slip; add `# reviewed` at the end of the line if it is right",
        f"data/models/anthropic.yaml:{tier}:16: warning: tiers[1].input (model claude-test-2): changed by a "
        "factor of 4.4 (9.00 -> 40.00): a likely slip; add `# reviewed` at the end of the line if it is right"]
    assert len(err.splitlines()) == 4        # and both changed in place
    code, _, err = cli(capsys, "check", "--data", data, "--strict")
    assert code == 1 and err.count("a likely slip") == 2
    mutate(anthropic, 'cache_read: "0.03"', 'cache_read: "0.03"   # reviewed')
    code, _, err = cli(capsys, "check", "--data", data)
    assert [l for l in err.splitlines() if "factor" in l] == [factor[1]]
    assert "cache_read (model claude-test-2): price changed in place: 0.30 -> 0.03" in err


def test_a_scheduled_price_is_compared_by_its_date(tmp_path, capsys):
    data = committed_data(tmp_path)
    openai = data / "models" / "openai.yaml"
    later = (TODAY + datetime.timedelta(days=30)).isoformat()
    mutate(openai, "    source: https://openai.example/api/pricing",
           f"    source: https://openai.example/api/pricing\n    scheduled:\n      - from: {later}\n"
           '        prices: {input: "1.50", output: "12.00"}')
    git(data.parent, "commit", "-qam", "scheduled")
    mutate(openai, 'input: "1.50"', 'input: "15.0"')
    line = line_of(openai, 'input: "15.0"')
    code, _, err = cli(capsys, "check", "--data", data)
    assert code == 0 and err.splitlines() == [
        f"data/models/openai.yaml:{line}:25: warning: scheduled[0].prices.input (model "
        "gpt-test): changed by a factor of 10.0 (1.50 -> 15.0): a likely slip; add `# reviewed` at the end of "
        "the line if it is right"]


def test_check_outside_git_or_before_the_first_commit_says_so_in_one_line(tmp_path, capsys):
    data = make_data_dir(tmp_path / "plain", checked=TODAY.isoformat())
    code, out, err = cli(capsys, "check", "--data", data)
    assert code == 0 and err == "note: prices not compared with git HEAD: not in a git work tree\n"
    git(data.parent, "init", "-q")
    code, out, err = cli(capsys, "check", "--data", data)
    assert code == 0 and err == "note: prices not compared with git HEAD: no commit yet\n"


def test_diff_marks_a_likely_slip_and_a_change_in_place(tmp_path, capsys):
    data = committed_data(tmp_path)
    openai = data / "models" / "openai.yaml"
    mutate(openai, 'output: "10.00"', 'output: "100.00"')
    code, out, err = cli(capsys, "diff", "--data", data, "--json")
    assert code == 0, err
    assert json.loads(out) == [{"model": "gpt-test", "field": "output", "old": "10.00", "new": "100.00",
                                "change": "+900.0%", "suspicious": True, "in_place": True}]
    code, out, err = cli(capsys, "diff", "--data", data)
    row = [l for l in out.splitlines() if l.startswith("gpt-test")]
    assert len(row) == 1 and row[0].endswith("+900.0%  factor 10.0, in place")
    mutate(openai, "    source: https://openai.example/api/pricing",
           "    source: https://openai.example/api/pricing\n    history:\n      - until: 2025-01-01\n"
           '        prices: {input: "1.25", output: "10.00"}')
    mutate(openai, 'output: "100.00"', 'output: "11.00"')
    code, out, err = cli(capsys, "diff", "--data", data, "--json")
    assert json.loads(out)[0] | {"change": None} == {"model": "gpt-test", "field": "output", "old": "10.00",
                                                     "new": "11.00", "change": None, "suspicious": False,
                                                     "in_place": False}
    code, out, err = cli(capsys, "diff", "--data", data)
    assert out.splitlines()[-1].endswith("+10.0%")


# ---- pricebook price ---------------------------------------------------------------------------

DEEPSEEK = "https://api-docs.deepseek.com/quick_start/pricing"


def data_copy(tmp_path):
    """The project's real data folder, copied."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    return data


def changed_lines(before, after):
    """(lines removed, lines added) between two texts, each line with its ending: everything else
    is byte for byte the same, in the same order."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def official(capsys, data, model, at, tokens="1000000", bucket="--input"):
    code, out, err = cli(capsys, "estimate", "--data", data, "--model", model, bucket, tokens, "--json", "--at", at)
    assert code == 0, err
    return json.loads(out)["official"]


def test_price_from_today_moves_the_current_prices_into_history(tmp_path, capsys):
    data = data_copy(tmp_path / "repo")
    git(data.parent, "init", "-q")
    git(data.parent, "add", "data")
    git(data.parent, "commit", "-qm", "data")
    file = data / "models" / "deepseek.yaml"
    before = file.read_text(encoding="utf-8")
    checked = next(l for l in before.splitlines() if l.startswith("    checked: "))   # deepseek-flash's
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    old_input = official(capsys, data, "deepseek-flash", TODAY.isoformat())["input"]      # 1M tokens: the rate
    assert old_input == "0.15"
    code, out, err = cli(capsys, "price", "deepseek-v4-flash", "--input", "0.16", "--from", TODAY, "--source", DEEPSEEK,
                         "--note", "V4.1 Flash off-peak rate until the change", "--data", data)
    assert (code, err) == (0, ""), err
    lines = out.splitlines()
    assert lines[0] == "deepseek-flash (deepseek-v4-flash is an alias of deepseek-flash): data/models/deepseek.yaml"
    assert lines[1:4] == ["  input: 0.15 -> 0.16", "  output: 0.60 (kept)", "  cache_read: 0.003 (kept)"]
    assert f"  the prices before {TODAY} are kept as history: until: {TODAY}" in lines
    removed, added = changed_lines(before, file.read_text(encoding="utf-8"))
    today_checked = f"    checked: {TODAY}\n"
    assert removed == ['      input: "0.15"\n'] + ([f"{checked}\n"] if f"{checked}\n" != today_checked else [])
    assert added == ['      input: "0.16"\n'] + ([today_checked] if f"{checked}\n" != today_checked else []) + [
        f"      - until: {TODAY}\n",
        '        prices: {input: "0.15", output: "0.60", cache_read: "0.003"}\n',
        "        note: V4.1 Flash off-peak rate until the change\n"]
    after = file.read_text(encoding="utf-8")
    assert after.index(f"      - until: {TODAY}") > after.index("      - until: 2026-09-10")   # oldest first
    assert after.index(f"      - until: {TODAY}") < after.index("  - slug: deepseek-v4-pro")  # before the next model
    code, out, err = cli(capsys, "check", "--data", data)
    assert code == 0 and "changed in place" not in err and "likely slip" not in err, err
    assert official(capsys, data, "deepseek-flash", yesterday)["input"] == "0.15"
    assert official(capsys, data, "deepseek-flash", TODAY.isoformat())["input"] == "0.16"
    assert official(capsys, data, "deepseek-flash", "2026-09-01")["input"] == "0.22"     # older history untouched
    code, out, err = cli(capsys, "diff", "--data", data, "--json")
    assert json.loads(out) == [{"model": "deepseek-flash", "field": "input", "old": "0.15", "new": "0.16",
                                "change": "+6.7%", "suspicious": False, "in_place": False}]
    # the same date again: the current prices now began on it
    code, out, err = cli(capsys, "price", "deepseek-flash", "--input", "0.17", "--from", TODAY, "--source", DEEPSEEK,
                         "--data", data)
    assert code == 2 and err == (f"pricebook: error: --from: {TODAY} is not after {TODAY} (the last history "
                                 "'until'), when the current prices began\n")


def test_price_keeps_the_tiers_and_copies_them_into_history(tmp_path, capsys):
    data = make_data_dir(tmp_path, checked=TODAY.isoformat())
    file = data / "models" / "anthropic.yaml"
    before = file.read_text(encoding="utf-8")
    code, out, err = cli(capsys, "price", "claude-test-2", "--input", "3.10", "--cache-read", "0.31", "--from", TODAY,
                         "--source", "https://docs.anthropic.example/pricing", "--data", data)
    assert code == 0, err
    assert "  tiers: kept as they are (pricebook price does not change tiers)" in out.splitlines()
    removed, added = changed_lines(before, file.read_text(encoding="utf-8"))
    assert removed == ['      input: "3.00"\n', '      cache_read: "0.30"\n']
    assert added == ['      input: "3.10"\n', '      cache_read: "0.31"\n',
                     f"      - until: {TODAY}\n",
                     '        prices: {input: "3.00", output: "15.00", cache_read: "0.30", cache_write_5m: "3.75", '
                     'cache_write_1h: "6.00"}\n',
                     "        tiers:\n",
                     '          - {above: 200000, input: "6.00", output: "22.50", cache_read: "0.60"}\n',
                     '          - {above: 500000, input: "9.00", output: "30.00"}\n']
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    assert official(capsys, data, "claude-test-2", yesterday, "1000")["input"] == "0.003"
    assert official(capsys, data, "claude-test-2", TODAY.isoformat(), "1000")["input"] == "0.0031"
    assert official(capsys, data, "claude-test-2", yesterday, "600000")["input"] == "5.4"      # the 9.00 tier
    assert official(capsys, data, "claude-test-2", TODAY.isoformat(), "600000")["input"] == "5.4"


def test_price_from_a_later_date_writes_a_scheduled_entry_in_date_order(tmp_path, capsys):
    data = data_copy(tmp_path)
    file = data / "models" / "deepseek.yaml"
    before = file.read_text(encoding="utf-8")
    later, sooner = TODAY + datetime.timedelta(days=40), TODAY + datetime.timedelta(days=20)
    code, out, err = cli(capsys, "price", "deepseek-flash", "--output", "0.70", "--from", later,
                         "--source", "https://api-docs.deepseek.com/news/price-change", "--data", data)
    assert code == 0, err
    assert out.splitlines()[1:4] == ["  input: 0.15 (kept)", "  output: 0.60 -> 0.70", "  cache_read: 0.003 (kept)"]
    code, out, err = cli(capsys, "price", "deepseek-flash", "--output", "0.65", "--from", sooner, "--note", "first step",
                         "--source", DEEPSEEK, "--data", data)
    assert code == 0, err
    removed, added = changed_lines(before, file.read_text(encoding="utf-8"))
    assert [l for l in removed if "checked" not in l] == []
    assert [l for l in added if "checked" not in l] == [
        "    scheduled:\n",
        f"      - from: {sooner}\n",
        '        prices: {input: "0.15", output: "0.65", cache_read: "0.003"}\n',
        "        note: first step\n",
        f"      - from: {later}\n",
        '        prices: {input: "0.15", output: "0.70", cache_read: "0.003"}\n',
        "        source: https://api-docs.deepseek.com/news/price-change\n"]
    code, _, err = cli(capsys, "check", "--data", data)
    assert code == 0, err
    at = lambda day: official(capsys, data, "deepseek-flash", day.isoformat(), "100000", "--output")["output"]  # noqa: E731
    assert [at(TODAY), at(sooner), at(later)] == ["0.06", "0.065", "0.07"]
    code, _, err = cli(capsys, "price", "deepseek-flash", "--output", "0.80", "--from", later, "--source", DEEPSEEK,
                       "--data", data)
    assert code == 2 and err.startswith(f"pricebook: error: --from: a scheduled price from {later} already exists")


def test_dry_run_prints_the_unified_diff_and_writes_nothing(tmp_path, capsys):
    data = data_copy(tmp_path)
    file = data / "models" / "deepseek.yaml"
    before = file.read_bytes()
    code, out, err = cli(capsys, "price", "deepseek-v4-pro", "--cache-read", "0.02", "--from", TODAY, "--source",
                         DEEPSEEK, "--data", data, "--dry-run")
    assert code == 0, err
    assert file.read_bytes() == before
    lines = out.splitlines()
    assert lines[:2] == ["--- a/data/models/deepseek.yaml", "+++ b/data/models/deepseek.yaml"]
    assert '-      cache_read: "0.022"' in lines and '+      cache_read: "0.02"' in lines
    assert f"+      - until: {TODAY}" in lines and lines[-1] == "(dry run: nothing written)"


def test_a_change_that_would_not_check_is_refused_and_nothing_is_written(tmp_path, capsys):
    data = data_copy(tmp_path)
    file = data / "models" / "deepseek.yaml"
    before = file.read_bytes()
    code, out, err = cli(capsys, "price", "deepseek-flash", "--cache-read", "0.20", "--from", TODAY, "--source",
                         DEEPSEEK, "--data", data)
    assert code == 1 and out == "" and file.read_bytes() == before
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("data/models/deepseek.yaml:") and "cache_read \"0.20\" is above" in lines[0]
    assert lines[1] == ("pricebook: the change would leave 1 problem(s) (at the lines of the edited file); nothing "
                        "was written")
    assert not [p for p in (data / "models").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("args,words", [
    (["deepseek-flash", "--input", "0.16", "--from", "2026-1-5"], "--from: expected a date written YYYY-MM-DD, found '2026-1-5'"),
    (["deepseek-flash", "--input", "0.16", "--from", "tomorrow"], "--from: expected a date written YYYY-MM-DD"),
    (["deepseek-flash", "--input", "0.16", "--from", "2026-02-30"], "--from: 2026-02-30 is not a real date"),
    (["deepseek-flsh", "--input", "0.16", "--from", "2026-12-01"], "unknown model slug 'deepseek-flsh'; did you mean deepseek-flash"),
    (["deepseek-flash", "--input", "$0.16", "--from", "2026-12-01"], "--input: expected a price in USD per 1M tokens"),
    (["deepseek-flash", "--output", "-1", "--from", "2026-12-01"], "--output: expected a price"),
    (["deepseek-flash", "--cache-read", "1e-3", "--from", "2026-12-01"], "--cache-read: expected a price"),
    (["deepseek-flash", "--input", "0.1.6", "--from", "2026-12-01"], "--input: expected a price"),
    (["deepseek-flash", "--from", "2026-12-01"], "give at least one new price"),
    (["deepseek-flash", "--input", "0.15", "--from", "2026-12-01"], "nothing to change: input is already 0.15"),
    (["deepseek-flash", "--input", "0.16", "--from", "2026-09-10"], "--from: 2026-09-10 is not after 2026-09-10"),
    (["deepseek-flash", "--input", "0.16", "--from", "2026-12-01", "--source", "http://x.example/p"], "--source: expected an https:// URL"),
])
def test_bad_price_arguments_get_one_line_and_exit_2(tmp_path, capsys, args, words):
    data = data_copy(tmp_path)
    before = (data / "models" / "deepseek.yaml").read_bytes()
    if "--source" not in args:
        args = args + ["--source", DEEPSEEK]
    code, out, err = cli(capsys, "price", *args, "--data", data)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err, err
    assert (data / "models" / "deepseek.yaml").read_bytes() == before


def test_the_installed_command_gives_one_line_and_no_traceback(tmp_path):
    import sys
    data = data_copy(tmp_path)
    script = Path(sys.executable).parent / "pricebook"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "hooks.cli"]
    r = subprocess.run(cmd + ["price", "deepseek-flash", "--input", "0.16", "--from", "02/12/2026", "--source",
                              DEEPSEEK, "--data", str(data)], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "pricebook: error: --from: expected a date written YYYY-MM-DD, found '02/12/2026'\n"


def test_windows_line_ends_stay(tmp_path, capsys):
    data = data_copy(tmp_path)
    file = data / "models" / "deepseek.yaml"
    file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    before = file.read_bytes()
    code, out, err = cli(capsys, "price", "deepseek-flash", "--input", "0.16", "--from", TODAY, "--source", DEEPSEEK,
                         "--data", data)
    assert code == 0, err
    after = file.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n") == before.count(b"\r\n") + 2
    assert b'      input: "0.16"\r\n' in after
