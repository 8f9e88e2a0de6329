"""The model pages: the models table, one page per family and one page per model.

URLs (stable, linked from everywhere):
  models/index.md            -> /models/                 every model (the nav section's index)
  models/family/<family>.md  -> /models/family/<family>/ one family (in the nav)
  models/<slug>.md           -> /models/<slug>/          one model (kept out of the nav)

Every figure comes from the engine through `hooks.figures.Figures`.
"""
from calculator import display
from calculator.money import plain

from hooks.sitegen.figures import Figures
from hooks.sitegen.render import Page, render

SITE_FILE = "data/site.yaml"


def family_file(catalog, family):
    """The YAML file a family page edits: the provider file named after the family's provider
    when a model comes from it, else the file of its first model, else site.yaml."""
    files = [m.file for m in catalog.family_models(family.id) if m.file]
    preferred = [f for f in files if f.rsplit("/", 1)[-1] == f"{family.provider}.yaml"]
    return (preferred or files or [SITE_FILE])[0]


def table_rows(catalog, models, figs):
    rows = []
    for m in models:
        rates = {r["field"]: r for r in figs.rates(m)}
        status, cell = figs.status(m)
        rows.append({"m": m, "family": catalog.families[m.family], "input": rates["input"],
                     "output": rates["output"], "cache_read": rates["cache_read"],
                     "status": cell, "callable": status not in ("retired", "upcoming")})
    return rows


def model_tags(m):
    """Search tags: what a reader pastes (slug, aliases, the provider's own id)."""
    tags = [m.slug, *m.aliases]
    if m.provider_model_id not in tags:
        tags.append(m.provider_model_id)
    return tags


def model_page(catalog, m, figs):
    family = catalog.families[m.family]
    site = catalog.site
    workloads = figs.model_workloads(m)
    status, cell = figs.status(m)
    markdown = render(
        "model.md.j2", m=m, family=family, site=site, rates=figs.rates(m), tiers=figs.tiers(m),
        workloads=workloads, percent=display.ratio_percent(m.ratio), tags=model_tags(m),
        status=status, status_cell=cell, notice=display.lifecycle_note(m, figs.at),
        upcoming=figs.upcoming(m), retired=status == "retired",
        ratio_text=display.ratio_text(plain(m.ratio), m.ratio_note),
        anthropic=family.provider == "anthropic" and bool(site["routes"].get("anthropic")),
        modifiers=figs.modifiers(m), history=figs.history(m),
    )
    return Page(f"models/{m.slug}.md", markdown, edit_path=m.file or SITE_FILE, in_nav=False)


def pages(catalog, figs=None):
    figs = figs or Figures(catalog)
    site = catalog.site
    out = []
    families = [{"family": f, "count": len(catalog.family_models(f.id))} for f in catalog.families.values()]
    out.append(Page("models/index.md",
                    render("models.md.j2", site=site, families=families, show_family=True, base="",
                           rows=table_rows(catalog, catalog.models, figs)),
                    edit_path=SITE_FILE, in_nav=True))
    for f in catalog.families.values():
        models = catalog.family_models(f.id)
        provider_name = models[0].provider_name if models else f.provider
        out.append(Page(f"models/family/{f.id}.md",
                        render("family.md.j2", site=site, family=f, provider_name=provider_name,
                               show_family=False, base="../", tags=[f.name],
                               rows=table_rows(catalog, models, figs)),
                        edit_path=family_file(catalog, f), in_nav=True))
    out.extend(model_page(catalog, m, figs) for m in catalog.models)
    return out
