"""Rules for data/topics.yaml beyond its schema: every card's link is a key of site.yaml links (the
loader calls check_links), and every card names a page the site has. The pages
are known only with the site (hand-written docs/ plus the generated pages), so the build and
`pricebook check` call this once they have both."""
import difflib

from hooks.data.yamlfile import as_list


def check_links(ctx, doc, site):
    """A card's `link:` names a key of site.yaml's links (else the card silently disappeared)."""
    links = site.get("links") if isinstance(site, dict) and isinstance(site.get("links"), dict) else {}
    for i, card in enumerate(as_list(doc.data.get("topics") if isinstance(doc.data, dict) else None)):
        link = card.get("link") if isinstance(card, dict) else None
        if isinstance(link, str) and link not in links:
            close = difflib.get_close_matches(link, list(links), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            ctx.add(doc, ("topics", i, "link"), f"topics[{i}].link: '{link}' is not a key of site.yaml links "
                                                f"({', '.join(links) or 'none'}), so the card would not be "
                                                f"shown{hint}")


def missing_pages(docs, site_pages):
    """Problems for a topics.yaml card whose page is not a page of the site. docs: the loader's
    {path: YamlDoc}; site_pages: every Markdown path the site has, relative to docs/."""
    site_pages = set(site_pages)
    problems = []
    for path, doc in docs.items():
        if not path.endswith("topics.yaml") or not isinstance(doc.data, dict):
            continue
        for i, card in enumerate(as_list(doc.data.get("topics"))):
            page = card.get("page") if isinstance(card, dict) else None
            if isinstance(page, str) and page not in site_pages:
                close = difflib.get_close_matches(page, sorted(site_pages), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(doc.problem(("topics", i, "page"), f"topics[{i}].page: '{page}' is not a page "
                                            f"of the site (no docs/{page} and no generated page){hint}"))
    return problems
