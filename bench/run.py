"""`make bench`: the whole picture in one command.

    .venv/bin/python bench/run.py                 # build + engine + browser, writes bench/results/
    .venv/bin/python bench/run.py --quick         # fewer sizes and runs (a smoke run; writes nothing)
    .venv/bin/python bench/run.py --only engine   # one part: build | engine | corpus | browser | lookup (writes nothing)
    .venv/bin/python bench/run.py --only engine --merge   # re-measure one part into results/latest.json
    .venv/bin/python bench/run.py --only build --models 1000 --quick   # one size: build pair + serve pair
    .venv/bin/python bench/run.py --profile build # cProfile of one generated build of 1,000 models

A full run writes bench/results/latest.json (every figure, the machine, the date, the commit) and
bench/results/latest.md (the short table the README quotes) and prints the table. Targets that are
missed are marked in the table; the exit status is 0 unless a benchmark could not run at all (pass
--strict to exit 1 on a missed target too).
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

RESULTS = REPO / "bench" / "results"
PARTS = ("build", "engine", "corpus", "browser", "lookup")


def log(*args):
    print(*args, flush=True)


def machine():
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for dist in ("mkdocs", "mkdocs-material", "PyYAML", "Jinja2"):
        try:
            from importlib.metadata import version
            versions[dist] = version(dist)
        except Exception:
            versions[dist] = None
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb, "os": platform.platform(),
            "python": platform.python_implementation() + " " + platform.python_version(), "versions": versions,
            "commit": commit, "loadavg_at_start": [round(x, 2) for x in load] if load else None}


def run_part(name, fn, results):
    log(f"== {name}")
    t0 = time.perf_counter()
    try:
        results[name] = fn()
    except Exception as exc:  # a benchmark that cannot run is reported, the others still run
        traceback.print_exc()
        results[name] = {"error": f"{type(exc).__name__}: {exc}"[:4000]}
    results[name + "_seconds"] = round(time.perf_counter() - t0, 1)


def browser_part(quick):
    path = REPO / "bench" / "browser.py"
    if not path.exists():
        return {"skipped": "bench/browser.py is not there yet"}
    import inspect

    from bench import browser
    params = inspect.signature(browser.run).parameters
    kwargs = {k: v for k, v in (("quick", quick), ("log", log)) if k in params}
    return browser.run(**kwargs)


# ---- the markdown table -----------------------------------------------------------------------

def _ok(target):
    if target is None:
        return ""
    return "yes" if target.get("met") else "**no**"


def _fmt(v):
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if abs(v) < 100 else f"{v:,.1f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def markdown(results):
    m = results["machine"]
    out = [f"# Benchmark results ({results['date']})", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM; {m['os']}; {m['python']}; "
           f"mkdocs {m['versions'].get('mkdocs')}, mkdocs-material {m['versions'].get('mkdocs-material')}; "
           f"commit {m['commit']}; load average at start {m['loadavg_at_start']}.", ""]
    for part, again in (results.get("remeasured") or {}).items():
        out[-1:-1] = [f"The {part} figures were measured again on {again['date']} (commit {again['commit']}, "
                      f"load average {again['loadavg_at_start']}).", ""]
    targets = []
    b = results.get("build") or {}
    if "error" in b:
        out += ["## Build", "", f"Not measured: {b['error'].splitlines()[0]}", ""]
    elif b:
        out += ["## Build: generated vs plain MkDocs on the same pages", "",
                "`mkdocs build --strict`, one fresh process per build into a clean folder; generated and plain "
                "builds alternate. Wall = process start to exit; CPU = user + sys of the process. Medians over "
                "the pairs; ratio = median of the per-pair ratios generated / plain.", "",
                "| models | error families | pages | pairs | generated wall (s) | plain wall (s) | ratio "
                "| generated CPU (s) | plain CPU (s) | CPU ratio | peak RSS gen / plain (MB) |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for n, s in b["sizes"].items():
            out.append(f"| {int(n):,} | {s['n_errors']} | {s['html_pages_generated']:,} | {s['pairs']} | "
                       f"{s['generated_s']:.1f} | {s['plain_s']:.1f} | {s['ratio_median']:.2f} | "
                       f"{s['generated_cpu_s']:.1f} | {s['plain_cpu_s']:.1f} | {s['cpu_ratio_median']:.2f} | "
                       f"{s['generated_maxrss_mb']:.0f} / {s['plain_maxrss_mb']:.0f} |")
        out += ["", f"Plain side's navigation: {b.get('plain_nav', 'before')} (bench/README.md)."]
        for n, sz in b["sizes"].items():
            sv = sz.get("serve")
            if sv:
                out += ["", f"`mkdocs serve` rebuild at {int(n):,} models (both servers up, edits alternating; a price "
                            f"in data/models vs the same figure in a page's Markdown): generated {sv['generated_s']:.2f} s "
                            f"wall / {sv['generated_cpu_s']:.2f} s CPU, plain {sv['plain_s']:.2f} s / "
                            f"{sv['plain_cpu_s']:.2f} s CPU, ratio {sv['ratio_median']:.2f} wall, "
                            f"{sv['cpu_ratio_median']:.2f} CPU (median of {len(sv['runs'])} pairs)."]
        if "default_site" in b:
            d, sv = b["default_site"], b["serve"]
            out += ["", f"Default site (data/, {d['pages']} pages): {d['wall_s']:.2f} s wall "
                        f"(mkdocs' own {d['internal_s']:.2f} s), peak RSS {d['maxrss_mb']:.0f} MB. "
                        f"`mkdocs serve` rebuild after a price edit in data/models: {sv['wall_s']:.2f} s "
                        "(file written to \"Reloading browsers\", median)."]
        out.append("")
        names = {"overhead_1000": "Generated build of 1,000 models vs plain Markdown (wall)",
                 "overhead_1000_cpu": "Generated build of 1,000 models vs plain Markdown (CPU)",
                 "growth_4000_vs_1000": "Build time 4,000 vs 1,000 models (wall)",
                 "growth_4000_vs_1000_cpu": "Build time 4,000 vs 1,000 models (CPU)",
                 "memory_4000_vs_1000": "Peak memory 4,000 vs 1,000 models",
                 "default_build_s": "Default site build",
                 "serve_rebuild_s": "`mkdocs serve` rebuild after a YAML edit",
                 "serve_1000_cpu": "`mkdocs serve` rebuild at 1,000 models vs plain serve rebuild (CPU)"}
        for key, t in b.get("targets", {}).items():
            targets.append((names.get(key, key), t))
    e = results.get("engine") or {}
    if "error" in e:
        out += ["## Engine", "", f"Not measured: {e['error'].splitlines()[0]}", ""]
    elif e:
        out += ["## Engine (CPython, GC on)", "",
                f"Median of {e['repeat']} timeit rounds; workload {e['workload']}.", "",
                "| what | per call |", "|---|---:|"]
        for name, r in e["estimate"]["rows"].items():
            out.append(f"| {name}, one model | {r['median_us']:.1f} us |")
        for n, rows in e["rank"].items():
            for name, r in rows.items():
                out.append(f"| {name}, {int(n):,} models | {r['median_ms']:.1f} ms |")
        out.append("")
        t = e["targets"]
        targets.append(("One estimate (pricing.estimate)", t["estimate_us"]))
        if "rank_10k_ms" in t:
            targets.append(("Rank 10,000 models (pricing.rank)", t["rank_10k_ms"]))
            targets.append(("Rank 10,000 models with display rows (api.rank_view)",
                            {"target": t["rank_10k_ms"]["target"], "measured": t["rank_10k_ms"]["view_measured"],
                             "met": t["rank_10k_ms"]["view_met"]}))
    co = results.get("corpus") or {}
    if co and "error" not in co:
        out += ["## Mistake corpus", "",
                f"{co['mistakes']} damaged data folders, each through `pricebook check` and `mkdocs build --strict` "
                f"(process start to exit): check median {co['check_median_s']:.2f} s, build median "
                f"{co['build_median_s']:.2f} s.", ""]
        targets += [(t["name"], t) for t in co["targets"].values()]
    br = results.get("browser") or {}
    if br:
        out += ["## Browser calculator", ""]
        if "error" in br or "skipped" in br:
            out += [f"Not measured: {(br.get('error') or br.get('skipped')).splitlines()[0]}", ""]
        else:
            out += ["| figure | value |", "|---|---:|"]
            for k, v in _flat(br):
                if k.startswith("targets."):
                    continue
                out.append(f"| {k} | {_fmt(v)} |")
            out.append("")
            for k, t in (br.get("targets") or {}).items():
                if isinstance(t, dict) and "met" in t:
                    targets.append((t.get("name", k), t))
    lk = results.get("lookup") or {}
    if lk:
        out += ["## Error lookup", ""]
        if "error" in lk:
            out += [f"Not measured: {lk['error'].splitlines()[0]}", ""]
        else:
            out += [f"Troubleshooting index, a fresh context per run ({lk['runs']} runs per profile), one of issue 14's "
                    "pasted errors once the page is loaded and the box ready; medians, ms.", "",
                    "| profile | box ready | first answer after the paste | (max) | first answer after navigation "
                    "| stock loadPyodide() | ratio |", "|---|---:|---:|---:|---:|---:|---:|"]
            for name, f in lk["profiles"].items():
                out.append(f"| {name} | {_fmt(f['interactive_ms'])} | {_fmt(f['first_answer_after_interactive_ms'])} | "
                           f"{_fmt(f['first_answer_after_interactive_max_ms'])} | {_fmt(f['first_answer_ms'])} | "
                           f"{_fmt(f['stock_pyodide_ms'])} | {_fmt(f['first_answer_ratio'])} |")
            out.append("")
            targets += [(t["name"], t) for t in lk["targets"].values()]
    if targets:
        out += ["## Targets", "", "| target | limit | measured | met |", "|---|---|---:|:---:|"]
        for name, t in targets:
            out.append(f"| {name} | {t.get('target', '')} | {_fmt(t.get('measured'))} | {_ok(t)} |")
        out.append("")
    return "\n".join(out)


def _flat(d, prefix=""):
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            yield from _flat(v, key + ".")
        elif isinstance(v, (int, float, str, bool)) or v is None:
            yield key, v


def main(argv=None):
    p = argparse.ArgumentParser(description="pricebook benchmarks")
    p.add_argument("--quick", action="store_true", help="fewer sizes and runs; writes nothing")
    p.add_argument("--only", choices=PARTS, action="append", help="run only this part (repeatable); writes nothing")
    p.add_argument("--pairs", type=int, help="alternating generated/plain build pairs per size "
                                             "(default: 3, 3 and 1 for 250, 1,000 and 4,000 models)")
    p.add_argument("--models", type=int, action="append", help="build part: only this size (e.g. 1000; "
                                                                "repeatable; no default site); writes nothing")
    p.add_argument("--plain-nav", choices=("before", "same"), default="before",
                   help="build part: the plain side's navigation, as before issue 15 (default) or the same as "
                        "the generated site's (bench/README.md)")
    p.add_argument("--write", action="store_true", help="write bench/results/ even with --quick or --only")
    p.add_argument("--merge", action="store_true", help="with --only: re-measure those parts and replace them in "
                                                        "bench/results/latest.json, keeping the others")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--profile", choices=("build", "engine"), help="print a cProfile of one run and exit")
    ns = p.parse_args(argv)

    if ns.profile == "build":
        from bench import build
        build.profile_generated()
        return 0
    if ns.profile == "engine":
        from bench import engine
        engine.profile_rank_view()
        return 0

    parts = ns.only or list(PARTS)
    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": machine(), "quick": ns.quick, "parts": parts}
    t0 = time.perf_counter()
    if "engine" in parts:
        from bench import engine
        run_part("engine", lambda: engine.run(quick=ns.quick, log=log), results)
    if "build" in parts:
        from bench import build
        run_part("build", lambda: build.run(pairs=ns.pairs, quick=ns.quick, models=ns.models, nav=ns.plain_nav,
                                            log=log), results)
    if "corpus" in parts:
        from bench import corpus
        run_part("corpus", lambda: corpus.run(quick=ns.quick, log=log), results)
    if "browser" in parts:
        run_part("browser", lambda: browser_part(ns.quick), results)
    if "lookup" in parts:
        from bench import lookup
        run_part("lookup", lambda: lookup.run(quick=ns.quick, log=log), results)
    results["total_seconds"] = round(time.perf_counter() - t0, 1)

    if ns.merge:  # e.g. the engine figures of a full run taken while the machine was busy
        previous = json.loads((RESULTS / "latest.json").read_text(encoding="utf-8"))
        for part in parts:
            previous[part] = results.get(part)
            previous[f"{part}_seconds"] = results.get(f"{part}_seconds")
            previous.setdefault("remeasured", {})[part] = {"date": results["date"],
                                                           "commit": results["machine"]["commit"],
                                                           "loadavg_at_start": results["machine"]["loadavg_at_start"]}
        results, ns.write = previous, True
    table = markdown(results)
    log("")
    log(table)
    if (not ns.quick and not ns.only and not ns.models) or ns.write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        (RESULTS / "latest.md").write_text(table + "\n", encoding="utf-8")
        log(f"wrote {RESULTS / 'latest.json'} and latest.md")
    failed = [k for k in parts if isinstance(results.get(k), dict) and "error" in results[k]]
    missed = "**no**" in table
    if failed:
        log(f"could not run: {', '.join(failed)}")
        return 1
    return 1 if (ns.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
