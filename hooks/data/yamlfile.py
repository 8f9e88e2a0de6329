"""Read one YAML data file into plain Python, with the place of every value, never a traceback.

The node graph is composed here from the parser's events (libyaml when present), not by
`yaml.safe_load`, so that:
- a key repeated in one mapping is reported with both lines (PyYAML silently keeps the last);
- aliases (`*name`) are refused outright, so an alias bomb ("billion laughs") costs nothing;
- every scalar keeps its source text and whether it was quoted, so a price written `3.10` can be
  reported as an unquoted number with the text the maintainer typed;
- plain scalars are resolved by the YAML 1.2 core schema, as the editor's YAML language server
  does: `no`, `on`, `yes` are text (not booleans), `1_000` and `1:30` are text, only `true`/`false`
  are booleans; dates are text as written ("2026-01-02"), for the date checks to read (so
  "2026-02-30" is named as not a real date rather than breaking the load).
Mapping keys are always the key's source text.
"""
import re
from pathlib import Path

import yaml

from calculator.display import tokens
from hooks.data.problems import Problem

MAX_BYTES = 1_000_000          # refuse bigger files before reading them
MAX_DEPTH = 64                 # refuse deeper nesting (a 1 MB "[[[[..." would overflow checks)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCT = yaml.constructor.SafeConstructor()
DATE_TEXT = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")   # a YYYY-MM-DD shape (maybe not a real date)
# the YAML 1.2 core schema's implicit types for plain scalars
_CORE = (
    ("tag:yaml.org,2002:null", re.compile(r"^(~|null|Null|NULL|)$")),
    ("tag:yaml.org,2002:bool", re.compile(r"^(true|True|TRUE|false|False|FALSE)$")),
    ("tag:yaml.org,2002:int", re.compile(r"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    ("tag:yaml.org,2002:float", re.compile(r"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
                                           r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")),
)
_STR_TAGS = ("!", "tag:yaml.org,2002:str")
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp", *_STR_TAGS,
}
_MAP_TAGS = (None, "!", "tag:yaml.org,2002:map")
_SEQ_TAGS = (None, "!", "tag:yaml.org,2002:seq")


class YamlDoc:
    """One parsed file. `data` is plain Python (dict, list, str, int, float, bool, None; dates
    as ISO strings). Positions are 1-based (line, col)."""

    def __init__(self, path, data, values, keys, scalars, first_line=""):
        self.path = path            # repo-relative, e.g. "data/models/openai.yaml"
        self.data = data
        self._values = values       # key path tuple -> (line, col) of the value
        self._keys = keys           # key path tuple -> (line, col) of the key naming it
        self._scalars = scalars     # key path tuple -> (source text, quoted?)
        self.first_line = first_line

    def where(self, keys=()):
        """(line, col) of the value at `keys` (a tuple of str keys and int indexes); the
        nearest parent that exists when it does not."""
        keys = tuple(keys)
        while keys not in self._values and keys:
            keys = keys[:-1]
        return self._values.get(keys, (1, 1))

    def key_where(self, keys=()):
        """(line, col) of the key naming the value at `keys` (for a list item or the root: the
        value itself); the nearest parent that exists when it does not."""
        keys = tuple(keys)
        while keys and keys not in self._values:
            keys = keys[:-1]
        return self._keys.get(keys) or self.where(keys)

    def source(self, keys):
        """The scalar's text as written (without quotes), or None if not a scalar."""
        found = self._scalars.get(tuple(keys))
        return found[0] if found else None

    def quoted(self, keys):
        found = self._scalars.get(tuple(keys))
        return bool(found and found[1])

    def get(self, keys, default=None):
        """The value at a key path, or `default` when any step is missing or of another shape."""
        node = self.data
        for key in keys:
            if isinstance(node, dict) and isinstance(key, str) and key in node:
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                node = node[key]
            else:
                return default
        return node

    def problem(self, keys, message, level="error", at_key=False):
        line, col = self.key_where(keys) if at_key else self.where(keys)
        return Problem(self.path, line, col, message, level)

    def __repr__(self):
        return f"YamlDoc({self.path!r})"


def strings(value, path=()):
    """(path, text) for every string in a nested value (every text field of a data file)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, path + (i,))


def as_list(value):
    """A list value as it is, anything else (missing, a mapping, a scalar) as []: the rule checks
    look only at values of the right shape, the schema names the others."""
    return value if isinstance(value, list) else []


def _pos(mark):
    return (mark.line + 1, mark.column + 1)


def _line_col(text, index):
    """1-based (line, col) of character `index` in `text`."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _plain(text):
    """A plain (unquoted) scalar by the YAML 1.2 core schema."""
    for tag, pattern in _CORE:
        if pattern.match(text):
            if tag.endswith("null"):
                return None
            if tag.endswith("bool"):
                return text.lower() == "true"
            if tag.endswith("int"):
                return int(text[2:], 8) if text.startswith("0o") else int(text, 0) if text.startswith("0x") \
                    else int(text)
            lowered = text.lower()
            return float(lowered.replace(".inf", "inf").replace(".nan", "nan"))
    return text


def _scalar_value(event):
    """(value, problem message or None) for a scalar event."""
    value, tag = event.value, event.tag
    if tag is None and not event.style and event.implicit[0]:
        return _plain(value), None
    if tag is None or tag == "!":
        return value, None            # quoted, or a block scalar: always text
    if tag not in _SCALAR_TAGS:
        return value, f"YAML tag {event.tag} is not supported here; write the value as plain text"
    if tag in _STR_TAGS:
        return value, None
    node = yaml.ScalarNode(tag, value)
    if tag == "tag:yaml.org,2002:timestamp":
        if not DATE_TEXT.match(value):
            return value, None         # a date with a time: left as text for the date checks
        try:
            return _CONSTRUCT.construct_yaml_timestamp(node).isoformat(), None
        except ValueError:
            return value, None         # "2026-02-30": the date checks name it
    try:
        return {
            "tag:yaml.org,2002:null": _CONSTRUCT.construct_yaml_null,
            "tag:yaml.org,2002:bool": _CONSTRUCT.construct_yaml_bool,
            "tag:yaml.org,2002:int": _CONSTRUCT.construct_yaml_int,
            "tag:yaml.org,2002:float": _CONSTRUCT.construct_yaml_float,
        }[tag](node), None
    except (ValueError, KeyError, yaml.YAMLError):
        return value, f"{value!r} is not a valid {tag.rsplit(':', 1)[-1]}"


def _syntax_problem(path, text, err):
    """A friendly Problem for a YAML syntax error."""
    if isinstance(err, yaml.reader.ReaderError):
        line, col = _line_col(text, err.position)
        char = chr(err.character) if isinstance(err.character, int) else err.character
        return Problem(path, line, col, f"character U+{ord(char):04X} is not allowed in YAML text; "
                                        "remove it (control characters are not printable)")
    if not isinstance(err, yaml.MarkedYAMLError) or err.problem_mark is None:
        return Problem(path, 1, 1, f"YAML error: {err}")
    mark, ctx = err.problem_mark, err.context_mark
    line, col = _pos(mark)
    problem = err.problem or ""
    context = err.context or ""
    lines = text.split("\n")
    here = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in here[: mark.column + 1] or (mark.index < len(text) and text[mark.index] == "\t"):
        tab = here.index("\t") + 1 if "\t" in here else col
        return Problem(path, line, tab, "a tab character: YAML indentation must use spaces, not tabs")
    unclosed = _unclosed_quote(lines, mark.line)
    if unclosed:
        qline, qcol, quote = unclosed
        return Problem(path, qline, qcol, f"the quoted text starting here is never closed: "
                                          f"add the closing {quote} on the same line")
    if "quoted scalar" in context and ctx is not None:
        quote = text[ctx.index] if ctx.index < len(text) else '"'
        return Problem(path, *_pos(ctx), f"the quoted text starting here is never closed: "
                                         f"add the closing {quote} on the same line")
    if "mapping values are not allowed" in problem:
        return Problem(path, line, col, "unexpected ':' here: check this line's indentation, or quote a "
                                        "value that contains ': '")
    if ("expected key" in problem or "block end" in problem or "'-' indicator" in problem
            or "while parsing a block" in context):
        start = f" (the block starting at line {ctx.line + 1})" if ctx is not None else ""
        return Problem(path, line, col, "bad indentation: this line is not aligned with the lines "
                                        f"above it{start}; use the same number of spaces for keys "
                                        "of one mapping")
    if "flow" in context:
        return Problem(path, *(_pos(ctx) if ctx else (line, col)),
                       f"unclosed [ ] or {{ }}: {problem}, at line {line} column {col}")
    detail = f"{problem} ({context})" if context else problem
    return Problem(path, line, col, f"YAML syntax error: {detail}")


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s"'#][^:#]*:\s+|-\s+)?(["'])""")


def _unclosed_quote(lines, upto):
    """(line, col, quote) of the last line up to index `upto` whose value opens a quote that the
    line does not close: a quoted value running on into the next lines is almost always a typo."""
    for i in range(min(upto, len(lines) - 1), -1, -1):
        line = lines[i]
        m = _QUOTED_VALUE.match(line)
        if not m:
            continue
        quote, start = m.group(1), m.start(1)
        rest = line[start + 1:]
        if quote == '"':
            rest = re.sub(r"\\.", "", rest)
        else:
            rest = rest.replace("''", "")
        if quote not in rest:
            return i + 1, start + 1, quote
    return None


def _compose(path, text):
    """(data, values, keys, scalars, problems) from the parser's events."""
    problems = []
    values, keys, scalars = {}, {}, {}
    aliases = []
    root = None
    # open collections, innermost last: [container, its key path, pending (key, position) of a
    # mapping whose value comes next, {key: position} seen in a mapping]
    stack = []
    documents = 0
    events = yaml.parse(text, Loader=_Loader)

    def place(value, pos):
        """Attach a value (or a just-opened container) to its parent; returns its key path, or
        None under a refused key."""
        nonlocal root
        if not stack:
            root = value
            values[()] = pos
            return ()
        top = stack[-1]
        container, cpath = top[0], top[1]
        if isinstance(container, list):
            p = cpath + (len(container),)
            container.append(value)
            values[p] = pos
            return p
        key, kpos = top[2]
        top[2] = None
        if key == "\0invalid":
            return None
        p = cpath + (key,)
        seen = top[3]
        if key in seen:
            first = seen[key]
            problems.append(Problem(path, *kpos, f"duplicate key '{key}' in this mapping: first at line "
                                                 f"{first[0]}, again at line {kpos[0]}; YAML would keep only "
                                                 "the last one, so remove or merge one of them"))
        else:
            seen[key] = kpos
        container[key] = value
        values[p] = pos
        keys[p] = kpos
        return p

    for event in events:
        pos = _pos(event.start_mark)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents == 2:
                problems.append(Problem(path, *pos, "a second YAML document ('---'): one file holds one "
                                                    "document; remove the '---' line"))
        elif isinstance(event, yaml.AliasEvent):
            aliases.append(pos)
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                stack[-1][2] = ("\0invalid", pos)
            else:
                place(None, pos)
        elif isinstance(event, yaml.ScalarEvent):
            if documents > 1:
                continue
            top = stack[-1] if stack else None
            if top is not None and isinstance(top[0], dict) and top[2] is None:
                top[2] = (event.value, pos)        # a key: keep its source text
                continue
            value, message = _scalar_value(event)
            if message:
                problems.append(Problem(path, *pos, message))
            p = place(value, pos)
            if p is not None:
                scalars[p] = (event.value, event.style in ("'", '"'))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if documents > 1:
                continue
            is_map = isinstance(event, yaml.MappingStartEvent)
            if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                problems.append(Problem(path, *pos, f"YAML tag {event.tag} is not supported here"))
            if len(stack) >= MAX_DEPTH:
                raise _TooDeep(pos)
            container = {} if is_map else []
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                problems.append(Problem(path, *pos, "a mapping key must be plain text, not a list or mapping"))
                stack[-1][2] = ("\0invalid", pos)
                p = None
            else:
                p = place(container, pos)
            stack.append([container, p if p is not None else ("\0invalid",), None, {}])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            if documents > 1:
                continue
            stack.pop()
    if aliases:
        more = f" ({len(aliases)} in this file)" if len(aliases) > 1 else ""
        problems.append(Problem(path, *aliases[0], "YAML aliases (*name) are not allowed in pricebook data"
                                                    f"{more}: write the value out in full"))
    return root, values, keys, scalars, problems


class _TooDeep(Exception):
    def __init__(self, pos):
        self.pos = pos


def load_yaml(file, rel=None, max_bytes=MAX_BYTES):
    """(YamlDoc or None, [Problem]) for one file. `rel` is the repo-relative path used in
    messages (defaults to the given path). Refuses big, binary, non-UTF-8 and empty files."""
    file = Path(file)
    rel = rel or file.as_posix()
    try:
        size = file.stat().st_size
        if size > max_bytes:
            return None, [Problem(rel, 1, 1, f"file is {tokens(size)} bytes; the limit is {tokens(max_bytes)} bytes "
                                             "(1 MB): split it, or check that it is the right file")]
        raw = file.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    if b"\0" in raw:
        line, col = _line_col(raw.decode("latin-1"), raw.index(b"\0"))
        return None, [Problem(rel, line, col, "binary file (it contains NUL bytes), not YAML text")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        return None, [Problem(rel, line, col, f"not UTF-8 text: byte 0x{raw[exc.start]:02X} cannot be decoded; "
                                              "save the file as UTF-8")]
    return load_yaml_text(text, rel)


def load_yaml_text(text, rel):
    """(YamlDoc or None, [Problem]) for YAML text already read (e.g. a file at a git revision)."""
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0].rstrip("\r")
    try:
        data, values, keys, scalars, problems = _compose(rel, text)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(rel, text, exc)]
    except _TooDeep as exc:
        return None, [Problem(rel, *exc.pos, f"nesting deeper than {MAX_DEPTH} levels: not pricebook data")]
    except RecursionError:
        return None, [Problem(rel, 1, 1, "nesting too deep: not pricebook data")]
    if data is None and not problems:
        return None, [Problem(rel, 1, 1, "the file is empty (only comments or blank lines); "
                                         "it must hold a mapping of fields")]
    return YamlDoc(rel, data, values, keys, scalars, first_line), problems
