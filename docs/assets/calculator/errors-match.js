// The error lookup's matcher, without Pyodide: a port of calculator/errors_match.rank that scores
// with the rules the build exports from that module (errors_match.browser_rules: the families'
// phrases, statuses, codes, keywords and signal weights already normalized and weighed in Python,
// their causes' evidence and question, the evidence labels, the regular expressions' Python
// sources and CPython's \w, \d, \s and case-folding tables). No rule is written here twice: the
// Python patterns are translated, not rewritten, and tests/test_errors_match_browser.py proves the
// two rank alike (deciding cause and question included) on every text of the project's error
// corpus and on hostile strings.
(function () {
  "use strict";

  // Python regex source -> JavaScript source (u flag) with Python's meaning of \w \W \d \s \b $
  // and of re.IGNORECASE on ASCII letters (which also takes the letters in U.fold, e.g. K for k).
  function translate(src, ignorecase, U) {
    const lit = (ch) => (/[\^$\\.*+?()[\]{}|/]/.test(ch) ? "\\" + ch : ch);
    const litC = (ch) => (/[\\\]\[\^-]/.test(ch) ? "\\" + ch : ch);
    const letter = (ch) => /[A-Za-z]/.test(ch);
    const fold = (ch) => [...U.fold[ch.toLowerCase()]].map(litC).join("");
    let out = "";
    let inClass = false;
    for (let i = 0; i < src.length;) {
      const ch = src[i];
      if (ch === "\\") {
        const e = src[i + 1];
        i += 2;
        if (e === "w") out += inClass ? U.word : `[${U.word}]`;
        else if (e === "W" && !inClass) out += `[^${U.word}]`;
        else if (e === "d") out += inClass ? U.digit : `[${U.digit}]`;
        else if (e === "s") out += inClass ? U.space : `[${U.space}]`;
        else if (e === "b" && !inClass) out += `(?:(?<=[${U.word}])(?![${U.word}])|(?<![${U.word}])(?=[${U.word}]))`;
        else if (/[A-Za-z0-9]/.test(e)) throw new Error(`errors-match: unsupported escape \\${e}`);
        else out += inClass ? litC(e) : lit(e);
        continue;
      }
      if (inClass) {
        if (ch === "]") {
          inClass = false;
          out += "]";
          i += 1;
        } else if (src[i + 1] === "-" && src[i + 2] !== undefined && src[i + 2] !== "]") {
          const lo = ch, hi = src[i + 2];
          out += `${litC(lo)}-${litC(hi)}`;
          if (ignorecase && letter(lo) && letter(hi)) {
            for (let c = lo.charCodeAt(0); c <= hi.charCodeAt(0); c++) out += fold(String.fromCharCode(c));
          }
          i += 3;
        } else {
          out += ignorecase && letter(ch) ? fold(ch) : litC(ch);
          i += 1;
        }
        continue;
      }
      if (ch === "[") {
        inClass = true;
        out += "[";
        i += 1;
        if (src[i] === "^") { out += "^"; i += 1; }
      } else if (ch === "(" && src[i + 1] === "?") {
        const kind = src[i + 2] === "<" ? src.slice(i, i + 4) : src.slice(i, i + 3); // (?: (?! (?= (?<! (?<=
        out += kind;
        i += kind.length;
      } else if (ch === "$") {
        out += "(?=\\n?$)"; // Python's $: the end, or just before a newline that ends the text
        i += 1;
      } else {
        out += ignorecase && letter(ch) ? `[${fold(ch)}]` : ch;
        i += 1;
      }
    }
    return out;
  }

  function compile(rules) {
    const U = rules.unicode;
    const rx = {};
    for (const [name, p] of Object.entries(rules.patterns)) rx[name] = new RegExp(translate(p.source, p.ignorecase, U), "gu");
    const zeros = U.zeros.slice().sort((a, b) => a - b);
    return {
      rules, rx, zeros,
      word: new RegExp(`(?:(?!_)[${U.word}])+`, "gu"), // Python's [^\W_]+
      blank: new RegExp(`^[${U.space}]*$`, "u"),       // Python's not text.strip()
    };
  }

  // ---- Python's str semantics on code points ----------------------------------------------------
  const cpLength = (s) => { let n = 0; for (const _ of s) n += 1; return n; };
  function back(s, end, n) { // the index n code points before `end`
    let i = end;
    while (n-- > 0 && i > 0) i -= (i >= 2 && /[\udc00-\udfff]/.test(s[i - 1]) && /[\ud800-\udbff]/.test(s[i - 2])) ? 2 : 1;
    return i;
  }
  function fwd(s, start, n) {
    let i = start;
    while (n-- > 0 && i < s.length) i += (/[\ud800-\udbff]/.test(s[i]) && /[\udc00-\udfff]/.test(s[i + 1] || "")) ? 2 : 1;
    return i;
  }
  function asciiDigits(C, s) { // int() / float() read any decimal digit
    return Array.from(s, (ch) => {
      const cp = ch.codePointAt(0);
      if (cp < 128) return ch;
      let zero = 0;
      for (const z of C.zeros) if (z <= cp) zero = z;
      return String(cp - zero);
    }).join("");
  }
  const isAscii = (s) => /^[\x00-\x7f]*$/.test(s);

  function normalize(C, text) {
    return (String(text).toLowerCase().match(C.word) || []).join(" ");
  }
  function contains(haystack, needle, ascii) {
    if (!needle) return false;
    return ascii ? haystack.includes(` ${needle} `) : haystack.includes(needle);
  }
  function* finditer(re, text) {
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      yield m;
      if (m[0] === "") re.lastIndex += 1;
    }
  }
  const search = (re, text) => { re.lastIndex = 0; return re.test(text); };

  function clip(C, text) {
    const max = C.rules.max_text;
    if (text.length <= max) return text;
    const cps = Array.from(text);
    if (cps.length <= max) return text;
    const half = Math.floor(max / 2);
    return cps.slice(0, half).join("") + "\n" + cps.slice(cps.length - half).join("");
  }

  function statuses(C, text) {
    const found = new Map();
    const short = cpLength(text) < 200;
    const reasons = Object.entries(C.rules.reasons);
    for (const m of finditer(C.rx.status, text)) {
      const code = Number(asciiDigits(C, m[1]));
      if (code < 400 && ![301, 302, 307, 308].includes(code)) continue;
      const before = text.slice(back(text, m.index, 24), m.index);
      let strong = short || search(C.rx.status_context, before);
      const end = m.index + m[0].length;
      const after = normalize(C, text.slice(end, fwd(text, end, 30)));
      if (reasons.some(([reason, c]) => c === code && after.startsWith(reason))) strong = true;
      found.set(code, Boolean(found.get(code)) || strong);
    }
    return found;
  }

  function values(C, text) {
    const out = new Set();
    for (const m of finditer(C.rx.field, text)) out.add(normalize(C, m[2]));
    return out;
  }

  function signals(C, text) {
    const found = new Set();
    if (search(C.rx.upstream, text)) found.add("upstream_metadata");
    for (const m of finditer(C.rx.duration_ms, text)) {
      if (parseFloat(asciiDigits(C, m[1] !== undefined ? m[1] : m[2])) < 500) found.add("fast_reject");
    }
    for (const m of finditer(C.rx.duration_s, text)) {
      if (parseFloat(asciiDigits(C, m[1] !== undefined ? m[1] : m[2])) < 0.5) found.add("fast_reject");
    }
    if (search(C.rx.zero, text)) found.add("zero_billed");
    if (search(C.rx.retry_after, text)) found.add("retry_after");
    if (search(C.rx.html, text)) found.add("html_body");
    return found;
  }

  function hits(fam, norm) {
    const out = [];
    for (const p of fam.phrases) if (contains(norm, p.n, p.ascii)) out.push(p);
    for (const p of fam.shared) if (contains(norm, p.n, p.ascii)) out.push(p);
    return out;
  }

  function scoreFamily(C, fam, prepared, others) {
    const [norm, stat, vals, sig] = prepared;
    let score = 0, best = 0;
    const evidence = [];
    const seen = [];
    const ordered = hits(fam, norm).map((h, i) => [h, i]).sort((a, b) => (b[0].len - a[0].len) || (a[1] - b[1]));
    for (const [h] of ordered) {
      if (seen.some((s) => s.n === h.n || contains(` ${s.n} `, h.n, h.ascii))) continue;
      seen.push(h);
      let w = h.w;
      if (others.some((o) => o.len > h.len && contains(` ${o.n} `, h.n, h.ascii))) w = Math.floor(w / 2);
      score += w;
      best = Math.max(best, h.len);
      evidence.push(h.label);
    }
    for (const s of fam.statuses) {
      if (stat.has(s.code) && s.w) {
        score += stat.get(s.code) ? s.w : Math.floor(s.w / 2);
        evidence.push(s.label);
      }
    }
    const counted = new Set();
    for (const c of fam.codes) {
      if (!c.n || counted.has(c.n)) continue;
      if (vals.has(c.n)) {
        counted.add(c.n);
        score += c.w;
        evidence.push(c.label);
      } else if (contains(norm, c.n, c.ascii) && !seen.some((s) => s.n === c.n)) {
        counted.add(c.n);
        score += Math.floor(c.w / 3);
        evidence.push(c.word);
      }
    }
    for (const k of fam.keywords) {
      if (contains(norm, k.n, k.ascii) && k.w) {
        score += k.w;
        evidence.push(k.label);
      }
    }
    for (const name of C.rules.signals) {
      if (sig.has(name) && fam.signals[name]) {
        score += fam.signals[name];
        evidence.push(`signal ${name}`);
      }
    }
    return [score, best, evidence];
  }

  // calculator/errors_match.decide: the one cause whose evidence adds up to the most (above zero,
  // no tie), with the labels of the evidence found, or null.
  function decide(causes, prepared) {
    const [norm, stat, , sig] = prepared;
    let best = null, tied = false;
    for (const cause of causes) {
      let score = 0;
      const labels = [];
      for (const e of cause.evidence) {
        if ((e.kind === "text" && contains(norm, e.n, e.ascii)) || (e.kind === "status" && stat.has(e.code)) ||
            (e.kind === "signal" && sig.has(e.name))) {
          score += e.w;
          labels.push(e.label);
        }
      }
      if (score > 0 && (best === null || score > best.score)) {
        best = { score, cause, labels };
        tied = false;
      } else if (best !== null && score === best.score) {
        tied = true;
      }
    }
    return best === null || tied ? null : best;
  }

  // calculator/errors_match._answer: the deciding cause and the family's question, with page URLs.
  function answer(fam, prepared) {
    const page = `errors/${fam.id}/`;
    const picked = decide(fam.causes, prepared);
    const cause = picked && { id: picked.cause.id, title: picked.cause.title, url: `${page}#${picked.cause.anchor}`,
      evidence: picked.labels };
    const q = cause && fam.question && fam.question.answers.every((a) => a.cause !== cause.id) ? null : fam.question;
    const question = q && { text: q.text, answers: q.answers.map((a) => ({ answer: a.answer, cause: a.cause,
      title: a.title, url: `${page}#${a.anchor}` })) };
    return { cause, question };
  }

  // calculator/errors_match.rank: [{family, title, url, score, evidence, cause, question}], best first. The one
  // difference: Python lists a family's signals in its set's order, this in the SIGNALS order.
  function rank(C, text, limit = 5) {
    if (typeof text !== "string" || C.blank.test(text)) return [];
    const clipped = clip(C, text);
    const norm = normalize(C, clipped);
    const prepared = [` ${norm} `, statuses(C, clipped), values(C, clipped), signals(C, clipped)];
    if (norm === "" && prepared[1].size === 0) return [];
    const found = new Map(C.rules.families.map((f) => [f.id, hits(f, prepared[0])]));
    const scored = [];
    for (const fam of C.rules.families) {
      const others = [];
      for (const [id, list] of found) if (id !== fam.id) others.push(...list);
      const [score, best, evidence] = scoreFamily(C, fam, prepared, others);
      if (score > 0 && evidence.length) scored.push({ fam, score, best, evidence });
    }
    scored.sort((a, b) => (b.score - a.score) || (b.best - a.best) || (a.fam.order - b.fam.order) ||
      (a.fam.id < b.fam.id ? -1 : a.fam.id > b.fam.id ? 1 : 0));
    const n = Number.isInteger(limit) ? Math.max(0, limit) : 5;
    return scored.slice(0, n).map((r) => ({ family: r.fam.id, title: r.fam.title, url: `errors/${r.fam.id}/`,
      score: r.score, evidence: r.evidence, ...answer(r.fam, prepared) }));
  }

  // V8 compiles a regular expression on its first use and again, to machine code, once it is used
  // more, and apart for one-byte and two-byte strings (a textarea's value is often the latter):
  // every pattern runs twice on each kind of a text that each of them matches (over 200
  // characters, so the status context is read too), before a reader pastes.
  const WARM = 'HTTP/1.1 402 Payment Required\n{"error": {"type": "insufficient_balance", "code": 402, ' +
    '"provider_name": "x", "is_byok": false}}\nduration_ms: 12, took 0.2 s, cost: 0, retry-after: 1, <html> ' +
    "openai.APIStatusError: Error code: 402 - {'error': {'message': 'Provider returned error'}} \u00e9";
  const warm = (C) => { // one task each, so a paste in between is answered at once
    for (const text of [WARM, WARM, `${WARM} \u2014`, `${WARM} \u2014`]) setTimeout(() => rank(C, text), 0);
  };

  window.pricebookErrors = {
    compile,
    warm,
    rank: (compiled, text, limit) => rank(compiled, text, limit),
    normalize: (compiled, text) => normalize(compiled, text),
  };
})();
