"""Entry run inside Pyodide by run_vectors.mjs: the golden vectors against the installed wheel.

Also runs in CPython (`python tests/pyodide/run_in_pyodide.py`), against whatever `calculator`
is importable there. Exit status 1 when a vector fails.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

VECTORS_DIR = Path(__file__).resolve().parent.parent / "vectors"


def main() -> int:
    print(f"Python {sys.version}")
    print(f"platform: {sys.platform}")
    import calculator

    print(f"calculator from {calculator.__file__}")
    try:
        vectors = importlib.import_module("calculator.vectors")
    except ModuleNotFoundError as exc:
        if exc.name != "calculator.vectors":
            raise
        print("notice: calculator.vectors does not exist yet; no vectors run")
        return 0
    count = getattr(vectors, "count", None)  # vectors in one document, if the engine says
    files = sorted(VECTORS_DIR.glob("*.json"))
    failures: list[str] = []
    total = 0
    for path in files:
        failed = vectors.run_vectors(str(path))
        n = count(json.loads(path.read_text(encoding="utf-8"))) if count else 0
        total += n
        print(f"{path.name}: {n} vector(s), {len(failed)} failure(s)")
        failures.extend(f"{path.name}: {message}" for message in failed)
    for message in failures:
        print(f"FAIL {message}")
    # tests/test_pyodide_node.py looks for this line.
    print(f"vectors: {total} in {len(files)} file(s), failures: {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
