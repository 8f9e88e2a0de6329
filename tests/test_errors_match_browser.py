"""The error lookup's JavaScript port (docs/assets/calculator/errors-match.js) ranks exactly as
calculator/errors_match.rank does in CPython (`pricebook errors`), deciding cause and question
included, on every text of the project's error corpus (tests/test_errors_match.py CASES and
CAUSE_CASES, every phrase, code, keyword and cause evidence of data/errors/*.yaml, every example
body) and on hostile strings, in headless Chromium, with the rules the build wrote
into the troubleshooting index. Python lists a family's signals in a set's order (it varies with
the hash seed), so evidence is compared as a sorted list; everything else as it is.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from calculator.errors_match import rank
from test_errors_match import CASE_TEXTS, FAMILIES, TEXT

REPO_DATA = Path(__file__).resolve().parent.parent / "data"
HOSTILE = [
    "", " ", "\u3000\u2028\x1c\x1d\x1e\x1f\x85", "\ufeff429 out of balance", "429\ufeff",
    "HTTP/1.1 \u0664\u0662\u0669 Too Many Requests",          # Arabic-Indic digits are \d in Python
    "Error code: \uff14\uff10\uff12 payment",                  # fullwidth digits
    "\u0dea\u0dee\u0de8 status", "status: 4\U0001d7ce9",     # Sinhala, mathematical digits
    "\u212a\u0131ng provider_name", "provıder_name Insufficient Balance 402",
    "\u017ftatus: 429 out of balance", "ST\u0130TUS 402 \u0130nsufficient Balance",
    "RETRY-AFTER: 3 \u0131n 429", "retry\u2010after: 3", "duration_ms: \u0661\u0668\u0667 total_cost_usd: 0",
    "took 1\u0660\u0660ms and cost: 0.0", "time_total: 0.2s", "in 0.\u0663 s",
    "status\n", "error 429\n", "(429\n", "code:\n\n429", "[429]\n\n",
    "ΣΊΣΥΦΟΣ Insufficient Balance", "İNSUFFICIENT BALANCE", "ınsufficient balance", "ﬁle too large 413",
    "out\u200bof\u200bbalance", "out\u00a0of\u00a0balance", "out\u0301 of balance", "out_of-balance!!",
    "余额不足", "余额 不足", "余额不足或无可用资源包,请充值。429", "😀 429 😀 out of balance 😀",
    "\U00010400\U00010428 insufficient_quota", "type=insufficient_quota", "\\\"type\\\": \\\"overloaded_error\\\"",
    "'code': 'model_not_found'", "TYPE : OVERLOADED_ERROR", "code=529", "<HTML><BODY>502 Bad Gateway",
    "<!DOCTYPE HTML> 404", "Unexpected token '<'", "expecting value: line 1 column 1 (char 0)",
    "402.5 4020 $402 v402 402ms 4.02 -402 _402 402_ x402", "301 302 307 308 399 400 599 600",
    "a" * 250 + " 429", "a " * 150 + "error 429 too many requests",
    "<script>alert(1)</script> 429", "\x00429\x00 out of balance", "\ud800 429 \udfff",
    "x" * 120_000 + " out of balance " + "\U0001f600" * 90_000 + " 429",
]


def corpus():
    texts = CASE_TEXTS + HOSTILE
    for fam in FAMILIES:
        for p in fam.get("phrases", []):
            texts += [p["text"], p["text"].upper(), f"Error code: 400 - {p['text']}"]
        texts += [str(s["code"]) for s in fam.get("statuses", [])]
        texts += [c["value"] for c in fam.get("codes", [])]
        texts += [f'{{"{c.get("field", "code")}": "{c["value"]}"}}' for c in fam.get("codes", [])]
        texts += [k["text"] for k in (fam.get("match") or {}).get("keywords", [])]
        texts += [e["body"] for e in fam.get("examples", []) if isinstance(e.get("body"), str)]
        first = fam["phrases"][0]["text"]
        for cause in fam.get("causes", []):
            for e in cause.get("evidence", []):
                said = e.get("text") or (f"HTTP {e['status']}" if "status" in e else None)
                if said:   # the evidence alone, and inside the family's own wording
                    texts += [said, f"{first}: {said}", f"{first} {said.upper()} and more"]
            texts.append(f"{first} {cause['title']}")
    return texts


def comparable(ranked):
    return [{**r, "evidence": sorted(r["evidence"])} for r in ranked]


@pytest.fixture(scope="module")
def lookup(chromium, site_url):
    page = chromium.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site_url}errors/")
    expect(page.get_by_label("Paste your error", exact=True)).to_be_visible()
    yield page
    assert errors == []
    page.close()


def test_every_corpus_text_ranks_as_in_python(lookup):
    texts = corpus()
    assert len(texts) > 300
    got = lookup.evaluate("""(payload) => {
        const C = window.pricebookErrors.compile(JSON.parse(document.getElementById("pb-error-rules").dataset.rules));
        return JSON.parse(payload).map((t) => window.pricebookErrors.rank(C, t));
    }""", json.dumps(texts, ensure_ascii=True))
    mismatches = [(t[:80], comparable(g), comparable(rank(FAMILIES, t))) for t, g in zip(texts, got)
                  if comparable(g) != comparable(rank(FAMILIES, t))]
    assert mismatches == []
    assert sum(1 for g in got if g) > 250   # the corpus is not trivially empty
    decided = {(r["family"], r["cause"]["id"]) for g in got for r in g if r["cause"]}
    with_evidence = {(f["id"], c["id"]) for f in FAMILIES for c in f["causes"] if c.get("evidence")}
    # every cause with evidence is decided somewhere in the corpus, but those whose evidence a
    # look-alike shares in full: only the question tells them apart
    assert with_evidence - decided == {("out-of-balance", "stale-key"), ("upstream-provider-error", "provider-account-empty"),
                                       ("upstream-provider-error", "provider-rate-limit")}
    assert sum(1 for g in got for r in g if r["question"]) > 250


def test_limits_and_non_text(lookup):
    got = lookup.evaluate("""() => {
        const C = window.pricebookErrors.compile(JSON.parse(document.getElementById("pb-error-rules").dataset.rules));
        const t = "HTTP/1.1 429 Too Many Requests out of balance rate limit";
        return [window.pricebookErrors.rank(C, t, 2), window.pricebookErrors.rank(C, t, 0),
                window.pricebookErrors.rank(C, null), window.pricebookErrors.rank(C, 42)];
    }""")
    t = "HTTP/1.1 429 Too Many Requests out of balance rate limit"
    assert [comparable(g) for g in got] == [comparable(rank(FAMILIES, t, limit=2)), [], [], []]


def test_the_box_answers_on_the_first_keystroke_without_pyodide(chromium, site_url):
    """No worker, no Pyodide: typing one character of a pasted text answers at once."""
    page = chromium.new_page()
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(f"{site_url}errors/")
    box = page.get_by_label("Paste your error", exact=True)
    text = CASE_TEXTS[0]
    box.fill(text[:-1])
    box.press_sequentially(text[-1])
    first = page.locator(".pb-error-results li").first
    expect(first).to_have_attribute("data-family", rank(FAMILIES, text)[0]["family"])
    assert first.locator("a").first.get_attribute("href") == f"{site_url}errors/out-of-balance/"
    shown = page.locator(".pb-error-results li").evaluate_all("els => els.map(e => e.dataset.family)")
    assert shown == [r["family"] for r in rank(FAMILIES, text)]
    assert not [u for u in fetched if "/assets/pyodide/" in u or "worker.mjs" in u or "catalog.json" in u]
    assert page.evaluate("window.pricebook.engine.starts") == 0
    # ?error= fills the box and answers (the header search's "Match this error" link)
    page.goto(f"{site_url}errors/?error=" + "prompt%20is%20too%20long%3A%20215000%20tokens")
    expect(page.locator(".pb-error-results li").first).to_have_attribute("data-family", "context-too-long")
    page.close()


def test_the_answer_links_the_deciding_cause_and_asks_the_question(chromium, site_url):
    """Anthropic's "credit balance is too low" names no cause (an empty account and a stale key say
    it alike) and asks the balance question, whose answers open the causes' anchors; a router's
    "can only afford" decides the cause, and the match links straight to its anchor."""
    page = chromium.new_page()
    page.goto(f"{site_url}errors/")
    page.get_by_label("Paste your error", exact=True).fill(TEXT["Anthropic credits used up"])
    first = page.locator(".pb-error-results > li").first
    expect(first).to_have_attribute("data-family", "out-of-balance")
    assert first.locator(".pb-error-cause").count() == 0
    ask = page.locator(".pb-error-question")
    expect(ask.locator("strong")).to_have_text(
        "Does the dashboard show a positive balance for the key this request used?")
    assert ask.locator("li").evaluate_all("els => els.map(e => e.dataset.cause)") == [
        "balance-used-up", "request-too-large", "stale-key"]
    stale = ask.locator('li[data-cause="stale-key"] a')
    assert stale.get_attribute("href") == f"{site_url}errors/out-of-balance/#cause-stale-key"
    stale.scroll_into_view_if_needed()
    # Material keeps the scroll offset in history.state (debounced 100 ms) and, after an instant
    # navigation, scrolls to that offset instead of the #anchor when it lands late: a reader does
    # not click within 100 ms of scrolling, so neither does the test
    page.wait_for_function("() => history.state && Math.abs(history.state.y - scrollY) < 1")
    stale.click()
    expect(page).to_have_url(f"{site_url}errors/out-of-balance/#cause-stale-key")
    heading = page.locator("h3#cause-stale-key")
    expect(heading).to_contain_text("A stale key that only looks like a balance problem")
    expect(heading).to_be_in_viewport()

    page.goto(f"{site_url}errors/?error=" + quote(TEXT["router that prices max_tokens first"]))
    first = page.locator(".pb-error-results > li").first
    expect(first).to_have_attribute("data-family", "out-of-balance")
    want = f"{site_url}errors/out-of-balance/#cause-request-too-large"
    assert first.locator("a").first.get_attribute("href") == want
    expect(first.locator(".pb-error-cause")).to_have_text("Deciding cause: This request costs more than what is left")
    assert first.locator(".pb-error-cause a").get_attribute("href") == want
    page.close()


# ---- issue 14's "Tests it must have" for the lookup ----------------------------------------------

SHOWN = """(texts) => {
    const area = document.getElementById("pb-error-text");
    return texts.map((t) => {
        area.value = t;
        area.dispatchEvent(new Event("input"));
        const ask = document.querySelector(".pb-error-question");
        return {
            matches: [...document.querySelectorAll(".pb-error-results > li")].map((li) => {
                const cause = li.querySelector(".pb-error-cause");
                return [li.dataset.family, li.querySelector("a").href, cause ? cause.dataset.cause : null];
            }),
            question: ask.hidden ? null : [ask.querySelector("strong").textContent,
                [...ask.querySelectorAll("li")].map((li) => [li.dataset.cause, li.querySelector("a").href])],
        };
    });
}"""


def test_lookup_answers_like_the_cli_with_pyodide_blocked(chromium, built_site, monkeypatch, capsys):
    """With Pyodide refused by the server and by the browser, the box answers every text of the
    corpus as `pricebook errors --json` does: the same pages in the same order, each link to the
    deciding cause's anchor when there is one, and the best match's question with its answers."""
    from browser_site import serve
    from hooks import cli

    catalog = cli._load(str(REPO_DATA)).catalog
    monkeypatch.setattr(cli, "_load", lambda data, strict=False: type("R", (), {"catalog": catalog}))

    def cli_json(text):
        assert cli.main(["errors", "--json", text]) == 0
        return json.loads(capsys.readouterr().out)

    texts = [t for t in corpus() if t.strip()]
    with serve(built_site, hide=("assets/pyodide/",)) as base:
        page = chromium.new_page()
        errors, asked = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: asked.append(r.url))
        page.route("**/assets/pyodide/**", lambda route: route.abort())
        page.goto(f"{base}errors/")
        expect(page.get_by_label("Paste your error", exact=True)).to_be_visible()
        shown = page.evaluate(SHOWN, texts)
        assert not [u for u in asked if "/assets/pyodide/" in u or "worker.mjs" in u]
        assert page.evaluate("window.pricebook.engine.starts") == 0
        assert errors == []
        page.close()
    mismatches = []
    for text, got in zip(texts, shown):
        want = cli_json(text)
        expected = {
            "matches": [[m["family"], base + (m["cause"] or m)["url"], (m["cause"] or {}).get("id")] for m in want],
            "question": None if not want or not want[0]["question"] else [
                want[0]["question"]["text"], [[a["cause"], base + a["url"]] for a in want[0]["question"]["answers"]]],
        }
        if got != expected:
            mismatches.append((text[:60], got, expected))
    assert mismatches == []
    assert sum(1 for s in shown if s["matches"]) > 250 and sum(1 for s in shown if s["question"]) > 200


# The three pasted texts that the header search once answered with "No matching documents"
PASTED = [
    TEXT["seed 001: 402 with provider_name, user balance positive"],     # the OpenRouter/DeepSeek 402
    TEXT["another gateway's insufficient_balance body"],                 # the insufficient_balance JSON
    TEXT["Anthropic credits used up"],                                    # Anthropic's credit balance JSON
]


@pytest.mark.parametrize("text", PASTED, ids=["openrouter-402", "insufficient-balance", "anthropic-credit"])
def test_header_search_hands_each_pasted_error_to_the_lookup(chromium, site_url, text):
    """Pasted into the header search, each text offers "Match this error"; following it shows the
    lookup's answer, the same as `pricebook errors`, in view and not under the search overlay."""
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{site_url}models/")
    search = page.locator(".md-search__input")
    search.click()
    search.fill(text)
    typed = search.input_value()     # a one-line field: the paste's line breaks became spaces
    best = rank(FAMILIES, typed)[0]
    assert best["family"] == rank(FAMILIES, text)[0]["family"]
    link = page.get_by_role("link", name="Match this error")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/errors/\?error="))
    expect(page.get_by_label("Paste your error", exact=True)).to_have_value(typed)
    first = page.locator(".pb-error-results > li").first
    expect(first).to_have_attribute("data-family", best["family"])
    assert page.locator("[data-md-toggle=search]").is_checked() is False    # the search overlay is closed
    top = first.locator("a").first
    assert top.get_attribute("href") == site_url + (best["cause"] or best)["url"]
    top.click(trial=True, timeout=5000)     # it takes a reader's click: nothing lies over it
    if best["question"]:
        expect(page.locator(".pb-error-question strong")).to_have_text(best["question"]["text"])
    page.close()
