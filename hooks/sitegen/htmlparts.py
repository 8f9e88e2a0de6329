"""Generated page bodies rendered to HTML by the page layer (issue 15 part 3); no mkdocs import.

A generated page's Markdown is split at its headings: MkDocs gets a *stub* (front matter, every
heading, and between them one placeholder paragraph per body part), so its toc, heading anchors,
page title and search sections stay MkDocs' own; the bodies are rendered here, with the same
Python-Markdown extensions and configuration as mkdocs.yml, by one reused converter. The adapter
swaps the HTML in for the placeholders at `on_page_content` and turns `.md` links into URLs with
MkDocs' own rules.

Each part is converted once per *skeleton* (a thousand model pages are a few dozen shapes): its
words (runs of letters and digits with inner "." or "-") are replaced by numbered letter tokens,
the skeleton is converted (or found converted), and the words are put back into the HTML. Exact
because the extensions configured here (PART_SAFE_EXTENSIONS; any other: no skeletons) treat such
a word and a token alike wherever one is replaced: outside HTML tags, attribute braces, code
fences (a ```text fence excepted: Pygments' text lexer copies it) and block-syntax lines
(admonition, details, tab titles: a type becomes a class and a title), never in what starts a line
(list markers), never after "&", "&#", "<" (entities, tag names). Inside tags only a money
cell's `<data value>`, a slug's `data-pb-also` aliases and a whole chart `<svg>` (one word) are
replaced: raw HTML that Markdown copies as it is. A long table (TABLE_ROWS body
rows or more, pipes at both ends) is converted row by row, each row skeleton once in a table of its
own with the same alignments: Python-Markdown builds a row from its text and the separator alone.
A part is converted as a document of its own; the content-tab counter, the one thing that runs
across parts, is renumbered; a page whose parts could share state (a link reference definition,
a heading Python-Markdown sees inside a part, a toc marker, inline highlighting) is converted in
one document, parts separated by a marker paragraph (also the reference: `skeletons=False`).
tests/test_html_parts.py compares both ways on every generated page of the default data and of a
synthetic catalog, and on hand-made traps.

Two more savings: a code block already highlighted in this build is not highlighted again (the
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

    def __init__(self, extensions, configs=None, skeletons=True):
        self.md = python_markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))
        self._highlighted = {}
        # by parts only with extensions whose state does not cross a part (see the module doc)
        self.skeletons = skeletons and {_name(e) for e in extensions} <= PART_SAFE_EXTENSIONS
        self._converted = {}   # skeleton -> HTML

    def shapes(self):
        """How many skeletons (parts and table rows) this converter has converted and keeps."""
        return len(self._converted)

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
        converted = self._by_parts(parts) if self.skeletons else None
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


    def _by_parts(self, parts):
        """Each part's HTML through skeletons, content-tab sets numbered across the page; None when
        a part could share state with another (then the page is converted at once)."""
        if any(_SHARED_STATE.search(text) for text in parts):
            return None
        prepared = []
        for text in parts:
            body, tables = _split_tables(text)
            skeleton = _skeleton(body)
            if skeleton is None:
                return None
            prepared.append((skeleton, tables))
        out, tab_sets = [], 0
        for (skeleton, fills), tables in prepared:
            entry = self._converted.get(skeleton)
            if entry is None:
                entry = self._converted[skeleton] = _template(self.convert(skeleton))
            html = _fill(entry, fills)
            found = [int(m.group(2)) for m in _TAB_SET.finditer(html)]
            if tab_sets and found:
                html = _TAB_SET.sub(lambda m: m.group(1) + str(int(m.group(2)) + tab_sets), html)
            tab_sets += max(found, default=0)
            for k, (separator, rows) in enumerate(tables):
                at = [m.span() for m in _ROW_PLACEHOLDER.finditer(html) if m.group(1) == str(k)]
                if len(at) != 1:
                    return None
                html = html[:at[0][0]] + "\n".join(self._row(separator, row) for row in rows) + html[at[0][1]:]
            out.append(html)
        return out

    def _row(self, separator, row):
        """The <tr> of one body row of a table with this separator line, converted once per row
        skeleton in a table of its own (Python-Markdown builds each row from its text, the
        alignments and the pipes alone)."""
        skeleton, fills = _skeleton(row)
        key = (separator, skeleton)
        entry = self._converted.get(key)
        if entry is None:
            columns = len(separator.strip("|").split("|"))
            html = self.convert("|" + " h |" * columns + f"\n{separator}\n{skeleton}\n")
            body = html[html.index("<tbody>\n") + len("<tbody>\n"):html.rindex("\n</tbody>")]
            entry = self._converted[key] = _template(body)
        return _fill(entry, fills)


# Extensions whose state lives within one part (the counter of pymdownx.tabbed is renumbered).
PART_SAFE_EXTENSIONS = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html", "pymdownx.details",
    "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.highlight", "pymdownx.inlinehilite"})
# Anywhere in a part: a link reference definition (defined for the whole document), a toc marker,
# inline highlighting (`#!lang`, `:::lang`: Pygments reads the words), the tab ids, the placeholders.
_SHARED_STATE = re.compile(r"^[ \t]{0,3}\[[^\]\n]*\]:|\[TOC\]|#!|:::|__tabbed_|data-tabs|pbv|PBROWS", re.M)
# Outside code fences: a heading Python-Markdown would see (indented under a tab, setext; toc
# makes its id unique across the document). A setext underline is one right under a line of text
# (or the first line of a piece); after a blank line it is a rule (the topic cards' "---").
_HEADING_INSIDE = re.compile(r"^[ \t]*#{1,6}(?:[ \t]|$)|(?:\A|^[ \t]*\S[^\n]*\n)[ \t]*[=-]+[ \t]*$", re.M)
_TAB_SET = re.compile(r'(__tabbed_|data-tabs=")(\d+)')
_FENCE_LINE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")
# Words (letters and digits, inner "." and "-") become tokens; skipped: HTML tags (autolinks,
# comments; but a money cell's <data value="..."> and a slug's data-pb-also="..." (its aliases)
# give their words to the fill, and a chart's whole
# <svg> is one fill: raw HTML, copied as it is), attribute braces, the lines of block syntax
# (admonition, details, tab, fence), what starts a line (list markers, quotes: the leading run of such characters), a word after "&", "&#",
# "<" or "</" (entities, tag names) or inside a longer run of word characters.
_WORDS = re.compile(r"(<data value=\"|<[^<>]* data-pb-also=\"|<(?!svg[ >])[^<>]*>|\{[^{}]*\}|^[ \t]*(?:!!!|\?\?\?|===|```|~~~)[^\n]*"
                    r"|^[ \t>*+#0-9.)-]+)"
                    r"|(?<![&<\w])(?<!&#)(?<!</)(<svg[ >][\s\S]*?</svg>|[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*)", re.M)
# A token: "Zpbv", four lowercase letters (its index in base 26), "Z": letters only.
_TOKEN = re.compile(r"Zpbv([a-z]{4})Z")
# Tables of this many body rows or more (a header and a separator line with pipes at both ends, at
# the start of a block, every row a line starting with a pipe) are converted row by row.
TABLE_ROWS = 8
_SEPARATOR = re.compile(r"\|[ :|-]*-[ :|-]*\|")
_ROW_PLACEHOLDER = re.compile(r"<tr>\n<td[^>]*>PBROWS(\d+)Z</td>(?:\n<td[^>]*></td>)*\n</tr>")


def _name(extension):
    return extension if isinstance(extension, str) else type(extension).__module__


def _token(i):
    while i >= len(_TOKENS):
        n, letters = len(_TOKENS), ""
        for _ in range(4):
            n, r = divmod(n, 26)
            letters = chr(97 + r) + letters
        _INDEX[letters] = len(_TOKENS)
        _TOKENS.append(f"Zpbv{letters}Z")
    return _TOKENS[i]


_TOKENS, _INDEX = [], {}


def _template(html):
    """(texts, token indices) of converted skeleton HTML: texts[0], then fills[indices[k]] and
    texts[k + 1] in turn make the page's HTML."""
    pieces = _TOKEN.split(html)
    return pieces[0::2], [_INDEX[letters] for letters in pieces[1::2]]


def _fill(entry, fills):
    texts, indices = entry
    out = [None] * (2 * len(texts) - 1)
    out[0::2] = texts
    out[1::2] = [fills[i] for i in indices]
    return "".join(out)


def _split_tables(text):
    """(text with the body of every long table replaced by one placeholder row, [(separator line,
    [body rows])] in placeholder order)."""
    if text.count("\n|") < TABLE_ROWS:
        return text, []
    lines = text.split("\n")
    out, tables, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        if (line.startswith("|") and line.rstrip(" ").endswith("|") and (i == 0 or not lines[i - 1].strip())
                and i + 1 < len(lines) and _SEPARATOR.fullmatch(lines[i + 1].rstrip(" "))):
            end = i + 2
            while end < len(lines) and lines[end].strip():
                end += 1
            rows = lines[i + 2:end]
            if len(rows) >= TABLE_ROWS and all(row.startswith("|") for row in rows):
                out += (line, lines[i + 1], f"| PBROWS{len(tables)}Z |")
                tables.append((lines[i + 1].rstrip(" "), rows))
                i = end
                continue
        out.append(line)
        i += 1
    return "\n".join(out), tables


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


def _skeleton(text):
    """(skeleton, [replaced words, in token order]) of a text (see the module doc), or None when
    Python-Markdown would see a heading in it."""
    fills, out = [], []
    for piece, code in _segments(text):
        if code:
            out.append(piece)
            continue
        if _HEADING_INSIDE.search(piece):
            return None
        pieces = _WORDS.split(piece)   # text, (skipped, None) or (None, word), text, ...
        words = pieces[2::3]
        _token(len(fills) + len(words))
        tokens = iter(_TOKENS[len(fills):])
        fills += [w for w in words if w is not None]
        pieces[2::3] = [None if w is None else next(tokens) for w in words]
        out += [x for x in pieces if x is not None]
    return "".join(out), fills


_CODE = re.compile(r'<div class="(?:language-[\w-]+ )?highlight"[^>]*>.*?</pre></div>', re.S)
_TABLE = re.compile(r"<table[ >].*?</table>", re.S)
_SVG = re.compile(r"<svg[ >].*?</svg>", re.S)   # a chart: its table beside it says the same in words
BIG_TABLE_ROWS = 20
_CELL_END = re.compile(r"</t[hd]>")
_NOT_CODE_TAG = re.compile(r"<(?!/?code[ >])[^>]*>")


def _table_text(m):
    table = m.group(0)
    if table.count("<tr") > BIG_TABLE_ROWS + 1:
        return ""
    return "<p>" + " ".join(_NOT_CODE_TAG.sub("", _CELL_END.sub(" ", table)).split()) + "</p>"


# What the search plugin (Material's search Parser) reads of a tag is its name, and of its attributes
# only data-search-exclude, class="linenodiv" and class="headerlink" (on a link in a heading): the
# attributes of these plainer tags are dropped, a content tab set left without code keeps only its
# labels and one whitespace (the parser's text, its whitespace collapsed, is the same).
_PLAIN_ATTRS = re.compile(r'<(a|div|label) (?:href|class|for)="[^"<>]*"(?: (?:title|data-tabs)="[^"<>]*")?>')
_EMPTY_TABS = re.compile(r'<div class="tabbed-set[^"<>]*"(?: data-tabs="[0-9:]*")?>(?:<input [^<>]*/>)*'
                         r'<div class="tabbed-labels">((?:<label for="[^"<>]*">[^<>]*</label>)+)</div>'
                         r'(\s*<div class="tabbed-content">\s*(?:<div class="tabbed-block">\s*</div>\s*)*</div>\s*)</div>')
_LABEL = re.compile(r'<label for="[^"<>]*">')


def _plain_tag(m):
    tag = m.group(0)
    return tag if "headerlink" in tag or "linenodiv" in tag else f"<{m.group(1)}>"


def _tab_labels(m):
    return "<div>" + _LABEL.sub("<label>", m.group(1)) + ("\n" if m.group(2) else "") + "</div>"


def search_html(html):
    """A part as the search index reads it: without highlighted code and charts, without tables of
    more than BIG_TABLE_ROWS rows (the models tables), the other tables as one paragraph of their
    cells' text (inline code kept), tab sets without code as their labels, links and blocks without
    attributes, so the search plugin parses O(prose) and few tags, and indexes the same text."""
    html = _TABLE.sub(_table_text, _SVG.sub("", _CODE.sub("", html)))
    return _PLAIN_ATTRS.sub(_plain_tag, _EMPTY_TABS.sub(_tab_labels, html))
