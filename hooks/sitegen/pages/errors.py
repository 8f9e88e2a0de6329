"""Troubleshooting pages from data/errors/*.yaml, and the site's topic map from data/topics.yaml.

- `pages(catalog)` -> one Page per family (errors/<id>.md, edit link on its YAML file) plus the
  troubleshooting index errors/index.md;
- `topic_map(catalog, from_page="index.md")` -> the "continue with the right source" cards
  (Material grid cards), with links relative to `from_page`;

Every data text goes through the escaping filters of hooks/sitegen/render.py.
"""
import json
import posixpath
import re
import shlex

from calculator import errors_match
from hooks.sitegen import render
from hooks.data.yamlfile import as_list

ROUTE_TABS = {"openai": "OpenAI-compatible", "anthropic": "Anthropic-native"}
ANTHROPIC_VERSION = "2023-06-01"
SIGNAL_COLUMNS = (("status", "Status"), ("duration", "Duration"), ("billed", "Tokens billed"),
                  ("upstream", "provider_name / raw upstream body"), ("rotate_key", "Rotating the key"))
_SAFE_SHELL = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


text = render.text


# ---- data helpers -------------------------------------------------------------------------

def _topics(catalog, topics=None):
    if isinstance(topics, dict):
        return topics
    site = getattr(catalog, "site", None) or {}
    if isinstance(site.get("topics"), dict):
        return site["topics"]
    return {"heading": "Continue with the right source", "topics": []}  # no topics.yaml: no cards


def _families(catalog):
    fams = [f for f in getattr(catalog, "errors", ()) or () if isinstance(f, dict) and isinstance(f.get("id"), str)]
    return sorted(fams, key=lambda f: (f.get("order", 100), str(f.get("title", f["id"])).lower()))


def _rel(target, from_page):
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def _shell(value):
    value = str(value)
    return value if _SAFE_SHELL.match(value) else shlex.quote(value)


def _header(value):
    value = str(value)
    return f'"{value}"' if re.fullmatch(r"[A-Za-z0-9_ :./=-]+", value) else shlex.quote(value)


def _site(catalog):
    site = getattr(catalog, "site", None) or {}
    routes = site.get("routes") or {}
    base = str(site.get("base_url", "")).rstrip("/")   # https: the schema requires it
    return {
        "brand": site.get("brand", ""),
        "openai": base + str(routes.get("openai", "/v1")).rstrip("/"),
        "anthropic": base + str(routes.get("anthropic", "/anthropic")).rstrip("/"),
        "key": str(site.get("key_placeholder") or "YOUR_API_KEY"),
        "links": {k: v for k, v in (site.get("links") or {}).items() if isinstance(v, str) and v.startswith("https://")},
    }


# ---- commands -----------------------------------------------------------------------------

def _body_openai(model, prompt, max_tokens):
    return json.dumps({"model": model, "messages": [{"role": "user", "content": prompt}],
                       "max_completion_tokens": max_tokens}, separators=(",", ":"))


def _body_anthropic(model, prompt, max_tokens):
    return json.dumps({"model": model, "max_tokens": max_tokens,
                       "messages": [{"role": "user", "content": prompt}]}, separators=(",", ":"))


def _squote(value):
    return "'" + str(value).replace("'", "'\\''") + "'"


WRITE_OUT = "'\\nHTTP %{http_code} in %{time_total}s\\n'"


def commands(site, fast):
    """The fast check's copy-paste commands: {"openai": str, "anthropic": str, "models": str|None}."""
    n = fast.get("max_tokens", 16)
    prompt = fast.get("prompt", "Test.")
    openai = "\n".join([
        f"curl -sS {_shell(site['openai'] + '/chat/completions')} \\",
        f"  -H {_header('Authorization: Bearer ' + site['key'])} \\",
        '  -H "Content-Type: application/json" \\',
        f"  -w {WRITE_OUT} \\",
        f"  -d {_squote(_body_openai(fast['openai_model'], prompt, n))}",
    ])
    anthropic = "\n".join([
        f"curl -sS {_shell(site['anthropic'] + '/v1/messages')} \\",
        f"  -H {_header('x-api-key: ' + site['key'])} \\",
        f'  -H "anthropic-version: {ANTHROPIC_VERSION}" \\',
        '  -H "content-type: application/json" \\',
        f"  -w {WRITE_OUT} \\",
        f"  -d {_squote(_body_anthropic(fast['anthropic_model'], prompt, n))}",
    ])
    models = None
    if fast.get("list_models"):
        models = (f"curl -sS {_shell(site['openai'] + '/models')} \\\n"
                  f"  -H {_header('Authorization: Bearer ' + site['key'])}")
    return {"openai": openai, "anthropic": anthropic, "models": models}


def client_snippets(site, fast):
    """curl / Python / Node on the OpenAI-compatible route, each printing status, retry-after and
    the raw body (where provider_name, type and code are)."""
    n = fast.get("max_tokens", 16)
    prompt = fast.get("prompt", "Test.")
    model = fast["openai_model"]
    curl = "\n".join([
        f"curl -sS -i {_shell(site['openai'] + '/chat/completions')} \\",
        f"  -H {_header('Authorization: Bearer ' + site['key'])} \\",
        '  -H "Content-Type: application/json" \\',
        f"  -d {_squote(_body_openai(model, prompt, n))}",
    ])
    python = "\n".join([
        "from openai import APIStatusError, OpenAI",
        "",
        f"client = OpenAI(base_url={json.dumps(site['openai'])}, api_key={json.dumps(site['key'])},",
        "                max_retries=0)  # see each failure once; add your own backoff later",
        "try:",
        "    reply = client.chat.completions.create(",
        f"        model={json.dumps(model)},",
        f"        messages=[{{\"role\": \"user\", \"content\": {json.dumps(prompt)}}}],",
        f"        max_completion_tokens={n},",
        "    )",
        "    print(\"OK\", reply.usage)",
        "except APIStatusError as err:",
        "    print(err.status_code, err.response.headers.get(\"retry-after\"))",
        "    print(err.response.text)  # the raw body: type, code, provider_name",
    ])
    node = "\n".join([
        "// save as check.mjs and run: node check.mjs (Node 18 or later)",
        f"const res = await fetch({json.dumps(site['openai'] + '/chat/completions')}, {{",
        "  method: \"POST\",",
        "  headers: {",
        f"    \"Authorization\": {json.dumps('Bearer ' + site['key'])},",
        "    \"Content-Type\": \"application/json\",",
        "  },",
        "  body: JSON.stringify({",
        f"    model: {json.dumps(model)},",
        f"    messages: [{{ role: \"user\", content: {json.dumps(prompt)} }}],",
        f"    max_completion_tokens: {n},",
        "  }),",
        "});",
        "console.log(res.status, res.headers.get(\"retry-after\"));",
        "console.log(await res.text()); // the raw body: type, code, provider_name",
    ])
    return [("curl", "bash", curl), ("Python", "python", python), ("Node", "js", node)]


# ---- pages --------------------------------------------------------------------------------

def _tags(fam, phrases):
    tags, seen = [], set()
    candidates = [p["text"] for p in phrases]
    candidates += [str(s.get("code")) for s in as_list(fam.get("statuses")) if isinstance(s, dict)]
    candidates += [c.get("value") for c in as_list(fam.get("codes")) if isinstance(c, dict)]
    for tag in candidates:
        if isinstance(tag, str) and tag.strip() and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def _phrases(fam, families):
    own = [{"text": p["text"], "note": p.get("note", ""), "home": None}
           for p in as_list(fam.get("phrases")) if isinstance(p, dict) and isinstance(p.get("text"), str)]
    for other in families:
        if other is fam:
            continue
        for p in as_list(other.get("phrases")):
            if isinstance(p, dict) and fam["id"] in as_list(p.get("also_in")) and isinstance(p.get("text"), str):
                own.append({"text": p["text"], "note": p.get("note", ""),
                            "home": {"title": other.get("title", other["id"]), "link": f"{other['id']}.md"}})
    return own


def _retry(retry):
    verdict = retry.get("verdict")
    verdict = {True: "yes", False: "no"}.get(verdict, verdict) if isinstance(verdict, bool) else verdict
    if verdict == "yes":
        return {"kind": "success", "label": "Yes", "detail": retry.get("detail", "")}
    if verdict == "after":
        return {"kind": "warning", "label": f"Only after {retry.get('after', '')}", "detail": retry.get("detail", "")}
    return {"kind": "failure", "label": "No", "detail": retry.get("detail", "")}


def _related(fam, by_id, topics, from_page):
    titles = {t["page"]: t.get("title", t["page"]) for t in as_list(topics.get("topics"))
              if isinstance(t, dict) and isinstance(t.get("page"), str)}
    out = []
    for rel in as_list(fam.get("related")):
        if not isinstance(rel, dict):
            continue
        if rel.get("family") in by_id:
            other = by_id[rel["family"]]
            out.append({"title": other.get("title", other["id"]), "link": f"{other['id']}.md", "why": rel.get("why", "")})
        elif isinstance(rel.get("page"), str):
            page = rel["page"]
            out.append({"title": titles.get(page, page), "link": _rel(page, from_page), "why": rel.get("why", "")})
    return out


_PAGE_REF = re.compile(r"\b(the )((?:(?!the )[A-Za-z][A-Za-z-]* ){0,3}?(?!the )[A-Za-z][A-Za-z-]*)( page)\b(?!s)")


def cross_links(fam, families):
    """A function that links, in escaped Markdown text, each mention of another troubleshooting
    page ("see the invalid key page", "follow the out-of-balance page") or of the models page.
    A name matches the family whose id starts with it (hyphens and spaces ignored) when exactly
    one does; the page itself and names that match nothing stay plain text."""
    keys = {f["id"]: f["id"].replace("-", "") for f in families if f is not fam}

    def target(name):
        key = name.lower().replace("-", "").replace(" ", "")
        if key in ("models", "modelsandslugs"):
            return "../models/index.md"
        if key in ("troubleshooting", "troubleshootingindex"):
            return "index.md"
        if key == "apioverview":
            return "../api.md"
        hits = [fid for fid, k in keys.items() if k.startswith(key)] if len(key) >= 5 else []
        return f"{hits[0]}.md" if len(hits) == 1 else None

    def link(match):
        names = match.group(2).split(" or ")
        hrefs = [target(n) for n in names]
        if None in hrefs:
            return match.group(0)
        if len(names) == 1:
            return f"{match.group(1)}[{names[0]}{match.group(3)}]({hrefs[0]})"
        *first, last = list(zip(names, hrefs))
        return (match.group(1) + " or ".join(f"[{n}]({h})" for n, h in first)
                + f" or [{last[0]}{match.group(3)}]({last[1]})")

    return lambda markdown: _PAGE_REF.sub(link, str(markdown))


def family_page(catalog, fam, families=None, topics=None):
    families = families if families is not None else _families(catalog)
    topics = _topics(catalog, topics)
    site = _site(catalog)
    src = f"errors/{fam['id']}.md"
    by_id = {f["id"]: f for f in families}
    fast = dict(fam.get("fast_check") or {})
    phrases = _phrases(fam, families)
    examples = []
    for route, tab in ROUTE_TABS.items():
        items = [e for e in as_list(fam.get("examples")) if isinstance(e, dict) and e.get("route") == route]
        examples.append({"tab": tab, "items": items})
    markdown = render.render(
        "error_page.md.j2",
        fam=fam, site=site, phrases=phrases, tags=_tags(fam, phrases),
        statuses=[s for s in as_list(fam.get("statuses")) if isinstance(s, dict)],
        codes=[c for c in as_list(fam.get("codes")) if isinstance(c, dict)],
        retry=_retry(fam.get("retry") or {}), costs=fam.get("costs"),
        calculator=_rel("calculator.md", src),
        fast=fast, commands=commands(site, fast),
        snippets=client_snippets(site, fast) if fam.get("client_snippet") else [],
        examples=examples, route_tabs=ROUTE_TABS,
        causes=[c for c in as_list(fam.get("causes")) if isinstance(c, dict)], signal_columns=SIGNAL_COLUMNS,
        question=errors_match.question_rules(fam, errors_match.cause_rules(fam)),
        related=_related(fam, by_id, topics, src),
        topic_map=topic_map(catalog, from_page=src, topics=topics),
        xref=cross_links(fam, families),
    )
    edit = fam.get("file") or f"data/errors/{fam['id']}.yaml"
    return render.Page(src, markdown, edit_path=edit, in_nav=True)


def index_page(catalog, families=None, topics=None):
    families = families if families is not None else _families(catalog)
    topics = _topics(catalog, topics)
    src = "errors/index.md"
    rows, by_status = [], {}
    for fam in families:
        codes = [s.get("code") for s in as_list(fam.get("statuses")) if isinstance(s, dict)]
        for code_ in codes:
            by_status.setdefault(code_, []).append(fam)
        rows.append({"fam": fam, "link": f"{fam['id']}.md", "statuses": codes,
                     "retry": _retry(fam.get("retry") or {})["label"],
                     "phrases": [p["text"] for p in _phrases(fam, families)]})
    markdown = render.render(
        "errors_index.md.j2", rows=rows,
        by_status=sorted((c, [{"title": f.get("title", f["id"]), "link": f"{f['id']}.md"} for f in fams])
                         for c, fams in by_status.items() if isinstance(c, int)),
        topic_map=topic_map(catalog, from_page=src, topics=topics),
        matcher=matcher_json(catalog),
    )
    return render.Page(src, markdown, edit_path="", in_nav=True)


def matcher_json(catalog):
    """The lookup's rules (calculator.errors_match.browser_rules, the families in the catalog's
    order as `pricebook errors` ranks them) as JSON safe inside a single-quoted HTML attribute (no
    <script>: instant navigation would re-run it under the calculator page's policy)."""
    rules = errors_match.browser_rules(getattr(catalog, "errors", ()) or ())
    data = json.dumps(rules, ensure_ascii=True, separators=(",", ":"), default=str)
    return data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def pages(catalog, topics=None):
    """Every troubleshooting page: the index first, then one page per family."""
    families = _families(catalog)
    topics = _topics(catalog, topics)
    return [index_page(catalog, families, topics)] + [
        family_page(catalog, fam, families, topics) for fam in families]


def topic_map(catalog, from_page="index.md", topics=None, heading=True):
    """The topic map cards as Markdown (Material grid cards), links relative to `from_page`."""
    topics = _topics(catalog, topics)
    links = _site(catalog)["links"]
    cards = []
    for t in as_list(topics.get("topics")):
        if not isinstance(t, dict):
            continue
        if isinstance(t.get("page"), str):
            if t["page"] == from_page:   # no card links to the page it is on
                continue
            cards.append({**t, "external": False, "href": _rel(t["page"], from_page)})
        elif t.get("link") in links:
            cards.append({**t, "external": True, "href": links[t["link"]]})
    return render.render("topic_map.md.j2", heading=topics.get("heading") if heading else None,
                   intro=topics.get("intro") if heading else None, cards=cards)
