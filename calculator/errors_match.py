"""Rank troubleshooting families for a pasted error text: a log line, an SDK exception, a whole
JSON body. Pure stdlib, so the browser runs this same code in Pyodide.

`families` are the plain dicts of data/errors/*.yaml (see data/schema/errors.schema.json). The score
of a family adds up the evidence found in the text:

- its phrases (case-insensitive; runs of spaces, '_' and '-' and other punctuation count as one
  space, so "insufficient_balance" finds "Insufficient Balance"). A phrase listed with `also_in`
  counts at half weight for those other families. A phrase inside a longer phrase of the same
  family that also matched is not counted twice;
- HTTP status codes in the text ("HTTP/1.1 402", "Error code: 429", '"status": 529', "404 Not
  Found"); a bare number far from such words counts half;
- JSON `type` / `code` / `status` values ('"type": "overloaded_error"', Python reprs too): full
  weight when found as such a value, a third when the value only appears as a word;
- `match.keywords` of the family, and `match.signals` weights for evidence computed here:
  upstream_metadata (provider_name, is_byok, metadata.raw), fast_reject (a duration under 500 ms),
  zero_billed (zero cost or zero tokens), retry_after (a retry-after or rate-limit header, "try
  again in N"), html_body (an HTML page, or a JSON parser choking on '<').

Signals can weigh against a family (negative weights): that is how look-alikes separate, e.g. a
402 "Insufficient Balance" carrying provider_name moves from out-of-balance to the upstream page.
Ties go to the family whose best phrase hit is longest, then to the lower `order` (the index
order), then to the id, so the result does not depend on the order the families are given in.

Within each family found, the causes' `evidence` (phrases, statuses, signals, each weighing 1
unless it says otherwise) picks the deciding cause: the one cause whose evidence in the text adds
up to the most, above zero and ahead of every other cause (a tie picks none: the look-alikes say
the same thing). With it comes the family's `question`, the one question whose answers point at
the causes that look alike, unless the deciding cause is none of those. Causes link to their
page anchor #cause-<id>.
"""
import re

MAX_TEXT = 200_000            # characters looked at: the head and tail of a bigger paste
DEFAULT_STATUS_WEIGHT = 4
DEFAULT_CODE_WEIGHT = 8
SIGNALS = ("upstream_metadata", "fast_reject", "zero_billed", "retry_after", "html_body")

_WORD = re.compile(r"[^\W_]+")
_STATUS = re.compile(r"(?<![\w.$-])([1-5]\d\d)(?![\w]|\.\d)")
_STATUS_CONTEXT = re.compile(r"(https?/[\d.]+|status|code|error|http|\[|\()\W{0,12}$", re.I)
_REASONS = {
    "payment required": 402, "too many requests": 429, "unauthorized": 401, "forbidden": 403,
    "not found": 404, "method not allowed": 405, "request entity too large": 413,
    "payload too large": 413, "internal server error": 500, "bad gateway": 502,
    "service unavailable": 503, "gateway timeout": 504, "gateway time out": 504,
}
_FIELD = re.compile(r"""\\?["']?\b(type|code|status|reason|error_type|error_code)\\?["']?\s*[:=]\s*\\?["']?"""
                    r"""([A-Za-z][A-Za-z0-9_.\-]*|\d{3})""", re.I)
_UPSTREAM = re.compile(r"provider_name|is_byok|['\"]raw['\"]\s*:", re.I)
_DURATION_MS = re.compile(r"(?:duration|latency|elapsed|took|time)[\w\"' ]{0,12}?[:=]?\s*(\d+(?:\.\d+)?)\s*ms\b"
                          r"|(?:duration_ms|latency_ms|elapsed_ms)\W{1,4}(\d+(?:\.\d+)?)", re.I)
_DURATION_S = re.compile(r"(?:time_total|duration|elapsed|latency)\W{1,4}(\d+\.\d+)\s*s\b"
                         r"|\bin (\d+\.\d+)\s*s\b", re.I)
_ZERO = re.compile(r"(?:total_cost_usd|cost|cost_usd|billed)\W{1,4}0(?:\.0+)?(?![\d.])"
                   r"|(?:input_tokens|prompt_tokens|output_tokens|completion_tokens)\W{1,4}0(?!\d)"
                   r"|\bzero tokens\b|\b0 tokens billed\b", re.I)
_RETRY_AFTER = re.compile(r"retry[-_ ]after|x-ratelimit-|anthropic-ratelimit-|try again in \d", re.I)
_HTML = re.compile(r"<!doctype html|<html[\s>]|<head>|<body[\s>]|unexpected token '?<|"
                   r"is not valid json|expecting value: line 1 column 1", re.I)


def normalize(text):
    """Lowercase words joined by single spaces: punctuation, '_' and '-' all become spaces."""
    return " ".join(_WORD.findall(str(text).lower()))


def _contains(haystack, needle):
    """Word-bounded containment of a normalized needle in a space-padded normalized haystack;
    a needle with non-ASCII letters (CJK) matches anywhere, as such scripts do not space words."""
    if not needle:
        return False
    if needle.isascii():
        return f" {needle} " in haystack
    return needle in haystack


def _phrase_weight(phrase):
    explicit = phrase.get("weight")
    if isinstance(explicit, int) and not isinstance(explicit, bool):
        return explicit
    words = normalize(phrase.get("text", "")).split()
    if words and not words[0].isascii():
        return 12
    return min(20, 6 + 2 * len(words))


def _statuses(text):
    """{status: strong?} for HTTP status codes found in the text."""
    found = {}
    short = len(text) < 200
    for m in _STATUS.finditer(text):
        code = int(m.group(1))
        if code < 400 and code not in (301, 302, 307, 308):
            continue
        before = text[max(0, m.start() - 24):m.start()]
        strong = short or bool(_STATUS_CONTEXT.search(before))
        after = normalize(text[m.end():m.end() + 30])
        if any(after.startswith(reason) for reason, c in _REASONS.items() if c == code):
            strong = True
        found[code] = found.get(code, False) or strong
    return found


def _values(text):
    """Normalized values of type/code/status fields in a JSON body, a Python repr or a log."""
    return {normalize(m.group(2)) for m in _FIELD.finditer(text)}


def _signals(text):
    found = set()
    if _UPSTREAM.search(text):
        found.add("upstream_metadata")
    for m in _DURATION_MS.finditer(text):
        value = float(m.group(1) or m.group(2))
        if value < 500:
            found.add("fast_reject")
    for m in _DURATION_S.finditer(text):
        value = float(m.group(1) or m.group(2))
        if value < 0.5:
            found.add("fast_reject")
    if _ZERO.search(text):
        found.add("zero_billed")
    if _RETRY_AFTER.search(text):
        found.add("retry_after")
    if _HTML.search(text):
        found.add("html_body")
    return found


def _clip(text):
    if len(text) <= MAX_TEXT:
        return text
    half = MAX_TEXT // 2
    return text[:half] + "\n" + text[-half:]


def _int(value, default):
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _list(value):
    return value if isinstance(value, list) else []


def _shared_phrases(families):
    """family id -> [phrase dicts owned by another family that lists this one in also_in]."""
    shared = {}
    for fam in families:
        for phrase in _list(fam.get("phrases")):
            if isinstance(phrase, dict):
                for other in _list(phrase.get("also_in")):
                    shared.setdefault(other, []).append(phrase)
    return shared


def phrase_hits(fam, norm, shared=()):
    """[(normalized phrase, weight, text)] of the family's phrases found in `norm` (shared ones
    from other families' also_in at half weight)."""
    hits = []
    for phrase in _list(fam.get("phrases")):
        if isinstance(phrase, dict) and _contains(norm, normalize(phrase.get("text", ""))):
            hits.append((normalize(phrase["text"]), _phrase_weight(phrase), phrase["text"]))
    for phrase in shared:
        if _contains(norm, normalize(phrase.get("text", ""))):
            hits.append((normalize(phrase["text"]), _phrase_weight(phrase) // 2, phrase["text"]))
    return hits


def score_family(fam, prepared, shared=(), others=()):
    """(score, longest matched phrase length, evidence list) of one family. `others`: normalized
    phrases other families matched in the same text; a phrase of this family found only inside a
    longer one of theirs counts at half (their wording is the more specific)."""
    norm, statuses, values, signals = prepared
    score, evidence, best = 0, [], 0

    seen = set()
    for needle, weight, label in sorted(phrase_hits(fam, norm, shared), key=lambda h: -len(h[0])):
        if needle in seen or any(_contains(f" {longer} ", needle) for longer in seen):
            continue
        seen.add(needle)
        if any(len(o) > len(needle) and _contains(f" {o} ", needle) for o in others):
            weight //= 2
        score += weight
        best = max(best, len(needle))
        evidence.append(f"phrase {label!r}")

    for status in _list(fam.get("statuses")):
        if not isinstance(status, dict):
            continue
        code = status.get("code")
        if code in statuses:
            weight = _int(status.get("weight"), DEFAULT_STATUS_WEIGHT)
            if weight:
                score += weight if statuses[code] else weight // 2
                evidence.append(f"status {code}")

    counted = set()
    for entry in _list(fam.get("codes")):
        if not isinstance(entry, dict):
            continue
        value = normalize(entry.get("value", ""))
        if not value or value in counted:
            continue
        weight = _int(entry.get("weight"), DEFAULT_CODE_WEIGHT)
        if value in values:
            counted.add(value)
            score += weight
            evidence.append(f"{entry.get('field', 'code')} {entry['value']}")
        elif _contains(norm, value) and value not in seen:
            counted.add(value)
            score += weight // 3
            evidence.append(f"word {entry['value']}")

    match = fam.get("match") if isinstance(fam.get("match"), dict) else {}
    for keyword in _list(match.get("keywords")):
        if isinstance(keyword, dict) and _contains(norm, normalize(keyword.get("text", ""))):
            weight = _int(keyword.get("weight"), 0)
            if weight:
                score += weight
                evidence.append(f"keyword {keyword['text']!r}")
    weights = match.get("signals") if isinstance(match.get("signals"), dict) else {}
    for name in signals:
        weight = _int(weights.get(name), 0)
        if weight:
            score += weight
            evidence.append(f"signal {name}")
    return score, best, evidence


def prepare(text):
    text = _clip(str(text or ""))
    return (f" {normalize(text)} ", _statuses(text), _values(text), _signals(text))


def cause_rules(fam):
    """The family's causes that have an id, as the deciding-cause step reads them: [{"id",
    "title", "anchor", "evidence": [{"kind": "text", "n", "ascii"} | {"kind": "status", "code"} |
    {"kind": "signal", "name"}, each with "w" and "label"]}]. The browser's port reads this too."""
    out = []
    for cause in _list(fam.get("causes")):
        if not isinstance(cause, dict) or not isinstance(cause.get("id"), str):
            continue
        evidence = []
        for e in _list(cause.get("evidence")):
            if not isinstance(e, dict):
                continue
            w = _int(e.get("weight"), 1)
            if isinstance(e.get("text"), str):
                needle = normalize(e["text"])
                if needle:
                    evidence.append({"kind": "text", "n": needle, "ascii": needle.isascii(), "w": w,
                                     "label": f"phrase {e['text']!r}"})
            elif isinstance(e.get("status"), int) and not isinstance(e.get("status"), bool):
                evidence.append({"kind": "status", "code": e["status"], "w": w, "label": f"status {e['status']}"})
            elif e.get("signal") in SIGNALS:
                evidence.append({"kind": "signal", "name": e["signal"], "w": w, "label": f"signal {e['signal']}"})
        out.append({"id": cause["id"], "title": str(cause.get("title", cause["id"])),
                    "anchor": f"cause-{cause['id']}", "evidence": evidence})
    return out


def question_rules(fam, causes):
    """The family's question with each answer's cause title and anchor, or None."""
    q = fam.get("question")
    if not isinstance(q, dict) or not isinstance(q.get("text"), str):
        return None
    by_id = {c["id"]: c for c in causes}
    answers = [{"answer": str(a.get("answer", "")), "cause": a["cause"], "title": by_id[a["cause"]]["title"],
                "anchor": by_id[a["cause"]]["anchor"]}
               for a in _list(q.get("answers")) if isinstance(a, dict) and a.get("cause") in by_id]
    return {"text": q["text"], "answers": answers} if answers else None


def decide(causes, prepared):
    """(cause rule, evidence labels) of the one cause the text points at, or None."""
    norm, statuses, _, signals = prepared
    best, tied = None, False
    for cause in causes:
        score, labels = 0, []
        for e in cause["evidence"]:
            if ((e["kind"] == "text" and _contains(norm, e["n"])) or
                    (e["kind"] == "status" and e["code"] in statuses) or
                    (e["kind"] == "signal" and e["name"] in signals)):
                score += e["w"]
                labels.append(e["label"])
        if score > 0 and (best is None or score > best[0]):
            best, tied = (score, cause, labels), False
        elif best is not None and score == best[0]:
            tied = True
    return None if best is None or tied else best[1:]


def _answer(fid, causes, question, prepared):
    """The deciding cause and the question of one ranked family, with page URLs."""
    page = f"errors/{fid}/"
    picked = decide(causes, prepared)
    cause = None
    if picked:
        rule, labels = picked
        cause = {"id": rule["id"], "title": rule["title"], "url": f"{page}#{rule['anchor']}", "evidence": labels}
    if question and cause and all(a["cause"] != cause["id"] for a in question["answers"]):
        question = None     # the evidence settled it outside the look-alikes the question separates
    if question:
        question = {"text": question["text"], "answers": [
            {"answer": a["answer"], "cause": a["cause"], "title": a["title"], "url": f"{page}#{a['anchor']}"}
            for a in question["answers"]]}
    return {"cause": cause, "question": question}


def rank(families, text, limit=5):
    """[{"family", "title", "url", "score", "evidence", "cause", "question"}, ...] best first,
    families scoring above zero only; url is site-relative ("errors/<id>/"); cause is the deciding
    cause ({"id", "title", "url" with its #cause-<id> anchor, "evidence"}) or None; question is
    {"text", "answers": [{"answer", "cause", "title", "url"}]} or None."""
    if not isinstance(text, str) or not text.strip():
        return []
    families = [f for f in (families or ()) if isinstance(f, dict) and isinstance(f.get("id"), str)]
    prepared = prepare(text)
    if prepared[0].strip() == "" and not prepared[1]:
        return []
    shared = _shared_phrases(families)
    found = {fam["id"]: {h[0] for h in phrase_hits(fam, prepared[0], shared.get(fam["id"], ()))}
             for fam in families}
    scored = []
    for fam in families:
        others = set().union(*(v for k, v in found.items() if k != fam["id"]))
        score, best, evidence = score_family(fam, prepared, shared.get(fam["id"], ()), others)
        if score > 0 and evidence:
            place = (_int(fam.get("order"), 100), fam["id"])
            scored.append((-score, -best, place, fam, score, evidence))
    scored.sort(key=lambda row: row[:3])
    limit = max(0, int(limit)) if isinstance(limit, int) else 5
    out = []
    for _, _, _, fam, score, evidence in scored[:limit]:
        causes = cause_rules(fam)
        out.append({"family": fam["id"], "title": fam.get("title", fam["id"]), "url": f"errors/{fam['id']}/",
                    "score": score, "evidence": evidence,
                    **_answer(fam["id"], causes, question_rules(fam, causes), prepared)})
    return out


# ---- the same rules as data, for the browser's port (docs/assets/calculator/errors-match.js) ----

def _class_body(pattern, every):
    """A JavaScript character-class body (for a regex with the u flag) of every code point that the
    one-character Python regex `pattern` matches: the maximal runs of `pattern+` over `every` (all
    code points in order), found by `re` itself in one pass, not one match per code point."""
    return "".join(f"\\u{{{a:x}}}" if a == b else f"\\u{{{a:x}}}-\\u{{{b:x}}}"
                   for a, b in ((m.start(), m.end() - 1) for m in re.finditer(f"(?:{pattern})+", every)))


_UNICODE = None


def _unicode():
    """What this Python's `re` means by \\w, \\d and \\s, which letters re.I takes for each ASCII
    letter, and the digit zeros (int() reads any decimal digit): the browser's port reads these
    instead of its own Unicode tables, so both sides use CPython's."""
    global _UNICODE
    if _UNICODE is None:
        every = "".join(map(chr, range(0x110000)))
        candidates = re.findall("[a-z]", every, re.I)
        fold = {letter: "".join(c for c in candidates if re.fullmatch(letter, c, re.I))
                for letter in "abcdefghijklmnopqrstuvwxyz"}
        zeros = [ord(c) for c in re.findall(r"\d", every) if int(c) == 0]   # \d: str.isdecimal
        _UNICODE = {"word": _class_body(r"\w", every), "digit": _class_body(r"\d", every),
                    "space": _class_body(r"\s", every),
                    "fold": fold, "zeros": zeros}
    return _UNICODE


def browser_rules(families):
    """Everything rank() reads, as JSON-ready data: the families' phrases, statuses, codes,
    keywords and signal weights already normalized and weighed by the functions above, their
    causes' evidence and question (cause_rules, question_rules), the evidence labels as rank()
    writes them, and the regular expressions' Python sources. The
    browser's port scores with these and with no rule of its own."""
    fams = [f for f in (families or ()) if isinstance(f, dict) and isinstance(f.get("id"), str)]
    shared = _shared_phrases(fams)

    def phrase(p, half=False):
        needle = normalize(p.get("text", ""))
        weight = _phrase_weight(p)
        return {"n": needle, "len": len(needle), "ascii": needle.isascii(),
                "w": weight // 2 if half else weight, "label": f"phrase {p.get('text')!r}"}

    out = []
    for fam in fams:
        statuses = []
        for s in _list(fam.get("statuses")):
            if isinstance(s, dict) and isinstance(s.get("code"), int) and not isinstance(s.get("code"), bool):
                statuses.append({"code": s["code"], "w": _int(s.get("weight"), DEFAULT_STATUS_WEIGHT),
                                 "label": f"status {s['code']}"})
        codes = []
        for c in _list(fam.get("codes")):
            if isinstance(c, dict):
                value = normalize(c.get("value", ""))
                codes.append({"n": value, "ascii": value.isascii(), "w": _int(c.get("weight"), DEFAULT_CODE_WEIGHT),
                              "label": f"{c.get('field', 'code')} {c.get('value')}", "word": f"word {c.get('value')}"})
        match = fam.get("match") if isinstance(fam.get("match"), dict) else {}
        keywords = []
        for k in _list(match.get("keywords")):
            if isinstance(k, dict):
                needle = normalize(k.get("text", ""))
                keywords.append({"n": needle, "ascii": needle.isascii(), "w": _int(k.get("weight"), 0),
                                 "label": f"keyword {k.get('text')!r}"})
        weights = match.get("signals") if isinstance(match.get("signals"), dict) else {}
        causes = cause_rules(fam)
        out.append({
            "id": fam["id"], "title": fam.get("title", fam["id"]), "order": _int(fam.get("order"), 100),
            "phrases": [phrase(p) for p in _list(fam.get("phrases")) if isinstance(p, dict)],
            "shared": [phrase(p, half=True) for p in shared.get(fam["id"], ())],
            "statuses": statuses, "codes": codes, "keywords": keywords,
            "signals": {name: _int(weights.get(name), 0) for name in SIGNALS},
            "causes": causes, "question": question_rules(fam, causes),
        })
    patterns = {name: {"source": rx.pattern, "ignorecase": bool(rx.flags & re.I)} for name, rx in (
        ("status", _STATUS), ("status_context", _STATUS_CONTEXT), ("field", _FIELD), ("upstream", _UPSTREAM),
        ("duration_ms", _DURATION_MS), ("duration_s", _DURATION_S), ("zero", _ZERO),
        ("retry_after", _RETRY_AFTER), ("html", _HTML))}
    return {"families": out, "patterns": patterns, "reasons": _REASONS, "max_text": MAX_TEXT,
            "signals": list(SIGNALS), "unicode": _unicode()}
