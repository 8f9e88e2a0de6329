"""The last gate before a site is published: no built file holds anything like a real API key.

The data checks (hooks.data.load) already refuse a key in any text of any data file; this scan
reads what the build actually wrote (pages, search index, exports, llms*.txt, sitemap), so a key that
came in another way (a hand-written page, a template, a new export) still stops the build. The
vendored third-party runtime (pyodide/) is not ours and is not scanned.
"""
from pathlib import Path

from hooks.data.keys import iter_keys, masked

TEXT_SUFFIXES = {".html", ".htm", ".json", ".txt", ".xml", ".md", ".js", ".mjs", ".css", ".svg", ".map"}
SKIP_FOLDERS = {"pyodide"}


def _line_col(text, index):
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def leaked_keys(site_dir):
    """['path:line:col: message'] for every real-looking key in the built site (empty when clean)."""
    site_dir = Path(site_dir)
    found = []
    for file in sorted(site_dir.rglob("*")):
        rel = file.relative_to(site_dir)
        if rel.parts and rel.parts[0] in SKIP_FOLDERS or file.suffix.lower() not in TEXT_SUFFIXES:
            continue
        if not file.is_file():
            continue
        text = file.read_text(encoding="utf-8", errors="replace")
        for match in iter_keys(text):
            line, col = _line_col(text, match.start())
            found.append(f"{rel.as_posix()}:{line}:{col}: the built site holds what looks like a real API "
                         f"key ({masked(match.group(0))}, the {match.lastgroup} key format); find where it "
                         "comes from (a hand-written page, a template) and remove it")
    return found
