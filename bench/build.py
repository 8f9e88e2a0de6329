"""Build benchmark: `mkdocs build` of a generated site against plain MkDocs on the same pages.

For each N (models) and M (error families):
1. `synth.generate` writes a synthetic data folder into a temporary project (mkdocs.yml and docs/
   copied from the repo; hooks/, calculator/ and node_modules/ linked), never the repo's data/.
2. The baseline project is the same mkdocs.yml with `docs/` holding the hand-written pages plus
   every generated page written out once as a Markdown file with the project's own renderer
   (`hooks.sitegen.build.build(data)`), built with the `hooks:` entry removed (plain MkDocs).
3. The two builds alternate (generated, plain, generated, plain, ...), each a fresh
   `mkdocs build --strict` process into a clean site folder; the figures are medians, the ratio
   of each pair, and the peak RSS of each process (`os.wait4`).

Pyodide (13 MB) is copied on both sides: the generated build vendors it, and the plain build finds
the same files under docs/assets/pyodide/ and copies them as static files.

Also here: the default site's build time, and `mkdocs serve`'s rebuild after a YAML edit.
"""
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from bench import synth  # noqa: E402

MKDOCS = [str(Path(sys.executable).parent / "mkdocs")]
if not Path(MKDOCS[0]).exists():
    MKDOCS = [sys.executable, "-m", "mkdocs"]
LINKED = ("hooks", "calculator", "node_modules", "package.json", "package-lock.json", "pyproject.toml")
PRICE_LINE = re.compile(r'^(\s+input: )"([0-9]+\.[0-9]+)"', re.M)
BUILT_IN = re.compile(r"Documentation built in ([0-9.]+) seconds")
TARGET_OVERHEAD = 0.4   # issue 15: a 1,000-model site in about 10 s (was 1.3 before it)
TARGET_GROWTH = 4.2     # issue 15 (was 4.4)
TARGET_SERVE_RATIO = 0.4   # issue 15: serve rebuild after a price edit at 1,000 models / plain serve rebuild
TARGET_DEFAULT_S = 5.0
TARGET_SERVE_S = 5.0


class BuildFailed(RuntimeError):
    pass


def env(**extra):
    e = dict(os.environ)
    e["NO_MKDOCS_2_WARNING"] = "1"
    e.pop("PRICEBOOK_GENERATE", None)
    e.pop("PRICEBOOK_DATA", None)
    e.pop("PYTHONDONTWRITEBYTECODE", None)   # as a maintainer runs it: compiled modules cached
    e.update({k: str(v) for k, v in extra.items()})
    return e


def make_project(root, data_src=None):
    """A throwaway copy of the project at `root`: mkdocs.yml and docs/ copied, code linked,
    data/ copied from `data_src` (default: the repo's data/). Returns root."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs", symlinks=False)
    for name in LINKED:
        if (REPO / name).exists():
            (root / name).symlink_to(REPO / name)
    if data_src is not None and Path(data_src).resolve() != (root / "data").resolve():
        shutil.copytree(data_src, root / "data")
    elif data_src is None:
        shutil.copytree(REPO / "data", root / "data")
    return root


def run_build(project, site_dir, extra_env=None, strict=True, timeout=900):
    """One `mkdocs build` process: {"wall_s", "internal_s", "maxrss_mb"}; raises BuildFailed."""
    site_dir = Path(site_dir)
    if site_dir.exists():
        shutil.rmtree(site_dir)
    cmd = MKDOCS + ["build", "-f", str(Path(project) / "mkdocs.yml"), "--site-dir", str(site_dir)]
    if strict:
        cmd.append("--strict")
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project, env=env(**(extra_env or {})), stdout=out, stderr=subprocess.STDOUT)
        deadline = t0 + timeout
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, _peak_rss_kb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        log = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = "\n".join(log.strip().splitlines()[-25:])
        raise BuildFailed(f"mkdocs build failed (exit {proc.returncode}) in {project}:\n{tail}")
    m = BUILT_IN.search(log)
    return {"wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "internal_s": float(m.group(1)) if m else None, "maxrss_mb": round(peak_kb / 1024, 1)}


def _peak_rss_kb(pid):
    """The process's peak resident set (VmHWM) since its exec. Not ru_maxrss: that counts the copy
    of this (large) harness process the child was forked from."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def count_pages(site_dir):
    return sum(1 for _ in Path(site_dir).rglob("index.html"))


# ---- the plain-Markdown baseline ---------------------------------------------------------------

def load(data_dir):
    from hooks.data.load import load_catalog
    result = load_catalog(Path(data_dir))
    if result.catalog is None:
        listing = "\n".join(str(p) for p in result.errors[:20])
        raise BuildFailed(f"synthetic data does not load ({len(result.errors)} errors):\n{listing}")
    return result


def write_plain_project(gen, plain, nav="before"):
    """Make `plain` the same site as `gen` with nothing left to generate, as it was before issue 15's
    build work: every page's whole Markdown, and (nav="before") every family and error family in
    the navigation, as the adapter listed them before sections got a limit (nav="same": the
    navigation the adapter builds now).

    The generated project's own adapter runs once, in this process, exactly as a build runs it
    (on_startup, on_config, on_files, on_page_markdown, on_post_build), and everything it produces
    is written to plain/docs as files: the generated pages as their whole Markdown (not the stubs
    the adapter hands MkDocs now), the hand-written pages with their markers filled, the exports
    (api/, llms.txt, the prices JSON) and what on_post_build vendors (tablesort, Pyodide, the
    calculator wheel). plain/mkdocs.yml is gen/mkdocs.yml with the `hooks:` entry removed and the
    navigation and site name written out: plain MkDocs, same theme, same extensions, same
    validation, the search plugin reading every page whole. Returns the number of generated pages."""
    from types import SimpleNamespace

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from hooks.sitegen import nav as nav_module
    gen, plain = Path(gen), Path(plain)
    vendored = plain / ".post-build"
    old_cwd = os.getcwd()
    os.chdir(gen)
    try:
        cfg = load_config(str(gen / "mkdocs.yml"), site_dir=str(vendored))
        written_nav = cfg.nav
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            cfg = cfg.plugins.on_config(cfg)
            files = cfg.plugins.on_files(get_files(cfg), config=cfg)
            build = cfg["pricebook"]["build"]
            whole = {p.src_uri: p.markdown for p in build.pages}
            in_nav = nav_module.listed(build.pages, limit=None if nav == "before" else nav_module.NAV_LIMIT)
            docs = plain / "docs"
            n_generated = 0
            hidden = set()   # folders of generated pages kept out of the nav (per-model pages)
            for f in files:
                if f.generated_by is not None and not f.is_documentation_page():
                    content = f.content_bytes          # an export (api/*.json, llms.txt, ...)
                elif f.is_documentation_page():
                    if f.generated_by is not None:
                        n_generated += 1
                        if f.src_uri not in in_nav:
                            hidden.add(f.src_uri.rsplit("/", 1)[0] if "/" in f.src_uri else "")
                    # the Markdown as the build hands it to Python-Markdown (markers filled); a
                    # generated page whose bodies the adapter renders itself: its whole Markdown
                    page = SimpleNamespace(file=f)
                    source = whole.get(f.src_uri, f.content_string)
                    text = cfg.plugins.on_page_markdown(source, page=page, config=cfg, files=files)
                    content = text.encode("utf-8")
                else:
                    continue
                target = docs / f.src_uri
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            vendored.mkdir(parents=True, exist_ok=True)
            cfg.plugins.on_post_build(config=cfg)
            site_name = cfg.site_name
            nav = cfg.nav if nav == "same" else nav_module.expanded(written_nav, build.pages, build.nav_titles,
                                                                     limit=None)
        finally:
            cfg.plugins.on_shutdown()
    finally:
        os.chdir(old_cwd)
    for f in vendored.rglob("*"):
        if f.is_file() and f.suffix not in (".br", ".gz"):   # precompressed copies: the adapter's work
            dest = plain / "docs" / f.relative_to(vendored)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(f), dest)
    shutil.rmtree(vendored)
    text = (gen / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^hooks:\n(?:[ \t]+.*\n|\n)*?(?=^\S)", "", text, flags=re.M)
    text = re.sub(r"^site_name:.*$", lambda _: "site_name: " + json.dumps(site_name), text, count=1, flags=re.M)
    text = re.sub(r"^nav:\n(?:[ \t]+.*\n|\n)*", "", text, flags=re.M)
    text = text.rstrip("\n") + "\n" + yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True)
    if hidden:  # the plain-files way to say NOT_IN_NAV: one pattern per folder, as few as possible
        text += "not_in_nav: |\n" + "".join(f"  /{d + '/' if d else ''}*.md\n" for d in sorted(hidden))
    assert not re.search(r"^hooks:", text, re.M)
    (plain / "mkdocs.yml").write_text(text, encoding="utf-8")
    return n_generated


def prepare(root, n_models, n_errors, nav="before"):
    """(generated project, plain project, info) for one size."""
    root = Path(root)
    data = synth.generate(root / "data", n_models, n_errors)
    result = load(data)
    gen = make_project(root / "generated", data)
    plain = make_project(root / "plain", data)
    n_pages = write_plain_project(gen, plain, nav=nav)
    return gen, plain, {"models": len(result.catalog.models), "error_families": len(result.catalog.errors),
                        "generated_pages": n_pages, "warnings": len(result.warnings)}


GEN_ENV = {}     # the adapter's defaults: data/ next to mkdocs.yml, Pyodide vendored
PLAIN_ENV = {}   # no adapter at all in plain/mkdocs.yml


def bench_size(root, n_models, n_errors, pairs=3, log=print, serve_edits=0, nav="before"):
    gen, plain, info = prepare(root, n_models, n_errors, nav=nav)
    info["plain_nav"] = nav
    site_g, site_p = Path(root) / "site-generated", Path(root) / "site-plain"
    runs = []
    for i in range(pairs):
        # alternate which side goes first, so a drift in machine load hits both alike
        order = (("generated", gen, site_g, GEN_ENV), ("plain", plain, site_p, PLAIN_ENV))
        pair = {side: run_build(project, site, e) for side, project, site, e in (order if i % 2 == 0 else order[::-1])}
        g, p = pair["generated"], pair["plain"]
        runs.append({"generated": g, "plain": p, "ratio": round(g["wall_s"] / p["wall_s"], 3),
                     "cpu_ratio": round(g["cpu_s"] / p["cpu_s"], 3)})
        log(f"  build N={n_models:>5,} pair {i + 1}: generated {g['wall_s']:.2f} s "
            f"({g['maxrss_mb']:.0f} MB), plain {p['wall_s']:.2f} s ({p['maxrss_mb']:.0f} MB), "
            f"ratio {runs[-1]['ratio']:.2f} (CPU {g['cpu_s']:.1f} / {p['cpu_s']:.1f} s)")
    # both sides built the same site: same pages, same files
    info["html_pages_generated"] = count_pages(site_g)
    info["html_pages_plain"] = count_pages(site_p)
    # the precompressed copies (.br, .gz) are the adapter's alone (its time is in the generated
    # build's; plain/docs gets none): left out of the comparison
    files_g, files_p = ({f.relative_to(site).as_posix() for f in site.rglob("*")
                         if f.is_file() and f.suffix not in (".br", ".gz")} for site in (site_g, site_p))
    info["site_files"] = len(files_g)
    for side, site in (("generated", site_g), ("plain", site_p)):   # issue 15: code and big tables left out
        index = site / "search" / "search_index.json"
        info[f"search_index_bytes_{side}"] = index.stat().st_size if index.exists() else None
    info["only_in_generated"] = sorted(files_g - files_p)[:20]
    info["only_in_plain"] = sorted(files_p - files_g)[:20]
    if info["only_in_generated"] or info["only_in_plain"]:
        log(f"  note: the two sites differ: only generated {info['only_in_generated'][:5]}, "
            f"only plain {info['only_in_plain'][:5]}")
    if serve_edits:
        info["serve"] = serve_pair(gen, plain, edits=serve_edits, log=log, label=f" N={n_models:,}")
    med = lambda side, key: round(statistics.median(r[side][key] for r in runs), 3)  # noqa: E731
    internal = [r for r in runs if r["generated"]["internal_s"] and r["plain"]["internal_s"]]
    return {
        **info, "n_models": n_models, "n_errors": n_errors, "pairs": pairs, "runs": runs,
        "generated_s": med("generated", "wall_s"), "plain_s": med("plain", "wall_s"),
        "generated_internal_s": med("generated", "internal_s") if internal else None,
        "plain_internal_s": med("plain", "internal_s") if internal else None,
        "generated_cpu_s": med("generated", "cpu_s"), "plain_cpu_s": med("plain", "cpu_s"),
        "ratio_median": round(statistics.median(r["ratio"] for r in runs), 3),
        "cpu_ratio_median": round(statistics.median(r["cpu_ratio"] for r in runs), 3),
        "generated_maxrss_mb": max(r["generated"]["maxrss_mb"] for r in runs),
        "plain_maxrss_mb": max(r["plain"]["maxrss_mb"] for r in runs),
    }


def profile_generated(n_models=1000, n_errors=100, out=None):
    """cProfile of one in-process generated build (for the README's findings). Prints the top."""
    import cProfile
    import pstats
    with tempfile.TemporaryDirectory(prefix="pricebook-prof-") as tmp:
        data = synth.generate(Path(tmp) / "data", n_models, n_errors)
        gen = make_project(Path(tmp) / "generated", data)
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        cwd = os.getcwd()
        os.chdir(gen)
        try:
            cfg = load_config(str(gen / "mkdocs.yml"), strict=True, site_dir=str(Path(tmp) / "site"))
            cfg.plugins.on_startup(command="build", dirty=False)
            prof = cProfile.Profile()
            prof.enable()
            build(cfg)
            prof.disable()
            cfg.plugins.on_shutdown()
        finally:
            os.chdir(cwd)
        stats = pstats.Stats(prof)
        if out:
            stats.dump_stats(out)
        stats.sort_stats("cumulative").print_stats(40)


# ---- the default site and `mkdocs serve` -------------------------------------------------------

def default_build(runs=3, log=print):
    """The real site (repo data/), built from a temporary copy of the project."""
    with tempfile.TemporaryDirectory(prefix="pricebook-default-") as tmp:
        project = make_project(Path(tmp) / "project")
        site = Path(tmp) / "site"
        run_build(project, site)  # warm-up
        res = [run_build(project, site) for _ in range(runs)]
        for r in res:
            log(f"  default site build: {r['wall_s']:.2f} s (mkdocs: {r['internal_s']} s, {r['maxrss_mb']:.0f} MB)")
        return {"runs": res, "wall_s": statistics.median(r["wall_s"] for r in res),
                "cpu_s": statistics.median(r["cpu_s"] for r in res),
                "internal_s": statistics.median(r["internal_s"] or 0 for r in res),
                "maxrss_mb": max(r["maxrss_mb"] for r in res), "pages": count_pages(site),
                "target_s": TARGET_DEFAULT_S}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Lines:
    """Collect a process's output lines with their arrival time, in a thread."""

    def __init__(self, stream):
        self.lines = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for raw in iter(stream.readline, b""):
            with self.cond:
                self.lines.append((time.perf_counter(), raw.decode("utf-8", "replace").rstrip()))
                self.cond.notify_all()
        with self.cond:
            self.lines.append((time.perf_counter(), None))
            self.cond.notify_all()

    def wait_for(self, pattern, start, timeout):
        """(time, line, index) of the first line from index `start` matching `pattern`."""
        rx = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        i = start
        with self.cond:
            while True:
                while i < len(self.lines):
                    t, line = self.lines[i]
                    if line is None:
                        raise BuildFailed("mkdocs serve exited:\n" + "\n".join(
                            ln for _, ln in self.lines[-20:] if ln))
                    if rx.search(line):
                        return t, line, i + 1
                    i += 1
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise BuildFailed(f"no line matching {pattern!r} within {timeout} s:\n" + "\n".join(
                        ln for _, ln in self.lines[-20:] if ln))
                self.cond.wait(left)


class Server:
    """`mkdocs serve --strict --livereload` of `project` on a free 127.0.0.1 port, as a context
    manager: started, waited for ("Serving on"), stopped with SIGINT whatever happens (serve then
    removes its temporary site folder). `rebuild(path, text)` writes a file and times the rebuild."""

    def __init__(self, project, timeout=600, extra_env=None):
        self.project, self.timeout, self.extra_env = Path(project), timeout, extra_env or {}
        self.port = _free_port()

    def __enter__(self):
        cmd = MKDOCS + ["serve", "-f", str(self.project / "mkdocs.yml"), "--strict", "--dev-addr",
                        f"127.0.0.1:{self.port}", "--livereload"]
        self.proc = subprocess.Popen(cmd, cwd=self.project, env=env(**self.extra_env), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.lines = _Lines(self.proc.stdout)
        try:
            _, _, self.idx = self.lines.wait_for(r"Serving on", 0, self.timeout)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        try:
            os.killpg(self.proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def cpu_s(self):
        """CPU seconds of the server so far (user + system, with the children it waited for)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def rebuild(self, path, text):
        """Write `text` to `path` and wait for the rebuild: {"wall_s" (write to "Reloading
        browsers"), "cpu_s" (the server's CPU time meanwhile), "internal_s" (MkDocs' own figure)}."""
        time.sleep(1.5)   # let the watcher settle between edits
        start, cpu0, t0 = self.idx, self.cpu_s(), time.perf_counter()
        Path(path).write_text(text, encoding="utf-8")
        t1, line, self.idx = self.lines.wait_for(r"Reloading browsers|An error happened", self.idx, self.timeout)
        cpu = self.cpu_s() - cpu0
        if "error" in line:
            raise BuildFailed("the rebuild after the edit failed:\n" + "\n".join(
                ln for _, ln in self.lines.lines[start:self.idx] if ln))
        built = [m for m in (BUILT_IN.search(ln) for _, ln in self.lines.lines[start:self.idx] if ln) if m]
        return {"wall_s": round(t1 - t0, 3), "cpu_s": round(cpu, 3),
                "internal_s": float(built[-1].group(1)) if built else None}


def price_edit(project, k):
    """(file, text): the first model's input price raised by k + 1 in data/models (the edit a
    maintainer makes; a price that only goes up keeps the data valid)."""
    target = sorted((Path(project) / "data" / "models").glob("*.yaml"))[0]
    original = target.read_text(encoding="utf-8")
    text = PRICE_LINE.sub(lambda m: f'{m.group(1)}"{Decimal(m.group(2)) + k + 1}"', original, count=1)
    assert text != original
    return target, text


def plain_edit(project, k):
    """(file, text): in a plain project, the same kind of edit in a page's Markdown: the first
    figure of the first model page changed."""
    target = sorted((Path(project) / "docs" / "models").glob("*.md"))[1]
    original = target.read_text(encoding="utf-8")
    text = re.sub(r"\$([0-9]+)\.", lambda m: f"${int(m.group(1)) + k + 1}.", original, count=1)
    assert text != original
    return target, text


def serve_rebuild(edits=3, data_src=None, timeout=120, log=print):
    """`mkdocs serve` of a temporary copy of the project (default data), a model YAML edited
    `edits` times; each rebuild timed (Server.rebuild)."""
    with tempfile.TemporaryDirectory(prefix="pricebook-serve-") as tmp:
        project = make_project(Path(tmp) / "project", data_src)
        times = []
        with Server(project, timeout) as server:
            for k in range(edits):
                times.append(server.rebuild(*price_edit(project, k)))
                log(f"  serve rebuild after a YAML edit: {times[-1]['wall_s']:.2f} s "
                    f"(CPU {times[-1]['cpu_s']:.2f} s, mkdocs: {times[-1]['internal_s']} s)")
        return {"runs": times, "wall_s": statistics.median(t["wall_s"] for t in times),
                "cpu_s": statistics.median(t["cpu_s"] for t in times), "target_s": TARGET_SERVE_S}


def serve_pair(gen, plain, edits=3, log=print, label=""):
    """Both servers up at once (`mkdocs serve` of the generated and of the plain project); edits
    alternate between them (a price in data/models for the generated site, the same figure in a
    model page's Markdown for the plain one: each a whole rebuild); the ratio of each pair of
    rebuilds' CPU time, the median of those ratios."""
    runs = []
    with Server(gen) as g, Server(plain) as p:
        for k in range(edits):
            sides = [("generated", g, price_edit(gen, k)), ("plain", p, plain_edit(plain, k))]
            pair = {name: server.rebuild(*edit) for name, server, edit in (sides if k % 2 == 0 else sides[::-1])}
            pair["cpu_ratio"] = round(pair["generated"]["cpu_s"] / pair["plain"]["cpu_s"], 3)
            pair["ratio"] = round(pair["generated"]["wall_s"] / pair["plain"]["wall_s"], 3)
            runs.append(pair)
            log(f"  serve rebuild{label} {k + 1}: generated {pair['generated']['wall_s']:.2f} s "
                f"(CPU {pair['generated']['cpu_s']:.2f}), plain {pair['plain']['wall_s']:.2f} s "
                f"(CPU {pair['plain']['cpu_s']:.2f}), CPU ratio {pair['cpu_ratio']:.2f}")
    med = lambda side, key: round(statistics.median(r[side][key] for r in runs), 3)  # noqa: E731
    return {"runs": runs, "generated_s": med("generated", "wall_s"), "plain_s": med("plain", "wall_s"),
            "generated_cpu_s": med("generated", "cpu_s"), "plain_cpu_s": med("plain", "cpu_s"),
            "ratio_median": round(statistics.median(r["ratio"] for r in runs), 3),
            "cpu_ratio_median": round(statistics.median(r["cpu_ratio"] for r in runs), 3)}


# ---- all of it ---------------------------------------------------------------------------------

# (models, error families, alternating pairs). A 4,000-model build takes over a minute on the
# 2-core reference machine, so one pair there.
SIZES = ((250, 25, 3), (1000, 100, 3), (4000, 100, 1))
QUICK_SIZES = ((250, 25, 1), (1000, 100, 1))
SERVE_MODELS = 1000   # the size whose `mkdocs serve` rebuilds are compared with plain MkDocs'


def run(sizes=None, pairs=None, quick=False, models=None, nav="before", log=print):
    """Everything: the default site, serve, and each size; `pairs` overrides the per-size count;
    `models` (e.g. [1000]) measures only those sizes (no default site); `nav`: the plain side's
    navigation, "before" (issue 15's baseline) or "same" (write_plain_project)."""
    sizes = sizes or (QUICK_SIZES if quick else SIZES)
    if models:
        sizes = [row for row in SIZES if row[0] in models] or [(n, 100, 1) for n in models]
    out = {"sizes": {}, "plain_nav": nav}
    if not models:
        out["default_site"] = default_build(runs=2 if quick else 3, log=log)
        out["serve"] = serve_rebuild(edits=2 if quick else 3, log=log)
    with tempfile.TemporaryDirectory(prefix="pricebook-bench-") as tmp:
        for n, m, k in sizes:
            edits = (2 if quick else 3) if n == SERVE_MODELS else 0
            out["sizes"][str(n)] = bench_size(Path(tmp) / f"n{n}", n, m, pairs or k, log=log, serve_edits=edits,
                                              nav=nav)
            shutil.rmtree(Path(tmp) / f"n{n}", ignore_errors=True)
    s = out["sizes"]
    targets = {}
    if "1000" in s:
        targets["overhead_1000"] = {"target": f"<= {TARGET_OVERHEAD} x plain", "measured": s["1000"]["ratio_median"],
                                    "met": s["1000"]["ratio_median"] <= TARGET_OVERHEAD}
        targets["overhead_1000_cpu"] = {"target": f"<= {TARGET_OVERHEAD} x plain",
                                        "measured": s["1000"]["cpu_ratio_median"],
                                        "met": s["1000"]["cpu_ratio_median"] <= TARGET_OVERHEAD}
    if "1000" in s and "4000" in s:
        growth = round(s["4000"]["generated_s"] / s["1000"]["generated_s"], 3)
        cpu_growth = round(s["4000"]["generated_cpu_s"] / s["1000"]["generated_cpu_s"], 3)
        targets["growth_4000_vs_1000_cpu"] = {"target": f"<= {TARGET_GROWTH} x", "measured": cpu_growth,
                                              "met": cpu_growth <= TARGET_GROWTH}
        mem = round(s["4000"]["generated_maxrss_mb"] / s["1000"]["generated_maxrss_mb"], 3)
        targets["growth_4000_vs_1000"] = {"target": f"<= {TARGET_GROWTH} x", "measured": growth,
                                          "met": growth <= TARGET_GROWTH}
        targets["memory_4000_vs_1000"] = {"target": "<= 4 x (linear)", "measured": mem, "met": mem <= 4.0}
    serve = s.get(str(SERVE_MODELS), {}).get("serve")
    if serve:
        targets["serve_1000_cpu"] = {"target": f"<= {TARGET_SERVE_RATIO} x plain", "measured": serve["cpu_ratio_median"],
                                     "met": serve["cpu_ratio_median"] <= TARGET_SERVE_RATIO}
    if "default_site" in out:
        targets["default_build_s"] = {"target": f"< {TARGET_DEFAULT_S} s", "measured": out["default_site"]["wall_s"],
                                      "met": out["default_site"]["wall_s"] < TARGET_DEFAULT_S}
        targets["serve_rebuild_s"] = {"target": f"< {TARGET_SERVE_S} s", "measured": out["serve"]["wall_s"],
                                      "met": out["serve"]["wall_s"] < TARGET_SERVE_S}
    out["targets"] = targets
    return out


if __name__ == "__main__":
    if "--profile" in sys.argv:
        profile_generated()
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
