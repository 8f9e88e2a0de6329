"""The markers of hand-written pages: `<!-- topic-map -->` and `<!-- pricebook:NAME -->` in docs/*.md
become the topic map and data-driven snippets (base URLs, quick start, ...) at build time."""
import datetime
import re

from hooks.sitegen.build import SiteError
from hooks.sitegen.pages import errors as pages_errors
from hooks.sitegen.render import render

MARKER = re.compile(r"<!--\s*(topic-map|pricebook:([a-z0-9-]+))\s*-->")
SNIPPETS = ("base-urls", "routing", "quickstart", "quickstart-anthropic", "links", "brand", "stale-after-days")
INLINE_SNIPPETS = ("brand", "stale-after-days")


def _root(src_uri):
    """The relative prefix from a page's folder to the docs root ("" or "../" ...)."""
    return "../" * src_uri.count("/")


def topic_map(catalog, src_uri="index.md"):
    """The topic map ("continue with the right source" cards, from data/topics.yaml) for a page at
    src_uri; hooks/pages_errors.py renders it, for the overview and every troubleshooting page."""
    return pages_errors.topic_map(catalog, from_page=src_uri)


def _slug(model):
    return model.slug if model else ""


def snippet(name, catalog, src_uri, at):
    if name not in SNIPPETS:
        raise SiteError(f"{src_uri}: unknown marker <!-- pricebook:{name} -->; the markers are "
                        f"<!-- topic-map --> and " + ", ".join(f"<!-- pricebook:{s} -->" for s in SNIPPETS))
    families = [{"family": f, "count": len(catalog.family_models(f.id)),
                 "provider_name": next((m.provider_name for m in catalog.family_models(f.id)), f.provider)}
                for f in catalog.families.values()]
    out = render(f"snippet-{name}.md.j2", site=catalog.site, root=_root(src_uri), families=families,
                  slug=_slug(catalog.default_model(at)), anthropic_slug=_slug(catalog.default_model(at, provider="anthropic")))
    return out.strip() if name in INLINE_SNIPPETS else out


def fill_markers(markdown, catalog, src_uri, at=None):
    """Replace `<!-- topic-map -->` and `<!-- pricebook:NAME -->` in a hand-written page."""
    if "<!--" not in markdown:
        return markdown

    def sub(match):
        if match.group(1) == "topic-map":
            return topic_map(catalog, src_uri)
        return snippet(match.group(2), catalog, src_uri, at or datetime.date.today().isoformat())

    return MARKER.sub(sub, markdown)
