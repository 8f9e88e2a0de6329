"""One redirect page per model alias: models/<alias>.md -> /models/<alias>/, which sends the reader
to the canonical model page /models/<slug>/.

The redirect is static: the page's front matter `redirect:` becomes a meta refresh (and a canonical
link) in docs/overrides/main.html, and the page body links the model page, so it works offline and
without JavaScript. The pages stay out of the navigation and out of the search index.
"""
from hooks.sitegen.render import Page, code, fm, text

SITE_FILE = "data/site.yaml"


def alias_page(m, alias):
    target = f"../{m.slug}/"
    markdown = "\n".join([
        "---",
        f"title: {fm(f'{alias}: {m.name}')}",
        f"redirect: {fm(target)}",
        "search:",
        "  exclude: true",
        "hide:",
        "  - navigation",
        "  - toc",
        "---",
        "",
        f"# {text(alias)}",
        "",
        f"{code(alias)} is an alias of [{text(m.name)} ({code(m.slug)})]({m.slug}.md): the gateway "
        f"bills it as {code(m.slug)}. This page moves you there.",
        "",
    ])
    return Page(f"models/{alias}.md", markdown, edit_path=m.file or SITE_FILE, in_nav=False)


def pages(catalog):
    slugs = {m.slug for m in catalog.models}
    return [alias_page(m, alias) for m in catalog.models for alias in m.aliases
            if alias not in slugs and "/" not in alias and alias not in ("index", "family")]
