"""The whole generated site as plain data: load and validate data/, render every generated page.
(Where they go in the navigation: nav.py; the markers of hand-written pages: markers.py.)

No mkdocs import here: `hooks/mkdocs_hooks.py` turns a `SiteBuild` into MkDocs files, and another
generator (or the benchmark) can use the same pages.

    build = build.build(Path("data"))          # never raises for bad data
    build.problems                            # every data mistake, path:line:col: message
    build.pages                               # [render.Page] when the data is good
"""
import dataclasses
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from hooks.sitegen.figures import Figures
from hooks.data.load import load_catalog
from hooks.data.problems import HasProblems
from hooks.data.rules import git_history
from hooks.sitegen import htmlparts
from hooks.sitegen.render import macro, text
from hooks.sitegen.pages import (aliases as pages_aliases, calculator as pages_calculator, errors as pages_errors,
                                 models as pages_models, pricing as pages_pricing)

class SiteError(Exception):
    """The generator cannot make what was asked (an unknown marker in a hand-written page, two
    pages at one path)."""


@dataclass
class SiteBuild(HasProblems):
    data_dir: Path
    today: datetime.date
    result: object                      # hooks.load.LoadResult
    problems: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    nav_titles: dict = field(default_factory=dict)   # src_uri -> title in the navigation
    figures: object = None
    notes: list = field(default_factory=list)        # one-line remarks that are not problems

    @property
    def catalog(self):
        return self.result.catalog

    @property
    def ok(self):
        return self.catalog is not None and not self.errors


def build(data_dir, today=None, strict=False, compare_git=False, markdown=None, converter=None):
    """Load data_dir and render every generated page. Never raises for bad data: `problems`
    lists every mistake and `pages` stays empty when any is an error. `compare_git` adds the
    comparison of the models files with git HEAD (hooks/data/rules/git_history.py).
    `markdown`: (extensions, extension configs) as MkDocs converts pages; given, the bodies of
    the pages of HTML_KINDS are rendered to HTML here (Page.stub, Page.html_parts), by `converter`
    when given (an htmlparts.Converter made with the same `markdown`: `mkdocs serve` keeps one
    between rebuilds, and its converted shapes with it), else by a new one."""
    data_dir = Path(data_dir)
    today = today or datetime.date.today()
    result = load_catalog(data_dir, today=today, strict=strict)
    out = SiteBuild(data_dir, today, result, list(result.problems))
    if compare_git:
        found, note = git_history.compare_with_head(data_dir, result.docs, strict=strict)
        out.problems = sorted(set(out.problems + found), key=lambda p: (p.path, p.line, p.col, p.message))
        out.notes += [note] if note else []
    if result.catalog is None or out.errors:
        return out
    catalog = result.catalog
    out.figures = Figures(catalog, today.isoformat())
    out.pages = (pages_models.pages(catalog, out.figures)
                 + pages_pricing.pages(catalog, out.figures, today)
                 + calculator_pages(catalog, today.isoformat())
                 + error_pages(catalog)
                 + pages_aliases.pages(catalog))
    seen = {}
    for page in out.pages:
        if page.src_uri in seen:
            raise SiteError(f"two generated pages at {page.src_uri}")
        seen[page.src_uri] = page
    if markdown is not None:
        out.pages = with_html(out.pages, catalog, converter or htmlparts.Converter(*markdown))
    for f in catalog.families.values():
        # Nav titles are written into the HTML as they are: escape them like any data text.
        out.nav_titles[f"models/family/{f.id}.md"] = text(f.name)
        out.nav_titles[f"pricing/{f.id}.md"] = f"{text(f.name)} vs official"
    return out


def error_pages(catalog):
    return list(pages_errors.pages(catalog))


def calculator_pages(catalog, at):
    return list(pages_calculator.pages(catalog, at))


# Which generated pages get their bodies rendered here: those whose number grows with the catalog
# (one page per model, alias and error family, the models and pricing tables). The hand-written
# pages are rendered whole by MkDocs.
HTML_KINDS = ("models/", "pricing/", "errors/")
_EXAMPLES = ("openai_tabs", "anthropic_tabs")   # _macros.md.j2: a model page's request examples


def _model_substitutions(page, catalog, models, markdown):
    """A model page's request examples with a placeholder slug (the same on every model page, so
    highlighted once per build), and {placeholder: slug} to put the slug back in the HTML."""
    model = models.get(page.src_uri[len("models/"):-len(".md")]) if page.src_uri.count("/") == 1 else None
    if model is None or not htmlparts.SAFE_SLUG.fullmatch(model.slug) or htmlparts.PLACEHOLDER_SLUG in markdown:
        return markdown, {}
    site, changed = catalog.site, False
    for name in _EXAMPLES:
        real = macro("_macros.md.j2", name, site, model.slug)
        if real and real in markdown:
            markdown = markdown.replace(real, macro("_macros.md.j2", name, site, htmlparts.PLACEHOLDER_SLUG))
            changed = True
    return markdown, ({htmlparts.PLACEHOLDER_SLUG: model.slug} if changed else {})


def with_html(pages, catalog, converter):
    out, models = [], {m.slug: m for m in catalog.models}
    for page in pages:
        if page.src_uri.startswith(HTML_KINDS):
            source, subs = _model_substitutions(page, catalog, models, page.markdown)
            stub, parts = converter.page(source, subs)
            if parts:
                page = dataclasses.replace(page, stub=stub, html_parts=parts)
        out.append(page)
    return out
