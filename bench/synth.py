"""A synthetic catalog of N models and M error families, written by the real data format.

    from bench.synth import generate, catalog_dict
    data_dir = generate(tmp / "data", n_models=1000, n_errors=100)   # passes `pricebook check`
    d = catalog_dict(10_000)          # the same models as a catalog dict (no YAML), for the engine

What it writes into `data_dir` (never the repo's data/):
- `site.yaml`: the real site.yaml's brand, routes and links, the real families plus two per
  synthetic provider, the real overrides plus one override every 97 models;
- `models/<provider>.yaml`: the real providers plus synthetic ones (`lab01`, ...), models spread
  round-robin over providers and families, with every feature the engine and the pages use:
  cache prices (none, read only, read + both writes), one or two context tiers on a quarter of the
  models, price history (one or two earlier prices) on half, aliases on a third, preview and
  deprecated models, per-model overrides;
- `errors/<family>.yaml`: M troubleshooting families, each a copy of one of the repo's real
  data/errors/*.yaml files with its id, title and phrases varied (so M can exceed the real count);
- everything else in data/ (`schema/*.json`, `topics.yaml`, ...): copied from the repo, so the
  loader checks the files against the real schemas.

The first models carry the real catalog's slugs, families and aliases, so every slug a real error
family's fast check names exists in the synthetic catalog too. Everything is deterministic for
given (N, M, today): the same inputs give the same bytes.
"""
import datetime
import math
import re
import shutil
from decimal import Decimal
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
REAL_DATA = REPO / "data"
SCHEMA_LINE = "# yaml-language-server: $schema={}"
CONTEXTS = (128_000, 200_000, 400_000, 1_000_000)
MAX_OUTPUTS = (8_192, 32_000, 64_000, 128_000)
# Input prices in cents per 1M: a spread from cheap to frontier.
INPUT_CENTS = (5, 10, 15, 25, 30, 40, 50, 60, 75, 100, 125, 150, 200, 250, 300, 400, 500, 800,
               1000, 1500)
MIN_SYNTH_PROVIDERS = 7
MODELS_PER_PROVIDER = 400     # at most about this many per file (the loader refuses files > 1 MB)


def _real_site():
    return yaml.safe_load((REAL_DATA / "site.yaml").read_text(encoding="utf-8"))


def _real_models():
    """[(provider, provider name, model dict)] of the repo's default catalog, in file order."""
    out = []
    for f in sorted((REAL_DATA / "models").glob("*.yaml")):
        d = yaml.safe_load(f.read_text(encoding="utf-8"))
        for m in d.get("models") or ():
            out.append((d["provider"], d["name"], m))
    return out


def _money(cents, scale=Decimal(1)):
    """A quoted price string from a whole number of cents (x scale), 2 to 4 decimals."""
    value = (Decimal(cents) * scale / 100).quantize(Decimal("0.0001"))
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".00"
    elif len(text.split(".")[1]) == 1:
        text += "0"
    return text


def _rates(cents, style):
    """A rate set: input, output, and the cache buckets of one of three provider styles."""
    r = {"input": _money(cents), "output": _money(cents * 5)}
    if style == 1:                        # OpenAI-like: cache reads only
        r["cache_read"] = _money(cents, Decimal("0.1"))
    elif style == 2:                      # Anthropic-like: reads and both write TTLs
        r["cache_read"] = _money(cents, Decimal("0.1"))
        r["cache_write_5m"] = _money(cents, Decimal("1.25"))
        r["cache_write_1h"] = _money(cents, Decimal("2"))
    return r


class Plan:
    """Providers, families and models of one synthetic catalog (plain dicts, model-file shape)."""

    def __init__(self, n_models, today=None):
        self.today = today or datetime.date.today()
        site = _real_site()
        self.site = site
        real = _real_models()
        real_providers = []
        for provider, name, _ in real:
            if (provider, name) not in real_providers:
                real_providers.append((provider, name))
        n_synth = max(MIN_SYNTH_PROVIDERS, math.ceil(n_models / MODELS_PER_PROVIDER) - len(real_providers))
        synth_providers = [(f"lab{i:02d}", f"Lab {i:02d}") for i in range(1, n_synth + 1)]
        self.providers = real_providers + synth_providers
        self.families = dict(site["pricing"]["families"])
        fam_by_provider = {}
        for fid, fam in self.families.items():
            fam_by_provider.setdefault(fam["provider"], []).append(fid)
        for k, (pid, pname) in enumerate(synth_providers):
            for j, suffix in enumerate(("core", "mini")):
                fid = f"{pid}-{suffix}"
                ratio = Decimal(35 + (k * 7 + j * 11) % 50) / 100
                self.families[fid] = {"name": f"{pname} {suffix.title()}", "provider": pid,
                                      "ratio": f"{ratio:.2f}",
                                      "label": f"Listed at {ratio * 100:.0f}% of the official {pname} price."}
                fam_by_provider.setdefault(pid, []).append(fid)
        self.fam_by_provider = fam_by_provider
        self.overrides = list(site["pricing"].get("overrides") or ())
        # (provider, model dict) in generation order
        self.models = []
        keep = real[:n_models]
        for i, (provider, _, m) in enumerate(keep):
            self.models.append((provider, self._model(i, provider, m["family"], m["slug"], m.get("name"),
                                                      m.get("aliases") or [])))
        pids = [p for p, _ in self.providers]
        for i in range(len(keep), n_models):
            provider = pids[i % len(pids)]
            fams = fam_by_provider[provider]
            family = fams[(i // len(pids)) % len(fams)]
            slug = f"{family}-syn-{i:05d}"
            aliases = [f"{slug}-latest"] if i % 3 == 0 else []
            self.models.append((provider, self._model(i, provider, family, slug, None, aliases)))
            if i % 97 == 0:
                ratio = Decimal(30 + i % 40) / 100
                self.overrides.append({"model": slug, "ratio": f"{ratio:.2f}",
                                       "note": f"Synthetic override {i}: capacity priced apart."})

    def _model(self, i, provider, family, slug, name, aliases):
        cents = INPUT_CENTS[(i * 7) % len(INPUT_CENTS)]
        style = i % 3
        checked = self.today - datetime.timedelta(days=i % 60)
        m = {
            "slug": slug,
            "name": name or slug.replace("-", " ").title(),
            "family": family,
            "provider_model_id": f"{slug}-2026{1 + i % 12:02d}{1 + i % 28:02d}",
            "context_window": CONTEXTS[i % len(CONTEXTS)],
            "max_output": MAX_OUTPUTS[(i // 4) % len(MAX_OUTPUTS)],
            "status": "active",
            "aliases": list(aliases),
            "prices": _rates(cents, style),
            "tiers": [],
            "source": f"https://pricing.{provider}.example/models#{slug}",
            "checked": checked.isoformat(),
            "history": [],
        }
        if i % 23 == 22:
            m["status"] = "deprecated"
            m["deprecated_on"] = (self.today + datetime.timedelta(days=30 + i % 300)).isoformat()
        elif i % 11 == 5:
            m["status"] = "preview"
        if i % 4 == 1:
            m["tiers"].append({"above": 200_000, **_rates(cents * 2, style)})
            if i % 16 == 1:
                m["tiers"].append({"above": 500_000, **_rates(cents * 3, style)})
            # a tier must be reachable: the window is larger than its threshold (pricebook check)
            m["context_window"] = max(m["context_window"], 1_000_000)
        if i % 2 == 0:
            first = checked - datetime.timedelta(days=200 + i % 50)
            m["history"].append({"until": first.isoformat(), "prices": _rates(cents * 2, style),
                                 "note": "launch price"})
            if i % 6 == 0:
                m["history"].append({"until": (checked - datetime.timedelta(days=90)).isoformat(),
                                     "prices": _rates(cents + cents // 2, style)})
        return m

    # ---- the catalog dict (what hooks.data.load makes from the YAML) -----------------------
    def catalog_dict(self, errors=()):
        names = dict(self.providers)
        site = {k: v for k, v in self.site.items() if k != "pricing"}
        site["stale_after_days"] = self.site["pricing"]["stale_after_days"]
        models = []
        for provider, m in self.models:
            models.append({**m, "provider": provider, "provider_name": names[provider],
                           "file": f"data/models/{provider}.yaml"})
        return {"version": 1, "currency": "USD", "site": site, "families": self.families,
                "overrides": self.overrides, "models": models, "errors": list(errors)}


# ---- YAML text ---------------------------------------------------------------------------------

def _q(value):
    """A double-quoted YAML scalar (prices are always quoted text)."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plain(value):
    """A scalar that YAML reads back as the same string (quoted only when needed)."""
    text = str(value)
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 .,%()/'-]*", text) and not text.endswith(":") and ": " not in text \
            and text.lower() not in ("yes", "no", "on", "off", "true", "false", "null"):
        return text
    return _q(text)


def _rates_flow(r):
    return "{" + ", ".join(f"{k}: {_q(v)}" for k, v in r.items()) + "}"


def _model_yaml(m):
    out = [f"  - slug: {m['slug']}",
           f"    name: {_plain(m['name'])}",
           f"    family: {m['family']}",
           f"    provider_model_id: {m['provider_model_id']}",
           f"    context_window: {m['context_window']}",
           f"    max_output: {m['max_output']}",
           f"    status: {m['status']}"]
    if m.get("deprecated_on"):
        out.append(f"    deprecated_on: {m['deprecated_on']}")
    if m["aliases"]:
        out.append(f"    aliases: [{', '.join(m['aliases'])}]")
    out.append("    prices:")
    out += [f"      {k}: {_q(v)}" for k, v in m["prices"].items()]
    if m["tiers"]:
        out.append("    tiers:")
        for t in m["tiers"]:
            out.append(f"      - above: {t['above']}")
            out += [f"        {k}: {_q(v)}" for k, v in t.items() if k != "above"]
    out.append(f"    source: {m['source']}")
    out.append(f"    checked: {m['checked']}")
    if m["history"]:
        out.append("    history:")
        for h in m["history"]:
            out.append(f"      - until: {h['until']}")
            out.append(f"        prices: {_rates_flow(h['prices'])}")
            if h.get("note"):
                out.append(f"        note: {_plain(h['note'])}")
    return "\n".join(out) + "\n"


def _site_yaml(plan):
    s = plan.site
    out = [SCHEMA_LINE.format("schema/site.schema.json"),
           "# Synthetic catalog for the benchmarks (bench/synth.py); not the real data.",
           f"brand: {_plain(s['brand'])}"]
    if s.get("tagline"):
        out.append(f"tagline: {_q(s['tagline'])}")
    out.append(f"base_url: {s['base_url']}")
    out.append("routes:")
    out += [f"  {k}: {v}" for k, v in s["routes"].items()]
    out.append(f"key_placeholder: {s['key_placeholder']}")
    out.append("links:")
    out += [f"  {k}: {v}" for k, v in s["links"].items()]
    p = s["pricing"]
    out += ["pricing:", f"  currency: {p['currency']}", f"  stale_after_days: {p['stale_after_days']}",
            "  families:"]
    for fid, f in plan.families.items():
        out += [f"    {fid}:", f"      name: {_plain(f['name'])}", f"      provider: {f['provider']}",
                f"      ratio: {_q(f['ratio'])}"]
        if f.get("label"):
            out.append(f"      label: {_q(f['label'])}")
    if plan.overrides:
        out.append("  overrides:")
        for o in plan.overrides:
            out += [f"    - model: {o['model']}", f"      ratio: {_q(o['ratio'])}"]
            if o.get("note"):
                out.append(f"      note: {_q(o['note'])}")
    return "\n".join(out) + "\n"


# ---- error families ----------------------------------------------------------------------------

def real_error_files():
    return sorted((REAL_DATA / "errors").glob("*.yaml"))


def vary_error_family(text, stem, k):
    """Copy k of a real error family file (text): the id (the file stem) replaced wherever it
    stands as a word, the title and every phrase tagged, so ids, titles and phrases stay unique
    across copies. Everything else (statuses, causes, fast check, related families) is kept, so
    the copy passes the same checks as the original. Returns (new id, text)."""
    new_id = f"{stem}-syn{k:03d}"
    tag = f"variant {k:03d}"
    body = re.sub(rf"(?<![\w/.-]){re.escape(stem)}(?![\w-])", new_id, text)
    out, block = [], None
    for line in body.split("\n"):
        top = re.match(r"^([a-z_]+):", line)
        if top:
            block = top.group(1)
        m = re.match(r"^(title: |  - text: )(.*)$", line)
        if m and (m.group(1) == "title: " or block == "phrases"):
            value = m.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = f"{value[:-1]} ({tag}){value[-1]}"
            elif value and value[0] not in "|>&*!%@`{[":
                value = _q(f"{value} ({tag})")
            line = m.group(1) + value
        out.append(line)
    return new_id, "\n".join(out)


def write_errors(data_dir, n_errors, vary=None):
    """Write n_errors families into data_dir/errors from the repo's real ones (round-robin).
    `vary(text, stem, k) -> (new_id, text)` customises a copy; the default is `vary_error_family`."""
    sources = real_error_files()
    errors_dir = Path(data_dir) / "errors"
    errors_dir.mkdir(parents=True, exist_ok=True)
    if not sources or n_errors <= 0:
        return []
    vary = vary or vary_error_family
    written = []
    for k in range(n_errors):
        src = sources[k % len(sources)]
        if k < len(sources):
            shutil.copy(src, errors_dir / src.name)
            written.append(src.stem)
            continue
        new_id, text = vary(src.read_text(encoding="utf-8"), src.stem, k)
        (errors_dir / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        written.append(new_id)
    return written


# ---- entry points ------------------------------------------------------------------------------

def generate(data_dir, n_models, n_errors=0, today=None):
    """Write a complete synthetic data folder at `data_dir` (created; must not be the repo's
    data/). Returns the Path. Schemas are copied from the repo."""
    data_dir = Path(data_dir).resolve()
    if data_dir == REAL_DATA.resolve():
        raise ValueError("refusing to overwrite the repo's data/")
    if data_dir.exists():
        shutil.rmtree(data_dir)
    (data_dir / "models").mkdir(parents=True)
    (data_dir / "errors").mkdir()
    # everything else in data/ (schema/, topics.yaml, ...) as it is in the repo
    for item in REAL_DATA.iterdir():
        if item.name in ("models", "errors", "site.yaml", "README.md"):
            continue
        if item.is_dir():
            shutil.copytree(item, data_dir / item.name)
        else:
            shutil.copy2(item, data_dir / item.name)
    plan = Plan(n_models, today)
    (data_dir / "site.yaml").write_text(_site_yaml(plan), encoding="utf-8")
    names = dict(plan.providers)
    by_provider = {}
    for provider, m in plan.models:
        by_provider.setdefault(provider, []).append(m)
    for provider, models in by_provider.items():
        head = [SCHEMA_LINE.format("../schema/models.schema.json"),
                "# Synthetic models for the benchmarks (bench/synth.py).",
                f"provider: {provider}", f"name: {_plain(names[provider])}", "models:"]
        text = "\n".join(head) + "\n" + "\n".join(_model_yaml(m) for m in models)
        (data_dir / "models" / f"{provider}.yaml").write_text(text, encoding="utf-8")
    write_errors(data_dir, n_errors)
    return data_dir


def catalog_dict(n_models, today=None):
    """The catalog dict of N synthetic models without writing YAML (the engine benchmark)."""
    return Plan(n_models, today).catalog_dict()


def main(argv=None):
    import argparse
    p = argparse.ArgumentParser(description="write a synthetic data folder")
    p.add_argument("dest", help="the data folder to create (e.g. /tmp/syn/data)")
    p.add_argument("-n", "--models", type=int, default=1000)
    p.add_argument("-m", "--errors", type=int, default=25)
    ns = p.parse_args(argv)
    out = generate(ns.dest, ns.models, ns.errors)
    print(out)


if __name__ == "__main__":
    main()
