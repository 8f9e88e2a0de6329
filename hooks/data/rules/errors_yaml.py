"""Cross-checks of the troubleshooting families (data/errors/*.yaml) that a JSON Schema cannot say.

The loader calls `check_errors(docs, catalog_dict)` with the families that passed the schema. Each
rule names the file and line of the value at fault:
- the id equals the file name (it is the page URL);
- the fast check's slugs exist in data/models (slug or alias); a deprecated model or a non-Anthropic
  model on the Anthropic route is a warning;
- related families and also_in ids exist (and are not the family itself); related pages are pages
  listed in data/topics.yaml;
- a phrase belongs to one family: the same phrase (compared as the lookup compares it, so
  "insufficient_balance" equals "Insufficient Balance") in two families is an error, unless it is
  listed once with also_in naming the other;
- the support packet never asks for a secret (a field may mention a key only to ask for its label,
  creation or rotation time, or the result of a test with it), every URL is https;
- the examples cover both routes;
- cause ids are unique in the family (each is the page anchor #cause-<id>), every evidence text has
  letters or digits, and the question's answers each name a cause id of this family, a different
  one each.
"""
import datetime
import difflib
import re
from pathlib import Path

from calculator.errors_match import normalize

from hooks.data.problems import Problem
from hooks.data.schema import dotted
from hooks.data.yamlfile import as_list, strings

ROUTES = {"openai": "OpenAI-compatible", "anthropic": "Anthropic-native"}
SECRET_FIELD = re.compile(
    r"\b(api[\s_-]*keys?|keys?|passwords?|passphrases?|pass[\s_-]*codes?|secrets?|credentials?|bearer|"
    r"access[\s_-]*tokens?|auth(?:orization)?[\s_-]*(?:tokens?|headers?)|tokens?[\s_-]*values?|"
    r"session[\s_-]*(?:ids?|cookies?|tokens?)|cookies?|private|2fa|otp|card[\s_-]*numbers?|cvv|cvc)\b", re.I)
# a field may name a key only to ask about it, never for it: "Key label in the dashboard" is fine
KEY_WORD = re.compile(r"^(?:api[\s_-]*)?keys?$", re.I)
KEY_QUALIFIER = re.compile(r"\b(labels?|names?|created|creation|rotat\w*|fresh\w*|newly|tests?|results?|works?|"
                           r"working|types?|formats?|lengths?|header[\s_-]*names?)\b", re.I)
INSECURE_URL = re.compile(r"\b(?:http|ftp)://", re.I)


def topic_pages(catalog_dict):
    """The page paths listed in the data folder's topics.yaml (an empty set when it has none)."""
    topics = (catalog_dict.get("site") or {}).get("topics")
    if not isinstance(topics, dict):
        return set()
    return {t["page"] for t in as_list(topics.get("topics")) if isinstance(t, dict) and isinstance(t.get("page"), str)}


class _Checker:
    def __init__(self, catalog_dict, docs, today):
        self.today = today.isoformat()
        self.problems = []
        self.models = {}
        for m in as_list(catalog_dict.get("models")):
            if not isinstance(m, dict) or not isinstance(m.get("slug"), str):
                continue
            self.models.setdefault(m["slug"], m)
        for m in as_list(catalog_dict.get("models")):
            if isinstance(m, dict):
                for alias in as_list(m.get("aliases")):
                    if isinstance(alias, str):
                        self.models.setdefault(alias, m)
        self.families = {Path(d.path).stem for d in docs}
        for fam in as_list(catalog_dict.get("errors")):
            if isinstance(fam, dict):
                if isinstance(fam.get("file"), str):
                    self.families.add(Path(fam["file"]).stem)
                if isinstance(fam.get("id"), str):
                    self.families.add(fam["id"])
        self.pages = topic_pages(catalog_dict)

    def add(self, doc, path, message, level="error"):
        line, col = doc.where(path)
        self.problems.append(Problem(doc.path, line, col, message, level))

    def family_ref(self, doc, path, ref, own):
        if not isinstance(ref, str):
            return
        if ref == own:
            self.add(doc, path, f"{dotted(path)}: '{ref}' is this family itself; name another family")
        elif ref not in self.families:
            close = difflib.get_close_matches(ref, sorted(self.families), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.add(doc, path, f"{dotted(path)}: there is no family '{ref}' (no data/errors/{ref}.yaml){hint}")

    def slug(self, doc, path, slug, route):
        if not isinstance(slug, str):
            return
        model = self.models.get(slug)
        if model is None:
            close = difflib.get_close_matches(slug, sorted(self.models), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.add(doc, path, f"{dotted(path)}: '{slug}' is not a model slug or alias in data/models/*.yaml, "
                                f"so the {ROUTES[route]} fast check would fail as copied{hint}")
            return
        retires, deprecated = str(model.get("retires_on") or ""), str(model.get("deprecated_on") or "")
        if model.get("status") == "retired" or (retires and retires <= self.today):
            instead = f"; use {model['replacement']}" if model.get("replacement") else ""
            self.add(doc, path, f"{dotted(path)}: '{slug}' was retired on {retires or 'a past date'}, so the "
                                f"{ROUTES[route]} fast check would fail as copied{instead}")
        elif model.get("status") == "deprecated" or (deprecated and deprecated <= self.today):
            when = f" (retires {retires})" if retires else ""
            self.add(doc, path, f"{dotted(path)}: '{slug}' is deprecated{when}; a fast check should use an "
                                "active model", "warning")
        if route == "anthropic" and model.get("provider") not in (None, "anthropic"):
            self.add(doc, path, f"{dotted(path)}: '{slug}' is a {model.get('provider')} model; the "
                                "Anthropic-native check should use a Claude model", "warning")

    def family(self, doc):
        data = doc.data if isinstance(doc.data, dict) else {}
        stem = Path(doc.path).stem
        own = data.get("id")
        if isinstance(own, str) and own != stem:
            self.add(doc, ("id",), f"id: '{own}' does not match the file name {stem}.yaml; the id is the page "
                                   f"URL /errors/<id>/ (write id: {stem} or rename the file to {own}.yaml)")
        own = stem

        fast = data.get("fast_check") if isinstance(data.get("fast_check"), dict) else {}
        self.slug(doc, ("fast_check", "openai_model"), fast.get("openai_model"), "openai")
        self.slug(doc, ("fast_check", "anthropic_model"), fast.get("anthropic_model"), "anthropic")

        for i, rel in enumerate(as_list(data.get("related"))):
            if not isinstance(rel, dict):
                continue
            if "family" in rel:
                self.family_ref(doc, ("related", i, "family"), rel.get("family"), own)
            page = rel.get("page")
            if isinstance(page, str) and page not in self.pages:
                close = difflib.get_close_matches(page, sorted(self.pages), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ("" if self.pages else
                                                                       " (this data folder has no topics.yaml)")
                self.add(doc, ("related", i, "page"), f"related[{i}].page: '{page}' is not a page listed in "
                                                      f"data/topics.yaml{hint}")

        for i, phrase in enumerate(as_list(data.get("phrases"))):
            if not isinstance(phrase, dict):
                continue
            if isinstance(phrase.get("text"), str) and not normalize(phrase["text"]):
                self.add(doc, ("phrases", i, "text"), f"phrases[{i}].text: '{phrase['text']}' has no letters or "
                                                      "digits, so the error lookup can never find it")
            for j, ref in enumerate(as_list(phrase.get("also_in"))):
                self.family_ref(doc, ("phrases", i, "also_in", j), ref, own)

        self.causes(doc, data)

        match = data.get("match") if isinstance(data.get("match"), dict) else {}
        for i, kw in enumerate(as_list(match.get("keywords"))):
            if isinstance(kw, dict) and isinstance(kw.get("text"), str) and not normalize(kw["text"]):
                self.add(doc, ("match", "keywords", i, "text"), f"match.keywords[{i}].text: '{kw['text']}' has no "
                                                                "letters or digits, so it can never match")

        for i, entry in enumerate(as_list(data.get("support_packet"))):
            field = entry.get("field") if isinstance(entry, dict) else None
            if isinstance(field, str):
                found = SECRET_FIELD.search(field)
                if found and KEY_WORD.match(found.group(0)) and KEY_QUALIFIER.search(field):
                    found = None
                if found:
                    self.add(doc, ("support_packet", i, "field"),
                             f"support_packet[{i}].field: '{field}' asks for '{found.group(0)}'; a support packet "
                             "never asks for a key, password, token or other secret (ask for a dashboard label, "
                             "an order reference or a timestamp instead)")

        routes = {e.get("route") for e in as_list(data.get("examples")) if isinstance(e, dict)}
        for route, label in ROUTES.items():
            if route not in routes:
                self.add(doc, ("examples",), f"examples: no example for the {label} route (route: {route}); "
                                             "each page shows an error body in both tabs")

        for path, text in strings(data):
            if INSECURE_URL.search(text):
                self.add(doc, path, f"{dotted(path)}: only https URLs are allowed in the data; found "
                                    f"'{INSECURE_URL.search(text).group(0)}'")

    def causes(self, doc, data):
        """Cause ids (the page anchors), their evidence, and the question's answers."""
        ids = {}
        for i, cause in enumerate(as_list(data.get("causes"))):
            if not isinstance(cause, dict):
                continue
            cid = cause.get("id")
            if isinstance(cid, str):
                if cid in ids:
                    self.add(doc, ("causes", i, "id"), f"causes[{i}].id: '{cid}' is also the id of causes[{ids[cid]}] "
                                                       f"(line {doc.where(('causes', ids[cid], 'id'))[0]}); each id is "
                                                       f"the page anchor #cause-{cid}, so it must be unique in the family")
                else:
                    ids[cid] = i
            for j, e in enumerate(as_list(cause.get("evidence"))):
                if isinstance(e, dict) and isinstance(e.get("text"), str) and not normalize(e["text"]):
                    self.add(doc, ("causes", i, "evidence", j, "text"),
                             f"causes[{i}].evidence[{j}].text: '{e['text']}' has no letters or digits, so the error "
                             "lookup can never find it")
        question = data.get("question") if isinstance(data.get("question"), dict) else {}
        pointed, said = {}, {}
        for i, answer in enumerate(as_list(question.get("answers"))):
            if not isinstance(answer, dict):
                continue
            path = ("question", "answers", i)
            cid = answer.get("cause")
            if isinstance(cid, str):
                if cid not in ids:
                    close = difflib.get_close_matches(cid, sorted(ids), n=1, cutoff=0.6)
                    hint = f"; did you mean '{close[0]}'?" if close else (
                        f" (the causes' ids: {', '.join(sorted(ids))})" if ids else
                        " (no cause has an id yet: add id: to the cause it means)")
                    self.add(doc, path + ("cause",), f"question.answers[{i}].cause: there is no cause with id '{cid}' "
                                                     f"in this family{hint}")
                elif cid in pointed:
                    self.add(doc, path + ("cause",), f"question.answers[{i}].cause: '{cid}' is also the cause of "
                                                     f"answers[{pointed[cid]}]; each answer must point to a different "
                                                     "cause, or the question tells nothing apart")
                else:
                    pointed[cid] = i
            text = answer.get("answer")
            if isinstance(text, str):
                key = normalize(text)
                if key in said:
                    self.add(doc, path + ("answer",), f"question.answers[{i}].answer: '{text}' says the same as "
                                                      f"answers[{said[key]}]")
                else:
                    said[key] = i

    def phrases_across(self, docs):
        """A phrase belongs to one family; also_in shares it explicitly."""
        seen = {}    # normalized -> [(doc, path, family id, also_in set, text)]
        for doc in docs:
            data = doc.data if isinstance(doc.data, dict) else {}
            fid = Path(doc.path).stem
            exact = {}
            for i, phrase in enumerate(as_list(data.get("phrases"))):
                text = phrase.get("text") if isinstance(phrase, dict) else None
                if not isinstance(text, str):
                    continue
                path = ("phrases", i, "text")
                key = text.strip().casefold()
                if key in exact:
                    self.add(doc, path, f"phrases[{i}].text: '{text}' is listed twice in this family (first at "
                                        f"line {doc.where(exact[key])[0]})")
                    continue
                exact[key] = path
                norm = normalize(text)
                if norm:
                    seen.setdefault(norm, []).append((doc, path, fid, set(as_list(phrase.get("also_in"))), text))
        for entries in seen.values():
            owners = {}
            for entry in entries:
                owners.setdefault(entry[2], entry)      # a family's own repeats were reported above
            if len(owners) < 2:
                continue
            ordered = list(owners.values())
            # report every copy but the one that shares it (also_in naming the others), or the first
            sharer = next((e for e in ordered if {o[2] for o in ordered if o is not e} <= e[3]), ordered[0])
            sline, scol = sharer[0].where(sharer[1])
            for doc, path, fid, also, text in ordered:
                if (doc, path) == (sharer[0], sharer[1]):
                    continue
                if fid in sharer[3]:
                    hint = (f"it is already shared with this family by also_in at {sharer[0].path}:{sline}; "
                            "remove it here")
                else:
                    hint = (f"a phrase belongs to one family: keep it in one file and add also_in: [{fid}] "
                            f"there (or also_in: [{sharer[2]}] here, removing it there)")
                same = "" if sharer[4] == text else f" (as '{sharer[4]}', which the error lookup cannot tell apart)"
                self.add(doc, path, f"phrases[{path[1]}].text: '{text}' is also a phrase of family {sharer[2]} at "
                                    f"{sharer[0].path}:{sline}:{scol}{same}; {hint}")


def check_errors(docs, catalog_dict, today=None):
    """docs: YamlDoc list for data/errors/*.yaml that passed the schema; catalog_dict: the catalog
    dict the loader built; today: the day the check is for (a model's status follows its dates).
    Returns a list of Problem (file:line of each mistake)."""
    docs = [d for d in docs if isinstance(getattr(d, "data", None), dict)]
    checker = _Checker(catalog_dict if isinstance(catalog_dict, dict) else {}, docs, today or datetime.date.today())
    for doc in docs:
        checker.family(doc)
    checker.phrases_across(docs)
    return checker.problems
