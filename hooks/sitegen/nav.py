"""Where generated pages go in the navigation: a pure function over the nav as mkdocs.yml writes it
(a list of "path" / {title: path or list}); the adapter hands it in and takes the result. And which
pages outside the navigation can share one rendering of it (`sharing`)."""
import copy
import posixpath


def _paths(nav):
    """Every page path listed in a nav."""
    for item in nav or ():
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from _paths(value)


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


# A section lists at most this many generated pages (families, error families) one by one; a
# section that would list more lists none: its index page lists them (issue 15: Material renders
# the whole navigation into every page, a hundred entries in one section cost every page of the
# site, and a sidebar that long is not read). The default data lists 8 to 9 per section.
NAV_LIMIT = 30


def listed(pages, limit=NAV_LIMIT):
    """The src_uri of the generated pages that go in the navigation: the in-nav pages of every
    folder with at most `limit` of them (its index.md not counted); limit None: every in-nav page."""
    by_folder = {}
    for page in pages:
        if page.in_nav and not page.src_uri.endswith("/index.md") and page.src_uri != "index.md":
            by_folder.setdefault(page.src_uri.rsplit("/", 1)[0] if "/" in page.src_uri else "", []).append(page)
    out = {p.src_uri for p in pages if p.in_nav}
    for members in by_folder.values():
        if limit is not None and len(members) > limit:
            out -= {p.src_uri for p in members}
    return out


def expanded(nav, pages, titles, limit=NAV_LIMIT):
    """A copy of `nav` with every generated page that goes in it (`listed`) and that it does not list
    added to the section whose index is `<first folder>/index.md`, right after that index (in page
    order); titles: src_uri -> nav title. Pages kept out of the nav (per-model pages, a section over
    the limit) are not touched."""
    if nav is None:
        return None
    nav = copy.deepcopy(nav)
    listed_here = set(_paths(nav))
    going_in = listed(pages, limit)
    inserted = {}
    for page in pages:
        if page.src_uri not in going_in or page.src_uri in listed_here:
            continue
        folder = page.src_uri.split("/", 1)[0] if "/" in page.src_uri else ""
        section = _section_with(nav, f"{folder}/index.md") if folder else None
        entry = {titles[page.src_uri]: page.src_uri} if page.src_uri in titles else page.src_uri
        if section is None:
            nav.append(entry)
            continue
        index_at = next(i for i, item in enumerate(section) if f"{folder}/index.md" in _paths([item]))
        at = index_at + 1 + inserted.get(id(section), 0)
        section.insert(at, entry)
        inserted[id(section)] = inserted.get(id(section), 0) + 1
        listed_here.add(page.src_uri)
    return nav


def _parts(url):
    """A URL's path as MkDocs' relative-URL rule reads it (mkdocs.utils._norm_parts)."""
    path = posixpath.normpath("/" + url)[1:]
    return tuple(path.split("/")) if path else ()


def sharing(target_urls):
    """A function page URL -> key for pages outside the navigation: pages with the same key get the
    same navigation HTML (issue 15: Material renders the whole navigation into every page; a
    per-model page costs a rendering per nav item). The theme renders a page outside the
    navigation with nothing active, so the page enters the HTML only through the relative URLs of
    `target_urls` (every URL the navigation links to), and mkdocs.utils.get_relative_url makes
    those from the page's folder D: two folders with the same parent and depth give the same URLs
    to every target outside both of them. Key: (parent, depth) of D; None (render it) when a target
    lies in D itself."""
    inside = set()
    for url in target_urls:
        parts = _parts(url)
        inside.update(parts[:i] for i in range(1, len(parts) + 1))

    def key(page_url):
        dirname, _, base = page_url.rpartition("/")
        folder = _parts(dirname if "." in base else page_url)
        if folder in inside:
            return None
        return folder[:-1], len(folder)
    return key
