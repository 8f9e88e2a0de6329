"""`make build` publishes only complete sites, even when builds overlap (issue 12, item 1).

Each build writes into a private folder next to SITE_DIR and hooks/sitegen/publish.py swaps it in
under a lock on SITE_DIR's folder after checking that it is complete. The tests run the real
`make build` (the venv and node_modules are not reinstalled) and the real publish step.
"""
import fcntl
import os
import shutil
import subprocess
import time

import pytest

from datafix import REPO
from test_corpus import _env, _tree, fixture_data, make_build, mkdocs_build

from hooks.sitegen.publish import PublishError, missing_files, publish

BUILDS = 4


def _locked_missing(site):
    """missing_files(site) while holding the lock the publish step takes, so no swap is half done."""
    fd = os.open(site.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return missing_files(site) if site.exists() else None
    finally:
        os.close(fd)


def test_four_overlapping_builds_always_leave_a_complete_site(tmp_path):
    data = fixture_data(tmp_path / "fixture")
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    cmd = ["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "node_modules/.installed",
           "build", f"DATA={data}", f"SITE_DIR={site}"]
    procs = []
    for _ in range(BUILDS):
        procs.append(subprocess.Popen(cmd, cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True))
        time.sleep(0.5)       # staggered, so builds finish while others are still writing
    seen = []
    while any(p.poll() is None for p in procs):
        state = _locked_missing(site)
        if state is not None:
            seen.append(state)
        time.sleep(0.05)
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * BUILDS, "\n".join(outs)
    assert all(found == [] for found in seen), [f for f in seen if f][:3]
    assert missing_files(site) == []
    assert (site / "index.html").is_file() and (site / "llms.txt").is_file()
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"], "no build folder is left behind"
    assert oct(site.stat().st_mode & 0o777) != oct(0o700), "the published site is readable as usual"


def test_an_incomplete_build_is_never_published(tmp_path):
    data = fixture_data(tmp_path / "fixture")
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    assert make_build(data, site).code == 0
    before = _tree(site)
    new = tmp_path / "out" / "new"
    shutil.copytree(site, new)
    (new / "llms.txt").unlink()
    shutil.rmtree(new / "pricing" / "tracker")
    with pytest.raises(PublishError) as refused:
        publish(new, site)
    assert "llms.txt" in str(refused.value) and "pricing/tracker/index.html" in str(refused.value)
    assert _tree(site) == before
    assert missing_files(new) == ["llms.txt", "pricing/tracker/index.html"]


def test_a_site_folder_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path):
    # a file where the site's parent folder should be: fails for root too (a read-only folder does not)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    data = fixture_data(tmp_path / "fixture")
    made = make_build(data, blocker / "site")
    assert made.code != 0
    assert "Traceback" not in made.out and "cannot create a build folder next to" in made.out, made.out
    built = mkdocs_build(data, blocker / "site")
    assert built.code != 0
    assert "Traceback" not in built.out, built.out
    assert f"cannot write the site into {blocker / 'site'}: Not a directory" in built.out, built.out
