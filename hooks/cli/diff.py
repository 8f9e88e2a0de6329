"""`pricebook diff`: every price that changed between a git revision and the working tree."""
import shutil
import subprocess
import tarfile
import tempfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from calculator import display
from calculator.buckets import PRICE_FIELDS
from calculator.display import percent

from hooks.data.load import load_catalog
from hooks.data.rules.git_history import suspicious


class DiffError(Exception):
    pass


def _git(args, cwd):
    try:
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout
    except FileNotFoundError:
        raise DiffError("git is not installed") from None
    except subprocess.CalledProcessError as err:
        lines = err.stderr.decode(errors="replace").strip().splitlines()
        raise DiffError(lines[-1] if lines else f"git {args[0]} failed (exit {err.returncode})") from None


def price_points(catalog):
    """{(slug, field): Decimal} for every official price and the gateway ratio."""
    points = {}
    for m in catalog.models:
        base = m.prices.base
        for name in PRICE_FIELDS:
            if getattr(base, name) is not None:
                points[(m.slug, name)] = getattr(base, name)
        for tier in m.prices.tiers:
            for name in PRICE_FIELDS:
                if getattr(tier.rates, name) is not None:
                    points[(m.slug, f"{name} above {display.tokens(tier.above)}")] = getattr(tier.rates, name)
        points[(m.slug, "gateway ratio")] = m.ratio
    return points


def diff_points(old, new):
    changes = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if a is None:
            change = "added"
        elif b is None:
            change = "removed"
        else:
            sign = "+" if b > a else ""
            change = f"{sign}{percent(b - a, a)}%" if a else "added"
        changes.append({"model": key[0], "field": key[1],
                        "old": None if a is None else str(a), "new": None if b is None else str(b),
                        "change": change})
    return changes


def _add_missing_schemas(current, old):
    """An older revision may predate a schema file: judge it by today's."""
    if not current.is_dir():
        return
    old.mkdir(parents=True, exist_ok=True)
    for schema in current.glob("*.json"):
        if not (old / schema.name).exists():
            shutil.copyfile(schema, old / schema.name)


def diff_against_rev(data_dir, rev="HEAD"):
    """Changes from the data at `rev` to the data in the working tree, by model then field."""
    data_dir = Path(data_dir).resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], data_dir).decode().strip())
    rel = data_dir.relative_to(top).as_posix()
    new = load_catalog(data_dir)
    if new.catalog is None:
        raise DiffError(f"the working tree's data has {len(new.errors)} problem(s); run pricebook check")
    # The revision is resolved to a commit id first, after --end-of-options, so that no argument can
    # reach git as an option (`pricebook diff -- --output=FILE` truncated FILE).
    if not isinstance(rev, str) or not rev or rev.startswith("-"):
        raise DiffError(f"{rev!r} is not a revision (a commit, branch or tag such as HEAD~1)")
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    except DiffError:
        raise DiffError(f"{rev!r} is not a revision of this repository (a commit, branch or tag such as "
                        "HEAD~1)") from None
    commit = commit.decode().strip()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            archive = _git(["archive", "--format=tar", commit, "--", rel], top)
        except DiffError as err:
            if "did not match any files" not in str(err) and "pathspec" not in str(err):
                raise
            archive = None
        if archive is None:
            old_points = {}
        else:
            with tarfile.open(fileobj=BytesIO(archive)) as tar:
                tar.extractall(tmp, filter="data")
            _add_missing_schemas(data_dir / "schema", Path(tmp) / rel / "schema")
            # git keeps no empty folder: an errors/ folder without families is not in the archive,
            # and only the prices are compared
            (Path(tmp) / rel / "errors").mkdir(parents=True, exist_ok=True)
            old = load_catalog(Path(tmp) / rel)
            if old.catalog is None:
                first = "; ".join(str(p) for p in old.errors[:3])
                raise DiffError(f"the data at {rev} does not load ({len(old.errors)} problem(s)): {first}")
            old_points = price_points(old.catalog)
    return mark(diff_points(old_points, price_points(new.catalog)),
                set() if archive is None else history_grew(old.catalog, new.catalog))


def history_grew(old, new):
    """Slugs of the models that have a history entry (an `until` date) in `new` that `old` lacks."""
    before = {m.slug: {h.until for h in m.history} for m in old.models}
    return {m.slug for m in new.models if m.slug in before and {h.until for h in m.history} - before[m.slug]}


def mark(changes, with_history):
    """Each change with "suspicious" (changed by more than a factor of 3 either way) and "in_place"
    (an official price changed with no new history entry for its model: past dates would be
    repriced); `with_history`: the slugs whose history grew."""
    for ch in changes:
        both = ch["old"] is not None and ch["new"] is not None
        ch["suspicious"] = both and suspicious(ch["old"], ch["new"])
        ch["in_place"] = both and ch["field"] != "gateway ratio" and ch["model"] not in with_history
    return changes


def diff_marks(change):
    """The `!` cell of `pricebook diff`'s table: "factor 10.7, in place" or ""."""
    marks = []
    if change["suspicious"]:
        old, new = Decimal(change["old"]), Decimal(change["new"])
        marks.append(f"factor {display.factor(old, new)}" if old and new else "factor (a price of 0)")
    if change["in_place"]:
        marks.append("in place")
    return ", ".join(marks)
