"""Troubleshooting pages (hooks/sitegen/pages/errors.py), the topic map, and the error-family checks
(hooks/data/rules/errors_yaml.py) with their file:line messages."""
import copy
import html
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from calculator.catalog import Catalog
from calculator.errors_match import rank
from hooks.sitegen import render
from hooks.sitegen.pages import errors as pages_errors
from hooks.data.rules.errors_yaml import check_errors
from hooks.data.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ERROR_FILES = sorted((DATA / "errors").glob("*.yaml"))
TOPICS = yaml.safe_load((DATA / "topics.yaml").read_text(encoding="utf-8"))

SECTIONS = [
    "## Direct answer",
    "## Fast check",          # right under the answer: the first thing a reader can do
    "## Error phrases this page covers",
    "## Status codes and error types",
    "## Will a retry help?",
    "## Common causes",
    "## Fix steps",
    "## Verify before retrying production traffic",
    "## Diagnostic decision tree",
    "## Prevention",
    "## Minimum support packet",
    "## When to contact support",
    "## Related pages",
    "## Continue with the right source",
]


def _model(slug, family, provider, aliases=()):
    return {"slug": slug, "name": slug, "family": family, "provider": provider, "provider_model_id": slug,
            "context_window": 200000, "max_output": 64000, "status": "active", "aliases": list(aliases),
            "prices": {"input": "1.00", "output": "5.00"}, "source": "https://example.com/p",
            "checked": "2026-11-01"}


def _read(path):
    """A data file as the project's loader reads it (YAML 1.2 scalars: `no` stays the text "no")."""
    doc, problems = load_yaml(path, f"data/{path.relative_to(path.parents[1]).as_posix()}")
    assert doc is not None and not problems, problems
    return doc.data


def _families():
    return [{**_read(path), "file": f"data/errors/{path.name}"} for path in ERROR_FILES]


def fixture_dict(errors=None):
    return {
        "version": 1, "currency": "USD",
        "site": {"brand": "Testhub", "base_url": "https://api.test.example",
                 "routes": {"openai": "/v1", "anthropic": "/anthropic"}, "key_placeholder": "YOUR_TEST_KEY",
                 "links": {"dashboard": "https://test.example/dash", "topup": "https://test.example/top-up",
                           "support": "https://test.example/support", "status": "https://status.test.example"}},
        "families": {"gpt": {"name": "GPT", "provider": "openai", "ratio": "0.5"},
                     "claude": {"name": "Claude", "provider": "anthropic", "ratio": "0.35"}},
        "overrides": [],
        "models": [_model("gpt-5.4-mini", "gpt", "openai"),
                   _model("claude-haiku-4-5", "claude", "anthropic", ["claude-haiku-4.5"]),
                   _model("claude-sonnet-4-6", "claude", "anthropic")],
        "errors": _families() if errors is None else errors,
    }


@pytest.fixture(scope="module")
def catalog():
    return Catalog.from_dict(fixture_dict())


@pytest.fixture(scope="module")
def built(catalog):
    return {p.src_uri: p for p in pages_errors.pages(catalog, topics=TOPICS)}


def front_matter(markdown):
    assert markdown.startswith("---\n")
    head, _, body = markdown[4:].partition("\n---\n")
    return yaml.safe_load(head), body


# ---- pages ---------------------------------------------------------------------------------

def test_one_page_per_family_plus_index(built):
    ids = [_read(p)["id"] for p in ERROR_FILES]
    assert set(built) == {"errors/index.md", *(f"errors/{i}.md" for i in ids)}
    assert len(ids) >= 9


@pytest.mark.parametrize("path", ERROR_FILES, ids=lambda p: p.stem)
def test_sections_in_order(built, path):
    md = built[f"errors/{path.stem}.md"].markdown
    positions = [md.find(f"\n{heading}\n") for heading in SECTIONS]
    assert all(p > 0 for p in positions), [h for h, p in zip(SECTIONS, positions) if p < 0]
    assert positions == sorted(positions)


@pytest.mark.parametrize("path", ERROR_FILES, ids=lambda p: p.stem)
def test_every_phrase_in_code_format_and_in_tags(built, path):
    fam = _read(path)
    page = built[f"errors/{fam['id']}.md"]
    meta, body = front_matter(page.markdown)
    for phrase in fam["phrases"]:
        assert render.code(phrase["text"]) in body, phrase["text"]
        assert html.escape(phrase["text"], quote=False) in meta["tags"]
    for status in fam["statuses"]:
        assert str(status["code"]) in meta["tags"]
    for value in fam.get("codes", ()):
        assert value["value"] in meta["tags"]
        assert render.code(value["value"]) in body
    assert meta["title"] and meta["description"] and meta["search"]["boost"] > 1


def test_shared_phrase_is_listed_on_the_other_page_with_its_home(built):
    body = built["errors/invalid-key.md"].markdown
    line = next(l for l in body.splitlines() if "<code>Credit balance is too low</code>" in l)
    assert "(out-of-balance.md)" in line
    assert "Credit balance is too low" in front_matter(body)[0]["tags"]


@pytest.mark.parametrize("path", ERROR_FILES, ids=lambda p: p.stem)
def test_fast_check_is_copy_paste_curl_for_both_routes(built, path, catalog):
    fam = _read(path)
    md = built[f"errors/{fam['id']}.md"].markdown
    fast = fam["fast_check"]
    openai_cmd = re.search(r"curl -sS https://api\.test\.example/v1/chat/completions \\\n(.*?)```", md, re.S)
    anthropic_cmd = re.search(r"curl -sS https://api\.test\.example/anthropic/v1/messages \\\n(.*?)```", md, re.S)
    assert openai_cmd and anthropic_cmd
    assert '-H "Authorization: Bearer YOUR_TEST_KEY"' in openai_cmd.group(1)
    assert '-H "x-api-key: YOUR_TEST_KEY"' in anthropic_cmd.group(1)
    assert '-H "anthropic-version: 2023-06-01"' in anthropic_cmd.group(1)
    for cmd, slug in ((openai_cmd.group(1), fast["openai_model"]), (anthropic_cmd.group(1), fast["anthropic_model"])):
        body = json.loads(re.search(r"-d '(.*)'", cmd).group(1))
        assert body["model"] == slug
        catalog.model(slug)          # the slug exists in the catalog the page was built from
        assert body["messages"][0]["content"] == fast["prompt"]
    assert not re.search(r"sk-[A-Za-z0-9]{10,}", md)
    assert "relayhub" not in md.lower()      # everything comes from the catalog's site, not from data/site.yaml


def test_tabs_use_the_same_titles_everywhere(built):
    for src, page in built.items():
        if src == "errors/index.md":
            continue
        tabs = re.findall(r'^\s*=== "([^"]+)"', page.markdown, re.M)
        assert set(tabs) <= {"OpenAI-compatible", "Anthropic-native", "curl", "Python", "Node"}, tabs
        assert tabs.count("OpenAI-compatible") == 2 and tabs.count("Anthropic-native") == 2, src
    snippet = built["errors/out-of-balance.md"].markdown
    assert re.findall(r'^=== "(curl|Python|Node)"', snippet, re.M) == ["curl", "Python", "Node"]
    assert "max_retries=0" in snippet and 'base_url="https://api.test.example/v1"' in snippet


def test_examples_are_fenced_per_route(built):
    md = built["errors/upstream-overloaded.md"].markdown
    anthropic_tab = md.split('=== "Anthropic-native"', 1)[1].split("## Will a retry help?")[0]
    assert '    ```json\n    {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' in anthropic_tab


def test_retry_verdicts_and_costs_hint(built):
    assert '!!! warning "Only after the top-up shows on the same key"' in built["errors/out-of-balance.md"].markdown
    assert '!!! failure "No"' in built["errors/wrong-base-url.md"].markdown
    assert '!!! success "Yes"' in built["errors/rate-limited.md"].markdown
    for fam in ("out-of-balance", "rate-limited", "context-too-long"):
        md = built[f"errors/{fam}.md"].markdown
        assert '!!! tip "What this costs"' in md and "[Open the cost calculator](../calculator.md)" in md
    assert "What this costs" not in built["errors/wrong-base-url.md"].markdown


def test_cause_comparison_table(built):
    md = built["errors/out-of-balance.md"].markdown
    assert "| Cause | Status | Duration | Tokens billed | provider_name / raw upstream body | Rotating the key |" in md
    assert ("| [A stale key that only looks like a balance problem](#cause-stale-key) | 400 with the credit balance "
            "message |") in md


@pytest.mark.parametrize("path", ERROR_FILES, ids=lambda p: p.stem)
def test_every_cause_has_its_anchor_and_the_question_links_them(built, path):
    fam = _read(path)
    md = built[f"errors/{fam['id']}.md"].markdown
    causes = md.split("## Common causes")[1].split("## Fix steps")[0]
    headings = re.findall(r"^### (\d+)\. (.*) \{ #cause-([a-z0-9-]+) \}$", causes, re.M)
    assert [(int(n), i) for n, _, i in headings] == [(n, c["id"]) for n, c in enumerate(fam["causes"], 1)]
    question = causes.split("\n### ")[0]     # above the first cause
    assert f'!!! question "{render.text(fam["question"]["text"])}"' in question
    titles = {c["id"]: c["title"] for c in fam["causes"]}
    for a in fam["question"]["answers"]:
        assert (f"    - {render.text(a['answer'])} &rarr; [{render.text(titles[a['cause']])}](#cause-{a['cause']})"
                in question)


def test_a_family_without_ids_or_question_renders_as_before():
    fam = copy.deepcopy(next(f for f in _families() if f["id"] == "rate-limited"))
    del fam["question"]
    for cause in fam["causes"]:
        cause.pop("id"), cause.pop("evidence", None)
    cat = Catalog.from_dict(fixture_dict([fam]))
    md = next(p for p in pages_errors.pages(cat, topics=TOPICS) if p.src_uri == "errors/rate-limited.md").markdown
    assert "!!! question" not in md and "#cause-" not in md
    assert "### 1. Too many requests or tokens per minute\n" in md


def test_support_packet_and_links(built):
    md = built["errors/invalid-key.md"].markdown
    packet = md.split("## Minimum support packet")[1].split("## When to contact support")[0]
    assert "| Field | Why support needs it |" in packet
    assert '<a href="https://test.example/support">Contact support</a>' in md


def test_links_between_pages_are_relative_md(built):
    pages = set(built) | {t["page"] for t in TOPICS["topics"] if "page" in t}
    for src, page in built.items():
        anchors = set(re.findall(r"\{ #([a-z0-9-]+) \}$", page.markdown, re.M))
        for target in re.findall(r"\]\(([^)\s]+)\)", page.markdown):
            assert not target.startswith(("/", "http:")), (src, target)
            if target.startswith("https://"):
                continue
            if target.startswith("#"):     # a cause on this page
                assert target[1:] in anchors, (src, target)
                continue
            assert target.endswith(".md"), (src, target)
            resolved = Path("/", Path(src).parent, target).resolve().as_posix().lstrip("/")
            assert resolved in pages, (src, target)


def test_edit_path_is_the_yaml_file(built):
    for path in ERROR_FILES:
        assert built[f"errors/{path.stem}.md"].edit_path == f"data/errors/{path.name}"
    assert built["errors/index.md"].edit_path == ""


def test_index_lists_every_family_with_phrases_and_the_lookup_box(built):
    md = built["errors/index.md"].markdown
    assert '<div id="error-lookup"></div>' in md
    for path in ERROR_FILES:
        fam = _read(path)
        assert f"]({fam['id']}.md)" in md
        for phrase in fam["phrases"]:
            assert render.code(phrase["text"]) in md
    assert re.search(r"\| <code>429</code> \| .*\(out-of-balance\.md\).*\(rate-limited\.md\)", md)


def test_topic_map_cards_and_relative_links(catalog):
    root = pages_errors.topic_map(catalog, topics=TOPICS)
    deep = pages_errors.topic_map(catalog, from_page="errors/invalid-key.md", topics=TOPICS)
    assert '<div class="grid cards" markdown>' in root and root.rstrip().endswith("</div>")
    assert "[**Models &amp; slugs**](models/index.md)" in root
    assert "[**Models &amp; slugs**](../models/index.md)" in deep
    assert "[**Troubleshooting**](index.md)" in deep
    assert '<a href="https://status.test.example"><strong>Status</strong></a>' in root
    own = [t for t in TOPICS["topics"] if t.get("page") == "index.md"]
    assert own and "](index.md)" not in root   # no card links to the page it is on
    assert root.count("\n-   ") == len(TOPICS["topics"]) - len(own)
    assert "## Continue with the right source" in root
    assert "## " not in pages_errors.topic_map(catalog, topics=TOPICS, heading=False)


def test_topic_map_comes_from_the_loaded_data_only(catalog):
    import types
    with_topics = types.SimpleNamespace(**{**vars(catalog), "site": {**catalog.site, "topics": TOPICS}})
    assert pages_errors.topic_map(with_topics) == pages_errors.topic_map(catalog, topics=TOPICS)
    without = types.SimpleNamespace(**{**vars(catalog), "site": {k: v for k, v in catalog.site.items() if k != "topics"}})
    assert "](" not in pages_errors.topic_map(without)   # no topics.yaml in the data: no cards, none borrowed


def test_hostile_data_text_is_escaped():
    fam = copy.deepcopy(_families()[0])
    fam.update(
        title="Broken </title><script>alert(1)</script>",
        summary='x" onmouseover="alert(1)',
        answer="# not a heading\n\n{: onclick=alert(1) }\n\n<img src=x onerror=alert(1)>",
    )
    fam["phrases"] = [{"text": "<script>alert('x')</script>", "note": "*bold* [link](javascript:alert(1))"}]
    fam["examples"][0]["body"] = "```\n<script>alert(1)</script>\n```"
    fam["causes"][0]["signals"]["status"] = "429 | injected | cell"
    fam["related"] = [{"family": "rate-limited", "why": "1. not a list"}]
    cat = Catalog.from_dict(fixture_dict([fam, *[f for f in _families() if f["id"] == "rate-limited"]]))
    page = next(p for p in pages_errors.pages(cat, topics=TOPICS) if p.src_uri == f"errors/{fam['id']}.md")
    md = page.markdown
    meta, body = front_matter(md)
    outside_code = re.sub(r"(?ms)^(\s*)(`{3,})[a-z]*\n.*?^\1\2$", "", body)
    assert "<script" not in outside_code and "<img" not in outside_code
    assert "<code>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</code>" in body
    assert "&lt;script&gt;" in meta["title"] and "<" not in meta["title"]
    assert meta["description"] == "x&quot; onmouseover=&quot;alert(1)"
    assert "&#35; not a heading" in body and "&#123;: onclick=alert(1) &#125;" in body
    assert "&#42;bold&#42; &#91;link&#93;(javascript:alert(1))" in body
    assert "429 &#124; injected &#124; cell" in body
    assert "- [Rate limited or quota exhausted (the two kinds of 429)](rate-limited.md) - 1&#46; not a list" in body
    # the example body stays verbatim inside a longer fence, so it cannot close it early
    assert "    ````json\n    ```\n    <script>alert(1)</script>\n    ```\n    ````" in body
    assert "<script>alert('x')</script>" in meta["tags"][0].replace("&lt;", "<").replace("&gt;", ">")
    assert "<" not in meta["tags"][0]


# ---- schema --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def schema():
    s = json.loads((DATA / "schema" / "errors.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(s)
    return s


def _every_property(node, path="$"):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}.{name}", sub
        for key, value in node.items():
            if key not in ("properties", "if", "then", "else", "not", "oneOf", "anyOf", "allOf"):
                yield from _every_property(value, f"{path}/{key}")
        for name, sub in (node.get("properties") or {}).items():
            yield from _every_property(sub, f"{path}.{name}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _every_property(item, f"{path}[{i}]")


@pytest.mark.parametrize("name", ["errors.schema.json", "topics.schema.json"])
def test_schemas_describe_every_property_and_close_every_object(name):
    s = json.loads((DATA / "schema" / name).read_text())
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for path, prop in _every_property(s):
        assert prop.get("description"), f"{name}: {path} has no description"
        assert prop.get("title") or "$ref" in prop, f"{name}: {path} has no title"

    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for v in node.values():
                yield from objects(v)
        elif isinstance(node, list):
            for v in node:
                yield from objects(v)
    assert all(o.get("additionalProperties") is False for o in objects(s))


@pytest.mark.parametrize("path", ERROR_FILES, ids=lambda p: p.stem)
def test_real_files_pass_the_schema_and_name_it_on_line_one(schema, path):
    text = path.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/errors.schema.json"
    jsonschema.validate(_read(path), schema, cls=jsonschema.Draft202012Validator)


def test_topics_file_passes_its_schema():
    s = json.loads((DATA / "schema" / "topics.schema.json").read_text())
    text = (DATA / "topics.yaml").read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=schema/topics.schema.json"
    jsonschema.validate(yaml.safe_load(text), s, cls=jsonschema.Draft202012Validator)
    titles = [t["title"] for t in TOPICS["topics"]]
    assert titles == ["Overview", "API overview", "How it works", "Models & slugs", "Troubleshooting",
                      "Pricing comparisons", "Cache token pricing", "Pricing tracker", "Cost calculator",
                      "Verify before you buy", "Status"]


def test_schema_rejects_mistakes(schema):
    fam = _read(ERROR_FILES[0])
    v = jsonschema.Draft202012Validator(schema)
    for mutate in (
        lambda f: f.update(surprise=1),                                   # unknown field
        lambda f: f["retry"].update(verdict="after") or f["retry"].pop("after", None),
        lambda f: f["related"].append({"family": "x", "page": "api.md"}),  # both kinds in one item
        lambda f: f["fast_check"].update(prompt="it's quoted"),           # breaks the shell quoting
        lambda f: f["statuses"].append({"code": 999, "meaning": "nope"}),
    ):
        broken = copy.deepcopy(fam)
        mutate(broken)
        assert list(v.iter_errors(broken)), mutate


# ---- check_errors --------------------------------------------------------------------------

@pytest.fixture
def data_copy(tmp_path):
    """A data/ folder copy (errors + topics) whose files the test edits; returns (dir, catalog_dict)."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "errors", data / "errors")
    shutil.copy(DATA / "topics.yaml", data / "topics.yaml")
    return data


def _docs(data):
    docs = []
    for path in sorted((data / "errors").glob("*.yaml")):
        doc, problems = load_yaml(path, f"data/errors/{path.name}")
        assert not problems
        docs.append(doc)
    return docs


def _edit(data, name, old, new):
    path = data / "errors" / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return path


def _line_of(path, needle):
    return next(i for i, l in enumerate(path.read_text().splitlines(), 1) if needle in l)


def _run(data, catalog_dict=None):
    d = dict(catalog_dict or fixture_dict())
    topics = data / "topics.yaml"   # the copy's own topic map, as the loader hands it on
    if topics.exists():
        d["site"] = {**(d.get("site") or {}), "topics": yaml.safe_load(topics.read_text(encoding="utf-8"))}
    return check_errors(_docs(data), d)


def test_real_data_passes(data_copy):
    assert [str(p) for p in _run(data_copy)] == []


def test_unknown_slug_names_file_and_line(data_copy):
    path = _edit(data_copy, "out-of-balance.yaml", "openai_model: gpt-5.4-mini", "openai_model: gpt-5.4-mimi")
    problems = _run(data_copy)
    assert len(problems) == 1
    p = problems[0]
    assert (p.path, p.line) == ("data/errors/out-of-balance.yaml", _line_of(path, "gpt-5.4-mimi"))
    assert str(p).startswith(f"data/errors/out-of-balance.yaml:{p.line}:")
    assert "'gpt-5.4-mimi' is not a model slug" in p.message and "did you mean 'gpt-5.4-mini'" in p.message


def test_alias_is_accepted_and_deprecated_model_warns(data_copy):
    _edit(data_copy, "out-of-balance.yaml", "anthropic_model: claude-haiku-4-5", "anthropic_model: claude-haiku-4.5")
    assert _run(data_copy) == []
    d = fixture_dict()
    d["models"][1]["status"] = "deprecated"
    d["models"][1]["deprecated_on"] = "2027-01-01"
    problems = _run(data_copy, d)
    assert problems and {p.level for p in problems} == {"warning"}


def test_id_must_equal_file_name(data_copy):
    path = _edit(data_copy, "rate-limited.yaml", "id: rate-limited", "id: rate-limit")
    [p] = _run(data_copy)
    assert p.line == _line_of(path, "id: rate-limit") and "file name rate-limited.yaml" in p.message


def test_related_family_and_page_must_exist(data_copy):
    path = _edit(data_copy, "wrong-base-url.yaml", "  - family: unknown-model\n", "  - family: unknown-models\n")
    _edit(data_copy, "wrong-base-url.yaml", "  - page: api.md\n", "  - page: apis.md\n")
    problems = sorted(_run(data_copy))
    assert [p.line for p in problems] == [_line_of(path, "family: unknown-models"), _line_of(path, "page: apis.md")]
    assert "no family 'unknown-models'" in problems[0].message and "did you mean 'unknown-model'" in problems[0].message
    assert "'apis.md' is not a page listed in data/topics.yaml" in problems[1].message


def test_related_family_cannot_be_itself_and_also_in_must_exist(data_copy):
    _edit(data_copy, "unknown-model.yaml", "  - family: wrong-base-url\n", "  - family: unknown-model\n")
    _edit(data_copy, "out-of-balance.yaml", "also_in: [invalid-key]", "also_in: [invalid-keys]")
    messages = [p.message for p in _run(data_copy)]
    assert any("is this family itself" in m for m in messages)
    assert any("no family 'invalid-keys'" in m for m in messages)


def test_duplicate_phrase_across_families(data_copy):
    path = _edit(data_copy, "rate-limited.yaml", "  - text: Too Many Requests\n",
                 "  - text: Too Many Requests\n  - text: INSUFFICIENT-BALANCE\n")
    [p] = _run(data_copy)
    assert p.path == "data/errors/rate-limited.yaml" and p.line == _line_of(path, "INSUFFICIENT-BALANCE")
    assert "also a phrase of family out-of-balance at data/errors/out-of-balance.yaml:" in p.message
    assert "also_in" in p.message


def test_shared_phrase_listed_twice_is_still_an_error(data_copy):
    _edit(data_copy, "invalid-key.yaml", "  - text: 401 Unauthorized\n",
          "  - text: 401 Unauthorized\n  - text: Credit balance is too low\n")
    [p] = _run(data_copy)
    assert "already shared with this family by also_in" in p.message


def test_same_phrase_twice_in_one_family(data_copy):
    _edit(data_copy, "invalid-key.yaml", "  - text: 403 Forbidden\n", "  - text: 403 Forbidden\n  - text: 403 FORBIDDEN\n")
    [p] = _run(data_copy)
    assert "listed twice in this family" in p.message


@pytest.mark.parametrize("field,bad", [
    ("API key", True), ("Your password", True), ("Bearer token", True), ("Session cookie", True),
    ("Secret used by the app", True), ("Full key", True),
    ("Key label in the dashboard", False), ("Whether a fresh key works", False), ("Timestamp (UTC)", False),
    ("Tokens billed", False),
])
def test_support_packet_never_asks_for_a_secret(data_copy, field, bad):
    path = _edit(data_copy, "context-too-long.yaml", "  - field: Exact error text\n", f"  - field: {field}\n")
    problems = _run(data_copy)
    if bad:
        [p] = problems
        assert p.line == _line_of(path, f"field: {field}") and "never asks for a key" in p.message
    else:
        assert problems == []


def test_real_looking_key_and_http_url_are_refused(data_copy):
    path = _edit(data_copy, "invalid-key.yaml", "Incorrect API key provided: sk-abc1***************wxyz",
                 "Incorrect API key provided: sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234")
    _edit(data_copy, "invalid-key.yaml", "https://platform.openai.com/account/api-keys",
          "http://platform.openai.com/account/api-keys")
    # the https rule is the error rules'; the key rule scans every data file in the loader
    from hooks.data.load import load_catalog
    problems = [p for p in load_catalog(data_copy).problems if p.path.endswith("errors/invalid-key.yaml")
                and ("real API key" in p.message or "https" in p.message)]
    messages = " | ".join(p.message for p in problems)
    assert "looks like a real API key" in messages and "only https URLs" in messages
    lines = path.read_text().splitlines()
    body_line = max(i for i, l in enumerate(lines[:_line_of(path, "sk-proj-AbCd")], 1) if "body: |" in l)
    assert {p.line for p in problems} == {body_line}      # the block scalar holding both


def test_examples_must_cover_both_routes(data_copy):
    path = data_copy / "errors" / "unknown-model.yaml"
    text = path.read_text()
    path.write_text(text.replace("  - route: anthropic\n", "  - route: openai\n"))
    [p] = _run(data_copy)
    assert "no example for the Anthropic-native route" in p.message and p.line == _line_of(path, "examples:") + 1


def test_loader_runs_the_checks_with_file_and_line(tmp_path):
    """End to end through hooks.data.load (schema + check_errors) and the CLI."""
    from hooks.data import load
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.pyc"))
    path = _edit(data, "topup-not-arrived.yaml", "anthropic_model: claude-haiku-4-5", "anthropic_model: claude-nope")
    result = load.load_catalog(data)
    errors = [str(p) for p in result.errors]
    assert any(e.startswith(f"data/errors/topup-not-arrived.yaml:{_line_of(path, 'claude-nope')}:") for e in errors), errors

    from hooks import cli
    assert cli.main(["check", "--data", str(DATA)]) == 0


def test_cli_errors_end_to_end(capsys):
    from hooks import cli
    assert cli.main(["errors", "--data", str(DATA), "--json",
                     "openai.APIStatusError: Error code: 402 - {'error': {'message': 'Provider returned error', "
                     "'code': 402, 'metadata': {'provider_name': 'DeepSeek', 'is_byok': False}}}"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["family"] == "upstream-provider-error" and out[0]["url"] == "errors/upstream-provider-error/"
    assert cli.main(["errors", "--data", str(DATA), "429 out of balance"]) == 0
    assert "errors/out-of-balance/" in capsys.readouterr().out.splitlines()[0]


def test_cli_errors_prints_the_deciding_cause_and_the_question(capsys):
    from hooks import cli
    # Anthropic's credit message: no cause decided (an empty account or a stale key), the question
    assert cli.main(["errors", "--data", str(DATA), "Your credit balance is too low to access the Anthropic API. "
                     "Please go to Plans & Billing to upgrade or purchase credits."]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "errors/out-of-balance/" in lines[0] and "deciding cause" not in lines[1]
    assert lines[1] == "        ask: Does the dashboard show a positive balance for the key this request used?"
    assert lines[2] == ("          No, it shows zero or a few cents. -> The key's balance is used up  "
                        "errors/out-of-balance/#cause-balance-used-up")
    assert lines[4] == ("          Yes, yet even a tiny request with that key is refused. -> A stale key that only looks "
                        "like a balance problem  errors/out-of-balance/#cause-stale-key")
    # a router's "can only afford": the cause is decided, with the evidence that decided it
    assert cli.main(["errors", "--data", str(DATA), "402 This request requires more credits, or fewer max_tokens. "
                     "You requested up to 16384 tokens, but can only afford 3021."]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == ("        deciding cause: This request costs more than what is left  "
                        "errors/out-of-balance/#cause-request-too-large  (phrase 'can only afford', "
                        "phrase 'This request requires more credits, or fewer max_tokens')")
    assert lines[2].startswith("        ask: Does the dashboard show a positive balance")


def test_cross_references_between_pages_are_links():
    """A mention of another troubleshooting page (or the models page) in the data's text is a link
    on the real data's pages; names that match no page, or more than one, stay text."""
    import re as _re
    from hooks.data.load import load_catalog
    real = load_catalog(DATA).catalog
    md = {p.src_uri: p.markdown for p in pages_errors.pages(real)}
    assert "[invalid key page](invalid-key.md)" in md["errors/out-of-balance.md"]
    assert "[upstream provider error page](upstream-provider-error.md)" in md["errors/out-of-balance.md"]
    assert "[out-of-balance page](out-of-balance.md)" in md["errors/rate-limited.md"]
    assert "[models page](../models/index.md)" in md["errors/unknown-model.md"]
    assert ("[out-of-balance](out-of-balance.md) or [invalid key page](invalid-key.md)"
            in md["errors/upstream-provider-error.md"])
    ids = {p.stem.replace("-", "") for p in ERROR_FILES}
    for src, text in md.items():
        plain = _re.sub(r"\[[^\]]*\]\([^)]*\)", "", text)
        for name in _re.findall(r"\bthe ((?:(?!the )[A-Za-z][A-Za-z-]* ){0,3}?[A-Za-z][A-Za-z-]*) page\b(?!s)", plain):
            key = name.lower().replace("-", "").replace(" ", "")
            own = src.split("/")[-1][:-3].replace("-", "")
            assert key == "models" or not [i for i in ids if i.startswith(key) and i != own] or \
                len([i for i in ids if i.startswith(key)]) > 1, (src, name)
    link = pages_errors.cross_links({"id": "a"}, [{"id": "a"}, {"id": "upstream-x"}, {"id": "upstream-y"}])
    assert link("see the upstream page") == "see the upstream page"          # two pages: no guess
    assert link("see the a page") == "see the a page"                        # too short, and itself
    assert link("see the upstream x page") == "see the [upstream x page](upstream-x.md)"
