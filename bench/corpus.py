"""The mistake corpus's speed: `pricebook check` and `mkdocs build --strict` on every damaged
fixture of tests/corpus/mistakes.yaml, one at a time, each timed from process start to exit.
Target: each under 5 s (the tests check what is said; the time is measured here, where a busy
machine cannot fail the suite)."""
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIMIT_S = 5.0


def run(quick=False, log=print):
    sys.path.insert(0, str(REPO / "tests"))
    import test_corpus as corpus   # the corpus's own fixture, damage and command helpers

    entries = corpus.ENTRIES[:8] if quick else corpus.ENTRIES
    check_s, build_s, slowest = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for entry in entries:
            root = Path(tmp) / entry["id"]
            root.mkdir()
            data = corpus.fixture_data(root)
            corpus.damage(data, entry)
            check = corpus.check_cli(data)
            build = corpus.mkdocs_build(data, root / "site")
            check_s.append(check.seconds)
            build_s.append(build.seconds)
            slowest.append((max(check.seconds, build.seconds), entry["id"]))
    worst_check, worst_build = max(check_s), max(build_s)
    log(f"  corpus: {len(entries)} mistakes, check median {statistics.median(check_s):.2f} s "
        f"(max {worst_check:.2f}), build median {statistics.median(build_s):.2f} s (max {worst_build:.2f})")
    return {
        "mistakes": len(entries),
        "check_median_s": round(statistics.median(check_s), 3), "check_max_s": round(worst_check, 3),
        "build_median_s": round(statistics.median(build_s), 3), "build_max_s": round(worst_build, 3),
        "slowest": sorted(slowest, reverse=True)[:3],
        "targets": {
            "corpus_check_s": {"name": "Mistake corpus: slowest `pricebook check`", "target": f"< {LIMIT_S:g} s",
                               "measured": round(worst_check, 2), "met": worst_check < LIMIT_S},
            "corpus_build_s": {"name": "Mistake corpus: slowest failing `mkdocs build --strict`",
                               "target": f"< {LIMIT_S:g} s", "measured": round(worst_build, 2),
                               "met": worst_build < LIMIT_S},
        },
    }
