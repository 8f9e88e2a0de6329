"""The one Jinja environment of the build side: StrictUndefined, and every filter a template uses.

Templates make Markdown (with some HTML inside), so autoescape is off and every data text goes
through a filter: `text` and `code` (one escaped line), `paras` (escaped paragraphs), `cell` (a
table cell), `url` (an https URL), `literal` (verbatim where no escaping exists: a code block or a
link target; refused unless harmless), `fence` (a code block), `fm` and `yaml` (front matter).
Numbers reach templates as text already made by calculator.display; `tokens` is that module's
token count.

A page module exposes `pages(catalog, ...) -> list[Page]`; the MkDocs adapter adds each as a
generated file, and the benchmark writes the same pages to disk as plain Markdown.
"""
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from calculator import display
from hooks.data.rules.site_yaml import VERBATIM

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    src_uri: str          # e.g. "errors/out-of-balance.md"
    markdown: str
    edit_path: str = ""   # repo-relative YAML file the page comes from ("" = none)
    in_nav: bool = False  # per-model pages stay out of the nav (build time stays linear)
    # Set by the build when MkDocs' Markdown configuration is known (hooks/sitegen/htmlparts.py):
    # what MkDocs converts (front matter, headings, placeholders) and the HTML of each placeholder.
    # `markdown` stays the whole page (the exports and plain-MkDocs benchmark use it).
    stub: str = ""
    html_parts: dict = field(default_factory=dict, compare=False, hash=False)


_LEADING = re.compile(r"^([#+=!:~>-]|\d+[.)])")


def text(value):
    """One line of data text, safe inside Markdown and HTML: whitespace collapsed; <, >, &, quotes,
    Markdown's inline markers, attr_list braces and a leading block marker (#, -, 1. ...) escaped,
    so a model name or a phrase can never become markup."""
    escaped = html.escape(" ".join(str(value).split()), quote=True)
    for ch in "\\`*_[]|{}":
        escaped = escaped.replace(ch, f"&#{ord(ch)};")
    m = _LEADING.match(escaped)
    if m:
        mark = m.group(1)
        escaped = mark[:-1] + f"&#{ord(mark[-1])};" + escaped[len(mark):]
    return escaped


def code(value):
    """Verbatim data text in inline code, escaped (an error phrase, a slug)."""
    return f"<code>{text(value)}</code>"


def url(value):
    """A URL from data: only https (validated at load), attribute-escaped."""
    value = str(value)
    if not value.startswith("https://"):
        raise ValueError(f"refusing a non-https URL from data: {value!r}")
    return html.escape(value, quote=True)


def paras(value):
    """Plain text with blank-line paragraphs -> escaped Markdown paragraphs."""
    blocks = [b for b in re.split(r"\n\s*\n", str(value).strip()) if b.strip()]
    return "\n\n".join(text(b) for b in blocks)


def fence(content, lang="text", indent=0):
    """A fenced code block for verbatim content (highlighting escapes it), indented for tabs."""
    content = str(content).rstrip("\n")
    longest = max((len(r) for r in re.findall(r"`+", content)), default=0)
    ticks = "`" * max(3, longest + 1)
    lang = lang if re.fullmatch(r"[a-z]+", lang or "") else "text"
    pad = " " * indent
    lines = [f"{ticks}{lang}", *content.split("\n"), ticks]
    return "\n".join(pad + line if line else line for line in lines)


def fm(value, quote=False):
    """A front matter scalar: HTML-escaped (Material prints some meta raw), JSON-quoted (valid YAML)."""
    return json.dumps(html.escape(" ".join(str(value).split()), quote=quote))


def literal(value):
    """Data text placed verbatim where no escaping exists (a fenced code block, a shell command, a
    link target): allowed only when it is made of characters that mean nothing to Markdown, HTML
    or a shell (slugs, https URLs, key placeholders); anything else fails the build."""
    value = str(value)
    if not VERBATIM.match(value):
        raise ValueError(f"refusing to place {value!r} verbatim in a page: only letters, digits and "
                         "._~:/?#@+,=%- are allowed there")
    return value


def yaml_string(value):
    """A front-matter value: JSON is YAML, and json.dumps escapes every control character."""
    return json.dumps(str(value), ensure_ascii=True)


FILTERS = {"text": text, "code": code, "url": url, "cell": text, "paras": paras, "fence": fence,
           "fm": fm, "literal": literal, "yaml": yaml_string, "tokens": display.tokens}
_ENV = []   # made on first use


def _env():
    if not _ENV:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,        # templates produce Markdown: escape data with the filters above
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(FILTERS)
        _ENV.append(env)
    return _ENV[0]


def render(template, **context):
    """The template rendered with `context`."""
    return _env().get_template(template).render(**context)


def macro(template, name, *args):
    """One macro of a template, called with `args` (e.g. the request examples of _macros.md.j2)."""
    return str(getattr(_env().get_template(template).module, name)(*args))
