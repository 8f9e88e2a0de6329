"""Edit a YAML data file as text, so that everything not edited stays byte for byte: comments,
key order, quoting, blank lines, line endings. Places come from a parsed YamlDoc (1-based line
and column of each value); the edits are collected and applied bottom-up, so no place moves
before it is used.

    edits = TextEdits(text)
    edits.replace(line, col, old_text, new_text)   # a scalar as written, e.g. '"0.15"' -> '"0.16"'
    edits.insert(index, ["      - until: 2026-12-02", ...])   # whole lines before 0-based line `index`
    new_text = edits.apply()

EditError: the text at a place is not what the parsed file says (edit that file by hand).
"""
import json
import re


class EditError(Exception):
    pass


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def is_content(line):
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def block_end(lines, first, indent, items=False):
    """0-based index just after the block that starts on lines[first]: the lines after it that
    are indented more than `indent` (with items=True also `- ` items at `indent`, a block sequence
    under a key). Blank lines and comments after its last content line are not part of it."""
    last = first
    for i in range(first + 1, len(lines)):
        if not is_content(lines[i]):
            continue
        ind = indent_of(lines[i])
        if ind > indent or (items and ind == indent and lines[i].lstrip(" ").startswith("-")):
            last = i
            continue
        break
    return last + 1


def comments_above(lines, index, indent):
    """0-based index of the first of the comment lines directly above lines[index] that are
    indented at least `indent` (they belong to it), or `index` itself."""
    while index > 0 and lines[index - 1].strip().startswith("#") and indent_of(lines[index - 1]) >= indent:
        index -= 1
    return index


def scalar_span(line, start, source):
    """(start, end) of the scalar written at column index `start` of `line`, whose text (without
    quotes) is `source`."""
    quote = line[start:start + 1]
    if quote == '"':
        i = start + 1
        while i < len(line):
            if line[i] == "\\":
                i += 2
                continue
            if line[i] == '"':
                return start, i + 1
            i += 1
    elif quote == "'":
        i = start + 1
        while i < len(line):
            if line[i] == "'":
                if line[i + 1:i + 2] == "'":
                    i += 2
                    continue
                return start, i + 1
            i += 1
    elif line[start:start + len(source)] == source:
        return start, start + len(source)
    raise EditError(f"the value {source!r} is not written on one line where the parser found it")


SAFE_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;()/%+'-]*")
NOT_TEXT = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def text_scalar(value):
    """A string as a YAML scalar: plain when that cannot be read as anything else, otherwise
    double-quoted (JSON string syntax is valid YAML)."""
    if SAFE_PLAIN.fullmatch(value) and value.lower() not in NOT_TEXT and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def quoted(value, like='"'):
    """A price or date text quoted the way `like` (the old value's first character) is."""
    return f"'{value}'" if like == "'" else f'"{value}"' if like == '"' else value


class TextEdits:
    def __init__(self, text):
        self.lines = text.splitlines(keepends=True)
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self._edits = []      # (line index, column index or -1 for an insertion, kind, payload)

    def content(self, index):
        """Line `index` (0-based) without its line ending."""
        return self.lines[index].rstrip("\r\n\x85\u2028\u2029") if index < len(self.lines) else ""

    def scalar_at(self, line, col, source):
        """(old text as written, first character) of the scalar at 1-based line/col."""
        text = self.content(line - 1)
        start, end = scalar_span(text, col - 1, source)
        return text[start:end], text[start]

    def replace(self, line, col, source, new_text):
        """Replace the scalar at 1-based line/col (its text without quotes: `source`)."""
        text = self.content(line - 1)
        start, end = scalar_span(text, col - 1, source)
        self._edits.append((line - 1, start, "replace", (end, new_text)))

    def insert_text(self, line, col, new_text):
        """Insert text in a line, before the 1-based column `col`."""
        self._edits.append((line - 1, col - 1, "replace", (col - 1, new_text)))

    def insert(self, index, new_lines):
        """Insert whole lines (without line endings) before 0-based line `index`."""
        self._edits.append((index, -1, "insert", list(new_lines)))

    def apply(self):
        lines = list(self.lines)
        for index, start, kind, payload in sorted(self._edits, key=lambda e: (e[0], e[1]), reverse=True):
            if kind == "replace":
                end, new_text = payload
                lines[index] = lines[index][:start] + new_text + lines[index][end:]
            else:
                if index >= len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
                    lines[-1] += self.newline
                lines[index:index] = [line + self.newline for line in payload]
        return "".join(lines)
