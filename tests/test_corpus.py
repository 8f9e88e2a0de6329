"""The bad-data corpus (tests/corpus/mistakes.yaml): every mistake, made in a valid fixture folder,
must stop both the real `pricebook check` and the real `mkdocs build --strict` with `path:line` and
words that name the problem, never a traceback (how long they take: `make bench`, bench/corpus.py);
a failed `make build` leaves the
previous site exactly as it was. Stale prices: a warning, an error with --strict, flagged on the
pricing tracker.

Every command is the installed console script run as a subprocess (the venv's `pricebook` and
`mkdocs`, next to sys.executable), pointed at the damaged folder with `--data` or PRICEBOOK_DATA.
Each entry runs both commands once per session, a few at a time, and its tests then read the results.
"""
import concurrent.futures
import datetime
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from datafix import REPO, make_data_dir

CORPUS = Path(__file__).resolve().parent / "corpus"
ENTRIES = yaml.safe_load((CORPUS / "mistakes.yaml").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent
PRICEBOOK = BIN / "pricebook"
MKDOCS = BIN / "mkdocs"
TODAY = datetime.date.today()
FUTURE = TODAY + datetime.timedelta(days=30)
WORKERS = max(2, min(4, os.cpu_count() or 2))

# The list of mistakes, as the `kind`s of the corpus (each must be there at least once).
REQUIRED_KINDS = {
    "yaml-syntax", "duplicate-key", "unknown-field", "missing-field", "wrong-type", "price-float",
    "price-currency", "price-words", "price-negative", "price-huge", "duplicate-slug", "alias-is-slug",
    "tiers-order", "tiers-duplicate", "cache-above-input", "ratio", "date-invalid", "date-future",
    "errors-fast-check", "errors-related", "empty-file", "not-utf8", "binary", "alias-bomb", "huge-file",
}
# ... and the ones the issue names one by one
REQUIRED_IDS = {"yaml-bad-indentation", "yaml-unclosed-quote", "yaml-tab-indentation", "ratio-zero",
                "ratio-above-one", "related-family-points-nowhere", "related-page-points-nowhere",
                "javascript-url-as-a-price-source"}


def _env(**extra):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PRICEBOOK_VENDOR_PYODIDE="0")
    env.pop("PRICEBOOK_DATA", None)
    env.pop("PRICEBOOK_BUILD_DATE", None)
    env.update(extra)
    return env


def fixture_data(root, checked=TODAY.isoformat()):
    """The valid folder every mistake is made in: datafix's models and site.yaml, two error families
    that name each other, and a topics.yaml (related pages are checked against it)."""
    data = make_data_dir(root, checked=checked, errors={
        "test-balance.yaml": (CORPUS / "family-balance.yaml").read_text(encoding="utf-8"),
        "test-rate.yaml": (CORPUS / "family-rate.yaml").read_text(encoding="utf-8"),
    })
    shutil.copy(CORPUS / "topics.yaml", data / "topics.yaml")
    return data


def _fill(text):
    return text.replace("{today}", TODAY.isoformat()).replace("{future}", FUTURE.isoformat())


def _bomb():
    lines = ['lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def damage(data, entry):
    """Make the entry's mistake in `data`; returns (repo-relative path, expected line)."""
    target = data / entry["file"]
    generate = entry.get("generate")
    if generate is None:
        old, new = _fill(entry["old"]), _fill(entry["new"])
        text = target.read_text(encoding="utf-8")
        count = entry.get("count", 1)
        assert text.count(old) == count, f"{entry['id']}: {old!r} occurs {text.count(old)} times in {entry['file']}"
        target.write_text(text.replace(old, new), encoding="utf-8")
    elif generate == "empty":
        target.write_bytes(b"")
    elif generate == "not-utf8":
        target.write_bytes(target.read_text(encoding="utf-8").replace("name: GPT Test", "name: GPT T\xe9st")
                           .encode("latin-1"))
    elif generate == "binary":
        target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64)
    elif generate == "alias-bomb":
        target.write_text(target.read_text(encoding="utf-8") + _bomb(), encoding="utf-8")
    elif generate == "huge":
        text = target.read_text(encoding="utf-8")
        pad = "# padding to make the file ten megabytes\n"
        target.write_text(text + pad * ((10 * 1024 * 1024 - len(text)) // len(pad) + 1), encoding="utf-8")
        assert target.stat().st_size >= 10 * 1024 * 1024
    elif generate == "delete":
        target.unlink()
    elif generate == "delete-folder":
        shutil.rmtree(target)
    elif generate == "rename":
        target.rename(data / entry["to"])
    else:
        raise AssertionError(f"{entry['id']}: unknown generator {generate!r}")

    expect_file = entry.get("expect_file", entry["file"])
    if "line" in entry:
        line = entry["line"]
    else:
        needle = entry.get("at") or _fill(entry["new"]).split("\n")[0].strip()
        lines = (data / expect_file).read_bytes().decode("latin-1").split("\n")
        hits = [i for i, text in enumerate(lines, 1) if needle.encode("utf-8").decode("latin-1") in text]
        nth = entry.get("nth", 1)
        assert len(hits) >= nth, f"{entry['id']}: {needle!r} is not on {nth} line(s) of {expect_file}"
        line = hits[nth - 1]
    return f"data/{expect_file}", line


@dataclass
class Run:
    code: int
    out: str         # stdout + stderr
    seconds: float


def run(cmd, **kw):
    start = time.perf_counter()
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, errors="replace",
                          timeout=120, **kw)
    return Run(proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start)


def check_cli(data, *args):
    return run([PRICEBOOK, "check", "--data", data, *args], cwd=data.parent, env=_env())


def mkdocs_build(data, site_dir):
    return run([MKDOCS, "build", "--strict", "--config-file", REPO / "mkdocs.yml", "--site-dir", site_dir],
               cwd=REPO, env=_env(PRICEBOOK_DATA=str(data)))


def names_the_problem(out, path, line, words):
    """The output line naming path:line whose message has every word (case-insensitive), or None."""
    place = re.compile(rf"(?:^|\s){re.escape(path)}:{line}:\d+: ")
    for text in out.splitlines():
        found = place.search(text)
        if found and all(str(w).lower() in text[found.end():].lower() for w in words):
            return text
    return None


# ---- the runs: once per session, WORKERS at a time ------------------------------------------------

@pytest.fixture(scope="session")
def corpus_runs(tmp_path_factory):
    """{id: (path, line, check Run, build Run, site dir)} for every entry."""
    jobs = {}
    for entry in ENTRIES:
        root = tmp_path_factory.mktemp(entry["id"])
        data = fixture_data(root)
        path, line = damage(data, entry)
        jobs[entry["id"]] = (entry, data, path, line, root / "site")

    def one(job):
        entry, data, path, line, site = job
        check = check_cli(data)
        build = mkdocs_build(data, site)
        return entry["id"], (path, line, check, build, site)

    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        return dict(pool.map(one, jobs.values()))


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory):
    """The undamaged fixture: `pricebook check` passes with no warning (so a failure is the mistake's)."""
    return check_cli(fixture_data(tmp_path_factory.mktemp("clean")))


# ---- the corpus itself ---------------------------------------------------------------------------

def test_corpus_has_30_distinct_mistakes_of_every_kind():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids)), "ids are unique"
    assert len(ENTRIES) >= 30
    made = [(e["file"], e.get("old"), e.get("new"), e.get("generate"), e.get("to")) for e in ENTRIES]
    assert len(made) == len(set(made)), "every mistake is a different change"
    assert REQUIRED_KINDS <= {e["kind"] for e in ENTRIES}, REQUIRED_KINDS - {e["kind"] for e in ENTRIES}
    assert REQUIRED_IDS <= set(ids)
    for e in ENTRIES:
        assert e.get("words") and all(isinstance(w, str) for w in e["words"]), e["id"]
        assert ("old" in e and "new" in e) != ("generate" in e), e["id"]
        assert ("to" in e) == (e.get("generate") == "rename"), e["id"]


def test_the_undamaged_fixture_passes(clean_run):
    assert clean_run.code == 0, clean_run.out
    assert clean_run.out == ("ok: 3 models in 2 files, 2 error families, 0 warning(s)\n"     # stdout, then
                             "note: prices not compared with git HEAD: not in a git work tree\n"), clean_run.out


# ---- (a) pricebook check ----------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_pricebook_check_names_the_mistake(corpus_runs, entry):
    path, line, check, _, _ = corpus_runs[entry["id"]]
    assert check.code == 1, f"exit {check.code}:\n{check.out}"
    assert "Traceback" not in check.out and "internal error" not in check.out, check.out
    assert names_the_problem(check.out, path, line, entry["words"]), \
        f"no message at {path}:{line} with {entry['words']}:\n{check.out}"


# ---- (b) mkdocs build --strict ----------------------------------------------------------------------

@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_mkdocs_build_fails_naming_the_mistake(corpus_runs, entry):
    path, line, _, build, site = corpus_runs[entry["id"]]
    assert build.code != 0, f"the build passed:\n{build.out}"
    assert "Traceback" not in build.out and "internal error" not in build.out, build.out
    assert names_the_problem(build.out, path, line, entry["words"]), \
        f"no message at {path}:{line} with {entry['words']}:\n{build.out}"
    assert not (site / "index.html").exists(), "a failed build wrote pages"


# ---- (c) make build: a failed build leaves the previous site exactly as it was ------------------

def _tree(folder):
    """{relative path: sha256} of every file under folder."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_build(data, site_dir):
    # -o: never (re)install the venv or node_modules from a test; the recipe run is the real one
    return run(["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "node_modules/.installed",
                "build", f"DATA={data}", f"SITE_DIR={site_dir}"], cwd=REPO, env=_env())


def test_make_build_swaps_in_only_a_successful_build(tmp_path):
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    good = make_build(fixture_data(tmp_path / "good"), site)
    assert good.code == 0, good.out
    assert (site / "index.html").exists() and (site / "pricing" / "tracker" / "index.html").exists()
    before = _tree(site)
    stamp = {p: p.stat().st_mtime_ns for p in site.rglob("*")}

    bad = fixture_data(tmp_path / "bad")
    entry = next(e for e in ENTRIES if e["id"] == "price-unquoted-float")
    path, line = damage(bad, entry)
    failed = make_build(bad, site)
    assert failed.code != 0, failed.out
    assert names_the_problem(failed.out, path, line, entry["words"]), failed.out
    assert "Traceback" not in failed.out
    assert _tree(site) == before, "the previous site changed"
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == stamp
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"], "no half-written site.tmp is left"


# ---- stale data ------------------------------------------------------------------------------------

STALE_CHECKED = (TODAY - datetime.timedelta(days=400)).isoformat()   # the fixture's limit is 120 days


def test_stale_price_warns_at_check_and_fails_with_strict(tmp_path):
    data = fixture_data(tmp_path, checked=STALE_CHECKED)
    path = data / "models" / "openai.yaml"
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1) if "checked:" in t)
    words = ["warning:", "last checked", "400 days ago", "limit is 120 days", "stale_after_days"]

    warned = check_cli(data)
    assert warned.code == 0, warned.out
    assert names_the_problem(warned.out, "data/models/openai.yaml", line, words), warned.out
    assert warned.out.count("warning:") == 3, "one warning per model"
    assert "3 warning(s)" in warned.out

    strict = check_cli(data, "--strict")
    assert strict.code == 1, strict.out
    assert names_the_problem(strict.out, "data/models/openai.yaml", line, words[1:]), strict.out
    assert "warning:" not in strict.out
    assert "Traceback" not in warned.out + strict.out


def test_stale_price_limit_is_read_from_site_yaml(tmp_path):
    data = fixture_data(tmp_path, checked=STALE_CHECKED)
    site = data / "site.yaml"
    site.write_text(site.read_text().replace("stale_after_days: 120", "stale_after_days: 500"))
    ok = check_cli(data, "--strict")
    assert ok.code == 0 and "warning:" not in ok.out, ok.out


def test_stale_prices_are_flagged_on_the_tracker(tmp_path):
    from sitebuild import BuildFailed, build_site
    data = fixture_data(tmp_path, checked=STALE_CHECKED)
    site_yaml = data / "site.yaml"
    # one fresh model, so the flag is shown only where it belongs
    openai = data / "models" / "openai.yaml"
    openai.write_text(openai.read_text().replace(f"checked: {STALE_CHECKED}", f"checked: {TODAY.isoformat()}"))
    built = build_site(tmp_path / "site", data_dir=data, pyodide=False, strict=False)
    assert sum("stale_after_days" in w for w in built.warnings) == 2, built.warnings
    html = built.html("pricing/tracker/")
    rows = {m: re.search(rf"<tr>\s*<td><a [^>]*>{m}</a>.*?</tr>", html, re.S) for m in
            ("Claude Test 2", "Claude Old 1", "GPT Test")}
    assert all(rows.values()), "every model has a row on the tracker"
    assert "<strong>stale</strong>, 400 days" in rows["Claude Test 2"].group(0)
    assert "<strong>stale</strong>, 400 days" in rows["Claude Old 1"].group(0)
    assert "stale" not in rows["GPT Test"].group(0)
    assert "2 prices not checked for more than 120 days" in html
    assert "stale_after_days: 120" in site_yaml.read_text()
    with pytest.raises(BuildFailed) as failed:       # the strict build (make build) refuses stale data
        build_site(tmp_path / "strict", data_dir=data, pyodide=False)
    assert any("data/models/anthropic.yaml:" in m and "stale_after_days" in m for m in failed.value.messages)


def test_readme_states_the_corpus_size():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"**{len(ENTRIES)} data mistakes**" in readme, "update the README's 'What is checked' section"
