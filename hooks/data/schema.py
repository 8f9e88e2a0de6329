"""Validate a YamlDoc against a JSON Schema (Draft 2020-12) and say each mistake in plain words.

A schema node may carry `"x-message"` (a string, or a mapping keyword -> string) with `{field}` and
`{value}` placeholders, `"x-where"` (a key, relative to the failing mapping, to point at), and
`"x-format": "price" | "ratio"` (the message is worked out from the value: unquoted number,
currency sign, words, negative, absurdly large).
"""
import difflib
import json
import re
from decimal import Decimal, InvalidOperation

import jsonschema

from hooks.data.problems import Problem

PRICE_LIMIT = Decimal(1_000_000)
_CURRENCY = re.compile(r"[$€£¥]|\b(usd|us\$|dollars?|eur|cents?)\b", re.I)
_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "object": "a mapping (key: value lines)", "array": "a list", "null": "an empty value",
}


_CHECKED_SCHEMAS = {}   # schema text -> parsed schema that passed check_schema


_META = []     # the Draft 2020-12 meta-schema as one schema, and its validator


def _flat_meta_validator():
    """A validator for the Draft 2020-12 meta-schema with its seven vocabularies merged into one
    schema and `$dynamicRef: "#meta"` read as `$ref: "#"`. It accepts and refuses what
    `Draft202012Validator.check_schema` does for a schema that is itself 2020-12 (no
    `$dynamicAnchor` of its own), in a tenth of the time: that check, cold, was most of the time
    a whole `pricebook check` took."""
    if not _META:
        from jsonschema_specifications import REGISTRY
        base = "https://json-schema.org/draft/2020-12/"
        root = REGISTRY.contents(base + "schema")
        props, defs = {}, {}
        for part in [root] + [REGISTRY.contents(base + ref["$ref"]) for ref in root["allOf"]]:
            props.update(part.get("properties", {}))
            defs.update(part.get("$defs", {}))

        def fix(node):
            if isinstance(node, list):
                return [fix(n) for n in node]
            if isinstance(node, dict):
                out = {k: fix(v) for k, v in node.items() if k != "$dynamicRef"}
                if node.get("$dynamicRef") == "#meta":
                    out["$ref"] = "#"
                return out
            return node

        flat = fix({"$schema": base + "schema", "type": ["object", "boolean"], "properties": props, "$defs": defs})
        _META.append(jsonschema.Draft202012Validator(
            flat, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER))
    return _META[0]


def _has_key(node, key):
    if isinstance(node, dict):
        return key in node or any(_has_key(v, key) for v in node.values())
    return isinstance(node, list) and any(_has_key(v, key) for v in node)


def check_schema(schema):
    """Raise jsonschema.SchemaError when `schema` is not a valid JSON Schema (Draft 2020-12)."""
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    if cls is not jsonschema.Draft202012Validator or _has_key(schema, "$dynamicAnchor"):
        cls.check_schema(schema)        # another draft, or dynamic anchors of its own: the library's check
        return
    for error in _flat_meta_validator().iter_errors(schema):
        raise jsonschema.SchemaError.create_from(error)


def load_schema(path, rel):
    """(schema dict or None, [Problem]) for a JSON Schema file."""
    try:
        text = path.read_text(encoding="utf-8")
        if text not in _CHECKED_SCHEMAS:
            schema = json.loads(text)
            check_schema(schema)
            _CHECKED_SCHEMAS[text] = schema
        return _CHECKED_SCHEMAS[text], []
    except FileNotFoundError:
        return None, [Problem(rel, 1, 1, "schema file is missing")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(rel, 1, 1, f"cannot read the schema: {exc}")]
    except json.JSONDecodeError as exc:
        return None, [Problem(rel, exc.lineno, exc.colno, f"schema is not valid JSON: {exc.msg}")]
    except jsonschema.SchemaError as exc:
        return None, [Problem(rel, 1, 1, f"not a valid JSON Schema: {exc.message}")]


def dotted(path):
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def field_label(doc, path):
    """How a message names the field at `path`: 'prices.input (model gpt-4o)', 'pricing.currency'."""
    path = tuple(path)
    if len(path) >= 2 and path[0] == "models" and isinstance(path[1], int):
        slug = doc.get(path[:2] + ("slug",))
        who = f"model {slug}" if isinstance(slug, str) and slug else f"models[{path[1]}]"
        rest = dotted(path[2:])
        return f"{rest} ({who})" if rest else who
    return dotted(path) or "the top level"


def describe(doc, path, value):
    """The value as the maintainer wrote it, for messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    text = doc.source(path)
    if text is None:
        text = str(value)
    if isinstance(value, bool) and not doc.quoted(path):
        return f"{text} (true/false)"
    if isinstance(value, (int, float)) and not doc.quoted(path):
        return f"the unquoted number {text}"
    return f'"{text}"'


def money_message(kind, value, text, quoted):
    """What is wrong with a price or ratio value, or None when it is fine. `kind` is "price" or
    "ratio"; `text` is the source text."""
    noun = "price" if kind == "price" else "ratio"
    example = '"3.00"' if kind == "price" else '"0.35"'
    if text is None:
        text = "" if value is None else str(value)
    shown = f'"{text}"' if quoted else text
    if value is None or text.strip() == "":
        return f"{noun} is empty; write a quoted decimal like {example}"
    if isinstance(value, bool):
        return f"{noun} {text} is not a number; write a quoted decimal like {example}"
    if isinstance(value, (dict, list)):
        return f"expected a {noun} like {example}, found {'a mapping' if isinstance(value, dict) else 'a list'}"
    if _CURRENCY.search(text):
        bare = _CURRENCY.sub("", text).strip() or "3.00"
        return (f'{noun} {shown} has a currency sign or word; write just the number in quotes, like "{bare}" '
                "(every price is USD per 1M tokens)")
    try:
        number = Decimal(text.strip().replace(",", "").replace("_", ""))
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return f"{noun} {shown} is not a number; write a quoted decimal like {example}"
    if number < 0:
        return f"{noun} {shown} is negative; a {noun} is 0 or more" if kind == "price" else \
            f"ratio {shown} is negative; a ratio is greater than 0 and at most 1, e.g. \"0.35\" for 35%"
    if kind == "price" and number >= PRICE_LIMIT:
        return (f"price {shown} is absurdly large: a price must be below 1,000,000 USD per 1M tokens; "
                "check the units")
    if kind == "ratio" and not (0 < number <= 1):
        return f"ratio {shown} is out of range: a ratio is greater than 0 and at most 1, e.g. \"0.35\" for 35%"
    if not quoted:
        like = text if "." in text or kind == "ratio" else f"{text}.00"
        return (f'{noun} {text} is an unquoted number; quote it, like "{like}" '
                "(an unquoted number becomes a binary float, and prices are money)")
    if "," in text:
        return f"{noun} {shown} has a thousands separator; write it without commas, like \"{number}\""
    if "e" in text.lower():
        return f"{noun} {shown} uses an exponent; write it as a plain decimal like {example}"
    if not re.fullmatch(r"(0|[1-9][0-9]*)(\.[0-9]{1,12})?", text):
        return (f"{noun} {shown} is not a plain decimal: write digits, an optional '.' and at most 12 "
                f"decimals, no sign or spaces, like {example}")
    return None


def _x_message(schema, keyword):
    msg = schema.get("x-message") if isinstance(schema, dict) else None
    if isinstance(msg, dict):
        msg = msg.get(keyword)
    return msg


def _error_problems(doc, err):
    """[Problem] for one jsonschema ValidationError."""
    path = tuple(err.absolute_path)
    schema, keyword, value = err.schema, err.validator, err.instance
    label = field_label(doc, path)
    if "propertyNames" in err.schema_path:
        path = path + (value,)
        line, col = doc.key_where(path)
        msg = _x_message(schema, keyword) or "{field}: {value} is not a valid key"
        return [Problem(doc.path, line, col, msg.format(field=label, value=f'"{value}"'))]

    def at(p, message, at_key=False):
        line, col = doc.key_where(p) if at_key else doc.where(p)
        return Problem(doc.path, line, col, message)

    fmt = schema.get("x-format") if isinstance(schema, dict) else None
    if fmt in ("price", "ratio"):
        message = money_message(fmt, value, doc.source(path), doc.quoted(path))
        if message:
            return [at(path, f"{label}: {message}")]
    custom = _x_message(schema, keyword)
    if custom and keyword not in ("additionalProperties",):
        where = schema.get("x-where")
        target = path + (where,) if where and doc.get(path + (where,), _MISSING) is not _MISSING else path
        return [at(target, custom.format(field=label, value=describe(doc, path, value)),
                   at_key=bool(where) or keyword == "required")]
    if keyword == "additionalProperties" and isinstance(value, dict):
        known = list(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        out = []
        for key in value:
            if key in known or any(p.search(key) for p in patterns):
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; allowed fields: {', '.join(known)}"
            where = "at the top level" if not path else f"in {label}"
            out.append(at(path + (key,), f"unknown field '{key}' {where}{hint}", at_key=True))
        return out
    if keyword == "required" and isinstance(value, dict):
        missing = [k for k in err.validator_value if k not in value]
        known = list(schema.get("properties", {}))
        typos = [k for k in value if k not in known] if schema.get("additionalProperties") is False else []
        # a misspelt key ("price:") is reported once, as an unknown field with its "did you mean"
        missing = [k for k in missing if not difflib.get_close_matches(k, typos, n=1, cutoff=0.6)]
        where = "at the top level" if not path else f"in {label}"
        return [at(path, f"missing required field '{k}' {where}", at_key=True) for k in missing]
    shown = describe(doc, path, value)
    if keyword == "type":
        types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        expected = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        hint = ""
        if "string" in types and isinstance(value, (bool, int, float)) and doc.source(path) is not None:
            hint = f'; quote it ("{doc.source(path)}") to make it text'
        return [at(path, f"{label}: expected {expected}, found {shown}{hint}")]
    if keyword == "enum":
        options = [str(o) for o in err.validator_value]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return [at(path, f"{label}: {shown} is not one of {', '.join(options)}{hint}")]
    if keyword == "const":
        return [at(path, f"{label}: must be {err.validator_value!r}, found {shown}")]
    if keyword == "pattern":
        return [at(path, f"{label}: {shown} does not have the expected form ({err.validator_value})")]
    if keyword in ("minItems", "minProperties"):
        return [at(path, f"{label}: must not be empty; expected at least {err.validator_value} "
                         f"{'entry' if err.validator_value == 1 else 'entries'}", at_key=True)]
    if keyword == "minLength":
        if err.validator_value > 1 and isinstance(value, str) and value.strip():
            return [at(path, f"{label}: too short: at least {err.validator_value} characters, found {len(value)}")]
        return [at(path, f"{label}: must not be empty")]
    if keyword == "maxLength" and isinstance(value, str):
        return [at(path, f"{label}: too long: at most {err.validator_value} characters, found {len(value)}; "
                         "shorten it")]
    if keyword == "maxItems" and isinstance(value, list):
        return [at(path, f"{label}: too many entries: at most {err.validator_value}, found {len(value)}",
                   at_key=True)]
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "greater than",
                 "maximum": "at most", "exclusiveMaximum": "less than"}[keyword]
        return [at(path, f"{label}: must be {words} {err.validator_value}, found {shown}")]
    return [at(path, f"{label}: {err.message}")]


_MISSING = object()


def _inline_refs(node, defs, seen=()):
    """The schema with local "#/$defs/x" references replaced by their targets (about a third
    faster to validate); a recursive reference is left as a $ref."""
    if isinstance(node, list):
        return [_inline_refs(n, defs, seen) for n in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs and ref not in seen:
        target = _inline_refs(defs[ref[8:]], defs, seen + (ref,))
        rest = {k: _inline_refs(v, defs, seen) for k, v in node.items() if k != "$ref"}
        # siblings of $ref here are annotations (title, description) or x- keywords: the
        # target's validation keywords and x- keywords win
        return {**rest, **target}
    return {k: (v if k in ("$defs", "enum", "const", "examples") else _inline_refs(v, defs, seen))
            for k, v in node.items()}


_VALIDATORS = {}


def validate(doc, schema):
    """[Problem] for every place where doc.data breaks the schema."""
    key = json.dumps(schema, sort_keys=True)
    validator = _VALIDATORS.get(key)
    if validator is None:
        validator = jsonschema.Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))
        _VALIDATORS[key] = validator
    problems = []
    for err in validator.iter_errors(doc.data):
        problems.extend(_error_problems(doc, err))
    return sorted(set(problems))
