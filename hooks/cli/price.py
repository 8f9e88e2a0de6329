"""`pricebook price MODEL --input 0.16 ... --from DATE --source URL`: change a model's official
price the safe way, by editing its models file as text (hooks/data/yamledit.py).

- --from today or earlier: the current period (prices and tiers) becomes the last history entry,
  `until: DATE`; the new prices become `prices:` (a price not given keeps its value);
- --from after today: a `scheduled:` entry from DATE (in date order), the current prices stay.
Either way `checked:` becomes today. The edited file is checked with the whole data folder in a
temporary copy first; the real file is replaced only when that copy has no error.
"""
import datetime
import difflib
import os
import re
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from calculator.buckets import PRICE_FIELDS
from calculator.catalog import UnknownModel
from calculator.money import PRICE_TEXT

from hooks.data.load import load_catalog
from hooks.data.rules.git_history import factor_text, suspicious
from hooks.data.yamledit import EditError, TextEdits, block_end, comments_above, quoted, text_scalar
from hooks.data.yamlfile import as_list
from hooks.sitegen import build as sitegen

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
HTTPS_URL = re.compile(r"^https://[^\s/?#]+\.[^\s]*$")     # as data/schema's https_url


class PriceUsage(Exception):
    """A bad argument: one line, exit 2."""


class PriceRefused(Exception):
    """The data (as it is, or as the edit would leave it) does not allow the change: exit 1."""


def flag(name):
    return "--" + name.replace("_", "-")


def add_parser(sub, common):
    p = sub.add_parser("price", parents=[common], help="change a model's official price (history or scheduled)",
                       description="Record a new official price for MODEL from --from DATE: today or earlier "
                                   "moves the current prices (and tiers) into history, a later date adds a "
                                   "scheduled price. Prices not given keep their value; tiers are kept as "
                                   "they are (this command does not change tiers: edit them by hand). The "
                                   "file is edited as text and written only if the data still checks clean.")
    p.add_argument("model", metavar="MODEL", help="slug or alias")
    for name in PRICE_FIELDS:
        p.add_argument(flag(name), metavar="PRICE", dest=name,
                       help=f"new {name} price, USD per 1M tokens (e.g. 0.16)")
    p.add_argument("--from", metavar="DATE", dest="start", required=True,
                   help="first day of the new price, YYYY-MM-DD")
    p.add_argument("--source", metavar="URL", required=True, help="https page that states the new price")
    p.add_argument("--note", metavar="TEXT", help="note for the new history entry (the prices that end) or "
                                                 "the scheduled entry")
    p.add_argument("--dry-run", action="store_true", help="print the change as a unified diff, write nothing")
    return p


def _args(ns):
    """(start date, {field: new price text}) from the command line; PriceUsage for a bad one."""
    if not ISO_DATE.match(ns.start):
        raise PriceUsage(f"--from: expected a date written YYYY-MM-DD, found {ns.start!r}")
    try:
        start = datetime.date.fromisoformat(ns.start)
    except ValueError:
        raise PriceUsage(f"--from: {ns.start} is not a real date") from None
    given = {}
    for name in PRICE_FIELDS:
        value = getattr(ns, name)
        if value is None:
            continue
        if not PRICE_TEXT.match(value):
            raise PriceUsage(f"{flag(name)}: expected a price in USD per 1M tokens written like 0.16 (no $, "
                             f"sign or exponent), found {value!r}")
        given[name] = value
    if not given:
        raise PriceUsage("give at least one new price: " + ", ".join(flag(n) for n in PRICE_FIELDS))
    if not HTTPS_URL.match(ns.source):
        raise PriceUsage(f"--source: expected an https:// URL, found {ns.source!r}")
    if ns.note is not None and (not ns.note.strip() or "\n" in ns.note or "\r" in ns.note):
        raise PriceUsage("--note: one line of text")
    return start, given


def run(ns, today=None):
    today = today or datetime.date.today()
    start, given = _args(ns)
    data_dir = Path(ns.data)
    result = load_catalog(data_dir, today=today)
    if result.catalog is None:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        raise PriceRefused(f"{len(result.errors)} problem(s) in {ns.data}: fix them before changing a price")
    try:
        model = result.catalog.model(ns.model)
    except UnknownModel as err:
        raise PriceUsage(str(err)) from None
    doc = result.docs[model.file]
    index = next(i for i, m in enumerate(as_list(doc.data["models"])) if isinstance(m, dict)
                 and m.get("slug") == model.slug)
    file = data_dir.parent / doc.path
    text = file.read_bytes().decode("utf-8")      # as it is: "\r\n" line ends stay
    plan = Plan(doc, ("models", index), text, today)
    try:
        if start > today:
            old, new = plan.schedule(start, given, ns.source, ns.note)
        else:
            old, new = plan.replace_current(start, given, ns.source, ns.note)
        new_text = plan.edits.apply()
    except EditError as err:
        raise PriceRefused(f"{doc.path}: {err}; edit that model by hand") from None
    _check_copy(data_dir, file.resolve().relative_to(data_dir.resolve()), new_text, model.slug, start, old, new,
                today)

    alias = f" ({ns.model} is an alias of {model.slug})" if ns.model != model.slug else ""
    if ns.dry_run:
        sys.stdout.writelines(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                                   f"a/{doc.path}", f"b/{doc.path}"))
        print(f"(dry run{alias}: nothing written)")
        return 0
    _write(file, new_text)
    print(f"{model.slug}{alias}: {doc.path}")
    for name in PRICE_FIELDS:
        if name in new:
            was = old.get(name) or "not set (the input rate)"
            note = f"  ! changed {factor_text(old[name], new[name])}: check it" \
                if old.get(name) and suspicious(old[name], new[name]) else ""
            kept = old.get(name) is not None and Decimal(old[name]) == Decimal(new[name])
            print(f"  {name}: {old[name]} (kept)" if kept else f"  {name}: {was} -> {new[name]}{note}")
    for line in plan.report:
        print(f"  {line}")
    return 0


class Plan:
    """The text edits for one model of one file."""

    def __init__(self, doc, base, text, today):
        self.doc, self.base, self.today = doc, base, today
        self.edits = TextEdits(text)
        self.lines = [self.edits.content(i) for i in range(len(self.edits.lines))]
        self.model = doc.get(base)
        self.report = []

    def where(self, *path):
        return self.doc.where(self.base + path)

    def key_indent(self, *path):
        return self.doc.key_where(self.base + path)[1] - 1

    def _new_prices(self, before, given):
        new = {**before, **given}
        if all(name in before and Decimal(before[name]) == Decimal(v) for name, v in given.items()):
            raise PriceUsage("nothing to change: " + ", ".join(f"{n} is already {before[n]}" for n in given))
        return new

    # -- a change from today or earlier: history + new current prices -----------------------------

    def replace_current(self, start, given, source, note):
        m = self.model
        history = [h for h in as_list(m.get("history")) if isinstance(h, dict)]
        starts = ([str(history[-1]["until"])] if history else []) + ([m["released"]] if m.get("released") else [])
        began = max(starts, default=None)
        if began and start.isoformat() <= began:
            what = "the last history 'until'" if history and began == history[-1]["until"] else "released"
            raise PriceUsage(f"--from: {start} is not after {began} ({what}), when the current prices began")
        for entry in as_list(m.get("scheduled")):
            if isinstance(entry, dict) and str(entry.get("from")) <= start.isoformat():
                raise PriceUsage(f"--from: the scheduled price from {entry['from']} starts before {start}; move "
                                 "it to the current prices by hand first")
        old = dict(m["prices"])
        new = self._new_prices(old, given)
        self._set_prices(("prices",), old, given)
        entry = self._history_entry(start.isoformat(), old, m.get("tiers"), note)
        self._add_item("history", entry, before_key="scheduled")
        self.report.append(f"the prices before {start} are kept as history: until: {start}"
                           + (" (with the tiers then)" if m.get("tiers") else ""))
        if m.get("tiers"):
            self.report.append("tiers: kept as they are (pricebook price does not change tiers)")
        self._bump_checked()
        if source != m.get("source"):
            line, col = self.where("source")
            _, like = self.edits.scalar_at(line, col, self.doc.source(self.base + ("source",)))
            self.edits.replace(line, col, self.doc.source(self.base + ("source",)),
                               quoted(source, like) if like in "\"'" else source)
            self.report.append(f"source: {m.get('source')} -> {source}")
        return old, new

    # -- a change after today: a scheduled entry ---------------------------------------------------

    def schedule(self, start, given, source, note):
        m = self.model
        day = start.isoformat()
        scheduled = [(k, e) for k, e in enumerate(as_list(m.get("scheduled"))) if isinstance(e, dict)]
        for k, e in scheduled:
            if str(e.get("from")) == day:
                raise PriceUsage(f"--from: a scheduled price from {day} already exists (line "
                                 f"{self.where('scheduled', k)[0]}); edit it by hand")
        earlier = [e for _, e in scheduled if str(e.get("from")) < day]
        before = earlier[-1] if earlier else m
        old = dict(before["prices"])
        new = self._new_prices(old, given)
        later = next((k for k, e in scheduled if str(e.get("from")) > day), None)
        entry = self._scheduled_entry(day, new, before.get("tiers"), note,
                                      source if source != m.get("source") else None)
        self._add_item("scheduled", entry, before_index=later)
        self.report.append(f"scheduled from {day}; the prices in force until then stay as they are"
                           + (" (the tiers in force then are copied to it)" if before.get("tiers") else ""))
        self._bump_checked()
        return old, new

    # -- the pieces --------------------------------------------------------------------------------

    def _set_prices(self, path, old, given):
        """Replace or add the given prices in the rate mapping at `path` (block or one-line flow)."""
        names = [n for n in old if n in PRICE_FIELDS]
        for name, value in given.items():
            if name in old:
                if Decimal(old[name]) != Decimal(value):
                    line, col = self.where(*path, name)
                    _, like = self.edits.scalar_at(line, col, old[name])
                    self.edits.replace(line, col, old[name], quoted(value, like))
                continue
            last = names[-1]
            line, col = self.where(*path, last)
            if self.lines[self.where(*path)[0] - 1][self.where(*path)[1] - 1] == "{":
                written, _ = self.edits.scalar_at(line, col, old[last])
                after = col - 1 + len(written)
                rest = self.lines[line - 1][after:]
                if not rest.lstrip().startswith("}"):
                    raise EditError(f"cannot add {name} to the prices at line {line}")
                self.edits.insert_text(line, after + 1, f', {name}: "{value}"')
            else:
                indent = self.key_indent(*path, last)
                self.edits.insert(block_end(self.lines, line - 1, indent), [" " * indent + f'{name}: "{value}"'])

    def _flow_style(self, field):
        """True when this model's (else the file's first) entries of `field` write prices on one line."""
        places = [self.base + (field, 0, "prices")]
        places += [("models", i, f, 0, "prices") for i, m in enumerate(as_list(self.doc.data.get("models")))
                   for f in ("history", "scheduled") if isinstance(m, dict) and as_list(m.get(f))]
        for place in places:
            if isinstance(self.doc.get(place), dict):
                line, col = self.doc.where(place)
                return self.lines[line - 1][col - 1:col] == "{"
        return True

    def _rates(self, key, rates, flow, indent):
        pairs = [(n, rates[n]) for n in PRICE_FIELDS if n in rates]
        if flow:
            return [" " * indent + f"{key}: {{" + ", ".join(f'{n}: "{v}"' for n, v in pairs) + "}"]
        return [" " * indent + f"{key}:"] + [" " * (indent + 2) + f'{n}: "{v}"' for n, v in pairs]

    def _tiers(self, tiers, flow, indent):
        tiers = [t for t in as_list(tiers) if isinstance(t, dict)]
        if not tiers:
            return []
        out = [" " * indent + "tiers:"]
        for t in tiers:
            rates = [(n, t[n]) for n in PRICE_FIELDS if n in t]
            if flow:
                out.append(" " * (indent + 2) + f"- {{above: {t['above']}, "
                           + ", ".join(f'{n}: "{v}"' for n, v in rates) + "}")
            else:
                out.append(" " * (indent + 2) + f"- above: {t['above']}")
                out += [" " * (indent + 4) + f'{n}: "{v}"' for n, v in rates]
        return out

    def _history_entry(self, until, prices, tiers, note):
        flow = self._flow_style("history")
        lines = [f"- until: {until}"] + self._rates("prices", prices, flow, 2) + self._tiers(tiers, flow, 2)
        return lines + ([f"  note: {text_scalar(note)}"] if note else [])

    def _scheduled_entry(self, day, prices, tiers, note, source):
        flow = self._flow_style("scheduled")
        lines = [f"- from: {day}"] + self._rates("prices", prices, flow, 2) + self._tiers(tiers, flow, 2)
        lines += [f"  note: {text_scalar(note)}"] if note else []
        return lines + ([f"  source: {source}"] if source else [])

    def _add_item(self, field, entry, before_key=None, before_index=None):
        """Add `entry` (lines relative to the item's dash) to the list `field` of the model: before
        item `before_index`, else at its end; a missing list is added before `before_key` or at
        the end of the model."""
        m = self.model
        items = as_list(m.get(field))
        if items:
            dash = self._dash_indent(field, 0)
            if before_index is not None:
                at = comments_above(self.lines, self.where(field, before_index)[0] - 1, dash)
            else:
                key_line = self.doc.key_where(self.base + (field,))[0]
                at = block_end(self.lines, key_line - 1, self.key_indent(field), items=True)
            self.edits.insert(at, [" " * dash + line for line in entry])
            return
        indent = self.doc.where(self.base)[1] - 1
        if before_key and before_key in m:
            at = comments_above(self.lines, self.doc.key_where(self.base + (before_key,))[0] - 1, indent)
        else:
            at = block_end(self.lines, self.doc.where(self.base)[0] - 1, indent - 1)
        self.edits.insert(at, [" " * indent + f"{field}:"] + [" " * (indent + 2) + line for line in entry])

    def _dash_indent(self, field, k):
        line = self.lines[self.where(field, k)[0] - 1]
        found = re.match(r"^( *)- ", line)
        if not found:
            raise EditError(f"{field} is not written as a list of '- ' items at line {self.where(field, k)[0]}")
        return len(found.group(1))

    def _bump_checked(self):
        old = self.model.get("checked")
        if old == self.today.isoformat():
            self.report.append(f"checked: {old} (already today)")
            return
        line, col = self.where("checked")
        _, like = self.edits.scalar_at(line, col, self.doc.source(self.base + ("checked",)))
        self.edits.replace(line, col, self.doc.source(self.base + ("checked",)), quoted(self.today.isoformat(), like))
        self.report.append(f"checked: {old} -> {self.today}")


def _check_copy(data_dir, inside, new_text, slug, start, old, new, today):
    """Check the whole data folder with the edited file in a temporary copy; PriceRefused (the
    problems printed) when it has an error or the edit did not give the prices meant."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / data_dir.resolve().name
        shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns(".*"))
        (copy / inside).write_text(new_text, encoding="utf-8", newline="")
        build = sitegen.build(copy, today=today)
        if build.errors or build.catalog is None:
            for problem in build.errors:
                print(problem, file=sys.stderr)
            raise PriceRefused(f"the change would leave {len(build.errors)} problem(s) (at the lines of the edited "
                               "file); nothing was written")
        model = build.catalog.model(slug)
        day_before = (start - datetime.timedelta(days=1)).isoformat()
        after, before = model.prices_at(start.isoformat()).base, model.prices_at(day_before).base
        if any(getattr(after, n) != Decimal(v) for n, v in new.items()) or \
                any(getattr(before, n) != Decimal(v) for n, v in old.items()):
            raise PriceRefused("internal error: the edited file does not give the prices meant; nothing was "
                               "written, please report this")


def _write(file, text):
    """Replace `file` in one step (a temporary file beside it, then a rename)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        shutil.copymode(file, tmp)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
