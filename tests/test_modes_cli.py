"""Issue 13 on the command line, against the repository's own data: --mode, --residency, --time,
--web-searches, --cache-hours and --usage's served tier. Expected figures are the providers'
listed prices worked by hand."""
import json
import re

from hooks.cli import main

REPO_DATA = __import__("pathlib").Path(__file__).resolve().parent.parent / "data"


def run(capsys, *argv):
    code = main(["estimate", "--data", str(REPO_DATA), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_claude_opus_5_batch_is_half_the_listed_price(capsys):
    code, out, _ = run(capsys, "--model", "claude-opus-5", "--input", "100000", "--output", "5000",
                       "--mode", "batch", "--json", "--at", "2026-12-02")
    got = json.loads(out)
    assert code == 0
    # $5 / $25 standard, batch 50% off: 100,000 x 2.50 / 1M + 5,000 x 12.50 / 1M; gateway x 0.35
    assert got["official"] == {"input": "0.25", "cache_read": "0", "cache_write": "0", "output": "0.0625",
                               "total": "0.3125"}
    assert got["gateway"]["total"] == "0.109375" and got["mode"] == got["served"] == "batch"


def test_openai_priority_is_the_priority_page_price(capsys):
    code, out, _ = run(capsys, "--model", "gpt-5.5", "--input", "100000", "--cache-read", "40000",
                       "--output", "5000", "--mode", "priority", "--json", "--at", "2026-12-02")
    got = json.loads(out)
    # priority 12.50 / 1.25 / 75: 60,000 x 12.50 + 40,000 x 1.25 + 5,000 x 75, per 1M; gateway x 0.50
    assert code == 0
    assert got["official"] == {"input": "0.75", "cache_read": "0.05", "cache_write": "0", "output": "0.375",
                               "total": "1.175"}
    assert got["gateway"]["total"] == "0.5875"


def test_priority_above_272k_falls_back_to_standard(capsys):
    code, out, _ = run(capsys, "--model", "gpt-5.4", "--input", "300000", "--output", "1000",
                       "--mode", "priority", "--json", "--at", "2026-12-02")
    got = json.loads(out)
    assert code == 0 and got["served"] == "standard" and got["tier"] == 272000


def test_deepseek_peak_and_off_peak_from_the_data(capsys):
    args = ("--model", "deepseek-flash", "--input", "100000", "--output", "10000", "--json")
    totals = {}
    for when in ("2026-12-02T09:30Z", "2026-12-02T12:00Z", "2026-12-05T09:30Z"):
        code, out, _ = run(capsys, *args, "--time", when)
        assert code == 0
        got = json.loads(out)
        totals[when] = (got["peak"], got["official"]["total"])
    # off-peak 0.15 / 0.60: 0.015 + 0.006; Wednesday 09:30 UTC is peak (2x)
    assert totals == {"2026-12-02T09:30Z": (True, "0.042"), "2026-12-02T12:00Z": (False, "0.021"),
                      "2026-12-05T09:30Z": (False, "0.021")}


def test_impossible_and_unoffered_combinations_are_named(capsys):
    code, _, err = run(capsys, "--model", "claude-haiku-4-5", "--input", "1000", "--residency", "us")
    assert code == 2 and "--residency" in err and "claude-haiku-4-5 has no us residency" in err
    code, _, err = run(capsys, "--model", "deepseek-flash", "--input", "1000", "--mode", "batch")
    assert code == 2 and "deepseek-flash has no batch mode" in err
    code, _, err = run(capsys, "--model", "deepseek-flash", "--input", "1000", "--time", "09:30")
    assert code == 2 and "--time" in err and "ISO" in err
    code, _, err = run(capsys, "--model", "claude-opus-5", "--input", "1000", "--web-searches", "2")
    assert code == 2 and "no web search fee" in err
    code, out, _ = run(capsys, "--model", "gemini-3.8-flash", "--input", "100000", "--output", "1000",
                       "--mode", "flex", "--json", "--at", "2026-12-02")
    assert code == 0 and json.loads(out)["gateway"] is None       # the gateway does not offer flex


def test_usage_prices_the_tier_that_was_served(capsys, tmp_path):
    f = tmp_path / "u.json"
    f.write_text(json.dumps({"input_tokens": 100000, "output_tokens": 5000, "service_tier": "batch",
                             "inference_geo": "us"}))
    code, out, _ = run(capsys, "--model", "claude-opus-5", "--usage", str(f), "--json", "--at", "2026-12-02")
    got = json.loads(out)
    # batch then US-only: 0.5 x 1.1 = 0.55 of 0.5 + 0.125
    assert code == 0 and got["mode"] == "batch" and got["residency"] == "us"
    assert got["official"]["total"] == "0.34375"
    f.write_text(json.dumps({"input_tokens": 1, "output_tokens": 1, "service_tier": "batch", "speed": "fast"}))
    code, _, err = run(capsys, "--model", "claude-opus-5", "--usage", str(f))
    assert code == 2 and "fast mode does not combine with batch" in err


def test_text_output_says_the_mode_and_the_what_if(capsys):
    code, out, _ = run(capsys, "--model", "claude-opus-5", "--input", "100000", "--output", "5000",
                       "--at", "2026-12-02")
    assert code == 0
    assert "What if (official price): batch $0.3125, 50.0% less." in out


def test_the_what_if_line_alone_is_the_estimates_line():
    """The calculator page asks for a brief estimate (`brief: true`: no "what if" line, no summary)
    and for the line in a second call (api.call "what_if"): together they say what one estimate
    says, the summary apart."""
    from calculator import api
    from hooks.data.load import load_catalog
    api.load(json.dumps(load_catalog(REPO_DATA).catalog.to_dict()))
    args = {"model": "claude-opus-5", "input": "100000", "output": "5000", "at": "2026-12-02"}
    whole = json.loads(api.call("estimate", json.dumps(args)))
    assert whole["what_if"] == "What if (official price): batch $0.3125, 50.0% less."
    brief = json.loads(api.call("estimate", json.dumps({**args, "brief": True})))
    assert brief["what_if"] is None and brief["summary"] is None
    assert {**brief, "what_if": whole["what_if"], "summary": whole["summary"]} == whole
    assert json.loads(api.call("what_if", json.dumps(args))) == {"errors": [], "what_if": whole["what_if"]}
    # from batch, the line names standard; a workload that cannot be priced gets its errors, no line
    batch = json.loads(api.call("what_if", json.dumps({**args, "mode": "batch"})))["what_if"]
    assert batch.startswith("What if (official price): standard $0.625")
    bad = json.loads(api.call("what_if", json.dumps({**args, "input": "lots"})))
    assert bad["what_if"] == "" and [e["field"] for e in bad["errors"]] == ["input"]


def test_compare_lists_models_without_the_mode_last(capsys):
    code = main(["compare", "--data", str(REPO_DATA), "--input", "1000", "--output", "100", "--mode", "batch",
                 "--json", "--at", "2026-12-02"])
    rows = json.loads(capsys.readouterr()[0])
    fits = [r["fits"] for r in rows]
    assert code == 0 and fits == sorted(fits, reverse=True)
    assert {r["model"] for r in rows if r["fits"]} >= {"claude-opus-5", "gemini-3.8-flash"}
    assert all("has no batch mode" in r["limit"] for r in rows if r["model"].startswith("deepseek"))


def test_display_texts_of_the_modifiers():
    from calculator import display
    assert display.multiplier("1.10") == "1.1\u00d7" and display.multiplier("2") == "2\u00d7"
    assert display.mode_text("standard", "standard", None) == ""
    assert display.mode_text("batch", "batch", None) == "Batch rates."
    assert display.fee_label("web_search", 1200) == "Web search (1,200 per request)"
    assert display.fee_label("cache_storage", "2.50") == "Cache storage (2.5 hours)"
    assert display.what_if_text(0, []) == ""
    assert display.fallback_note(272000) == ("Not for prompts above 272,000 tokens: those are served and "
                                             "billed at standard.")


def test_model_page_shows_tiers_peak_and_not_offered():
    from pathlib import Path

    from hooks.sitegen import build as sitegen
    built = sitegen.build(Path(REPO_DATA))
    pages = {p.src_uri: p for p in built.pages}

    def section(slug):
        page = pages[f"models/{slug}.md"]
        text = getattr(page, "markdown", None) or getattr(page, "content", "")
        start = text.find("## Service tiers, peak hours and fees")
        # money cells carry their exact value for sorting (<data value="0.3">$0.30</data>): read the text
        return re.sub(r'<data value="[0-9.]+">|</data>', "", text[start:text.find("## What typical requests cost")]) \
            if start >= 0 else ""

    deepseek = section("deepseek-flash")
    assert "| Peak hours (weekdays 01:00-04:00 and 06:00-10:00 UTC, 2\u00d7) | $0.30 | $1.20 | $0.006 |" in deepseek
    assert "| Standard (off-peak) | $0.15 | $0.60 | $0.003 |" in deepseek
    gemini = section("gemini-3.8-flash")
    assert "| Flex |" in gemini and "not offered" in gemini.split("| Flex |")[1].split("\n")[0]
    opus = section("claude-opus-5")
    assert "| Batch | $2.50 | $12.50 | $0.25 | $0.875 | $4.375 | $0.0875 |" in opus
    assert "us residency: 1.1\u00d7 every token rate." in opus
    # residency stacks after the service tier: 2.50 x 1.1 = 2.75 official, x 0.35 = 0.9625 gateway
    assert "| Batch, us residency (1.1\u00d7) | $2.75 | $13.75 | $0.275 | $0.9625 | $4.8125 | $0.09625 |" in opus
    assert section("glm-5.3") == ""
