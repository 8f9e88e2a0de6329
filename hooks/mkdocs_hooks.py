"""The MkDocs adapter: the only file that imports mkdocs. Each event hands MkDocs objects to plain
functions in hooks/sitegen and takes plain values back; nothing is kept between builds except on
the build's own `config` (a `mkdocs serve` rebuild loads a new one and starts afresh), and, under
`mkdocs serve`, the page layer's converted shapes (_kept_converter).

on_config       the settings (mkdocs.yml extra.pricebook, validated; hooks/sitegen/settings.py), then
                load and check data/ and render every generated page (hooks/sitegen/build.py); bad
                data -> one PluginError listing every `path:line:col: message`; warnings are logged
                (fatal with --strict); the generated in-nav pages join the navigation (nav.py)
                (`mkdocs serve` keeps the page layer's converter, so its shapes, between rebuilds)
on_files        the generated pages (File.generated; per-model pages NOT_IN_NAV) with edit links to
                their YAML file; the markers of hand-written pages filled once (markers.py); the
                topics.yaml cards checked against the pages the site has; the exports (export.py)
on_nav          which pages are outside the navigation and which of them can share one rendering of
                it (nav.sharing)
on_env          Material's navigation and tabs partials rendered once per such group of pages, not
                once per page (the whole navigation is in every page: per-model pages x nav items),
                the header partials that do not depend on the page once per build, and base.html's
                asset blocks (styles, scripts, the __config JSON) once per folder depth; the
                calculator page's inline worker start and its CSP hash (pages/calculator.py)
on_pre_page     the page converted by one Python-Markdown instance per build, reset for each page
                (MkDocs 1.6 makes one with every extension for every page); another MkDocs: its own
on_page_content the generated bodies rendered by the page layer (htmlparts.py) put in for their
                placeholders, links turned into URLs by MkDocs' own rule (each link's target found
                once per source folder), their anchors recorded
on_page_context the search plugin reads the generated pages without code and big tables (swapped
                in before it, the whole page put back after it)
on_startup      remembers whether this is `mkdocs serve` (no precompressed copies: its server
                does not use them, and each rebuild would pay for them)
on_pre_build    check that the site folder can be written (one line, not MkDocs' traceback)
on_post_build   vendor tablesort and Pyodide with the calculator's .pyc stdlib, build the calculator
                wheel (vendor.py); scan every file the build wrote for a real-looking API key, the
                last gate (secrets.py); then write .br/.gz beside the static assets (precompress.py)
Every event is wrapped by _plain_errors: whatever fails reaches MkDocs as one PluginError line.
"""
import functools
import html as html_lib
import json
import logging
import os
import posixpath
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import jinja2
import markdown as python_markdown
from markdown.util import AMP_SUBSTITUTE
import mkdocs
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import _RelativePathTreeprocessor
from mkdocs.utils import get_relative_url

_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:  # the repository is importable even without `pip install -e .`
    sys.path.insert(0, str(_REPO))

from hooks.data.rules import topics_yaml  # noqa: E402
from hooks.sitegen import build as sitegen, export, htmlparts, markers, precompress, publish, secrets, settings, vendor  # noqa: E402,E501
from hooks.sitegen import nav as nav_module  # noqa: E402
from hooks.sitegen.pages.calculator import start_worker_script  # noqa: E402

log = logging.getLogger("mkdocs.plugins.pricebook")
STATE = "pricebook"   # the key on MkDocs' config that carries this build's SiteBuild and Settings
_COMMAND = {"name": "build"}  # from on_startup: "build", "gh-deploy" or "serve"


def _plain_errors(event):
    """Every failure of an event reaches MkDocs as one PluginError message, never a traceback: the
    project's own errors as they are; anything else as an internal error naming the event."""
    @functools.wraps(event)
    def run(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except PluginError:
            raise
        except (sitegen.SiteError, vendor.VendorError, settings.SettingsError) as err:
            raise PluginError(f"pricebook: {err}") from None
        except Exception as err:  # a bug, not the data: say so in one line
            raise PluginError(f"pricebook: internal error in {event.__name__} ({type(err).__name__}: {err}); "
                              "`pricebook check` names any data problem, otherwise please report this") from None
    return run


def _root(config):
    return Path(config.config_file_path).resolve().parent if config.config_file_path else _REPO


def _problems(data_dir, problems):
    return PluginError(f"pricebook: {len(problems)} problem(s) in the data in {data_dir}; fix each line "
                       "below (`pricebook check` lists the same):\n" + "\n".join(map(str, problems)))


def on_startup(command, dirty):
    _COMMAND["name"] = command


@_plain_errors
def on_config(config):
    chosen = settings.load(config.extra.get("pricebook"), _root(config), os.environ)
    markdown = (config.markdown_extensions, config.mdx_configs)
    build = sitegen.build(chosen.data_dir, today=chosen.today(), compare_git=True, markdown=markdown,
                          converter=_kept_converter(markdown))
    for problem in build.warnings:
        log.warning(str(problem))
    for note in build.notes:
        log.info(f"pricebook: {note}")
    if not build.ok:
        raise _problems(chosen.data_dir, build.errors)
    config.nav = nav_module.expanded(config.nav, build.pages, build.nav_titles)
    brand = build.catalog.site.get("brand")
    if brand:  # another gateway changes only data/: the site name follows site.yaml's brand
        config.site_name = f"{brand} docs"
    config[STATE] = {"build": build, "settings": chosen,
                     "html": {p.src_uri: p for p in build.pages if p.html_parts}, "search": {}, "whole": {}, "links": {},
                     "generated": {p.src_uri for p in build.pages}}
    return config


# `mkdocs serve`: the page layer's converter kept between rebuilds, with the shapes it converted (a
# price edit changes words, rarely a shape); one, for one Markdown configuration (its repr: names
# and options; an extension given as an object is never the same, so never kept), started afresh
# past KEEP_SHAPES shapes. `mkdocs build` makes one per build (sitegen.build).
_KEPT = {}
KEEP_SHAPES = 100_000


def _kept_converter(markdown):
    if _COMMAND["name"] != "serve":
        return None
    key = repr(markdown)
    kept = _KEPT.get(key)
    if kept is None or kept.shapes() > KEEP_SHAPES:
        _KEPT.clear()
        kept = _KEPT[key] = htmlparts.Converter(*markdown)
    return kept


def _edit_uri(config, edit_path):
    """The generated page's edit link target, relative to docs_dir (MkDocs joins it to edit_uri)."""
    return Path(os.path.relpath(_root(config) / edit_path, config.docs_dir)).as_posix()


@_plain_errors
def on_files(files, config):
    build = config[STATE]["build"]
    in_nav = nav_module.listed(build.pages)
    for page in build.pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            log.warning(f"docs/{page.src_uri} is replaced by the generated page of the same path; "
                        "move or delete the hand-written file")
            files.remove(existing)
        f = File.generated(config, page.src_uri, content=page.stub or page.markdown,
                           inclusion=InclusionLevel.UNDEFINED if page.src_uri in in_nav else InclusionLevel.NOT_IN_NAV)
        if page.edit_path:
            f.edit_uri = _edit_uri(config, page.edit_path)
        files.append(f)

    missing = topics_yaml.missing_pages(build.result.docs, (f.src_uri for f in files.documentation_pages()))
    if missing:
        raise _problems(build.data_dir, missing)
    generated = {p.src_uri for p in build.pages}
    docs = []
    for f in files.documentation_pages():
        if f.src_uri not in generated:
            text = f.content_string
            filled = markers.fill_markers(text, build.catalog, f.src_uri, build.today.isoformat())
            if filled != text:
                f.content_string = filled   # filled once: MkDocs reads the page from here
            docs.append((f.src_uri, filled))
    docs.sort(key=lambda d: (d[0] != "index.md", d[0]))
    docs += [(p.src_uri, p.markdown) for p in build.pages]
    for path, content in export.files(build.catalog, docs, build.data_dir / "schema", config.site_url or "",
                                      config.use_directory_urls, figs=build.figures).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


@_plain_errors
def on_pre_build(config):
    problem = publish.site_dir_problem(config.site_dir)
    if problem:
        raise PluginError(f"pricebook: {problem}")


@_plain_errors
def on_post_build(config):
    chosen = config[STATE]["settings"]
    site_dir = Path(config.site_dir)
    root = _root(config)
    node_modules = root / "node_modules"
    cache = node_modules / ".cache" / "pricebook"  # compiled stdlib and compressed copies, by content
    calc_dir = site_dir / "assets" / "calculator"
    vendor.copy_tablesort(node_modules, site_dir)
    wheel = vendor.build_calculator_wheel(root, calc_dir)
    # What the calculator page hands its worker; paths are relative to this file's folder.
    worker = {"wheel": wheel.name, "prices": "catalog.json", "pyodide": chosen.pyodide_url or "../pyodide/"}
    if not chosen.pyodide_url and chosen.vendor_pyodide:
        # The vendored copy carries the calculator's own .pyc stdlib; a CDN's is its stock one.
        stdlib = vendor.stdlib_zip(node_modules, wheel, calc_dir / "catalog.json", cache)
        vendor.copy_pyodide(node_modules, site_dir, stdlib)
        worker["lock"] = vendor.pyodide_lock_info(node_modules)
    (calc_dir / "config.json").write_text(json.dumps(worker, indent=1) + "\n", encoding="utf-8")
    leaked = secrets.leaked_keys(site_dir)
    if leaked:
        raise PluginError(f"pricebook: {len(leaked)} real-looking API key(s) in the built site {site_dir}; "
                          "it must not be published:\n" + "\n".join(leaked[:20]))
    if chosen.precompress and _COMMAND["name"] != "serve":
        precompress.precompress(site_dir, cache / "precompressed", best=("assets/pyodide/",))


def _nav_urls(items):
    for item in items:
        if isinstance(getattr(item, "url", None), str):
            yield item.url
        yield from _nav_urls(getattr(item, "children", None) or ())


@_plain_errors
def on_nav(nav, config, files):
    theme = config.theme
    urls = [*_nav_urls(nav.items), *(u for u in (config.extra.get("homepage"), theme.get("logo"), theme.get("favicon"))
                                     if isinstance(u, str))]
    config[STATE]["nav"] = ({id(p) for p in nav.pages}, nav_module.sharing(urls))
    return nav


# Material's partials rendered once per group of pages: the navigation and the tabs depend on the
# page only through what is active and the relative URLs (nav.sharing: pages outside the nav); the
# header's search box, palette toggle and source link (docs/overrides/partials/source.html) not at all.
NAV_PARTIALS = ("partials/nav.html", "partials/tabs.html")
PAGE_FREE_PARTIALS = ("partials/search.html", "partials/palette.html", "partials/source.html")


@_plain_errors
def on_env(env, config, files):
    in_nav, key_of = config[STATE]["nav"]

    def nav_key(context):
        page = context.get("page")
        return None if page is None or id(page) in in_nav else key_of(page.url)

    for names, key in ((NAV_PARTIALS, nav_key), (PAGE_FREE_PARTIALS, lambda context: "")):
        for name in names:
            try:
                template = env.get_template(name)
            except jinja2.TemplateNotFound:   # another theme: nothing to share
                continue
            template.root_render_func = _shared(template.root_render_func, key)
    _share_asset_blocks(env, config)
    env.globals["pricebook_start_worker"] = start_worker_script()   # docs/overrides/main.html
    return env


# Material's base.html blocks that depend on the page only through the relative URLs of the assets
# they link (and base_url): rendered once per folder key (nav.sharing over those URLs), not per page.
ASSET_BLOCKS = ("styles", "libs", "fonts", "analytics", "config", "scripts")
_MATERIAL_ASSETS = ("assets/stylesheets/", "assets/javascripts/", "assets/javascripts/workers/")


def _share_asset_blocks(env, config):
    if config.theme.name != "material":
        return
    try:
        base = env.get_template("base.html")
    except jinja2.TemplateNotFound:
        return
    if Path(base.filename or "").parent.parts[-2:] != ("material", "templates"):   # a base.html of the site's own
        return
    extra = config.extra.get("polyfills") or []
    urls = [*_MATERIAL_ASSETS, *map(str, config.extra_css), *map(str, config.extra_javascript),
            *(str(u) for u in (extra if isinstance(extra, list) else []))]
    key_of = nav_module.sharing(urls)

    def key(context):
        page = context.get("page")
        return None if page is None or not isinstance(getattr(page, "url", None), str) else key_of(page.url)

    for name in ASSET_BLOCKS:
        if name in base.blocks:
            base.blocks[name] = _shared(base.blocks[name], key)


def _shared(render, key_of):
    """Jinja's render function of an included partial, rendered once per key(context) (None: every
    time). MkDocs' theme environment is made anew for every build, so is this memo."""
    memo = {}

    def root_render_func(context, *args, **kwargs):
        key = key_of(context)
        if key is None:
            yield from render(context, *args, **kwargs)
            return
        if key not in memo:
            memo[key] = "".join(render(context, *args, **kwargs))
        yield memo[key]
    return root_render_func


# MkDocs 1.6's Page.render, but with the build's one Markdown instance (reset per page) instead of a
# new one per page: building the extensions was a third of converting a heading-only stub. Any other
# MkDocs version keeps its own render (what it does may differ).
_REUSE_MARKDOWN = mkdocs.__version__.startswith("1.6.") and all(
    hasattr(mkdocs_pages, name) for name in ("_RawHTMLPreprocessor", "_ExtractAnchorsTreeprocessor",
                                             "_ExtractTitleTreeprocessor", "get_toc", "log"))


@_plain_errors
def on_pre_page(page, config, files):
    if _REUSE_MARKDOWN and STATE in config:
        page.render = functools.partial(_render, page)
    return page


def _render(page, config, files):
    """mkdocs.structure.pages.Page.render (MkDocs 1.6) with the build's reused Markdown instance."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    state = config[STATE]
    md = state.get("markdown")
    if md is None:
        md = state["markdown"] = python_markdown.Markdown(extensions=config["markdown_extensions"],
                                                          extension_configs=config["mdx_configs"] or {})
    md.reset()   # registering a processor under the same name replaces the previous page's
    raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
    raw_html_ext._register(md)
    extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    extract_anchors_ext._register(md)
    relative_path_ext = _RelativePathTreeprocessor(page.file, files, config)
    relative_path_ext._register(md)
    extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
    extract_title_ext._register(md)

    page.content = md.convert(page.markdown)
    page.toc = mkdocs_pages.get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = extract_title_ext.title
    page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
    if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_path_ext.links_to_anchors


_LINK = re.compile(r'(<(?:a|img)\s[^>]*?\b(?:href|src)=")([^"]*)(")')
_ID = re.compile(r'<[a-zA-Z][^>]*?\s(?:id|name)="([^"]*)"')


def _urls(part, links, memo):
    """The part's relative links made URLs exactly as MkDocs makes them (and warned about alike)."""
    def sub(m):
        raw = html_lib.unescape(m.group(2))
        new = _path_to_url(links, raw, memo)
        if new == raw:
            return m.group(0)
        return m.group(1) + html_lib.escape(new, quote=True).replace("&#x27;", "'") + m.group(3)
    return _LINK.sub(sub, part)


def _path_to_url(links, raw, memo):
    """links.path_to_url(raw), the link's target found once per (source folder, link) in a build:
    the thousand model pages link to the same pages. Kept: an external link (MkDocs leaves it as it
    is) and a relative link to a file of the site that is not excluded (MkDocs makes it a URL
    without a warning); the URL is still made relative to each page and a link to an anchor still
    recorded for the anchor check. Anything else (a warning, a link to the page itself): MkDocs'
    own path_to_url every time."""
    page = links.file
    key = (posixpath.dirname(page.src_uri), raw)
    found = memo.get(key)
    if found is None:
        scheme, netloc, path, query, anchor = urlsplit(raw)
        found = False
        if scheme or netloc:
            found = True
        elif path and not raw.startswith(("/", "\\")) and AMP_SUBSTITUTE not in raw:
            target = links.files.get_file_from_path(_RelativePathTreeprocessor._target_uri(page.src_uri, unquote(path)))
            if target is not None and not target.inclusion.is_excluded():
                found = (target, query, anchor)
        memo[key] = found
    if found is True:
        return raw
    if found is False:
        return links.path_to_url(raw)
    target, query, anchor = found
    if anchor:
        links.links_to_anchors.setdefault(target, {}).setdefault(anchor, raw)
    return urlunsplit(("", "", get_relative_url(target.url, page.url), query, anchor))


@_plain_errors
def on_page_content(html, page, config, files):
    state = config[STATE]
    generated = state["html"].get(page.file.src_uri)
    if generated is None:
        if page.file.src_uri in state["generated"]:   # rendered by MkDocs: searched the same way
            search = htmlparts.search_html(html)
            if search != html:
                state["search"][page.file.src_uri] = search
        return html
    links = _RelativePathTreeprocessor(page.file, files, config)
    whole, search = html, html
    for key, part in generated.html_parts.items():
        marker = htmlparts.key_paragraph(key)
        if whole.count(marker) != 1:
            raise sitegen.SiteError(f"{page.file.src_uri}: the placeholder of a rendered part is missing or repeated")
        part = _urls(part, links, state["links"])
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(html_lib.unescape(i) for i in _ID.findall(part))
        whole = whole.replace(marker, part)
        search = search.replace(marker, htmlparts.search_html(part))
    if page.links_to_anchors is not None:
        for target, anchors in links.links_to_anchors.items():
            for anchor, url in anchors.items():
                page.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
    if search != whole:
        state["search"][page.file.src_uri] = search
    return whole


@event_priority(100)   # before the search plugin reads page.content
def _search_reads_less(context, page, config, nav):
    state = config.get(STATE) or {}
    search = state.get("search", {}).pop(page.file.src_uri, None)
    if search is not None:
        state["whole"][page.file.src_uri] = page.content
        page.content = search
    return context


@event_priority(-100)  # after it: the page is rendered whole
def _whole_page_back(context, page, config, nav):
    whole = (config.get(STATE) or {}).get("whole", {}).pop(page.file.src_uri, None)
    if whole is not None:
        page.content = whole
    return context


on_page_context = CombinedEvent(_search_reads_less, _whole_page_back)
