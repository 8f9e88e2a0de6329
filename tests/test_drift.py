"""`pricebook drift` on a fixture data folder against the pinned genai-prices data.

Real genai-prices model ids (gpt-5.4-nano, gpt-5.4, gpt-5.5) so the comparison is real; the real
data folder is not asserted on (upstream data changes by itself: run `pricebook drift`)."""
import json

from datafix import line_of, make_data_dir, mutate
from hooks.cli import main

AT = "2026-11-25"

OPENAI_YAML = """\
# yaml-language-server: $schema=../schema/models.schema.json
provider: openai
name: OpenAI
models:
  - slug: gpt-test
    name: GPT Test
    family: gpt
    provider_model_id: gpt-test-2026-01-01
    context_window: 400000
    max_output: 128000
    status: preview
    prices:
      input: "1.25"
      output: "10.00"
    source: https://openai.example/api/pricing
    checked: 2026-01-15

  # Agrees with genai-prices on every bucket.
  - slug: gpt-5.4-nano
    name: GPT-5.4 nano
    family: gpt
    provider_model_id: gpt-5.4-nano
    context_window: 400000
    max_output: 128000
    status: active
    prices:
      input: "0.20"
      output: "1.25"
      cache_read: "0.02"
    source: https://openai.example/api/pricing
    checked: 2026-01-15

  # OpenAI raised input to 2.75;
  # genai-prices 0.2.3 still has 2.50.
  - slug: gpt-5.4
    name: GPT-5.4
    family: gpt
    provider_model_id: gpt-5.4
    context_window: 1050000
    max_output: 128000
    status: active
    prices:
      input: "2.75"
      output: "15.00"
      cache_read: "0.25"
    tiers:
      - above: 272000
        input: "5.00"
        output: "22.50"
        cache_read: "0.50"
    source: https://openai.example/api/pricing
    checked: 2026-01-15

  # Long-context tier above 272K tokens.
  - slug: gpt-5.5
    name: GPT-5.5
    family: gpt
    provider_model_id: gpt-5.5
    context_window: 1000000
    max_output: 128000
    status: active
    prices:
      input: "5.00"
      output: "31.00"
      cache_read: "0.50"
    tiers:
      - above: 272000
        input: "10.00"
        output: "45.00"
        cache_read: "1.00"
    source: https://openai.example/api/pricing
    checked: 2026-01-15
    scheduled:
      - from: 2027-03-01
        prices:
          input: "6.00"   # announced by OpenAI; genai-prices has no change yet
          output: "30.00"
          cache_read: "0.50"
        tiers:
          - above: 272000
            input: "10.00"
            output: "45.00"
            cache_read: "1.00"
"""


def _data(tmp_path):
    data = make_data_dir(tmp_path)
    (data / "models" / "openai.yaml").write_text(OPENAI_YAML, encoding="utf-8")
    return data, data / "models" / "openai.yaml"


def _run(capsys, *args):
    code = main(["drift", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_drift_reports_each_disagreement_at_its_line_with_the_explaining_comment(tmp_path, capsys):
    data, f = _data(tmp_path)
    code, out, err = _run(capsys, "--data", str(data), "--at", AT)
    assert code == 1, err
    assert "Traceback" not in err
    lines = out.splitlines()
    path = "data/models/openai.yaml"
    l_explained, l_unexplained, l_scheduled = (line_of(f, t) for t in ('input: "2.75"', 'output: "31.00"',
                                                                       'input: "6.00"'))
    explained = f"{path}:{l_explained}:14: gpt-5.4 input on {AT}: catalog 2.75, genai-prices 2.5"
    unexplained = f"{path}:{l_unexplained}:15: gpt-5.5 output on {AT}: catalog 31.00, genai-prices 30"
    scheduled = f"{path}:{l_scheduled}:18: gpt-5.5 input from 2027-03-01: catalog 6.00, genai-prices 5"
    reported = [l for l in lines if l.startswith(path) and "not in genai-prices" not in l]
    assert [r.split(" per 1M")[0] for r in reported] == [explained, unexplained, scheduled], out
    after = {l.split(" per 1M")[0]: lines[i + 1] for i, l in enumerate(lines) if l in reported}
    assert after[explained] == ("    explained: OpenAI raised input to 2.75; genai-prices 0.2.3 still has 2.50.")
    assert after[unexplained] == "    unexplained: no comment of this model mentions genai-prices"
    # a comment on the price's own line explains it; the block above the model still shows
    assert after[scheduled] == ("    explained: Long-context tier above 272K tokens. announced by OpenAI; "
                                "genai-prices has no change yet")
    assert "gpt-5.4-nano" not in out   # agrees on every bucket: not reported
    unknown = [l for l in lines if l.endswith("not in genai-prices")]
    assert f"{path}:{line_of(f, 'gpt-test-2026-01-01')}:24: gpt-test (gpt-test-2026-01-01) not in genai-prices" in unknown
    assert len(unknown) == 3   # gpt-test and the fixture's two Claude test models
    assert lines[-1] == (f"drift against genai-prices 0.2.3 on {AT}: 3 of 6 models compared, 3 not in "
                         "genai-prices; 3 disagreement(s), 2 explained, 1 unexplained")


def test_drift_exits_0_when_every_disagreement_is_explained(tmp_path, capsys):
    data, f = _data(tmp_path)
    mutate(f, "# Long-context tier above 272K tokens.", "# Output is 31.00 on OpenAI's page; genai-prices has 30.")
    code, out, _ = _run(capsys, "--data", str(data), "--at", AT)
    assert code == 0, out
    assert out.splitlines()[-1].endswith("3 disagreement(s), 3 explained, 0 unexplained")
    # and a comment that no longer mentions genai-prices explains nothing
    mutate(f, "# genai-prices 0.2.3 still has 2.50.", "# the other list still has 2.50.")
    code, out, _ = _run(capsys, "--data", str(data), "--at", AT)
    assert code == 1
    assert out.splitlines()[-1].endswith("3 disagreement(s), 2 explained, 1 unexplained")


def test_drift_compares_a_scheduled_change_and_a_tier(tmp_path, capsys):
    data, f = _data(tmp_path)
    mutate(f, '          input: "6.00"   # announced by OpenAI; genai-prices has no change yet',
           '          input: "5.00"')
    mutate(f, 'output: "22.50"', 'output: "23.00"')
    code, out, _ = _run(capsys, "--data", str(data), "--at", AT, "--json")
    report = json.loads(out)
    found = [(d["model"], d["bucket"], d["above"], d["date"], d["line"]) for d in report["disagreements"]]
    assert ("gpt-5.4", "output", 272000, AT, line_of(f, 'output: "23.00"')) in found
    assert not any(d["date"] == "2027-03-01" for d in report["disagreements"])


def test_drift_json_shape(tmp_path, capsys):
    data, f = _data(tmp_path)
    code, out, _ = _run(capsys, "--data", str(data), "--at", AT, "--json")
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"at", "genai_prices", "disagreements", "not_in_genai_prices", "summary"}
    assert report["at"] == AT and report["genai_prices"] == "0.2.3"
    assert report["summary"] == {"models": 6, "compared": 3, "not_in_genai_prices": 3, "disagreements": 3,
                                 "explained": 2, "unexplained": 1}
    first = report["disagreements"][0]
    assert first == {
        "file": "data/models/openai.yaml", "line": line_of(f, 'input: "2.75"'), "col": 14, "model": "gpt-5.4",
        "genai_model": "gpt-5.4", "kind": "price", "date": AT, "bucket": "input", "above": None,
        "catalog": "2.75", "genai_prices": "2.5",
        "message": f"gpt-5.4 input on {AT}: catalog 2.75, genai-prices 2.5 per 1M tokens",
        "explained": True, "comment": "OpenAI raised input to 2.75; genai-prices 0.2.3 still has 2.50.",
    }
    assert report["disagreements"][1]["explained"] is False and report["disagreements"][1]["comment"] is None
    assert {u["model"] for u in report["not_in_genai_prices"]} == {"gpt-test", "claude-test-2", "claude-old-1"}


def test_drift_lifecycle_against_the_deprecated_flag(tmp_path, capsys):
    data, f = _data(tmp_path)
    mutate(f, "    status: active\n    prices:\n      input: \"0.20\"",
           "    status: deprecated\n    retires_on: 2027-02-01\n    prices:\n      input: \"0.20\"")
    code, out, _ = _run(capsys, "--data", str(data), "--at", AT)
    line = line_of(f, "retires_on: 2027-02-01")
    assert (f"data/models/openai.yaml:{line}:17: gpt-5.4-nano is deprecated on {AT} (retires_on 2027-02-01); "
            "genai-prices does not flag it deprecated") in out.splitlines()


def test_drift_bad_arguments_exit_2(tmp_path, capsys):
    data, _ = _data(tmp_path)
    for args in (["--at", "2026-02-30"], ["--at", "tomorrow"], ["--data", str(tmp_path / "nowhere")], ["--bogus"]):
        code, out, err = _run(capsys, "--data", str(data), *args)
        assert code == 2, args
        assert len(err.strip().splitlines()) == 1 and err.startswith("pricebook: error: "), err
