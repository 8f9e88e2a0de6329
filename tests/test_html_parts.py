"""Generated bodies rendered by the page layer (hooks/sitegen/htmlparts.py, issue 15 part 3): the
split keeps every heading for MkDocs, the request examples highlighted once give the same HTML as
highlighting each page, each part converted once per skeleton gives the same HTML as converting
the page at once (every page of the default data and of a synthetic catalog, and hand-made traps),
pages outside the navigation share its rendering only when it is the same, the search index reads
no code and no big tables, and a rebuild after a data edit (what `mkdocs serve` does) shows the new
figure. The HTML itself: tests/test_golden.py."""
import datetime
import re
import shutil

import pytest
import yaml

from hooks.sitegen import build as sitegen
from hooks.sitegen import htmlparts
from hooks.sitegen import nav
from sitebuild import REPO, build_site, copy_data, data_date


def _markdown_config():
    cfg = yaml.safe_load(re.sub(r"!!python\S*", "", (REPO / "mkdocs.yml").read_text(encoding="utf-8")))
    exts, configs = ["toc", "tables", "fenced_code"], {}
    for item in cfg["markdown_extensions"]:
        name, conf = (next(iter(item.items())) if isinstance(item, dict) else (item, None))
        if name not in exts:
            exts.append(name)
        if conf:
            configs[name] = conf
    return exts, configs


def test_split_keeps_headings_and_fenced_hash_lines():
    conv = htmlparts.Converter(*_markdown_config())
    md = '---\ntitle: "T"\n---\n\n# T\n\nSome *text*.\n\n```bash\n# not a heading\n```\n\n## Two\n\n| a |\n|---|\n| 1 |\n'
    stub, parts = conv.page(md)
    assert stub.startswith('---\ntitle: "T"\n---\n')
    assert re.findall(r"^#.*$", stub, re.M) == ["# T", "## Two"]
    assert len(parts) == 2
    first, second = parts.values()
    assert "<em>text</em>" in first and "not a heading" in first and "<table>" in second
    for key in parts:
        assert key in stub


def test_page_without_body_is_left_to_mkdocs():
    conv = htmlparts.Converter(*_markdown_config())
    assert conv.page("# Only a title\n") == ("# Only a title\n", {})


def test_examples_highlighted_once_equal_examples_highlighted_per_page():
    """The placeholder slug, substituted after highlighting, gives the HTML that highlighting the
    page with its own slug gives: checked on every model page of the data."""
    day = data_date(REPO / "data")
    built = sitegen.build(REPO / "data", today=day)
    conv = htmlparts.Converter(*_markdown_config())
    with_html = sitegen.with_html(built.pages, built.catalog, conv)
    checked = 0
    for page in with_html:
        if not page.src_uri.startswith("models/") or page.src_uri.count("/") != 1 or page.src_uri == "models/index.md":
            continue
        direct_stub, direct = htmlparts.Converter(*_markdown_config(), skeletons=False).page(page.markdown)
        assert page.stub == direct_stub
        assert page.html_parts == direct, page.src_uri
        if htmlparts.PLACEHOLDER_SLUG not in page.markdown and "```bash" in page.markdown:
            checked += 1
    assert checked > 10   # the callable models: their pages have the examples
    assert htmlparts.PLACEHOLDER_SLUG not in "".join("".join(p.html_parts.values()) for p in with_html)


def _both_ways(data_dir):
    """with_html's pages by skeletons and at once (the reference), and the catalog."""
    built = sitegen.build(data_dir, today=data_date(data_dir))
    conv = htmlparts.Converter(*_markdown_config())
    fast = sitegen.with_html(built.pages, built.catalog, conv)
    slow = sitegen.with_html(built.pages, built.catalog, htmlparts.Converter(*_markdown_config(), skeletons=False))
    return fast, slow, built.catalog


@pytest.mark.parametrize("source", ["default", "synthetic"])
def test_parts_by_skeleton_equal_the_page_converted_at_once(source, tmp_path):
    if source == "default":
        data = REPO / "data"
    else:
        from bench import synth
        data = synth.generate(tmp_path / "data", 300, 12, today=data_date(REPO / "data"))
    fast, slow, catalog = _both_ways(data)
    rendered = [p for p in slow if p.html_parts]
    assert len(rendered) > (50 if source == "default" else 300)
    for a, b in zip(fast, slow):
        assert (a.src_uri, a.stub) == (b.src_uri, b.stub)
        assert a.html_parts == b.html_parts, a.src_uri
    errors = [p for p in fast if p.src_uri.startswith("errors/")]
    assert errors and all(p.html_parts for p in errors)   # prose: a skeleton each, but by parts too
    # the pages that grow with the catalog share skeletons (here without the prose pages)
    grown = htmlparts.Converter(*_markdown_config())
    fast = sitegen.with_html([p for p in fast if p not in errors], catalog, grown)
    parts = sum(len(p.html_parts) for p in fast)
    print(source, parts, "parts,", len(grown._converted), "skeletons converted")
    assert len(grown._converted) < parts / (2 if source == "default" else 5)


ROWS = "".join(f"| [Model {i}](../models/m-{i}.md) | <code>m-{i}</code> | ${i}.{i}0 | 2026-0{i % 9 + 1}-1{i} |\n"
               for i in range(12))
TABLE = "| Model | Slug | Price | Date |\n|---|---|--:|:-:|\n" + ROWS
TRAPS = """---
title: "T"
---

# T

1. first 2026 item
2. second, 30 tokens, <code>gpt-5.4-mini</code> and [gpt-5.4-mini](gpt-5.4-mini.md)
- 1. nested ordered item
> 3. quoted

Entity 0&#46;35, &#x2e;7 and &frac12;, tag <h2>x</h2>, <span data-x="12">12</span>, {: #id12 }
AT&gpt-5.4-mini; and <gpt-5.4-mini> and gpt-5.4-mini-2026 and xgpt-5.4-mini, 4o, x86, 1st, a <5 b> c.
_snake_case_ and *star* words, url https://example.com/a-1?b=2#c-3 and `code 12 words`.

!!! note

    An admonition without a title: its type is its title.

??? tip "Details 12"

    Folded.

<div markdown="1">
Inside 42 **gpt-5.4-mini**
</div>

```text
gpt-5.4-mini 1. 2
```

```python
x = "gpt-5.4-mini"  # 3.5
```

<div class="pb-sortable" markdown>

TABLE
</div>

TABLE
Not a table: the line before is a paragraph line, and its rows are the table's above
OTHER

```
TABLE```

| a | b |
|--:|---|
| 1,000 | $0.40 gpt-5.4-mini |

=== "one"

    first 1

=== "two"

    second 2

## Second

TABLE| not a pipe row |
x | y

=== "three"

    ```bash
    curl 12
    ```

=== "four"

    text 3
""".replace("TABLE", TABLE).replace("OTHER", TABLE.replace("|--:|:-:|", "|:-:|--:|"))


@pytest.mark.parametrize("text", [TRAPS, TRAPS.replace("## Second", "## Second\n\n=== \"t\"\n\n    ## inside a tab"),
                                  TRAPS + "\n[ref]: https://example.com/1\n", TRAPS.replace("curl 12", "#!/bin/sh 12"),
                                  TRAPS.replace("first 1", "[TOC]"),
                                  TRAPS.replace("first 1", "Setext\n    ---").replace("text 3", "Setext\n    ---"),
                                  TRAPS.replace("first 1", "Setext 1\n    -")])
def test_skeleton_traps(text):
    conv = htmlparts.Converter(*_markdown_config())
    fast = conv.page(text)
    slow = htmlparts.Converter(*_markdown_config(), skeletons=False).page(text)
    assert fast == slow
    assert bool(conv._converted) == (text is TRAPS)   # the others are converted at once
    html = "".join(fast[1].values())
    assert '__tabbed_2_1' in html and '<td style="text-align: right;">$3.30</td>' in html
    if text is TRAPS:   # the two tables at the start of a block went row by row: one row skeleton
        assert [k[1][:12] for k in conv._converted if isinstance(k, tuple)] == ["| [ZpbvaaaaZ"]


def test_rule_after_a_blank_line_goes_by_skeletons():
    """A "---" after a blank line is a rule (the topic cards of the troubleshooting pages), not a
    setext underline: the part still goes by skeletons, and gives the same HTML."""
    text = "# T\n\n-   card 1 [Overview](../index.md)\n\n    ---\n\n    Where 2 start.\n\n---\n\nEnd 3.\n"
    conv = htmlparts.Converter(*_markdown_config())
    fast = conv.page(text)
    assert fast == htmlparts.Converter(*_markdown_config(), skeletons=False).page(text)
    assert len(conv._converted) == 1 and "<hr />" in "".join(fast[1].values())


def test_search_html_drops_code_and_big_tables_and_flattens_small_ones():
    code = '<div class="language-bash highlight"><pre><span></span><code>curl x</code></pre></div>'
    small = "<table><thead><tr><th>a</th></tr></thead><tbody>" + "<tr><td>1</td></tr>" * 5 + "</tbody></table>"
    big = "<table><thead><tr><th>a</th></tr></thead><tbody>" + "<tr><td>1</td></tr>" * 50 + "</tbody></table>"
    out = htmlparts.search_html(f"<p>keep</p>{code}{small}{big}<p>also</p>")
    assert out == "<p>keep</p><p>a 1 1 1 1 1</p><p>also</p>"
    cells = '<table><tr><th>Slug</th></tr><tr><td><a href="x/">A&amp;B</a> <code>gpt-5</code></td></tr></table>'
    assert htmlparts.search_html(cells) == "<p>Slug A&amp;B <code>gpt-5</code></p>"


def test_pages_outside_the_nav_share_its_rendering_only_when_every_link_is_the_same():
    """nav.sharing's key: pages with one key get the same relative URL to every nav target from
    MkDocs' own rule (so the theme's navigation HTML is the same), checked on every pair of a set of
    folders and files with targets inside, beside and above them."""
    from mkdocs.utils import get_relative_url
    targets = ["", "models/", "models/family/claude/", "errors/", "errors/out-of-balance/", "a/b/c/",
               "calculator/", "assets/logo.png", "x.html", "models/y.html", "../up/"]
    key = nav.sharing(targets)
    pages = ["", "x.html", "z/", "models/a/", "models/b/", "models/family/", "models/family/gpt/", "errors/x/",
             "errors/out-of-balance/", "a/", "a/b/", "a/d/", "a/b/e/", "q/r/", "q/s/", "models/a.html",
             "models/b.html", "models/family/x.html", "models/family/x/", "assets/", "up/", "q/t.html"]
    groups = {}
    for page in pages:
        if key(page) is not None:
            groups.setdefault(key(page), []).append(page)
    for members in groups.values():
        urls = {tuple(get_relative_url(t, p) for t in targets) for p in members}
        assert len(urls) == 1, members
    assert key("models/a/") == key("models/b/") == (("models",), 2)
    assert key("q/r/") == key("q/s/") != key("models/a/")
    assert key("") == key("x.html") and key("z/") == key("q/t.html")
    for holds_a_target in ("models/family/", "models/a.html", "errors/out-of-balance/", "a/", "a/b/", "assets/"):
        assert key(holds_a_target) is None


def test_a_section_over_the_limit_lists_only_its_index():
    from hooks.sitegen.render import Page
    def pages(n):
        return ([Page("errors/index.md", "", in_nav=True)] + [Page(f"errors/e{i}.md", "", in_nav=True) for i in range(n)]
                + [Page("models/family/a.md", "", in_nav=True), Page("models/x.md", "", in_nav=False)])
    config_nav = [{"Troubleshooting": ["errors/index.md"]}, {"Models": ["models/index.md"]}]
    at_limit = nav.listed(pages(nav.NAV_LIMIT))
    assert at_limit == {"errors/index.md", "models/family/a.md", *(f"errors/e{i}.md" for i in range(nav.NAV_LIMIT))}
    over = nav.listed(pages(nav.NAV_LIMIT + 1))
    assert over == {"errors/index.md", "models/family/a.md"}
    assert len(nav.listed(pages(nav.NAV_LIMIT + 1), limit=None)) == nav.NAV_LIMIT + 3
    expanded = nav.expanded(config_nav, pages(nav.NAV_LIMIT + 1), {})
    assert expanded == [{"Troubleshooting": ["errors/index.md"]}, {"Models": ["models/index.md", "models/family/a.md"]}]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("parts") / "site", pyodide=False)


def test_search_index_reads_model_pages_without_code(site):
    docs = site.search_index()["docs"]
    model = [d for d in docs if d["location"].startswith("models/claude-sonnet-4-6/")]
    assert model and any("Gateway price" in d["text"] or "Prices" in d["title"] for d in model)
    text = " ".join(d["text"] for d in model)
    assert "chat/completions" not in text and "pip install" not in text
    assert "chat/completions" in site.html("models/claude-sonnet-4-6/")
    index = [d for d in docs if d["location"] == "models/"]
    listed = " ".join(d["text"] for d in index)
    slugs = re.findall(r'<td><code class="pb-slug"[^>]*>([^<]+)</code></td>', site.html("models/"))
    assert index and len(slugs) > 30
    assert sum(s in listed for s in slugs) < len(slugs) / 3   # the big table is not indexed


def test_rebuild_after_a_price_edit_shows_the_new_figure(tmp_path):
    """Two builds in one process, as `mkdocs serve` rebuilds: nothing of the first is reused."""
    data = copy_data(tmp_path)
    day = data_date(data)
    first = build_site(tmp_path / "one", data_dir=data, pyodide=False, today=day)
    assert "$3.00" in first.html("models/claude-sonnet-4-6/")
    path = data / "models" / "anthropic.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("- slug: claude-sonnet-4-6")
    start = text.index('input: "3.00"', at)
    path.write_text(text[:start] + 'input: "3.70"' + text[start + len('input: "3.00"'):], encoding="utf-8")
    second = build_site(tmp_path / "two", data_dir=data, pyodide=False, today=day)
    page = second.html("models/claude-sonnet-4-6/")
    assert "$3.70" in page and "claude-sonnet-4-6" in page
    assert "$3.70" not in first.html("models/claude-sonnet-4-6/")


def _price_edit(data, old='input: "3.00"', new='input: "3.70"', slug="claude-sonnet-4-6"):
    path = data / "models" / "anthropic.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(old, text.index(f"- slug: {slug}"))
    path.write_text(text[:start] + new + text[start + len(old):], encoding="utf-8")


def test_a_kept_converter_converts_no_shape_again_and_gives_the_pages_a_new_one_gives(tmp_path):
    """`mkdocs serve` keeps the page layer's converter between rebuilds (mkdocs_hooks._kept_converter):
    the rebuild after a price edit converts only the few shapes the new price made (a price is a
    word, mostly not a shape) and its pages are those a new converter makes, the new price in them."""
    data = copy_data(tmp_path)
    day = data_date(data)
    conv = htmlparts.Converter(*_markdown_config())
    first = sitegen.build(data, today=day, markdown=_markdown_config(), converter=conv)
    shapes = conv.shapes()
    assert shapes > 100
    converted = []
    convert = conv.convert
    conv.convert = lambda text: converted.append(text) or convert(text)
    _price_edit(data)
    second = sitegen.build(data, today=day, markdown=_markdown_config(), converter=conv)
    fresh = sitegen.build(data, today=day, markdown=_markdown_config())
    # the parts whose shape the new price changed (its sentence, its table row), nothing else
    assert len(converted) <= 4 and conv.shapes() == shapes + len(converted)
    assert [(p.src_uri, p.stub, p.html_parts) for p in second.pages] == \
        [(p.src_uri, p.stub, p.html_parts) for p in fresh.pages]
    page = {p.src_uri: p for p in second.pages}["models/claude-sonnet-4-6.md"]
    before = {p.src_uri: p for p in first.pages}["models/claude-sonnet-4-6.md"]
    assert "$3.70" in "".join(page.html_parts.values()) and "$3.70" not in "".join(before.html_parts.values())


def test_only_serve_keeps_the_converter_between_builds(monkeypatch):
    from hooks import mkdocs_hooks
    monkeypatch.setattr(mkdocs_hooks, "_KEPT", {})
    markdown = _markdown_config()
    monkeypatch.setitem(mkdocs_hooks._COMMAND, "name", "build")
    assert mkdocs_hooks._kept_converter(markdown) is None
    monkeypatch.setitem(mkdocs_hooks._COMMAND, "name", "serve")
    kept = mkdocs_hooks._kept_converter(markdown)
    assert isinstance(kept, htmlparts.Converter) and mkdocs_hooks._kept_converter(markdown) is kept
    other = mkdocs_hooks._kept_converter((markdown[0][:-1], markdown[1]))   # another configuration: another
    assert other is not kept and list(mkdocs_hooks._KEPT.values()) == [other]
    monkeypatch.setattr(mkdocs_hooks, "KEEP_SHAPES", -1)                    # too many shapes: afresh
    assert mkdocs_hooks._kept_converter((markdown[0][:-1], markdown[1])) is not other


def test_link_targets_found_once_give_mkdocs_own_urls_and_anchors(tmp_path, caplog):
    """mkdocs_hooks._path_to_url keeps a link's target per (source folder, link): for every page
    and link, the URL and the recorded anchors are MkDocs' own path_to_url's, and a link MkDocs
    warns about is still warned about on every page."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import _RelativePathTreeprocessor
    from hooks import mkdocs_hooks

    config = MkDocsConfig()
    docs, site = str(tmp_path / "docs"), str(tmp_path / "site")
    (tmp_path / "docs").mkdir()
    config.load_dict({"site_name": "t", "docs_dir": docs, "site_dir": site})
    assert config.validate() == ([], [])
    files = Files([File(p, docs, site, True) for p in
                   ("index.md", "models/a.md", "models/b.md", "models/index.md", "api/x.json", "errors/e.md")])
    links = ["b.md", "a.md", "b.md#price", "../errors/e.md#cause", "../api/x.json", "index.md", "#top",
             "https://example.com/a#b", "missing.md", "/abs.md", "b.md?x=1#y", "../index.md"]
    memo = {}
    for page in ("models/a.md", "models/b.md", "models/index.md"):
        file = files.get_file_from_path(page)
        ours, theirs = (_RelativePathTreeprocessor(file, files, config) for _ in range(2))
        for link in links:
            assert mkdocs_hooks._path_to_url(ours, link, memo) == theirs.path_to_url(link), (page, link)
        assert ours.links_to_anchors == theirs.links_to_anchors and ours.links_to_anchors
    assert memo[("models", "b.md")] is not False and memo[("models", "missing.md")] is False
    warned = [r.getMessage() for r in caplog.records if "missing.md" in r.getMessage()]
    assert len(warned) == 6   # three pages, ours and theirs


def _indexed(html):
    """What Material's search plugin takes from a page's HTML: each section's title and text."""
    from material.plugins.search.plugin import Parser
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [("".join(s.title), "".join(s.text)) for s in parser.data]


def test_search_html_keeps_tab_labels_and_drops_attributes_the_index_never_reads():
    tabs = ('<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked" id="__tabbed_1_1" '
            'name="__tabbed_1" type="radio" /><input id="__tabbed_1_2" name="__tabbed_1" type="radio" />'
            '<div class="tabbed-labels"><label for="__tabbed_1_1">curl</label><label for="__tabbed_1_2">Python</label>'
            '</div>\n<div class="tabbed-content">\n<div class="tabbed-block">\n<div class="language-bash highlight">'
            '<pre><span></span><code>curl x</code></pre></div>\n</div>\n<div class="tabbed-block">\n\n</div>\n</div>\n</div>')
    html = f'<p>Route <a href="../x.md" title="t">x</a>:</p>\n{tabs}\n<p>after</p>'
    out = htmlparts.search_html(html)
    assert out == '<p>Route <a>x</a>:</p>\n<div><label>curl</label><label>Python</label>\n</div>\n<p>after</p>'
    assert _indexed(out) == _indexed(html.replace('<div class="language-bash highlight"><pre><span></span><code>curl x'
                                                  '</code></pre></div>', ""))
    heading = '<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>'
    assert htmlparts.search_html(heading) == heading   # the permalink the index leaves out keeps its class


def test_search_html_indexes_what_the_code_less_page_indexes():
    """On every generated page of the default data: the search plugin reads the same sections and
    text from search_html as from the page without its code, charts and tables (the parts it drops
    on purpose)."""
    built = sitegen.build(REPO / "data", today=data_date(REPO / "data"), markdown=_markdown_config())
    checked = 0
    for page in built.pages:
        for part in page.html_parts.values():
            reference = htmlparts._TABLE.sub(htmlparts._table_text, htmlparts._SVG.sub("", htmlparts._CODE.sub("", part)))
            assert _indexed(htmlparts.search_html(part)) == _indexed(reference), page.src_uri
            checked += "tabbed-set" in part
    assert checked > 20


def test_one_markdown_instance_renders_pages_as_mkdocs_does(tmp_path):
    """on_pre_page's render (one Python-Markdown instance per build, reset per page) gives every
    hand-written page the content, toc, title, anchors and anchor links MkDocs' own Page.render
    gives, pages rendered one after another on the same instance."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import Page
    from hooks import mkdocs_hooks

    assert mkdocs_hooks._REUSE_MARKDOWN   # MkDocs 1.6 is what the project pins
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns("overrides", "assets"))
    built = sitegen.build(REPO / "data", today=data_date(REPO / "data"))
    for page in built.pages:   # generated pages whole: tabs, tables, code, admonitions
        if page.src_uri in ("errors/rate-limited.md", "models/index.md", "models/claude-sonnet-4-6.md"):
            (docs / page.src_uri).parent.mkdir(parents=True, exist_ok=True)
            (docs / page.src_uri).write_text(page.markdown, encoding="utf-8")
    config = load_config(str(REPO / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    config[mkdocs_hooks.STATE] = {}
    files = get_files(config)
    pages = [f for f in files.documentation_pages()]
    assert len(pages) == 8
    for f in pages + pages[:2]:   # and again: nothing of an earlier page stays on the instance
        ours, theirs = Page(None, f, config), Page(None, f, config)
        for page in (ours, theirs):
            page.read_source(config)
        assert mkdocs_hooks.on_pre_page(ours, config=config, files=files) is ours
        ours.render(config, files)
        theirs.render(config, files)
        assert ours.content == theirs.content and ours.content, f.src_uri
        assert str(ours.toc) == str(theirs.toc) and ours.title == theirs.title
        assert ours.present_anchor_ids == theirs.present_anchor_ids
        assert ours.links_to_anchors == theirs.links_to_anchors
    assert isinstance(config[mkdocs_hooks.STATE]["markdown"], mkdocs_hooks.python_markdown.Markdown)


def test_another_mkdocs_keeps_its_own_render(monkeypatch):
    from hooks import mkdocs_hooks

    class Page:
        def render(self, config, files):
            return "mkdocs' own"
    monkeypatch.setattr(mkdocs_hooks, "_REUSE_MARKDOWN", False)
    page = Page()
    assert mkdocs_hooks.on_pre_page(page, config={mkdocs_hooks.STATE: {}}, files=None) is page
    assert page.render(None, None) == "mkdocs' own"
    monkeypatch.setattr(mkdocs_hooks, "_REUSE_MARKDOWN", True)
    mkdocs_hooks.on_pre_page(page, config={mkdocs_hooks.STATE: {}}, files=None)
    assert page.render.func is mkdocs_hooks._render
