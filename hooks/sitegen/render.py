"""Jinja rendering shared by every generated page: StrictUndefined, HTML-escaping filters.

A page module exposes `pages(catalog) -> list[Page]`; the MkDocs adapter adds each as a
generated file, and the benchmark writes the same pages to disk as plain Markdown.
"""
import html
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    src_uri: str          # e.g. "errors/out-of-balance.md"
    markdown: str
    edit_path: str = ""   # repo-relative YAML file the page comes from ("" = none)
    in_nav: bool = False  # per-model pages stay out of the nav (build time stays linear)


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


def make_env():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,        # templates produce Markdown: escape data with |text, |code, |url
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(text=text, code=code, url=url)
    return env


def renderer(**filters):
    """render(template, **context) over one environment (made on first use) with these filters
    added to the shared ones."""
    env = None

    def render_(template, **context):
        nonlocal env
        if env is None:
            env = make_env()
            env.filters.update(filters)
        return env.get_template(template).render(**context)
    return render_


render = renderer()
