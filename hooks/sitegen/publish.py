"""Publish a finished build: check that it is complete, then swap it in for the live site, under a
lock, so that overlapping builds never publish a half tree or delete each other's files.

    python -m hooks.sitegen.publish NEW_DIR SITE_DIR     (run by `make build`)

NEW_DIR is the build's private folder (mktemp -d next to SITE_DIR, so the swap is a rename on one
file system). Complete means: index.html and 404.html, every page the sitemap lists, every export
(api/*.json, llms.txt, llms-full.txt, the calculator's prices, config and wheel) and the search
index. The swap holds an exclusive lock on SITE_DIR's parent folder (flock on the folder itself: no
lock file is left behind), so two builds finishing together publish one after the other.
"""
import fcntl
import os
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

REQUIRED = ("index.html", "404.html", "sitemap.xml", "search/search_index.json",
            "api/models.json", "api/prices.json", "api/errors.json", "llms.txt", "llms-full.txt",
            "assets/calculator/catalog.json", "assets/calculator/config.json")


class PublishError(Exception):
    """The build folder is not a complete site, or the site folder cannot be replaced."""


def missing_files(site):
    """Site-relative paths a complete build has and `site` lacks (empty when it is complete)."""
    site = Path(site)
    missing = [p for p in REQUIRED if not (site / p).is_file() or (site / p).stat().st_size == 0]
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        try:
            locs = [el.text or "" for el in ET.parse(sitemap).getroot().iter() if el.tag.endswith("loc")]
        except ET.ParseError:
            return missing + ["sitemap.xml (unreadable)"]
        prefix = None
        for loc in locs:
            path = urlsplit(loc.strip()).path
            if prefix is None:   # the first entry is the home page: its path is the site's root
                prefix = path
            rel = path[len(prefix):] if path.startswith(prefix) else path.lstrip("/")
            page = rel + "index.html" if rel.endswith("/") or not rel else rel
            if not (site / page).is_file():
                missing.append(page)
    config = site / "assets/calculator/config.json"
    if config.is_file():
        wheel = re.search(r'"wheel":\s*"([^"]+)"', config.read_text(encoding="utf-8", errors="replace"))
        if not wheel or not (site / "assets/calculator" / wheel.group(1)).is_file():
            missing.append("assets/calculator/<the calculator wheel>")
    return missing


def site_dir_problem(site_dir):
    """Why the build cannot write into site_dir (one sentence), or None: it is created here when
    missing, so MkDocs' own writes then cannot fail with a traceback over the folder."""
    site_dir = Path(site_dir)
    try:
        site_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=site_dir):
            pass
    except OSError as err:
        return (f"cannot write the site into {site_dir}: {err.strerror or err}; choose a folder you can "
                "write (--site-dir, or SITE_DIR= for make build)")
    return None


def publish(new, site_dir):
    """Replace site_dir by the complete build in `new` (renamed, not copied); raise PublishError and
    leave site_dir as it was otherwise."""
    new, site_dir = Path(new), Path(site_dir)
    missing = missing_files(new)
    if missing:
        raise PublishError(f"the build in {new} is incomplete, so {site_dir} was left as it was; missing: "
                           + ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else ""))
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(new, 0o777 & ~mask)    # mktemp -d made it private (0700); the site is published as usual
    parent = site_dir.resolve().parent
    fd = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        old = None
        if site_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.old.", dir=parent))
            os.rename(site_dir, old / "site")
        try:
            os.rename(new, site_dir)
        except OSError:
            if old is not None:
                os.rename(old / "site", site_dir)
            raise
    except OSError as err:
        raise PublishError(f"cannot replace {site_dir}: {err.strerror or err}") from None
    finally:
        os.close(fd)      # closing the folder releases the lock
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m hooks.sitegen.publish NEW_DIR SITE_DIR", file=sys.stderr)
        return 2
    try:
        publish(*argv)
    except PublishError as err:
        print(f"pricebook: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
