"""Generated page bodies rendered to HTML by the page layer (issue 15 part 3); no mkdocs import.

A generated page's Markdown is split at its headings: MkDocs gets a *stub* (front matter, every
heading, and between them one placeholder paragraph per body part), so its toc, heading anchors,
page title and search sections stay MkDocs' own; the bodies are rendered here, with the same
Python-Markdown extensions and configuration as mkdocs.yml, by one reused converter, all parts of
a page in one conversion (so counters such as content-tab ids run as in one document). The
adapter swaps the HTML in for the placeholders at `on_page_content` and turns `.md` links into
URLs with MkDocs' own rules.

Savings on top: a code block already highlighted in this build is not highlighted again (the
memo is keyed by everything the highlighter is given), and a model page's request examples are
converted with a placeholder slug (identical on every model page, so highlighted once) and get
the real slug after conversion. That substitution is exact: the slug sits inside string literals
of those examples and is made of letters, digits, ".", "_" and "-" (checked; else no substitution).

And each part is converted once per *skeleton* (issue 15: a thousand model pages are a few dozen
shapes): the part's numbers and the page's own identifiers (`values`: a model's slug, aliases,
provider id) are replaced by letter tokens, the skeleton is converted (or found converted), and the
tokens are replaced back in the HTML. Exact because Python-Markdown treats a run of digits or an
identifier like [A-Za-z0-9.-] and a run of letters alike wherever they are replaced: only outside
HTML tags, attribute braces and code fences (a ```text fence excepted: it is copied verbatim), never
at the start of a line (a list marker), never after `&`, `#` or `<` (entities, tags), never inside a
longer word. A part is converted alone, as a fresh document; the pages whose parts could share state
(link references, headings inside a part, inline highlighting) are converted in one document as
before, and the content-tab counter, the one thing that runs across parts, is renumbered.
tests/test_html_parts.py compares both ways on every generated page of the default data and of a
synthetic catalog.

    conv = Converter(extensions, configs)
    stub, parts = conv.page(markdown, substitutions={PLACEHOLDER_SLUG: "gpt-5"}, values=("gpt-5",))
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

    def __init__(self, extensions, configs=None, skeletons=True):
        self.md = python_markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))
        self._highlighted = {}
        # by parts only with extensions whose state does not cross a part (see the module doc)
        self.skeletons = skeletons and {_name(e) for e in extensions} <= PART_SAFE_EXTENSIONS
        self._converted = {}   # skeleton -> HTML

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

    def page(self, markdown, substitutions=None, values=()):
        """(stub Markdown, {placeholder key: HTML}) for a page, or (markdown, {}) when it has no
        body to render or its parts cannot be told apart after conversion (then MkDocs renders it
        all, as before). substitutions: {text in `markdown`'s code: text in the page} applied to
        the HTML (the caller guarantees they are exact). values: the page's own identifiers, for
        the skeletons (any string; those that are not plain identifiers are left alone)."""
        front = _FRONT.match(markdown)
        head = front.group(0) if front else ""
        chunks = _chunks(markdown[len(head):])
        parts = [t for k, t in chunks if k == "part"]
        if not parts or _SEP in markdown or "PRICEBOOKPART" in markdown:
            return markdown, {}
        converted = self._by_parts(parts, values) if self.skeletons else None
        if converted is None:
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


    def _by_parts(self, parts, values):
        """Each part's HTML, converted once per skeleton, content-tab sets numbered across the page;
        None when a part could share state with another (then the page is converted at once)."""
        idents = sorted({v for v in values if isinstance(v, str) and _IDENT.fullmatch(v)}, key=len, reverse=True)
        skeletons = []
        for text in parts:
            skeleton = _skeleton(text, idents)
            if skeleton is None:
                return None
            skeletons.append(skeleton)
        out, tab_sets = [], 0
        for skeleton, fills in skeletons:
            html = self._converted.get(skeleton)
            if html is None:
                html = self._converted[skeleton] = self.convert(skeleton)
            found = [int(m.group(2)) for m in _TAB_SET.finditer(html)]
            if tab_sets and found:
                html = _TAB_SET.sub(lambda m: m.group(1) + str(int(m.group(2)) + tab_sets), html)
            tab_sets += max(found, default=0)
            if fills:
                html = _TOKEN.sub(lambda m: fills[_token_index(m.group(1))], html)
            out.append(html)
        return out


# Extensions whose state lives within one part (the counter of pymdownx.tabbed is renumbered).
PART_SAFE_EXTENSIONS = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html", "pymdownx.details",
    "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.highlight", "pymdownx.inlinehilite"})
# Anywhere in a part: a link reference definition (defined for the whole document), inline
# highlighting (`#!lang`, `:::lang`: Pygments reads its digits), the tab ids, the tokens' letters.
_SHARED_STATE = re.compile(r"^[ \t]{0,3}\[[^\]\n]*\]:|#!|:::|__tabbed_|data-tabs|pbv", re.M)
# Outside code fences: a heading Python-Markdown would see (indented under a tab, setext; toc
# makes its id unique across the document).
_HEADING_INSIDE = re.compile(r"^[ \t]*#{1,6}(?:[ \t]|$)|^[ \t]*(?:=+|-{2,})[ \t]*$", re.M)
_TAB_SET = re.compile(r'(__tabbed_|data-tabs=")(\d+)')
_FENCE_LINE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")
# an identifier of the page: a letter first, a digit, "." or "-" in it, letters or digits at both ends
_IDENT = re.compile(r"[A-Za-z](?=[A-Za-z0-9.-]*[0-9.-])[A-Za-z0-9.-]*[A-Za-z0-9]")
# digit runs, skipping HTML tags (autolinks, comments), attribute braces and what starts a line
# (list markers, indentation, quotes: the whole leading run of such characters)
_DIGITS = re.compile(r"(<[^<>]*>|\{[^{}]*\}|^[ \t>*+#0-9.)-]+)|(?<![\w#&<])(?<!</)\d+", re.M)
# A token: "Zpbv", four lowercase letters (its index in base 26), "Z": letters only.
_TOKEN = re.compile(r"Zpbv([a-z]{4})Z")


def _name(extension):
    return extension if isinstance(extension, str) else type(extension).__module__


def _token(i):
    while i >= len(_TOKENS):
        n, letters = len(_TOKENS), ""
        for _ in range(4):
            n, r = divmod(n, 26)
            letters = chr(97 + r) + letters
        _TOKENS.append(f"Zpbv{letters}Z")
    return _TOKENS[i]


_TOKENS = []


def _token_index(letters):
    i = 0
    for ch in letters:
        i = i * 26 + ord(ch) - 97
    return i


def _segments(text):
    """The part cut at its code fences: [(text, is_code)]; a ```text fence is not code (Pygments'
    text lexer copies it), an unclosed fence runs to the end."""
    if "```" not in text and "~~~" not in text:
        return [(text, False)]
    out, start, pos, fence, code = [], 0, 0, None, False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if fence is None:
            m = _FENCE_LINE.fullmatch(line.rstrip("\n"))
            if m:
                fence, code = m.group(1), m.group(2).strip() != "text"
                if code:
                    out.append((text[start:pos], False))
                    start = pos
        elif stripped and not stripped.strip(fence[0]) and len(stripped) >= len(fence):
            if code:
                out.append((text[start:pos + len(line)], True))
                start = pos + len(line)
            fence = None
        pos += len(line)
    out.append((text[start:], fence is not None and code))
    return [(t, c) for t, c in out if t]


def _skeleton(text, idents):
    """(skeleton, [replaced text, in token order]) of a part (see the module doc), or None when the
    part could share state with the rest of its page."""
    if _SHARED_STATE.search(text):
        return None
    fills = []

    def digits(m):
        if m.group(1) is not None:
            return m.group(0)
        fills.append(m.group(0))
        return _token(len(fills) - 1)

    pieces = []
    for piece, code in _segments(text):
        if not code:
            if _HEADING_INSIDE.search(piece):
                return None
            for ident in idents:   # longest first; anywhere but after "&" (an entity's name)
                if ident in piece and "&" + ident not in piece:
                    piece = piece.replace(ident, _token(len(fills)))
                    fills.append(ident)
            piece = _DIGITS.sub(digits, piece)
        pieces.append(piece)
    return "".join(pieces), fills


_CODE = re.compile(r'<div class="(?:language-[\w-]+ )?highlight"[^>]*>.*?</pre></div>', re.S)
_TABLE = re.compile(r"<table[ >].*?</table>", re.S)
BIG_TABLE_ROWS = 20


def search_html(html):
    """A part as the search index reads it: without highlighted code and without tables of more
    than BIG_TABLE_ROWS rows (the models tables), so the search plugin parses O(prose)."""
    html = _CODE.sub("", html)
    return _TABLE.sub(lambda m: "" if m.group(0).count("<tr") > BIG_TABLE_ROWS + 1 else m.group(0), html)
