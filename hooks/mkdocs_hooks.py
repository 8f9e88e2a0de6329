"""The MkDocs adapter: the only file that imports mkdocs. Each event calls plain functions.

on_config       load and validate data/ (every build, so `mkdocs serve` sees YAML edits), render
                the generated pages, add the in-nav ones to `nav`; bad data -> one PluginError
                listing every `path:line:col: message`; stale prices -> warnings (fatal with --strict)
on_files        check that every topics.yaml card names a page the site has (path:line otherwise), add
                the generated pages (File.generated; per-model pages NOT_IN_NAV) with edit links to
                their YAML file, and the exports (api/*.json, llms*.txt, the calculator's prices)
on_pre_build    check that the site folder can be written (one line, not MkDocs' traceback)
on_page_markdown  fill `<!-- topic-map -->` and `<!-- pricebook:NAME -->` in hand-written pages
on_post_build   vendor tablesort and Pyodide, build the calculator wheel into assets/calculator/, then
                scan every file the build wrote for a real-looking API key (the last gate)
Every event is wrapped by _plain_errors: whatever fails reaches MkDocs as one PluginError line.

Environment (for tests and one-off builds):
  PRICEBOOK_DATA=DIR         read the data from DIR instead of <mkdocs.yml folder>/data
  PRICEBOOK_TODAY=YYYY-MM-DD date the staleness check (default: today)
  PRICEBOOK_SKIP_PYODIDE=1   do not copy the 13 MB Pyodide runtime (the calculator then cannot run)
mkdocs.yml `extra.pyodide_url`: empty = the vendored copy; a URL (ending in /) = load Pyodide from there.
"""
import datetime
import functools
import json
import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:  # the repository is importable even without `pip install -e .`
    sys.path.insert(0, str(_REPO))

from hooks.sitegen import export, publish, secrets, vendor  # noqa: E402
from hooks.data.rules import topics_yaml
from hooks.sitegen import build as sitegen  # noqa: E402

log = logging.getLogger("mkdocs.plugins.pricebook")
_state = {}


def _plain_errors(event):
    """Every failure of an event reaches MkDocs as one PluginError message, never a traceback: the
    project's own errors as they are; anything else as an internal error naming the event."""
    @functools.wraps(event)
    def run(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except PluginError:
            raise
        except (sitegen.SiteError, vendor.VendorError) as err:
            raise PluginError(f"pricebook: {err}") from None
        except Exception as err:  # a bug, not the data: say so in one line
            raise PluginError(f"pricebook: internal error in {event.__name__} ({type(err).__name__}: {err}); "
                              "`pricebook check` names any data problem, otherwise please report this") from None
    return run


def _repo_root(config):
    return Path(config.config_file_path).resolve().parent if config.config_file_path else _REPO


def _data_dir(config):
    return Path(os.environ.get("PRICEBOOK_DATA") or _repo_root(config) / "data")


def _today():
    text = os.environ.get("PRICEBOOK_TODAY")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise PluginError(f"PRICEBOOK_TODAY={text!r} is not a date (YYYY-MM-DD)") from None


@_plain_errors
def on_config(config):
    data_dir = _data_dir(config)
    build = sitegen.build(data_dir, today=_today())
    for problem in build.warnings:
        log.warning(str(problem))
    if not build.ok:
        errors = build.errors
        raise PluginError(f"pricebook: {len(errors)} problem(s) in the data in {data_dir}; fix each line "
                          "below (`pricebook check` lists the same):\n" + "\n".join(str(p) for p in errors))
    sitegen.expand_nav(config.nav, build)
    brand = build.catalog.site.get("brand")
    if brand:  # another gateway changes only data/: the site name follows site.yaml's brand
        config.site_name = f"{brand} docs"
    _state.clear()
    _state["build"] = build
    return config


def _edit_uri(config, edit_path):
    """The generated page's edit link target, relative to docs_dir (MkDocs joins it to edit_uri)."""
    return Path(os.path.relpath(_repo_root(config) / edit_path, config.docs_dir)).as_posix()


@_plain_errors
def on_files(files, config):
    build = _state["build"]
    for page in build.pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            log.warning(f"docs/{page.src_uri} is replaced by the generated page of the same path; "
                        "move or delete the hand-written file")
            files.remove(existing)
        f = File.generated(config, page.src_uri, content=page.markdown,
                           inclusion=InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV)
        if page.edit_path:
            f.edit_uri = _edit_uri(config, page.edit_path)
        files.append(f)

    missing = topics_yaml.missing_pages(build.result.docs, (f.src_uri for f in files.documentation_pages()))
    if missing:
        raise PluginError(f"pricebook: {len(missing)} problem(s) in the data in {build.data_dir}:\n"
                          + "\n".join(map(str, missing)))
    generated = {p.src_uri for p in build.pages}
    docs = []
    for f in files.documentation_pages():
        if f.src_uri not in generated:
            docs.append((f.src_uri, sitegen.fill_markers(f.content_string, build.catalog, f.src_uri)))
    docs.sort(key=lambda d: (d[0] != "index.md", d[0]))
    docs += [(p.src_uri, p.markdown) for p in build.pages]
    schema_dir = build.data_dir / "schema"
    for path, content in export.files(build.catalog, docs, config.site_url or "", config.use_directory_urls,
                                      figs=build.figures, schema_dir=schema_dir).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


@_plain_errors
def on_page_markdown(markdown, page, config, files):
    return sitegen.fill_markers(markdown, _state["build"].catalog, page.file.src_uri)


@_plain_errors
def on_pre_build(config):
    problem = publish.site_dir_problem(config.site_dir)
    if problem:
        raise PluginError(f"pricebook: {problem}")


@_plain_errors
def on_post_build(config):
    site_dir = Path(config.site_dir)
    root = _repo_root(config)
    node_modules = root / "node_modules"
    pyodide_url = (config.extra.get("pyodide_url") or "").strip()
    vendor.copy_tablesort(node_modules, site_dir)
    if not pyodide_url and os.environ.get("PRICEBOOK_SKIP_PYODIDE") != "1":
        vendor.copy_pyodide(node_modules, site_dir)
    wheel = vendor.build_calculator_wheel(root, site_dir / "assets" / "calculator")
    # What the calculator page hands its worker; paths are relative to this file's folder.
    (site_dir / "assets" / "calculator" / "config.json").write_text(json.dumps({
        "wheel": wheel.name, "prices": "catalog.json", "pyodide": pyodide_url or "../pyodide/",
    }, indent=1) + "\n", encoding="utf-8")
    leaked = secrets.leaked_keys(site_dir)
    if leaked:
        raise PluginError(f"pricebook: {len(leaked)} real-looking API key(s) in the built site {site_dir}; "
                          "it must not be published:\n" + "\n".join(leaked[:20]))
