"""Rules for data/site.yaml that its JSON Schema cannot say: the brand, the base URL and key
placeholder (pasted verbatim into every example), the ratios, the per-model overrides, and family
ids that would take the URL of another page."""
import difflib
import re

from hooks.data.rules.common import price
from hooks.data.schema import field_label, money_message
from hooks.data.yamlfile import as_list

# What may stand verbatim in the curl / Python / Node examples (hooks/sitegen/render.py `literal`
# enforces it at render time): the base URL and the key placeholder are pasted there unescaped, so
# anything else is refused here, by line.
VERBATIM = re.compile(r"^[A-Za-z0-9._~:/?#@+,=%-]+$")
# pricing/<family>.md must not collide with the pricing section's own pages
RESERVED_FAMILIES = ("index", "cache", "tracker", "changes")


def check(ctx, doc):
    brand = doc.get(("brand",))
    markup = sorted(set(re.findall(r'[<>"]', brand))) if isinstance(brand, str) else []
    if markup:
        # the brand becomes MkDocs' site_name, which the theme writes into <title>, aria-label
        # attributes and the header without escaping: markup characters cannot be allowed
        ctx.add(doc, ("brand",), "brand: becomes the site name, which the theme writes into every page's "
                                 "title and header as it is, so it may not contain <, > or \" "
                                 f"(found {' '.join(markup)})")
    for key, what in (("base_url", "URL"), ("key_placeholder", "placeholder")):
        value = doc.get((key,))
        if not isinstance(value, str) or not value:
            continue                 # the schema names a missing or empty value
        if not VERBATIM.match(value):
            chars = " ".join(sorted({repr(c) for c in value if not VERBATIM.match(c)}))
            ctx.add(doc, (key,), f"{key}: the {what} is copied verbatim into every curl, Python and Node "
                                 f"example, so it may hold only letters, digits and ._~:/?#@+,=%- "
                                 f"(found {chars})")
    _urls(ctx, doc)
    families = doc.get(("pricing", "families"))
    if isinstance(families, dict):
        for fid in families:
            _ratio(ctx, doc, ("pricing", "families", fid, "ratio"))
            if fid in RESERVED_FAMILIES:
                ctx.add(doc, ("pricing", "families", fid),
                        f"pricing.families: '{fid}' cannot be a family id: the page pricing/{fid}/ already "
                        "exists; choose another id", at_key=True)
    for i, _ in enumerate(as_list(doc.get(("pricing", "overrides")))):
        _ratio(ctx, doc, ("pricing", "overrides", i, "ratio"))
    offers = doc.get(("pricing", "offers"))
    if isinstance(offers, dict):
        for kind in ("modes", "residency", "tools"):
            group = offers.get(kind)
            for name, entry in group.items() if isinstance(group, dict) else ():
                if isinstance(entry, dict) and "ratio" in entry:
                    _ratio(ctx, doc, ("pricing", "offers", kind, name, "ratio"))
        if isinstance(offers.get("cache_storage"), dict) and "ratio" in offers["cache_storage"]:
            _ratio(ctx, doc, ("pricing", "offers", "cache_storage", "ratio"))


# what the examples append after each route (hooks/sitegen/templates/_macros.md.j2)
ENDPOINTS = {"openai": "/chat/completions", "anthropic": "/v1/messages"}


def _urls(ctx, doc):
    """base_url + route + endpoint is pasted into every example: a slash too many or a route said
    twice breaks each of them, so it is refused with the URL the examples would call."""
    base = doc.get(("base_url",))
    routes = doc.get(("routes",))
    routes = {k: v for k, v in routes.items() if isinstance(v, str)} if isinstance(routes, dict) else {}
    if not isinstance(base, str) or not VERBATIM.match(base) or not base.startswith("https://"):
        return
    example = lambda b, flavour: f"{b}{routes.get(flavour, '')}{ENDPOINTS[flavour]}"  # noqa: E731
    host_end = base.find("/", len("https://"))
    base_path = base[host_end:] if host_end >= 0 else ""
    if base.endswith("/"):
        fixed = base.rstrip("/")
        ctx.add(doc, ("base_url",), f"base_url: ends with '/', so every example calls "
                                    f"{example(base, 'openai')}; write base_url: {fixed}")
        base, base_path = fixed, base_path.rstrip("/")
    for flavour, route in routes.items():
        if flavour in ENDPOINTS and len(route) > 1 and base_path.endswith(route.rstrip("/")):
            ctx.add(doc, ("base_url",), f"base_url: ends with {route.rstrip('/')}, which routes.{flavour} adds "
                                        f"again: the examples would call {example(base, flavour)}; write "
                                        f"base_url: {base[:len(base) - len(route.rstrip('/'))]} (the routes "
                                        "hold the path)")
            break
    for flavour, route in routes.items():
        if flavour not in ENDPOINTS or not route.startswith("/"):
            continue          # the schema names a route that is not a path
        path = ("routes", flavour)
        if route.endswith("/") or "//" in route:
            fixed = "/" + "/".join(p for p in route.split("/") if p)
            ctx.add(doc, path, f"routes.{flavour}: '{route}' has a slash too many, so the examples call "
                               f"{example(base, flavour)}; write {flavour}: {fixed}"
                               + (" (or leave the path in base_url)" if fixed == "/" else ""))
        elif route.endswith(ENDPOINTS[flavour]) or (flavour == "anthropic" and route.endswith("/v1")):
            tail = ENDPOINTS[flavour] if route.endswith(ENDPOINTS[flavour]) else "/v1"
            ctx.add(doc, path, f"routes.{flavour}: '{route}' ends with {tail}, which the examples add "
                               f"themselves: they would call {example(base, flavour)}; write "
                               f"{flavour}: {route[:-len(tail)] or '/'}")


def _ratio(ctx, doc, path):
    value = doc.get(path)
    if price(value) is not None:   # other shapes: the schema said so
        message = money_message("ratio", value, doc.source(path), doc.quoted(path))
        if message:
            ctx.add(doc, path, f"{field_label(doc, path)}: {message}")


def check_overrides(ctx, doc):
    """Each override names a model slug (not an alias, not a missing model), once. Runs after the
    models files, whose slugs and aliases it looks up in ctx."""
    aliases = ctx.alias_of
    seen = {}
    for i, override in enumerate(as_list(doc.get(("pricing", "overrides")))):
        model = override.get("model") if isinstance(override, dict) else None
        if not isinstance(model, str):
            continue
        path = ("pricing", "overrides", i, "model")
        if model in seen:
            ctx.add(doc, path, f"{field_label(doc, path)}: a second override for '{model}' (the first is "
                               f"at line {seen[model]}); keep one")
            continue
        seen[model] = doc.where(path)[0]
        if model in ctx.slugs or not ctx.complete:
            continue        # a file that did not parse may hold it: no guessing
        if model in aliases:
            ctx.add(doc, path, f"{field_label(doc, path)}: '{model}' is an alias of {aliases[model]}; "
                               f"an override names the model's slug: model: {aliases[model]}")
            continue
        close = difflib.get_close_matches(model, list(ctx.slugs), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        ctx.add(doc, path, f"{field_label(doc, path)}: the override names '{model}', which is not the slug "
                           f"of any model in models/*.yaml{hint}")
