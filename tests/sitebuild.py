"""Build the MkDocs site in process, strictly, for tests (shared by every test that needs a site).

    from sitebuild import build_site, copy_data
    site = build_site(tmp / "site")                         # the repository's data/, Pyodide vendored
    site = build_site(tmp / "site", pyodide=False)          # skip the 13 MB Pyodide copy (faster)
    data = copy_data(tmp)                                   # a private copy of data/ to edit
    site = build_site(tmp / "site", data_dir=data, today=datetime.date(2026, 11, 23))
    site.html("models/gpt-5/")      site.search_index()     site.json("api/prices.json")

A failed build raises BuildFailed with every warning and error MkDocs logged (a data mistake
appears there as `path:line:col: message`). The build uses the real mkdocs.yml and hook; the data
folder, the staleness date and the Pyodide copy are passed through the environment variables the
hook reads (PRICEBOOK_DATA, PRICEBOOK_BUILD_DATE, PRICEBOOK_VENDOR_PYODIDE), restored afterwards.
"""
from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class BuildFailed(Exception):
    def __init__(self, messages, cause=None):
        self.messages = list(messages)
        self.cause = cause
        super().__init__("the site build failed:\n" + "\n".join(self.messages) +
                         (f"\n({type(cause).__name__}: {cause})" if cause else ""))


@dataclass
class BuiltSite:
    site_dir: Path
    data_dir: Path
    seconds: float = 0.0
    warnings: list = field(default_factory=list)   # every WARNING+ message MkDocs logged

    def path(self, url_path):
        """The file behind a site URL path: "models/x/" -> models/x/index.html."""
        p = self.site_dir / url_path.lstrip("/")
        return p / "index.html" if url_path.endswith("/") or url_path == "" else p

    def html(self, url_path):
        return self.path(url_path).read_text(encoding="utf-8")

    def text(self, path):
        return (self.site_dir / path).read_text(encoding="utf-8")

    def json(self, path):
        return json.loads(self.text(path))

    def search_index(self):
        return self.json("search/search_index.json")

    def html_files(self):
        return sorted(self.site_dir.rglob("*.html"))


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@contextlib.contextmanager
def _env(**values):
    old = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def copy_data(dest_dir, source=REPO / "data"):
    """A copy of the data folder at dest_dir/data (edit it freely); returns its path."""
    target = Path(dest_dir) / "data"
    shutil.copytree(source, target)
    return target


def data_date(data_dir):
    """The newest `checked:` date in a data folder: tests date the staleness check by the data, so
    the suite does not turn red on its own as the calendar moves (make build still uses today)."""
    import re
    dates = [m.group(1) for f in Path(data_dir).glob("models/*.yaml")
             for m in re.finditer(r"^\s*checked: (\d{4}-\d{2}-\d{2})\s*$", f.read_text(errors="replace"), re.M)]
    return datetime.date.fromisoformat(max(dates)) if dates else None


def build_site(site_dir, data_dir=None, *, pyodide=True, today=None, config_file=REPO / "mkdocs.yml",
               strict=True):
    """Build the site into site_dir with `mkdocs build --strict` semantics, in this process."""
    import time

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = Path(site_dir)
    data_dir = Path(data_dir) if data_dir else REPO / "data"
    if today is None:
        today = data_date(data_dir)
    if isinstance(today, datetime.date):
        today = today.isoformat()
    collect = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collect)
    start = time.perf_counter()
    try:
        with _env(PRICEBOOK_DATA=str(data_dir), PRICEBOOK_BUILD_DATE=today,
                  PRICEBOOK_VENDOR_PYODIDE="1" if pyodide else "0", NO_MKDOCS_2_WARNING="1"):
            cfg = load_config(str(config_file), strict=strict, site_dir=str(site_dir))
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build(cfg)
            finally:
                cfg.plugins.on_shutdown()
    except (Exception, SystemExit) as exc:   # mkdocs' Abort is a SystemExit-like ClickException
        raise BuildFailed(collect.messages, exc) from exc
    finally:
        mkdocs_log.removeHandler(collect)
    return BuiltSite(site_dir, data_dir, time.perf_counter() - start, collect.messages)
