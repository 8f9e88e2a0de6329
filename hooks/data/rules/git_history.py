"""Rules that compare the models files with the last commit (git HEAD), for the slips a single
file cannot show:

- a current price (or a tier's) changed in place, with no new history entry for the model: the
  old price would then be rewritten on every past date;
- a price (current, tier or scheduled) changed by more than a factor of 3 either way: a likely
  slip ("0.15" -> "1.60"); `# reviewed` at the end of the line says it is right.

Both are warnings (errors with --strict). `compare_with_head` never raises: without git, outside
a work tree or before the first commit it returns no problems and a one-line note saying why.
HEAD's files are read with `git cat-file --batch` (the names go on stdin, never as arguments).
"""
import re
import subprocess
from decimal import Decimal
from pathlib import Path

from calculator import display
from calculator.buckets import PRICE_FIELDS

from hooks.data.rules.common import price
from hooks.data.schema import field_label
from hooks.data.yamlfile import as_list, load_yaml_text

FACTOR = Decimal(3)
REVIEWED = re.compile(r"#\s*reviewed\s*$")


class GitUnavailable(Exception):
    """Why the data could not be compared with HEAD (one line)."""


def suspicious(old, new):
    """True when two prices differ by more than a factor of 3 either way (or one of them is 0)."""
    old, new = Decimal(old), Decimal(new)
    if old == new:
        return False
    if old == 0 or new == 0:
        return True
    return new > FACTOR * old or old > FACTOR * new


def factor_text(old, new):
    """How a factor change reads in messages: "by a factor of 10.7 (0.15 -> 1.60)"."""
    if Decimal(old) == 0 or Decimal(new) == 0:
        return f"from {old} to {new}"
    f = display.factor(old, new)
    return f"by a factor of {f if Decimal(new) > Decimal(old) else '1/' + f} ({old} -> {new})"


def history_added(old_model, new_model):
    """True when the new model dict has a history entry (an `until` date) the old one has not."""
    def untils(m):
        return {h.get("until") for h in as_list(m.get("history")) if isinstance(h, dict)}
    return bool(untils(new_model) - untils(old_model))


def price_pairs(old_model, new_model):
    """(kind, key path below the model, old text, new text) for every price both models have and
    that differs: kind is "current" (prices and tiers, matched by `above`) or "scheduled"
    (matched by `from`)."""
    pairs = []

    def rates(kind, path, old, new):
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        for name in PRICE_FIELDS:
            a, b = price(old.get(name)), price(new.get(name))
            if a is not None and b is not None and a != b:
                pairs.append((kind, path + (name,), old[name], new[name]))

    def matched(field, keyname):
        old_items = {e.get(keyname): e for e in as_list(old_model.get(field)) if isinstance(e, dict)}
        for k, entry in enumerate(as_list(new_model.get(field))):
            if isinstance(entry, dict) and entry.get(keyname) in old_items:
                yield k, old_items[entry[keyname]], entry

    rates("current", ("prices",), old_model.get("prices"), new_model.get("prices"))
    for k, old, new in matched("tiers", "above"):
        rates("current", ("tiers", k), old, new)
    for k, old, new in matched("scheduled", "from"):
        rates("scheduled", ("scheduled", k, "prices"), old.get("prices"), new.get("prices"))
    return pairs


def _git(args, cwd, stdin=None):
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise GitUnavailable("git is not installed") from None
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GitUnavailable(f"git did not run ({type(err).__name__})") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        raise GitUnavailable(lines[-1] if lines else f"git exited with {proc.returncode}")
    return proc.stdout


def head_texts(files):
    """{file: text at HEAD, or None when HEAD has no such file} for files of one git work tree.
    GitUnavailable when there is no work tree, no git or no commit."""
    files = [Path(f).resolve() for f in files]
    if not files:
        return {}
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], files[0].parent).decode().strip())
    except GitUnavailable as err:
        if "not a git repository" in str(err):
            raise GitUnavailable("not in a git work tree") from None
        raise
    names = {}
    for f in files:
        try:
            rel = f.relative_to(top.resolve()).as_posix()
        except ValueError:
            continue
        if "\n" not in rel:
            names[f] = f"HEAD:{rel}"
    if not names:
        return {}
    out = _git(["cat-file", "--batch"], top, "".join(n + "\n" for n in names.values()).encode())
    texts, pos = {}, 0
    for f in names:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode(errors="replace").split()
        pos = end + 1
        if len(header) == 3 and header[1] == "blob":
            size = int(header[2])
            texts[f] = out[pos:pos + size].decode("utf-8", errors="replace")
            pos += size + 1
        else:
            texts[f] = None           # "<name> missing": a new file, or no commit yet
    if all(t is None for t in texts.values()):
        try:
            _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top)
        except GitUnavailable:
            raise GitUnavailable("no commit yet") from None
    return texts


def _models(data):
    return [m for m in as_list(data.get("models")) if isinstance(m, dict)] if isinstance(data, dict) else []


def compare_with_head(data_dir, docs, strict=False):
    """(problems, note) for the models files among `docs` (repo-relative path -> YamlDoc, as
    hooks.data.load gives them) against git HEAD; note is "" when the comparison ran."""
    try:
        return _compare(Path(data_dir), docs, strict)
    except Exception as err:  # a bug here must not stop a check or a build: say so in the note
        return [], f"prices not compared with git HEAD: internal error ({type(err).__name__}: {err})"


def _compare(data_dir, docs, strict):
    root = data_dir.parent
    models_dir = (data_dir / "models").resolve()
    mine = {root / path: doc for path, doc in docs.items()
            if (root / path).resolve().parent == models_dir}
    try:
        texts = head_texts(list(mine))
    except GitUnavailable as err:
        return [], f"prices not compared with git HEAD: {err}"
    old_models = {}
    for f, text in texts.items():
        if text is None:
            continue
        old_doc, _ = load_yaml_text(text, f"HEAD:{f.name}")
        for m in _models(old_doc.data if old_doc else None):
            old_models.setdefault(m.get("slug"), m)
    level = "error" if strict else "warning"
    problems = []
    for f, doc in mine.items():
        lines = None
        for i, model in enumerate(as_list(doc.data.get("models"))):
            old = old_models.get(model.get("slug")) if isinstance(model, dict) else None
            if old is None:
                continue
            added = history_added(old, model)
            for kind, path, a, b in price_pairs(old, model):
                path = ("models", i) + path
                label = field_label(doc, path)
                if kind == "current" and not added:
                    problems.append(doc.problem(path, f"{label}: price changed in place: {a} -> {b} without a "
                                                      "history entry; the old price would be rewritten on past "
                                                      "dates; use `pricebook price` or add history", level))
                if suspicious(a, b):
                    if lines is None:
                        lines = f.read_text(encoding="utf-8").splitlines()
                    line = doc.where(path)[0]
                    if line <= len(lines) and REVIEWED.search(lines[line - 1]):
                        continue
                    problems.append(doc.problem(path, f"{label}: changed {factor_text(a, b)}: a likely slip; add "
                                                      "`# reviewed` at the end of the line if it is right", level))
    return problems, ""

