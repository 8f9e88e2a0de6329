"""Generated page bodies rendered to HTML by the page layer (issue 15 part 3); no mkdocs import.

A generated page's Markdown is split at its headings: MkDocs gets a *stub* (front matter, every
heading, and between them one placeholder paragraph per body part), so its toc, heading anchors,
page title and search sections stay MkDocs' own; the bodies are rendered here, with the same
Python-Markdown extensions and configuration as mkdocs.yml, by one reused converter, all parts of
a page in one conversion (so counters such as content-tab ids run as in one document). The
adapter swaps the HTML in for the placeholders at `on_page_content` and turns `.md` links into
URLs with MkDocs' own rules.

Two savings on top: a code block already highlighted in this build is not highlighted again (the
memo is keyed by everything the highlighter is given), and a model page's request examples are
converted with a placeholder slug (identical on every model page, so highlighted once) and get
the real slug after conversion. That substitution is exact: the slug sits inside string literals
of those examples and is made of letters, digits, ".", "_" and "-" (checked; else no substitution).

    conv = Converter(extensions, configs)
    stub, parts = conv.page(markdown, substitutions={PLACEHOLDER_SLUG: "gpt-5"})
    search_html(part_html)     # the part as the search index reads it: no code, no big tables
"""
import contextlib
import re

import markdown as python_markdown

try:
    from pymdownx import highlight as _pymdownx_highlight
except ImportError:   # pragma: no cover - pymdownx is a dependency of the site
    _pymdownx_highlight = None

PLACEHOLDER_SLUG = "pricebookslugplaceholder"
SAFE_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_KEY = "PRICEBOOKPART{:04d}Z"
_SEP = "PRICEBOOKSPLITZ"
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def key_paragraph(key):
    """How a placeholder comes out of Markdown: the adapter replaces exactly this."""
    return f"<p>{key}</p>"


def _chunks(body):
    """[(kind, text)]: kind "heading" (one ATX heading line at column 0, outside code fences) or
    "part" (everything between headings)."""
    out, current, fence = [], [], None
    for line in body.split("\n"):
        if fence is None:
            m = _FENCE.match(line)
            if m:
                fence = m.group(1)
            elif _HEADING.match(line):
                out.append(("part", "\n".join(current)))
                out.append(("heading", line))
                current = []
                continue
        elif line.startswith(fence[0] * len(fence)) and not line.strip(fence[0]).strip():
            fence = None
        current.append(line)
    out.append(("part", "\n".join(current)))
    return [(k, t) for k, t in out if k == "heading" or t.strip()]


class Converter:
    """One Python-Markdown instance, configured as mkdocs.yml configures MkDocs', reused (reset)
    for every page of a build."""

    def __init__(self, extensions, configs=None):
        self.md = python_markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))
        self._highlighted = {}

    @contextlib.contextmanager
    def _memo_highlight(self):
        if _pymdownx_highlight is None:
            yield
            return
        cls = _pymdownx_highlight.Highlight
        original = cls.highlight
        memo = self._highlighted

        def highlight(inst, src, language, *args, **kwargs):
            config = tuple(sorted((k, repr(v)) for k, v in vars(inst).items() if k != "md"))
            key = (src, language, repr(args), repr(sorted(kwargs.items())), config)
            found = memo.get(key)
            if found is None:
                found = memo[key] = original(inst, src, language, *args, **kwargs)
            return found

        cls.highlight = highlight
        try:
            yield
        finally:
            cls.highlight = original

    def convert(self, text):
        self.md.reset()
        with self._memo_highlight():
            return self.md.convert(text)

    def page(self, markdown, substitutions=None):
        """(stub Markdown, {placeholder key: HTML}) for a page, or (markdown, {}) when it has no
        body to render or its parts cannot be told apart after conversion (then MkDocs renders it
        all, as before). substitutions: {text in `markdown`'s code: text in the page} applied to
        the HTML (the caller guarantees they are exact)."""
        front = _FRONT.match(markdown)
        head = front.group(0) if front else ""
        chunks = _chunks(markdown[len(head):])
        parts = [t for k, t in chunks if k == "part"]
        if not parts or _SEP in markdown or "PRICEBOOKPART" in markdown:
            return markdown, {}
        converted = self.convert(f"\n\n{_SEP}\n\n".join(parts)).split(key_paragraph(_SEP))
        if len(converted) != len(parts):
            return markdown, {}
        stub, html_parts, n = [head], {}, 0
        for kind, text in chunks:
            if kind == "heading":
                stub.append(f"\n{text}\n")
                continue
            key = _KEY.format(n)
            html = converted[n].strip("\n")
            for placeholder, value in (substitutions or {}).items():
                html = html.replace(placeholder, value)
            html_parts[key] = html
            stub.append(f"\n{key}\n")
            n += 1
        return "".join(stub), html_parts


_CODE = re.compile(r'<div class="(?:language-[\w-]+ )?highlight"[^>]*>.*?</pre></div>', re.S)
_TABLE = re.compile(r"<table[ >].*?</table>", re.S)
_SVG = re.compile(r"<svg[ >].*?</svg>", re.S)   # a chart: its table beside it says the same in words
BIG_TABLE_ROWS = 20


def search_html(html):
    """A part as the search index reads it: without highlighted code, charts and tables of more
    than BIG_TABLE_ROWS rows (the models tables), so the search plugin parses O(prose)."""
    html = _SVG.sub("", _CODE.sub("", html))
    return _TABLE.sub(lambda m: "" if m.group(0).count("<tr") > BIG_TABLE_ROWS + 1 else m.group(0), html)
