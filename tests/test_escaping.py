"""Everything from the data that reaches the built site is escaped (issue 6).

A hostile copy of the corpus fixture (tests/test_corpus.py `fixture_data`) puts
`<script>alert(N)</script>` and `"><img src=x onerror=alert(N)>` into every kind of text field that
reaches a page (model, provider and family names, family labels, override and history notes, every
text of an error family, the topic map), each field with its own N, and an https URL ending in
`"><script>alert(N)</script>` into every URL field. The site is built in process (tests/sitebuild.py,
the real mkdocs.yml and hook, --strict) and every built file is searched: each N must reach the
HTML, and never as markup. `javascript:` URLs, and text that would be pasted unescaped into the
examples (base URL, key placeholder) or the theme's title (brand), are refused by the loader with
`path:line`. The curl examples carry the key placeholder, never anything like a real key.
"""
import copy
import html
import json
import re

import pytest
import yaml

from datafix import expect, line_of, mutate
from hooks.data.load import load_catalog
from sitebuild import build_site
from test_corpus import fixture_data

RAW = re.compile(r"<script>alert\(\d+\)|<img src=x onerror", re.I)
# real-looking API keys (the patterns), never in a built file
REAL_KEY = re.compile(r"sk-[A-Za-z0-9]{20,}|sk-(?:ant|proj|or)-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{30,}")
FENCE = re.compile(r"^( *)```[^\n]*\n.*?^\1```$", re.M | re.S)
AUTH = re.compile(r"(?:Authorization: Bearer|x-api-key:)\s*([^\s\"'\\]+)")

# error family keys whose values are ids, enums, slugs or numbers (the schema refuses markup there)
NOT_TEXT = {"id", "order", "code", "field", "value", "verdict", "openai_model", "anthropic_model", "max_tokens",
            "list_models", "client_snippet", "route", "status", "language", "family", "page", "weight", "also_in",
            "match", "kind", "link", "cause", "signal"}
# (parent key, key) of text fields with a length limit: the short payload fits
SHORT = {("support_packet", "field"), ("topics", "title"), ("phrases", "text"), ("codes", "seen_from"),
         (None, "heading"), ("signals", None)}


class Payloads:
    """Numbered payloads: field N gets alert(N), so a test can tell which field went where."""

    def __init__(self):
        self.fields = {}     # N -> (where, kind): kind is text | url

    def _next(self, where, kind):
        n = len(self.fields) + 1
        self.fields[n] = (where, kind)
        return n

    def text(self, where, short=False):
        n = self._next(where, "text")
        if short:
            return f"<script>alert({n})</script>"
        return f"x <script>alert({n})</script> \"><img src=x onerror=alert({n})>"

    def url(self, where):
        return f'https://evil.example/"><script>alert({self._next(where, "url")})</script>'


def _edit(path, change):
    """Load a fixture YAML file, change it, write it back under its schema line."""
    text = path.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    data = yaml.safe_load(text)
    change(data)
    path.write_text(first + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000),
                    encoding="utf-8")


def _poison(node, pay, label, path=()):
    """Append a payload to every text value of an error family or topics file."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        if isinstance(key, str) and key in NOT_TEXT and path[-1:] != ("signals",):
            continue
        where = f"{label}:" + ".".join(map(str, path + (key,)))
        if isinstance(value, str):
            parent = next((p for p in reversed(path) if isinstance(p, str)), None)
            short = (parent, key) in SHORT or (parent, None) in SHORT
            node[key] = pay.text(where, True) if short else f"{value} {pay.text(where)}"
        elif isinstance(value, (dict, list)):
            _poison(value, pay, label, path + (key,))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data = fixture_data(root)
    pay = Payloads()

    def site(d):
        d["tagline"] = pay.text("site tagline")
        for fid in ("claude", "gpt"):
            d["pricing"]["families"][fid]["name"] = pay.text(f"family {fid} name")
            d["pricing"]["families"][fid]["label"] = pay.text(f"family {fid} label")
        d["pricing"]["overrides"][0]["note"] = pay.text("override note")
        for key in d["links"]:
            d["links"][key] = pay.url(f"links.{key}")

    def models(d):
        d["name"] = pay.text(f"provider name {d['provider']}")
        for m in d["models"]:
            m["name"] = pay.text(f"model name {m['slug']}")
            m["provider_model_id"] = pay.text(f"provider_model_id {m['slug']}")
            m["source"] = pay.url(f"source {m['slug']}")
            for h in m.get("history") or ():
                h["note"] = pay.text(f"history note {m['slug']}")

    def family(d):
        d["causes"].append({**copy.deepcopy(d["causes"][0]), "id": "copy"})   # the comparison table is shown too
        _poison(d, pay, "errors")
        d["question"]["text"] += "?"      # a question ends with '?', payload or not

    _edit(data / "site.yaml", site)
    _edit(data / "models" / "anthropic.yaml", models)
    _edit(data / "models" / "openai.yaml", models)
    _edit(data / "errors" / "test-balance.yaml", family)
    _edit(data / "topics.yaml", lambda d: _poison(d, pay, "topics"))
    result = load_catalog(data)
    assert result.errors == [], "\n".join(map(str, result.errors))
    site = build_site(root / "site", data_dir=data, pyodide=False)
    files = {p.relative_to(site.site_dir).as_posix(): p.read_text(encoding="utf-8", errors="replace")
             for p in sorted(site.site_dir.rglob("*")) if p.is_file() and p.suffix in (".html", ".json", ".txt",
                                                                                       ".xml", ".md")}
    return site, pay, files


def _kind(files, *suffixes):
    return {name: text for name, text in files.items() if name.endswith(suffixes)}


# ---- the built HTML ------------------------------------------------------------------------------

def test_no_injected_markup_survives_in_any_page(hostile):
    _, pay, files = hostile
    pages = _kind(files, ".html")
    assert len(pages) >= 20
    raw = {name: RAW.findall(text)[:3] for name, text in pages.items() if RAW.search(text)}
    assert raw == {}, f"raw markup from the data in: {raw}"
    scheme = re.compile(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", re.I)
    hrefs = {name for name, text in pages.items() if scheme.search(text)}
    assert hrefs == set()


def test_every_injected_field_reaches_the_html_escaped(hostile):
    _, pay, files = hostile
    pages = "\n".join(_kind(files, ".html").values())
    only_in_exports = {"site tagline"}      # the tagline is used by llms.txt only
    missing = [where for n, (where, _) in pay.fields.items()
               if where not in only_in_exports and f"alert({n})" not in pages]
    assert missing == [], f"these fields never reached a page (so the test proves nothing for them): {missing}"
    # the escaped forms, as the browser will show them (text) or follow them (links)
    assert "&lt;script&gt;alert(" in pages and "&lt;img src=x onerror=alert(" in pages
    url_n = next(n for n, (where, kind) in pay.fields.items() if kind == "url" and where.startswith("source"))
    assert re.search(rf'href="https://evil\.example/&(?:quot|#34);&gt;&lt;script&gt;alert\({url_n}\)', pages)


def test_readme_states_the_number_of_fields(hostile):
    from datafix import REPO
    _, pay, _ = hostile
    kinds = [kind for _, kind in pay.fields.values()]
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert f"in {kinds.count('text')} text fields" in readme and f"in {kinds.count('url')} URL fields" in readme


def test_search_index_holds_no_markup(hostile):
    site, _, files = hostile
    assert not RAW.search(files["search/search_index.json"])
    for doc in site.search_index()["docs"]:
        assert not RAW.search(doc["title"]) and not RAW.search(doc["text"]), doc["location"]


# ---- the JSON exports and llms.txt -------------------------------------------------------------------

def test_json_exports_keep_the_data_exactly(hostile):
    site, pay, _ = hostile
    names = {m["slug"]: m["name"] for m in site.json("api/models.json")["models"]}
    n = next(n for n, (where, _) in pay.fields.items() if where == "model name gpt-test")
    assert names["gpt-test"] == f"x <script>alert({n})</script> \"><img src=x onerror=alert({n})>"


def test_no_injected_markup_survives_in_the_exports(hostile):
    _, _, files = hostile
    exports = _kind(files, ".json", ".txt")
    assert {"api/models.json", "api/prices.json", "api/errors.json", "llms.txt", "llms-full.txt"} <= set(exports)
    # llms-full.txt is the pages' Markdown: an example error body sits in a fenced code block there,
    # which Markdown shows as literal text (the HTML page escapes it); everywhere else, nothing raw
    exports["llms-full.txt"] = FENCE.sub("", exports["llms-full.txt"])
    raw = {name: RAW.findall(text)[:2] for name, text in exports.items() if RAW.search(text)}
    assert raw == {}, f"raw markup from the data in: {raw}"
    assert "\\u003cscript\\u003ealert(" in files["api/models.json"]   # escaped, not dropped


# ---- what the loader refuses -------------------------------------------------------------------------

URL_FIELDS = [
    ("models/openai.yaml", "source: https://openai.example/api/pricing", "source (model gpt-test)"),
    ("site.yaml", "base_url: https://api.testhub.example", "base_url"),
    ("site.yaml", "dashboard: https://testhub.example/dashboard", "links.dashboard"),
    ("site.yaml", "topup: https://testhub.example/top-up", "links.topup"),
    ("site.yaml", "support: https://testhub.example/support", "links.support"),
    ("site.yaml", "status: https://status.testhub.example", "links.status"),
]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(document.domain)",
                                 "data:text/html,<script>alert(1)</script>", "http://testhub.example/x"])
@pytest.mark.parametrize("file,line,label", URL_FIELDS, ids=[f[2] for f in URL_FIELDS])
def test_only_https_urls_are_accepted(tmp_path, file, line, label, url):
    data = fixture_data(tmp_path)
    key = line.split(":", 1)[0]
    mutate(data / file, line, f"{key}: {json.dumps(url)}")
    result = load_catalog(data)
    expect(result, data, data / file, line_of(data / file, f"{key}: "), label, "https://")
    assert result.catalog is None


@pytest.mark.parametrize("old,new,words", [
    ("base_url: https://api.testhub.example", 'base_url: "https://api.testhub.example/\\"><script>alert(1)</script>"',
     ("base_url", "copied verbatim", "'<'", "'\"'")),
    ("key_placeholder: YOUR_TESTHUB_KEY", 'key_placeholder: "<script>alert(1)</script>"',
     ("key_placeholder", "copied verbatim", "'<'")),
    ("key_placeholder: YOUR_TESTHUB_KEY", 'key_placeholder: "YOUR KEY"', ("key_placeholder", "' '")),
    ("key_placeholder: YOUR_TESTHUB_KEY", "key_placeholder: sk-ant-api03-Ab12Cd34Ef56Gh78Ij90Kl12",
     ("key_placeholder", "looks like a real API key")),
    ("brand: Testhub", 'brand: "<script>alert(1)</script>"', ("brand", "site name", "<", ">")),
    ("brand: Testhub", 'brand: "Test\\"><img src=x onerror=alert(1)>"', ("brand", '"')),
], ids=["base-url-markup", "placeholder-markup", "placeholder-space", "placeholder-real-key", "brand-script",
        "brand-img"])
def test_text_pasted_unescaped_is_refused(tmp_path, old, new, words):
    data = fixture_data(tmp_path)
    mutate(data / "site.yaml", old, new)
    result = load_catalog(data)
    key = old.split(":", 1)[0]
    expect(result, data, data / "site.yaml", line_of(data / "site.yaml", f"{key}: "), *words)


def test_brand_with_an_ampersand_or_apostrophe_is_fine(tmp_path):
    data = fixture_data(tmp_path)
    mutate(data / "site.yaml", "brand: Testhub", "brand: Test & Hub's")
    assert load_catalog(data).errors == []


# ---- curl examples: the placeholder, never a key ------------------------------------------------------

def _curl_blocks(files):
    """(file, text) of every code block with a curl command, as a reader copies it."""
    for name, text in _kind(files, ".html").items():
        for block in re.findall(r"<code[^>]*>(.*?)</code>", text, re.S):
            plain = html.unescape(re.sub(r"<[^>]+>", "", block))
            if "curl " in plain:
                yield name, plain


@pytest.fixture(scope="module")
def default_site(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("default") / "site", pyodide=False)
    files = {p.relative_to(site.site_dir).as_posix(): p.read_text(encoding="utf-8", errors="replace")
             for p in site.site_dir.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".txt", ".md")}
    return site, files


@pytest.mark.parametrize("which", ["default", "hostile"])
def test_curl_examples_use_the_key_placeholder(which, default_site, hostile):
    site, files = default_site if which == "default" else (hostile[0], hostile[2])
    placeholder = yaml.safe_load((site.data_dir / "site.yaml").read_text())["key_placeholder"]
    blocks = list(_curl_blocks(files))
    assert len(blocks) >= (50 if which == "default" else 4), "the site shows curl examples"
    for name, block in blocks:
        keys = AUTH.findall(block)
        if "/v1/models" in block and not keys:
            continue
        assert keys, f"{name}: a curl example without a key header:\n{block}"
        assert set(keys) == {placeholder}, f"{name}: {keys}"
    # llms-full.txt carries the same commands as Markdown code blocks
    fences = [b for b in re.findall(r"^[ \t]*(`{3,})[^\n]*\n(.*?)^[ \t]*\1", files["llms-full.txt"], re.S | re.M)
              if "curl " in b[1]]
    assert len(fences) >= len(blocks) // 3, (len(fences), len(blocks))
    for _, block in fences:
        assert set(AUTH.findall(block)) <= {placeholder}, block


@pytest.mark.parametrize("which", ["default", "hostile"])
def test_no_real_looking_key_anywhere_in_the_site(which, default_site, hostile):
    files = default_site[1] if which == "default" else hostile[2]
    found = {name: REAL_KEY.findall(text)[:2] for name, text in files.items() if REAL_KEY.search(text)}
    assert found == {}
