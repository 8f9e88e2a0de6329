"""The `pricebook` console script: check, estimate, compare, diff, drift (hooks/cli/drift.py), errors,
price (hooks/cli/price.py).

Every command takes --data DIR (default: ./data). Bad arguments: one line on stderr, exit 2.
Bad data: every problem as path:line:col: message, exit 1. Never a traceback.
"""
import argparse
import json
import re
import sys
from pathlib import Path

from calculator import api, display
from calculator.buckets import BUCKETS
from calculator.modes import MODES

from hooks.cli import drift
from hooks.cli import price as price_cmd
from hooks.cli.diff import DiffError, diff_against_rev, diff_marks
from hooks.data.load import load_catalog
from hooks.data.rules import topics_yaml
from hooks.sitegen import build as sitegen

COUNT_OPTIONS = tuple((b.count, b.flag) for b in BUCKETS)


NUMERIC = re.compile(r"^[-+$<]*[\d,.]+%?$")


class UsageExit(Exception):
    """A bad argument: printed as one line, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageExit(message)


def _parser():
    p = Parser(prog="pricebook", description="Check the price data and estimate request costs.")
    common = Parser(add_help=False)
    common.add_argument("--data", default="data", help="data folder (default: ./data)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    c = sub.add_parser("check", parents=[common], help="validate the data files")
    c.add_argument("--strict", action="store_true", help="treat warnings (stale prices) as errors")

    def workload(sp):
        for b in BUCKETS:
            sp.add_argument(b.flag, metavar="N", dest=b.count, help=b.help)
        sp.add_argument("--requests", metavar="N", default="1", help="how many times (retries included)")
        sp.add_argument("--at", metavar="DATE", help="price with the official prices in force on DATE "
                                                     "(YYYY-MM-DD, past or future; default today)")
        sp.add_argument("--mode", choices=MODES, default="standard",
                        help="service tier: standard (default), batch, flex, priority or fast")
        sp.add_argument("--residency", metavar="REGION",
                        help="data residency / regional processing, e.g. us (Anthropic US-only inference)")
        sp.add_argument("--web-searches", metavar="N", dest="web_searches",
                        help="server-side web searches per request (priced per 1,000)")
        sp.add_argument("--cache-hours", metavar="H", dest="cache_hours",
                        help="hours the cached part of the prompt is stored (explicit cache storage, "
                             "charged once for the workload)")
        sp.add_argument("--time", metavar="ISO", help="the request time for time-of-day rates, ISO with "
                                                      "its zone, e.g. 2026-12-02T09:30Z")
        sp.add_argument("--json", action="store_true", help="machine-readable output")

    e = sub.add_parser("estimate", parents=[common], help="cost of one workload on one model")
    e.add_argument("--model", metavar="SLUG")
    e.add_argument("--usage", metavar="FILE", help="a provider usage JSON file, or - for stdin")
    workload(e)

    r = sub.add_parser("compare", parents=[common], help="rank every model for one workload")
    r.add_argument("--family", help="only this family")
    workload(r)

    d = sub.add_parser("diff", parents=[common], help="prices changed since a git revision")
    d.add_argument("rev", nargs="?", default="HEAD")
    d.add_argument("--json", action="store_true")

    g = sub.add_parser("drift", parents=[common], help="compare the catalog with genai-prices",
                       description=drift.HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("--at", metavar="DATE", help="the pricing date (YYYY-MM-DD; default today)")
    g.add_argument("--json", action="store_true", help="machine-readable output")

    price_cmd.add_parser(sub, common)

    m = sub.add_parser("errors", parents=[common], help="which troubleshooting page fits an error text")
    m.add_argument("text", help="the error text, log line or exception (- reads stdin)")
    m.add_argument("--json", action="store_true")
    return p


def _load(data, strict=False):
    result = load_catalog(Path(data), strict=strict)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.catalog is None:
        print(f"pricebook: {len(result.errors)} problem(s) in {data}", file=sys.stderr)
        raise SystemExit(1)
    return result


def _workload_args(ns):
    args = {name: getattr(ns, name) for name, _ in COUNT_OPTIONS}
    args.update(requests=ns.requests, at=ns.at, mode=ns.mode, residency=ns.residency,
                web_searches=ns.web_searches, cache_hours=ns.cache_hours, time=ns.time)
    if getattr(ns, "usage", None):
        text = _read(ns.usage)
        parsed = api.usage_view(text)
        if parsed["errors"]:
            raise UsageExit(f"--usage: {parsed['errors'][0]['message']}")
        args.update(parsed["fields"])
        # the tier, region and searches the response says it was served with, not the ones asked for
        args.update(parsed.get("served") or {})
    return args


MAX_USAGE_BYTES = 1_000_000     # what calculator.api.usage_view accepts


def _read(path):
    """A usage file (or - for stdin), reading at most the limit plus one byte: /dev/zero or a 200 MB
    file is refused at once instead of hanging or filling memory."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_USAGE_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_USAGE_BYTES + 1)
        if len(data) > MAX_USAGE_BYTES:
            raise UsageExit(f"--usage: {'stdin' if path == '-' else path} is more than {display.tokens(MAX_USAGE_BYTES)} bytes; "
                            "give only the usage object (or the response holding it)")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageExit(f"cannot read {path}: {err.strerror if isinstance(err, OSError) else err}") from None


def _fail_on(result):
    """Exit 2 for a bad argument; a workload the provider would refuse (a retired model, a limit)
    comes back for the command to explain (exit 1)."""
    if result.get("fits") is False or result.get("status") in ("retired", "upcoming"):
        return result      # the command says why and exits 1
    if result["errors"]:
        names = dict(COUNT_OPTIONS, model="--model", requests="--requests", family="--family", at="--at",
                     mode="--mode", residency="--residency", web_searches="--web-searches",
                     cache_hours="--cache-hours", time="--time")
        err = result["errors"][0]
        raise UsageExit(f"{names.get(err['field'], err['field'])}: {err['message']}")
    return result


def _priced(ns, view, **extra):
    """The command line's workload priced by an api view on the data's catalog; exit 2 on a bad
    argument."""
    args = _workload_args(ns)
    return _fail_on(view(_load(ns.data).catalog, {**args, **extra}))


def _site_pages(data_dir, build):
    """Every Markdown page the site would have: docs/ beside the data folder (its theme overrides
    are not pages: mkdocs.yml excludes them) and the generated pages. None without a docs/ folder
    (a maintainer checking a copy of data/ alone)."""
    docs = data_dir.resolve().parent / "docs"
    if not docs.is_dir():
        return None
    written = [f.relative_to(docs).as_posix() for f in docs.rglob("*.md")]
    return [p for p in written if not p.startswith("overrides/")] + [page.src_uri for page in build.pages]


def cmd_check(ns):
    """What the build checks, without MkDocs: the data, the names the site reserves, and the pages
    topics.yaml points at."""
    data_dir = Path(ns.data)
    build = sitegen.build(data_dir, strict=ns.strict, compare_git=True)
    problems = list(build.problems)
    pages = _site_pages(data_dir, build) if build.ok else None
    if pages is not None:
        problems += topics_yaml.missing_pages(build.result.docs, pages)
    for problem in problems:
        print(problem, file=sys.stderr)
    for note in build.notes:
        print(f"note: {note}", file=sys.stderr)
    errors = [p for p in problems if p.level == "error"]
    if errors or build.catalog is None:
        print(f"pricebook: {len(errors)} problem(s) in {ns.data}", file=sys.stderr)
        return 1
    c = build.catalog
    print(f"ok: {len(c.models)} models in {len({m.file for m in c.models})} files, "
          f"{len(c.errors)} error families, {len(build.warnings)} warning(s)")
    return 0


def cmd_estimate(ns):
    if not ns.model:
        raise UsageExit("--model SLUG is required")
    view = _priced(ns, api.estimate_view, model=ns.model)
    if view.get("fits") is False:
        if ns.json:
            print(json.dumps({"model": ns.model, "at": view["at"], "fits": False, "limit": view["limit"]}, indent=2))
        print(f"pricebook: {view['limit']['text']} (see {view['limit']['page']})", file=sys.stderr)
        return 1
    if view.get("status") in ("retired", "upcoming"):
        if ns.json:
            print(json.dumps({"model": ns.model, "at": view["at"], "status": view["status"], **view["model"]}, indent=2))
        print(f"pricebook: {view['errors'][0]['message']}", file=sys.stderr)
        return 1
    if ns.json:
        print(json.dumps(view["summary"], indent=2))
        return 0
    m = view["model"]
    tier = view["tier_reason"]
    print(f"{m['name']} ({m['slug']}), {view['requests_text']}, prices in force on {view['at']}")
    print(tier)
    for note in (view["cache_note"], view["notice"], view["mode_text"], view["peak_text"], view["residency_text"],
                 view["not_offered_text"]):
        if note:
            print(note)
    rows = [("bucket", "tokens", "official", "gateway")]
    for row in view["rows"]:
        rows.append((row["label"], row["tokens_text"], row["official"]["display"], row["gateway"]["display"]))
    rows.append(("per request", "", view["per_request"]["official"]["display"], view["per_request"]["gateway"]["display"]))
    for fee in view["fees"]:
        rows.append((fee["label"], "", fee["official"]["display"], fee["gateway"]["display"]))
    rows.append((f"total, {view['requests_text']}", "", view["total"]["official"]["display"], view["total"]["gateway"]["display"]))
    _table(rows)
    if view["saving"]["exact"] is not None:
        print(f"saving against the official price: {view['saving']['display']} ({view['saving']['percent']}%)")
    if view["what_if"]:
        print(view["what_if"])
    return 0


def cmd_compare(ns):
    view = _priced(ns, api.rank_view, family=ns.family)
    if ns.json:
        print(json.dumps([{"model": r["slug"], "family": r["family"], "tier": r["tier"], "fits": r["fits"],
                           **({"official": r["official"]["exact"], "gateway": r["gateway"]["exact"]} if r["fits"]
                              else {"limit": r["limit_text"]})}
                          for r in view["rows"]], indent=2))
        return 0
    rows = [("#", "model", "family", "official", "gateway", "% of official")]
    for i, r in enumerate(view["rows"], 1):
        if r["fits"]:
            rows.append((str(i), r["slug"], r["family"], r["official"]["display"], r["gateway"]["display"],
                         r["percent_text"]))
        elif r.get("offered") is False:
            rows.append(("-", r["slug"], r["family"], r["limit_text"], "", ""))
        else:
            rows.append(("-", r["slug"], r["family"], r["limit_text"], "", ""))
    _table(rows)
    return 0


def cmd_diff(ns):
    changes = diff_against_rev(Path(ns.data), ns.rev)
    if ns.json:
        print(json.dumps(changes, indent=2))
        return 0
    if not changes:
        print(f"no price changes since {ns.rev}")
        return 0
    rows = [("model", "field", "old", "new", "change", "!")]
    for ch in changes:
        rows.append((ch["model"], ch["field"], ch["old"] or "-", ch["new"] or "-", ch["change"], diff_marks(ch)))
    _table(rows)
    if any(ch["suspicious"] or ch["in_place"] for ch in changes):
        print("! factor: changed by more than 3x either way, a likely slip; in place: no new history entry, "
              "so past dates are repriced (see `pricebook check`)")
    return 0


def cmd_errors(ns):
    text = sys.stdin.read() if ns.text == "-" else ns.text
    catalog = _load(ns.data).catalog
    matches = api.errors_view(catalog, text)["matches"]
    if ns.json:
        print(json.dumps(matches, indent=2))
        return 0
    if not matches:
        print("no troubleshooting page matches that text")
        return 0
    for n, m in enumerate(matches):
        print(f"{m['score']:>6}  {m['title']}  {m['url']}")
        if m.get("cause"):
            c = m["cause"]
            print(f"        deciding cause: {c['title']}  {c['url']}  ({', '.join(c['evidence'])})")
        if n == 0 and m.get("question"):   # the one question, for the best match
            print(f"        ask: {m['question']['text']}")
            for a in m["question"]["answers"]:
                print(f"          {a['answer']} -> {a['title']}  {a['url']}")
    return 0


def _table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        cells = [c.rjust(w) if i and NUMERIC.match(c) else c.ljust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def cmd_drift(ns):
    return drift.cmd_drift(ns, _load, UsageExit)


COMMANDS = {"check": cmd_check, "estimate": cmd_estimate, "compare": cmd_compare,
            "diff": cmd_diff, "drift": cmd_drift, "errors": cmd_errors, "price": price_cmd.run}


def main(argv=None):
    try:
        ns = _parser().parse_args(argv)
        return COMMANDS[ns.command](ns)
    except (UsageExit, DiffError, price_cmd.PriceUsage) as err:
        print(f"pricebook: error: {err}", file=sys.stderr)
        return 2
    except price_cmd.PriceRefused as err:
        print(f"pricebook: {err}", file=sys.stderr)
        return 1
    except sitegen.SiteError as err:
        print(f"pricebook: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug, not the data or the arguments: one line, never a traceback
        print(f"pricebook: internal error ({type(err).__name__}: {err}); `pricebook check` names any data "
              "problem, otherwise please report this", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
