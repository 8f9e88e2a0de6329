"""The whole generated site as plain data: load and validate data/, render every page, place the
generated pages in the navigation, fill the markers of hand-written pages.

No mkdocs import here: `hooks/mkdocs_hooks.py` turns a `SiteBuild` into MkDocs files, and another
generator (or the benchmark) can use the same pages.

    build = site.build(Path("data"))          # never raises for bad data
    build.problems                            # every data mistake, path:line:col: message
    build.pages                               # [render.Page] when the data is good
"""
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from calculator.api import rank_view

from hooks.sitegen.figures import Figures, render
from hooks.data.load import load_catalog
from hooks.data.problems import HasProblems
from hooks.sitegen.render import Page, text
from hooks.sitegen.pages import calculator as pages_calculator, errors as pages_errors, models as pages_models, pricing as pages_pricing

MARKER = re.compile(r"<!--\s*(topic-map|pricebook:([a-z0-9-]+))\s*-->")
SNIPPETS = ("base-urls", "routing", "quickstart", "quickstart-anthropic", "links", "brand", "stale-after-days")
INLINE_SNIPPETS = ("brand", "stale-after-days")


class SiteError(Exception):
    """A hand-written page asks for something the generator cannot give (e.g. an unknown marker)."""


@dataclass
class SiteBuild(HasProblems):
    data_dir: Path
    today: datetime.date
    result: object                      # hooks.load.LoadResult
    problems: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    nav_titles: dict = field(default_factory=dict)   # src_uri -> title in the navigation
    figures: object = None

    @property
    def catalog(self):
        return self.result.catalog

    @property
    def ok(self):
        return self.catalog is not None and not self.errors


def build(data_dir, today=None, strict=False):
    """Load data_dir and render every generated page. Never raises for bad data: `problems`
    lists every mistake and `pages` stays empty when any is an error."""
    data_dir = Path(data_dir)
    today = today or datetime.date.today()
    result = load_catalog(data_dir, today=today, strict=strict)
    out = SiteBuild(data_dir, today, result, list(result.problems))
    if result.catalog is None or out.errors:
        return out
    catalog = result.catalog
    out.figures = Figures(catalog)
    out.pages = (pages_models.pages(catalog, out.figures)
                 + pages_pricing.pages(catalog, out.figures, today)
                 + calculator_pages(catalog)
                 + error_pages(catalog))
    seen = {}
    for page in out.pages:
        if page.src_uri in seen:
            raise SiteError(f"two generated pages at {page.src_uri}")
        seen[page.src_uri] = page
    for f in catalog.families.values():
        # Nav titles are written into the HTML as they are: escape them like any data text.
        out.nav_titles[f"models/family/{f.id}.md"] = text(f.name)
        out.nav_titles[f"pricing/{f.id}.md"] = f"{text(f.name)} vs official"
    return out


def error_pages(catalog):
    return list(pages_errors.pages(catalog))


def calculator_pages(catalog):
    return list(pages_calculator.pages(catalog))


def render_page(src_uri, template, catalog, edit_path, in_nav, **context):
    return Page(src_uri, render(template, site=catalog.site, **context), edit_path=edit_path, in_nav=in_nav)


# ---- navigation ------------------------------------------------------------------------------

def _nav_paths(nav):
    """Every page path listed in a MkDocs nav (list of str / {title: str | list})."""
    for item in nav or ():
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from _nav_paths(value)


def _section_with(nav, index_path):
    """The list (nav section) that holds `index_path`, or None."""
    for item in nav or ():
        values = [item] if isinstance(item, str) else list(item.values()) if isinstance(item, dict) else []
        for value in values:
            if value == index_path:
                return nav
            if isinstance(value, list):
                found = _section_with(value, index_path)
                if found is not None:
                    return found
    return None


def expand_nav(nav, build):
    """Add every generated in-nav page that mkdocs.yml does not list to the section whose index is
    `<first folder>/index.md`, right after that index (in page order). Modifies `nav` in place.
    Pages kept out of the nav (per-model pages) are not touched: build time stays linear."""
    if nav is None:
        return nav
    listed = set(_nav_paths(nav))
    inserted = {}
    for page in build.pages:
        if not page.in_nav or page.src_uri in listed:
            continue
        folder = page.src_uri.split("/", 1)[0] if "/" in page.src_uri else ""
        section = _section_with(nav, f"{folder}/index.md") if folder else None
        entry = {build.nav_titles[page.src_uri]: page.src_uri} if page.src_uri in build.nav_titles else page.src_uri
        if section is None:
            nav.append(entry)
            continue
        index_at = next(i for i, item in enumerate(section) if f"{folder}/index.md" in _nav_paths([item]))
        at = index_at + 1 + inserted.get(id(section), 0)
        section.insert(at, entry)
        inserted[id(section)] = inserted.get(id(section), 0) + 1
        listed.add(page.src_uri)
    return nav


# ---- the topic map and the markers of hand-written pages --------------------------------------

def _root(src_uri):
    """The relative prefix from a page's folder to the docs root ("" or "../" ...)."""
    return "../" * src_uri.count("/")


def topic_map(catalog, src_uri="index.md"):
    """The topic map ("continue with the right source" cards, from data/topics.yaml) for a page at
    src_uri; hooks/pages_errors.py renders it, for the overview and every troubleshooting page."""
    return pages_errors.topic_map(catalog, from_page=src_uri)


def default_slug(catalog, provider=None):
    """The model the quick-start examples use: the cheapest active model (for a short chat turn,
    as the engine ranks it) of the first family in site.yaml, or of the first family `provider`
    carries; "" when there is none."""
    families = [f.id for f in catalog.families.values() if provider is None or f.provider == provider]
    for family in families:
        rows = rank_view(catalog, {"input": 3000, "output": 800, "family": family}).get("rows") or []
        active = [r for r in rows if r["status"] == "active"] or rows
        if active:
            return active[0]["slug"]
    return catalog.models[0].slug if catalog.models else ""


def snippet(name, catalog, src_uri):
    if name not in SNIPPETS:
        raise SiteError(f"{src_uri}: unknown marker <!-- pricebook:{name} -->; the markers are "
                        f"<!-- topic-map --> and " + ", ".join(f"<!-- pricebook:{s} -->" for s in SNIPPETS))
    families = [{"family": f, "count": len(catalog.family_models(f.id)),
                 "provider_name": next((m.provider_name for m in catalog.family_models(f.id)), f.provider)}
                for f in catalog.families.values()]
    out = render(f"snippet-{name}.md.j2", site=catalog.site, root=_root(src_uri), families=families,
                  slug=default_slug(catalog), anthropic_slug=default_slug(catalog, provider="anthropic"))
    return out.strip() if name in INLINE_SNIPPETS else out


def fill_markers(markdown, catalog, src_uri):
    """Replace `<!-- topic-map -->` and `<!-- pricebook:NAME -->` in a hand-written page."""
    if "<!--" not in markdown:
        return markdown

    def sub(match):
        if match.group(1) == "topic-map":
            return topic_map(catalog, src_uri)
        return snippet(match.group(2), catalog, src_uri)

    return MARKER.sub(sub, markdown)
