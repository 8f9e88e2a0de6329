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
