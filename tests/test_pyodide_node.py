"""The calculator wheel runs in Pyodide under Node: the same engine the browser worker loads.

Needs node and node_modules (`make setup`); without them this test fails rather than skips,
so a machine that cannot run the browser side does not pass silently.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from hooks.sitegen.vendor import build_calculator_wheel

REPO = Path(__file__).resolve().parents[1]
RUNNER = REPO / "tests" / "pyodide" / "run_vectors.mjs"
ENTRY = REPO / "tests" / "pyodide" / "run_in_pyodide.py"


def test_calculator_runs_in_pyodide_under_node(tmp_path):
    node = shutil.which("node")
    assert node, "node is not on PATH: the Pyodide tests need Node >= 18"
    assert (REPO / "node_modules" / "pyodide" / "package.json").is_file(), (
        "node_modules/pyodide is missing: run `make setup` (or `npm ci`)"
    )
    wheel = build_calculator_wheel(REPO, tmp_path)
    proc = subprocess.run(
        [node, str(RUNNER), str(wheel), str(ENTRY)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Python 3.14" in proc.stdout, output
    assert "calculator from /lib/python3.14/site-packages/calculator/" in proc.stdout, output
    # The golden vectors are mandatory: every file under tests/vectors/ ran, and none failed.
    files = sorted((REPO / "tests" / "vectors").glob("*.json"))
    assert files, "tests/vectors/*.json is missing"
    match = re.search(r"^vectors: (\d+) in (\d+) file\(s\), failures: 0$", proc.stdout, re.M)
    assert match, output
    assert int(match.group(1)) > 0, output
    assert int(match.group(2)) == len(files), output
