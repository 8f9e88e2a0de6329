"""The golden sample: a few representative pages of the default site as normalised text, so a
change to how pages are rendered (issue 15 part 3: generated bodies rendered once, code samples
highlighted once, the search index trimmed) is shown to leave the HTML as it was, whitespace apart.

    .venv/bin/python tests/golden_pages.py      # rewrite tests/golden/*.html from a fresh build

Rewrite the sample only when a page is meant to change (data, templates); the diff of
tests/golden/ then shows what changed for readers. The build is dated by the data
(sitebuild.data_date), so the sample does not move with the calendar.
"""
import re
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"

# site URL path -> golden file name
PAGES = {
    "models/gemini-2.5-pro/": "model-with-tiers.html",
    "models/claude-sonnet-4-6/": "model-both-routes.html",
    "models/claude-opus-4-1/": "model-retired.html",
    "models/family/claude/": "family.html",
    "models/": "models-index.html",
    "errors/out-of-balance/": "error-page.html",
    "calculator/": "calculator.html",
}

_SPACE = re.compile(r"\s+")
_BETWEEN_TAGS = re.compile(r">\s+<")


def normalise(html):
    """Whitespace collapsed, whitespace between tags dropped, one tag per line (readable diffs)."""
    flat = _BETWEEN_TAGS.sub("><", _SPACE.sub(" ", html)).strip()
    return flat.replace("><", ">\n<") + "\n"


def write(site):
    GOLDEN.mkdir(exist_ok=True)
    for url, name in PAGES.items():
        (GOLDEN / name).write_text(normalise(site.html(url)), encoding="utf-8")


if __name__ == "__main__":
    import tempfile
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sitebuild import build_site
    with tempfile.TemporaryDirectory() as tmp:
        write(build_site(Path(tmp) / "site", pyodide=False))
    print(f"wrote {len(PAGES)} pages to {GOLDEN}")
