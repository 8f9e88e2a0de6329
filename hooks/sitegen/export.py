"""The machine-readable side of the site, as {site path: text}; no mkdocs import.

  api/models.json (+ api/models.schema.json)   every model, its family, limits, status, page URL
  api/prices.json (+ api/prices.schema.json)   official and gateway rates as decimal strings
  api/errors.json (+ api/errors.schema.json)   troubleshooting families: phrases, statuses, URLs
  llms.txt, llms-full.txt                      the docs for tools that read text
  assets/calculator/catalog.json               Catalog.to_dict(): what the browser calculator prices with

The schemas are the files data/schema/<name>-export.schema.json, published unchanged. Rates come
from the engine (hooks/sitegen/figures.py), never from arithmetic here.
"""
import json
import re
from pathlib import Path

from calculator import display
from calculator.api import timeline
from calculator.catalog import shift_day

from hooks.sitegen.figures import Figures
from hooks.sitegen.render import text

EXPORT_SCHEMAS = {"models": "models-export.schema.json", "prices": "prices-export.schema.json",
                  "errors": "errors-export.schema.json"}
FORMAT_VERSION = 1


def page_url(src_uri, use_directory_urls=True):
    """The site path of a Markdown page: "index.md" -> "", "models/x.md" -> "models/x/"."""
    path = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if path == "index" or path.endswith("/index"):
        path = path[:-5]
        return path
    return f"{path}/" if use_directory_urls else f"{path}.html"


def _abs(site_url, path):
    return (site_url.rstrip("/") + "/" + path) if site_url else path


def _json(data, **kw):
    """JSON text with <, > and & written as \\u escapes: JSON.parse and json.loads give back the
    same strings, and no markup from the data appears in the file as it is served. (In JSON those
    three characters can only occur inside strings, so the replacement is exact.)"""
    text = json.dumps(data, ensure_ascii=False, **kw)   # str.replace: ~3x faster than str.translate here
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") + "\n"


def _dump(data):
    return _json(data, indent=1)


def models_export(catalog, figs, site_url=""):
    return {
        "$schema": _abs(site_url, "api/models.schema.json"),
        "version": FORMAT_VERSION,
        "at": figs.at,
        "brand": catalog.site.get("brand", ""),
        "base_url": catalog.site.get("base_url", ""),
        "routes": dict(catalog.site.get("routes") or {}),
        "families": [{"id": f.id, "name": f.name, "provider": f.provider,
                      "url": _abs(site_url, f"models/family/{f.id}/")} for f in catalog.families.values()],
        "models": [{
            "slug": m.slug, "name": m.name, "family": m.family, "provider": m.provider,
            "provider_name": m.provider_name, "provider_model_id": m.provider_model_id,
            "context_window": m.context_window, "max_output": m.max_output, "window_counts": m.window,
            "min_cache_tokens": m.min_cache_tokens or None, "status": m.status_on(figs.at),
            "released": m.released or None, "deprecated_on": m.deprecated_on or None,
            "retires_on": m.retires_on or None, "replacement": m.replacement or None, "aliases": list(m.aliases),
            "modes": list(m.modes), "residency": list(m.residency), "peak_hours": m.time_of_day is not None,
            "url": _abs(site_url, f"models/{m.slug}/"),
        } for m in catalog.models],
    }


def _rate_set(rates):
    official = {r["field"]: r["official"] for r in rates}
    gateway = {r["field"]: r["gateway"] for r in rates}
    return official, gateway, [r["field"] for r in rates if r["billed_as_input"]]


def _periods(m, figs):
    """The model's price timeline: past, current and scheduled periods, each with the engine's
    base rates in force then ({from, until} are ISO dates, null where open)."""
    out = []
    for start, end, kind, note in timeline(m):
        day = start or (shift_day(end, -1) if end else figs.at)   # a day inside the period
        official, gateway, _ = _rate_set(figs.rates(m, 0, at=day))
        out.append({"from": start, "until": end, "kind": kind, "official": official, "gateway": gateway,
                    "note": note})
    return out


def _pair(row):
    """A modifiers_view row's exact rates: (official, gateway or None when not offered)."""
    gateway = row["exact"]["gateway"]
    return row["exact"]["official"], None if gateway["input"] is None else gateway


def _dated(entry, out, *names):
    """`out` with the entry's source, checked date and the optional texts `names`."""
    for name in ("source", "checked", *names):
        out[name] = getattr(entry, name)
    return out


def _modifiers(m, figs):
    """A model's service tiers, residency, peak hours, tool fees and cache storage for the prices
    export: the engine's rates (figs.modifiers), the data's rules, each with its source."""
    view = figs.modifiers(m)
    rows = view["rows"]
    modes = {}
    for r in rows:
        if r["mode"] != "standard" and not r["residency"] and not r["peak"]:
            official, gateway = _pair(r)
            mode = m.modes[r["mode"]]
            modes[r["mode"]] = _dated(mode, {"official": official, "gateway": gateway,
                                             "long_context": mode.long_context}, "note")
    residency = {}
    for r in view["residency"]:
        entry = m.residency[r["region"]]
        rates = {}
        for row in rows:
            if row["residency"] == r["region"]:
                official, gateway = _pair(row)
                rates[row["mode"]] = {"official": official, "gateway": gateway}
        residency[r["region"]] = _dated(entry, {"multiplier": r["multiplier"], "modes": r["modes"],
                                                "offered": r["offered"], "rates": rates}, "note")
    tod = None
    if m.time_of_day is not None:
        official, gateway = _pair(next(r for r in rows if r["peak"]))
        t = m.time_of_day
        tod = _dated(t, {"from": t.start, "multiplier": str(t.multiplier), "days": list(t.days),
                         "hours_utc": list(t.window_text), "official": official, "gateway": gateway}, "exceptions")
    fees = {f["name"]: f for f in view["fees"]}
    tools = {name: _dated(fee, {"per_1000": fees[name]["exact"]}, "free", "note") for name, fee in m.tools.items()}
    storage = None
    if m.cache_storage is not None:
        storage = _dated(m.cache_storage, {"per_hour": fees["cache_storage"]["exact"]}, "note")
    return {"modes": modes, "residency": residency, "time_of_day": tod, "tools": tools, "cache_storage": storage}


def _offers(offers):
    """site.yaml pricing.offers as {"modes": {name: {"ratio"}}, "residency": ..., "tools": ...,
    "cache_storage": {"ratio"} or null}; ratio null: the model's own."""
    def one(entry):
        return {"ratio": str(entry["ratio"]) if isinstance(entry, dict) and entry.get("ratio") is not None else None}
    out = {kind: {name: one(e) for name, e in ((offers or {}).get(kind) or {}).items() if e is not False}
           for kind in ("modes", "residency", "tools")}
    storage = (offers or {}).get("cache_storage")
    out["cache_storage"] = one(storage) if storage not in (None, False) else None
    return out


def prices_export(catalog, figs, site_url=""):
    models = []
    for m in catalog.models:
        official, gateway, as_input = _rate_set(figs.rates(m))
        tiers = []
        for above, rates in figs.tiers(m):
            t_official, t_gateway, _ = _rate_set(rates)
            tiers.append({"above": above, "official": t_official, "gateway": t_gateway})
        models.append({"slug": m.slug, "family": m.family, "ratio": str(m.ratio),
                       "ratio_note": m.ratio_note, "official": official, "gateway": gateway,
                       "billed_as_input": as_input, "tiers": tiers, "source": m.source,
                       "checked": m.checked, "periods": _periods(m, figs), **_modifiers(m, figs)})
    return {
        "$schema": _abs(site_url, "api/prices.schema.json"),
        "version": FORMAT_VERSION,
        "at": figs.at,
        "currency": "USD",
        "unit": "per 1M tokens",
        "families": [{"id": f.id, "ratio": str(f.ratio), "label": f.label} for f in catalog.families.values()],
        "offers": _offers(catalog.offers),
        "models": models,
    }


def _values(items, key):
    """The `key` of each dict in a list, or the item itself when it is a plain value."""
    out = []
    for item in items if isinstance(items, list) else ():
        value = item.get(key) if isinstance(item, dict) else item
        if value is not None and not isinstance(value, (dict, list)):
            out.append(value)
    return out


def _error_family(d, site_url):
    """One troubleshooting family of data/errors/<id>.yaml: id, title, the phrases (text), HTTP
    statuses (code) and error codes (value) it covers, and its page."""
    fid = str(d.get("id") or Path(str(d.get("file", "error"))).stem)
    return {
        "id": fid, "title": str(d.get("title") or fid),
        "phrases": [str(p) for p in _values(d.get("phrases"), "text")],
        "statuses": [int(c) for c in _values(d.get("statuses"), "code") if str(c).isdigit()],
        "codes": [str(c) for c in _values(d.get("codes"), "value")],
        "url": _abs(site_url, f"errors/{fid}/"),
    }


def errors_export(catalog, site_url=""):
    return {"$schema": _abs(site_url, "api/errors.schema.json"), "version": FORMAT_VERSION,
            "families": [_error_family(d, site_url) for d in catalog.errors if isinstance(d, dict)]}


# ---- text for tools that read docs ------------------------------------------------------------

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_TITLE = re.compile(r"^title:\s*(.+)$", re.M)
_H1 = re.compile(r"^#\s+(.+)$", re.M)
_DESCRIPTION = re.compile(r"^description:\s*(.+)$", re.M)


def _strip_front(markdown):
    return _FRONT.sub("", markdown, count=1)


def _front_value(markdown, pattern):
    front = _FRONT.match(markdown)
    if not front:
        return ""
    found = pattern.search(front.group(1))
    if not found:
        return ""
    value = found.group(1).strip()
    if value.startswith('"'):
        try:
            return json.loads(value)
        except ValueError:
            pass
    return value.strip("'\"")


def page_title(markdown):
    title = _front_value(markdown, _TITLE)
    if title:
        return title
    found = _H1.search(_strip_front(markdown))
    return found.group(1).strip() if found else ""


def llms_txt(catalog, docs, site_url="", use_directory_urls=True, at=None, figs=None):
    """llms.txt (llmstxt.org): the site in one short Markdown file of links.

    docs: [(src_uri, markdown)] of every page, hand-written first, in navigation order."""
    site = catalog.site
    by_src = dict(docs)
    url = lambda src: _abs(site_url, page_url(src, use_directory_urls))  # noqa: E731
    lines = [f"# {text(site.get('brand', ''))} docs", ""]
    if site.get("tagline"):
        lines += [f"> {text(site['tagline'])}", ""]
    routes = site.get("routes") or {}
    lines += [f"OpenAI-compatible base URL: {site.get('base_url', '')}{routes.get('openai', '')}. "
              f"Anthropic-native base URL: {site.get('base_url', '')}{routes.get('anthropic', '')}. "
              "Send the model slug exactly as listed; prices are USD per 1M tokens.", ""]

    def item(src, note=""):
        title = page_title(by_src.get(src, "")) or src
        return f"- [{title}]({url(src)})" + (f": {note}" if note else "")

    lines.append("## Docs")
    skip = lambda s: s.startswith(("models/", "pricing/", "errors/"))  # noqa: E731
    lines += [item(src, _front_value(md, _DESCRIPTION)) for src, md in docs if not skip(src)]
    lines += ["", "## Models"]
    lines.append(item("models/index.md", "every model with its slug, limits and gateway price"))
    figs = figs or Figures(catalog, at)
    for m in catalog.models:
        view = figs.modifiers(m)
        extras = display.extras_text([(r["mode"], r["exact"]["gateway"]["input"] is not None) for r in view["rows"]
                                      if r["mode"] != "standard" and not r["residency"] and not r["peak"]],
                                     m.time_of_day, [(r["region"], r["multiplier"]) for r in view["residency"]],
                                     [f"{f['label'].lower()} {f['official']}" for f in view["fees"]])
        lines.append(f"- [{text(m.name)}]({url(f'models/{m.slug}.md')}): slug `{m.slug}`, {text(m.provider_name)}, "
                     f"{display.tokens(m.context_window)}-token context, "
                     f"{display.status_cell(m, at) if at else m.status}" + (f"; {extras}" if extras else ""))
    lines += ["", "## Pricing"]
    lines += [item(src, _front_value(md, _DESCRIPTION)) for src, md in docs if src.startswith("pricing/")]
    errors = [(src, md) for src, md in docs if src.startswith("errors/")]
    if errors:
        lines += ["", "## Troubleshooting"]
        lines += [item(src, _front_value(md, _DESCRIPTION)) for src, md in errors]
    lines += ["", "## Data",
              f"- [models.json]({_abs(site_url, 'api/models.json')}): every model as JSON "
              f"([schema]({_abs(site_url, 'api/models.schema.json')}))",
              f"- [prices.json]({_abs(site_url, 'api/prices.json')}): official and gateway rates as decimal "
              f"strings ([schema]({_abs(site_url, 'api/prices.schema.json')}))",
              f"- [errors.json]({_abs(site_url, 'api/errors.json')}): error phrases, statuses and the page "
              f"for each ([schema]({_abs(site_url, 'api/errors.schema.json')}))",
              "", "## Optional",
              f"- [llms-full.txt]({_abs(site_url, 'llms-full.txt')}): every page in full, as Markdown", ""]
    return "\n".join(lines)


# A money cell's exact value for sorting (templates' `money` macro): pages only, not the text files.
_SORT_VALUE = re.compile(r'<data value="[^"<>]*">([^<]*)</data>')


def llms_full(catalog, docs, site_url="", use_directory_urls=True):
    """Every page's Markdown (front matter removed) in one file, each headed by its URL."""
    parts = [f"# {text(catalog.site.get('brand', ''))} docs, every page\n"]
    for src, markdown in docs:
        body = _SORT_VALUE.sub(r"\1", _strip_front(markdown).strip())
        parts.append(f"\n---\nURL: {_abs(site_url, page_url(src, use_directory_urls))}\n\n{body}\n")
    return "".join(parts)


def files(catalog, docs, schema_dir, site_url="", use_directory_urls=True, figs=None):
    """{site path: text} of every export. docs: [(src_uri, markdown)], hand-written pages first;
    schema_dir: the data folder's schema/ (the export schemas are published as they are there)."""
    figs = figs or Figures(catalog)   # the build passes its own (dated by the build date)
    schema_dir = Path(schema_dir)
    out = {
        "api/models.json": _dump(models_export(catalog, figs, site_url)),
        "api/prices.json": _dump(prices_export(catalog, figs, site_url)),
        "api/errors.json": _dump(errors_export(catalog, site_url)),
        "llms.txt": llms_txt(catalog, docs, site_url, use_directory_urls, figs.at, figs),
        "llms-full.txt": llms_full(catalog, docs, site_url, use_directory_urls),
        "assets/calculator/catalog.json": _json(catalog.to_dict(), separators=(",", ":")),
    }
    for name, schema_file in EXPORT_SCHEMAS.items():
        out[f"api/{name}.schema.json"] = (schema_dir / schema_file).read_text(encoding="utf-8")
    return out
