// pricebook's browser glue for the cost calculator and the "paste your error" lookup.
//
// Glue only: it reads the fields, posts them to the module worker (worker.mjs: Pyodide running
// calculator.api), and writes back the strings Python returned. No price, cost or rounding rule
// lives here; amounts are always the engine's `display` strings.
//
// Loaded on every page as a classic script (mkdocs.yml extra_javascript). With Material's
// navigation.instant it runs once, so the page logic starts from document$.subscribe and acts only
// when #pb-calculator or #error-lookup is on the page. One worker serves every page and survives
// instant navigation; the calculator page makes it first thing in its <head> (an inline script,
// hooks/sitegen/pages/calculator.py START_WORKER_JS) and startWorker() adopts it; instant
// navigation to the calculator makes it here. The error lookup needs no worker: errors-match.js
// ranks in plain JavaScript with rules exported from the Python matcher.
(function () {
  "use strict";

  const script = document.currentScript;
  const ASSETS = new URL(".", script ? script.src : location.href); // .../assets/calculator/
  const SITE = new URL("../../", ASSETS);

  // ---- the worker, shared by every page ----------------------------------------------------
  const engine = { worker: null, state: "idle", error: "", info: null, pending: new Map(), nextId: 1, starts: 0 };
  const MAX_PASTE = 1_000_000; // calculator.api.usage_view's limit: larger pastes are not sent
  const listeners = new Set(); // called with engine on "ready" / "failed"

  function settle(state, error, info) {
    engine.state = state;
    engine.error = error || "";
    engine.info = info || null;
    if (state === "failed") {
      for (const resolve of engine.pending.values()) resolve({ ok: false, error: engine.error });
      engine.pending.clear();
    }
    if (state === "ready") performance.mark("pricebook:ready");
    for (const fn of listeners) fn(engine);
  }

  function startWorker() {
    if (engine.worker || engine.state === "failed") return;
    engine.state = "starting";
    const early = window.__pb_early; // made by the calculator page's <head>, with what it has said
    window.__pb_early = null;
    if (!early) performance.mark("pricebook:worker");
    try {
      engine.worker = early ? early.worker : new Worker(new URL("worker.mjs", ASSETS), { type: "module" });
    } catch (err) {
      settle("failed", `the browser refused the worker (${err.message || err})`);
      return;
    }
    engine.worker.onmessage = ({ data }) => {
      if (data && data.type === "ready") return settle("ready", "", data);
      if (data && data.type === "failed") return settle("failed", data.error);
      if (data && data.type === "died") return restartWorker(data.error);
      const resolve = data && engine.pending.get(data.id);
      if (resolve) {
        engine.pending.delete(data.id);
        resolve(data);
      }
    };
    engine.worker.onerror = (event) => {
      event.preventDefault(); // reported on the page instead of the console
      settle("failed", event.message || "the worker script did not load");
    };
    engine.starts += 1;
    // The worker reads its settings (config.json beside it) and starts itself; calls sent before
    // it is ready wait there. What it said before this page logic ran is heard now, in order.
    if (early) for (const event of early.queue.splice(0)) {
      if (event.type === "error") engine.worker.onerror(event);
      else engine.worker.onmessage(event);
    }
  }

  // Pyodide died in the worker (a fatal error): say so, drop that worker and start a fresh one.
  function restartWorker(error) {
    const old = engine.worker;
    engine.worker = null;
    if (old) old.terminate();
    for (const resolve of engine.pending.values()) resolve({ ok: false, error });
    engine.pending.clear();
    settle("restarting", error);
    startWorker();
  }

  // call("estimate", {...}) -> {ok, result} or {ok: false, error}; never rejects. latest: the
  // caller keeps only the answer to its newest call of fn (worker.mjs then computes, of the calls
  // sent while it starts, only the newest; the others are answered {ok: false, superseded: true}).
  function call(fn, args, latest) {
    startWorker();
    if (engine.state === "failed") return Promise.resolve({ ok: false, error: engine.error });
    const id = engine.nextId++;
    return new Promise((resolve) => {
      engine.pending.set(id, resolve);
      engine.worker.postMessage(latest ? { id, fn, args, latest: true } : { id, fn, args });
    });
  }

  // ---- small DOM helpers ---------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") el.className = v;
      else el.setAttribute(k, v);
    }
    for (const c of children) el.append(c);
    return el;
  }

  function debounce(fn, ms) {
    let timer = 0;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function get(obj, path) { // path: "a.b" or ["a", "b"]
    return (typeof path === "string" ? path.split(".") : path).reduce((o, k) => (o == null ? undefined : o[k]), obj);
  }

  // An SVG the engine drew (calculator/charts.py escapes every text in it) replaces a chart box's
  // picture. Parsed as XML, so nothing in it can run; a string that is not one SVG is ignored.
  // Text written only when it changed: an unchanged cell costs the page no layout or paint (the
  // result, the messages and the compare rows are rewritten on every keystroke).
  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  function placeSVG(box, text) {
    if (!box || typeof text !== "string" || !text.startsWith("<svg")) return;
    const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    if (svg.localName === "svg" && !svg.getElementsByTagName("parsererror").length) {
      box.replaceChildren(document.importNode(svg, true));
      box.dataset.origin = "worker"; // as #pb-result's: the build-time picture is replaced
    }
  }

  function safeHref(url) {
    return typeof url === "string" && url.startsWith("https://") ? url : null;
  }

  // ---- the calculator page ---------------------------------------------------------------------
  class Calculator {
    constructor(form) {
      this.form = form;
      this.root = form.ownerDocument;
      this.status = this.root.getElementById("pb-status");
      this.result = this.root.getElementById("pb-result");
      this.compare = this.root.getElementById("pb-compare");
      this.family = this.root.getElementById("pb-family");
      this.filter = this.root.getElementById("pb-model-filter");
      // "Should I cache?" (calculator_cache.j2): its own small form, priced by calculator.api.cache_view.
      this.cache = this.root.getElementById("pb-cache");
      this.cacheForm = this.root.getElementById("pb-cache-form");
      this.cacheFields = this.cacheForm ? [...this.cacheForm.elements].filter((el) => el.name).map((el) => el.name) : [];
      this.cacheSeq = 0;
      this.field = (name) => form.elements.namedItem(name) || (this.cacheForm && this.cacheForm.elements.namedItem(name));
      // The count fields are the form's (the build writes them from calculator/buckets.py).
      this.counts = [...form.querySelectorAll("input[data-count]")].map((el) => el.name);
      this.fields = ["model", ...this.counts, "requests", "balance", "at", "mode", "residency", "time", "web_searches", "cache_hours"];
      this.estimateSeq = 0;
      this.rankSeq = 0;
      this.rankChartSeq = 0;
      this.chartsSeq = 0;
      this.tokens = null;
      this.dead = false;
      this.linkNotes = {}; // field -> a note about the link that opened the page, until edited
      this.path = location.pathname;
      // alias -> slug, written by the build (calculator.md.j2): ?model=<alias> and the filter box
      // know every alias the CLI accepts.
      const aliases = this.root.getElementById("pb-model-aliases");
      this.aliases = aliases ? JSON.parse(aliases.dataset.aliases) : {};
      this.aliasesOf = {};
      for (const [alias, slug] of Object.entries(this.aliases)) (this.aliasesOf[slug] ||= []).push(alias.toLowerCase());

      const fromLink = this.readQuery();
      if (fromLink) this.note("Figures for the default workload, computed when the site was built; yours appear when the calculator is ready.");

      form.addEventListener("submit", (e) => e.preventDefault());
      if (this.cacheForm) {
        this.cacheForm.addEventListener("submit", (e) => e.preventDefault());
        for (const name of this.cacheFields) {
          this.field(name).addEventListener("input", () => {
            this.cacheCompute();
            this.writeQuerySoon();
          });
        }
      }
      for (const name of this.fields) {
        this.field(name).addEventListener("input", () => {
          delete this.linkNotes[name];
          this.recompute();
        });
      }
      if (this.family) {
        this.family.addEventListener("change", () => {
          delete this.linkNotes.family;
          this.rank(true);
        });
      }
      if (this.filter) {
        this.filter.addEventListener("input", () => this.filterModels());
        this.filter.addEventListener("keydown", (e) => {
          if (e.key === "Enter") e.preventDefault();
        });
      }
      const paste = this.field("paste");
      paste.addEventListener("input", debounce(() => this.paste(), 150));
      const prompt = this.field("prompt");
      prompt.addEventListener("input", debounce(() => this.estimateTokens(), 150));
      this.useTokens = this.root.getElementById("pb-use-tokens");
      this.useTokens.addEventListener("click", () => {
        if (this.tokens == null) return;
        this.field("input").value = String(this.tokens);
        this.recompute();
      });

      // Copy a link: the query is written first, so the link is the figures on screen.
      const copy = this.root.getElementById("pb-copy-link");
      if (copy) copy.addEventListener("click", () => this.copyLink());

      // The pictures (calculator/charts.py draws them in the worker): the ranking's comes with each
      // ranking; the result's two follow a pause in typing, and only while they are on screen.
      this.rankChart = this.root.querySelector('[data-chart="rank"]');
      this.resultCharts = [...this.result.querySelectorAll("[data-chart]")];
      this.chartsDirty = false;
      this.chartsInView = false;
      if (this.resultCharts.length && "IntersectionObserver" in window) {
        this.observer = new IntersectionObserver((entries) => {
          for (const e of entries) e.target.dataset.inView = e.isIntersecting ? "1" : "";
          this.chartsInView = this.resultCharts.some((el) => el.dataset.inView === "1");
          if (this.chartsInView && this.chartsDirty) this.drawCharts();
        }, { rootMargin: "200px" });
        for (const el of this.resultCharts) this.observer.observe(el);
      } else {
        this.chartsInView = true;
      }

      startWorker(); // Pyodide starts as soon as the page opens; calls made before it is ready wait
      this.onEngine = () => this.showStatus();
      listeners.add(this.onEngine);
      if (fromLink) this.recompute();
      this.showStatus(); // already ready (instant navigation back): computes at once
    }

    destroy() {
      this.dead = true;
      listeners.delete(this.onEngine);
      clearTimeout(this.chartsTimer);
      clearTimeout(this.belowTimer);
      if (this.observer) this.observer.disconnect();
    }

    showStatus() {
      if (this.dead || !this.status) return;
      const text = this.status.querySelector(".pb-status-text") || this.status;
      this.status.dataset.state = engine.state === "ready" || engine.state === "failed" ? engine.state : "loading";
      if (engine.state === "ready") {
        const i = engine.info || {};
        text.textContent = `Calculator ready: ${i.models} models, Python in your browser (Pyodide ${i.pyodide}). Figures update as you type.`;
        if (!this.started) this.recompute(); // recompute() marks the form started
      } else if (engine.state === "restarting") {
        text.textContent = `${engine.error[0].toUpperCase()}${engine.error.slice(1)}\u2026 The figures below stay until it is ready.`;
      } else if (engine.state === "failed") {
        text.textContent = `The calculator could not start, so the figures cannot follow your input: ${engine.error}. ` +
          "The figures below were computed when the site was built, for the default workload, and are " +
          "correct for it. Reload the page to try again.";
      }
    }

    note(text) {
      for (const id of ["pb-result-note", "pb-compare-note"]) {
        const el = this.root.getElementById(id);
        if (el) setText(el, text);
      }
    }

    // A link sets every field: one it leaves out is empty (0 tokens, 1 request, no balance).
    readQuery() {
      const q = new URLSearchParams(location.search);
      if (![...this.fields, ...this.cacheFields, "family"].some((name) => q.has(name))) return false;
      for (const name of [...this.counts, "requests", "balance"]) if (!q.has(name)) this.field(name).value = "";
      for (const name of [...this.fields, ...this.cacheFields, "family"]) {
        if (!q.has(name)) continue;
        let value = q.get(name).slice(0, 200);
        const el = name === "family" ? this.family : this.field(name);
        if (!el) continue;
        if (name === "model" && Object.hasOwn(this.aliases, value) && ![...el.options].some((o) => o.value === value)) {
          this.linkNotes.model = `${JSON.stringify(value)} is an alias of ${this.aliases[value]}`;
          this.message("model", this.linkNotes.model, "info");
          value = this.aliases[value];
        }
        if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === value)) {
          this.linkNotes[name] = `the link names ${JSON.stringify(value)}, which this site does not list; showing ${JSON.stringify(el.value || "all")}`;
          this.message(name, this.linkNotes[name], "info");
          continue;
        }
        el.value = value;
      }
      return true;
    }

    // The link follows the form a moment after the last change: replaceState is not free
    // (Chromium refetches the favicon), so it stays off the path from a keystroke to the figures.
    // A click anywhere (e.g. a link: instant navigation) or leaving the page writes it at once.
    writeQuerySoon() {
      clearTimeout(this.queryTimer);
      this.queryTimer = setTimeout(() => this.flushQuery(), 200);
      pendingQuery = this;
    }

    async copyLink() {
      this.flushQuery();
      const msg = this.root.getElementById("pb-copy-msg");
      const href = location.href;
      try {
        await navigator.clipboard.writeText(href);
        if (msg) msg.textContent = "Link copied.";
      } catch (e) { // no clipboard (an insecure origin, a refused permission): show it to copy by hand
        if (msg) msg.replaceChildren("Copy this link: ", h("input", { type: "text", readonly: "", value: href, "aria-label": "Link to these figures" }));
      }
    }

    flushQuery() {
      clearTimeout(this.queryTimer);
      if (pendingQuery === this) pendingQuery = null;
      if (!this.dead) this.writeQuery();
    }

    writeQuery() {
      if (location.pathname !== this.path) return; // navigated away meanwhile
      const q = new URLSearchParams();
      for (const name of [...this.fields, ...this.cacheFields]) {
        const v = this.field(name).value.trim();
        if (v !== "") q.set(name, v);
      }
      if (this.family && this.family.value) q.set("family", this.family.value);
      const url = `${location.pathname}?${q}${location.hash}`;
      if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", url);
    }

    args() {
      const args = {};
      for (const name of this.fields) args[name] = this.field(name).value;
      return args;
    }

    message(name, text, kind) {
      const el = this.form.querySelector(`[data-msg-for="${name}"]`) ||
        this.root.querySelector(`[data-msg-for="${name}"], [data-cache-msg-for="${name}"]`);
      if (!el) return;
      setText(el, text || "");
      const to = text ? kind || "error" : "";
      if (el.dataset.kind !== to) el.dataset.kind = to; // an unchanged attribute is not rewritten either
      const input = name === "family" ? this.family : this.field(name);
      if (input) {
        if (text && (kind || "error") === "error") input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }

    fieldMessages(errors) {
      const byField = new Map();
      for (const e of errors || []) if (!byField.has(e.field)) byField.set(e.field, e.message);
      for (const name of this.fields) {
        const v = this.field(name).value.trim();
        if (byField.has(name)) this.message(name, byField.get(name));
        else if (this.linkNotes[name]) this.message(name, this.linkNotes[name], "info");
        else if (v === "" && this.counts.includes(name)) this.message(name, "empty: counts as 0", "info");
        else if (v === "" && name === "requests") this.message(name, "empty: counts as 1", "info");
        else this.message(name, "");
      }
      const other = [...byField].filter(([f]) => !this.fields.includes(f));
      return other.map(([f, m]) => `${f}: ${m}`).join("; ");
    }

    async recompute() {
      this.started = true; // typed before the worker was ready: "ready" need not ask again
      const seq = ++this.estimateSeq;
      const args = this.args();
      // brief: without the "what if" line (three more estimates; asked for next, as below)
      const reply = await call("estimate", { ...args, brief: true }, true);
      if (this.dead || seq !== this.estimateSeq) return;
      this.showEstimate(reply);
      // The "what if" line and the ranking are asked for once the totals are on the page: the
      // worker's next answers then do not compete with the totals for the cores. The cache section
      // and the ranking's picture follow a moment after the last change, as the result's pictures
      // do: while a reader types, no keystroke's totals wait behind them.
      if (reply.ok && !reply.result.errors.length) this.whatIf(args, seq);
      this.rank();
      clearTimeout(this.belowTimer);
      this.belowTimer = setTimeout(() => {
        this.cacheCompute();
        this.drawRankChart();
      }, 120);
    }

    async whatIf(args, seq) {
      const reply = await call("what_if", args, true);
      if (this.dead || seq !== this.estimateSeq || !reply.ok) return;
      const line = this.result.querySelector('[data-f="what_if"]');
      if (line) setText(line, reply.result.what_if);
    }

    showEstimate(reply) {
      if (!reply.ok) {
        if (engine.state !== "failed") this.note(`The calculator failed on this input (${reply.error}); the last good result stays.`);
        return;
      }
      const res = reply.result;
      const other = this.fieldMessages(res.errors);
      if (res.limit) { // too long for the model: the message at the field links the page on it
        const msg = this.form.querySelector(`[data-msg-for="${res.errors[0].field}"]`);
        if (msg) msg.append(" ", h("a", { href: new URL(res.limit.page, SITE).href }, "What to do"));
      }
      if (res.errors && res.errors.length) {
        this.result.dataset.stale = "true";
        this.note(other ? `Not computed (${other}); the last good result stays.` :
          "Fix the marked field; the last good result stays.");
        return;
      }
      this.render(res);
      this.writeQuerySoon();
      this.chartsSoon();
    }

    // The result's pictures a moment after the last change (off the keystroke-to-totals path).
    chartsSoon() {
      this.chartsDirty = true;
      clearTimeout(this.chartsTimer);
      this.chartsTimer = setTimeout(() => this.drawCharts(), 120);
    }

    async drawCharts() {
      if (!this.chartsInView || !this.resultCharts.length) return; // drawn when scrolled to
      this.chartsDirty = false;
      const seq = ++this.chartsSeq;
      const reply = await call("charts", this.args(), true);
      if (this.dead || seq !== this.chartsSeq || !reply.ok || reply.result.errors.length) return;
      for (const box of this.resultCharts) placeSVG(box, reply.result[box.dataset.chart]);
    }

    rankArgs(chart) {
      return { ...this.args(), family: this.family ? this.family.value : "", chart };
    }

    async rank(ownChange) {
      const seq = ++this.rankSeq;
      const args = this.rankArgs(false); // the picture: drawRankChart
      const reply = await call("rank", args, true);
      if (this.dead || seq !== this.rankSeq || !reply.ok) return;
      const res = reply.result;
      if (res.errors && res.errors.length) {
        const fam = res.errors.find((e) => e.field === "family");
        if (fam) this.message("family", fam.message);
        return;
      }
      this.message("family", this.linkNotes.family || "", "info");
      this.renderCompare(res.rows, args.model);
      if (ownChange) {
        this.drawRankChart();
        // A family change alone: keep it in the link if the estimate on screen is the form's.
        if (this.result.dataset.stale !== "true" && this.result.dataset.origin === "worker") this.writeQuerySoon();
      }
    }

    // The ranking's picture (the same ranking, drawn by the engine). Not `latest`: it must never
    // supersede the table's own rank call while the worker starts.
    async drawRankChart() {
      if (!this.rankChart) return;
      const seq = ++this.rankChartSeq;
      const reply = await call("rank", this.rankArgs(true));
      if (this.dead || seq !== this.rankChartSeq || !reply.ok || reply.result.errors.length) return;
      placeSVG(this.rankChart, reply.result.chart);
    }

    // Every text comes from the engine's view (calculator/display.py): placed, never composed.
    render(res) {
      // The result's elements, found once: [element, path into the result] (every keystroke renders)
      if (!this.slots) {
        const at = (el, path) => [el, path.split(".")];
        this.slots = {
          texts: [...this.result.querySelectorAll("[data-f]")].map((el) => at(el, el.dataset.f)),
          hrefs: [...this.result.querySelectorAll("[data-f-href]")].map((el) => at(el, el.dataset.fHref)),
          buckets: new Map([...this.result.querySelectorAll("tr[data-bucket]")].map((tr) => [tr.dataset.bucket,
            [...tr.querySelectorAll("[data-c]")].map((td) => at(td, td.dataset.c))])),
        };
      }
      for (const [el, path] of this.slots.texts) {
        const v = get(res, path);
        if (v != null) setText(el, String(v));
      }
      for (const [el, path] of this.slots.hrefs) {
        const href = safeHref(get(res, path));
        if (href) el.href = href;
      }
      for (const row of res.rows) {
        for (const [td, path] of this.slots.buckets.get(row.bucket) || []) setText(td, String(get(row, path)));
      }
      this.result.dataset.stale = "false";
      if (this.result.dataset.origin !== "worker") performance.mark("pricebook:interactive");
      this.result.dataset.origin = "worker";
      this.note("Your workload, computed in your browser.");
    }

    // Rows are updated in place when the table already shows the same models in the same order
    // (the usual case while typing): far less layout work than new rows.
    renderCompare(rows, current) {
      if (!this.compare) return;
      const body = this.compare.tBodies[0];
      // a model the workload does not fit keeps its row, marked, with the limit instead of costs
      const texts = (r, i) => r.fits ? [String(i + 1), null, null, r.tier_text, r.official.display, r.gateway.display, r.percent_text]
        : [String(i + 1), null, null, r.limit_text, "", "", ""];
      const old = body.rows;
      const same = old.length === rows.length && rows.every((r, i) => old[i].dataset.slug === r.slug);
      if (same) {
        rows.forEach((r, i) => {
          const tr = old[i];
          texts(r, i).forEach((t, c) => {
            if (t !== null) setText(tr.cells[c], t);
          });
          const cls = [r.fits ? "" : "pb-misfit", r.slug === current ? "pb-current" : ""].join(" ").trim();
          if (tr.className !== cls) tr.className = cls;
          if (r.fits) delete tr.dataset.fits;
          else tr.dataset.fits = "false";
        });
        return;
      }
      // New rows (other models, or the reader sorted the table): in rank order, then sorted again
      // by the column the reader chose, if any (tablesort-init.js keeps the sorter on the table).
      if (!this.families) {
        this.families = new Map([...this.field("model").querySelectorAll("optgroup")]
          .map((g) => [g.dataset.family, g.label]));
      }
      const frag = document.createDocumentFragment();
      rows.forEach((r, i) => {
        const t = texts(r, i);
        const tr = h("tr", { "data-slug": r.slug },
          h("td", null, t[0]),
          h("td", null, `${r.name} `, h("code", null, r.slug)),
          h("td", null, this.families.get(r.family) || r.family),
          h("td", null, t[3]), h("td", null, t[4]), h("td", null, t[5]), h("td", null, t[6]));
        tr.className = [r.fits ? "" : "pb-misfit", r.slug === current ? "pb-current" : ""].join(" ").trim();
        if (!r.fits) tr.dataset.fits = "false";
        frag.append(tr);
      });
      body.replaceChildren(frag);
      if (this.compare.pbTablesort) this.compare.pbTablesort.refresh();
    }

    filterModels() {
      const select = this.field("model");
      const q = this.filter.value.trim().toLowerCase();
      let first = null;
      for (const group of select.querySelectorAll("optgroup")) {
        const groupHit = q && group.label.toLowerCase().includes(q);
        let visible = 0;
        for (const opt of group.querySelectorAll("option")) {
          const hit = !q || groupHit || opt.textContent.toLowerCase().includes(q) ||
            (this.aliasesOf[opt.value] || []).some((a) => a.includes(q));
          opt.hidden = !hit;
          if (hit) {
            visible += 1;
            if (!first) first = opt;
          }
        }
        group.hidden = visible === 0;
      }
      if (!first) return this.message("model", `no model matches ${JSON.stringify(this.filter.value.trim())}`);
      this.message("model", "");
      if (select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = first.value;
        this.recompute();
      }
    }

    // "Should I cache?": the form's model, date, tier and output, with the section's own fields.
    async cacheCompute() {
      if (!this.cache) return;
      const seq = ++this.cacheSeq;
      const args = this.args();
      for (const name of this.cacheFields) args[name] = this.field(name).value;
      const reply = await call("cache", args, true);
      if (this.dead || seq !== this.cacheSeq || !reply.ok) return;
      const res = reply.result;
      const byField = new Map((res.errors || []).map((e) => [e.field, e.message]));
      for (const name of this.cacheFields) this.message(name, byField.get(name) || "");
      if (byField.size) { // a field above (model, output, tier) is shown there by the estimate
        this.cache.dataset.stale = "true";
        return;
      }
      this.renderCache(res);
    }

    renderCache(res) {
      for (const el of this.cache.querySelectorAll("[data-cf]")) {
        const v = get(res, el.dataset.cf);
        if (v != null) setText(el, String(v));
      }
      const body = this.root.getElementById("pb-cache-table").tBodies[0];
      body.replaceChildren(...res.rows.map((r) => h("tr", { "data-option": r.key },
        h("td", null, r.label), h("td", null, r.official.display), h("td", null, r.gateway.display),
        h("td", null, r.saving_text), h("td", null, r.break_even_text), h("td", null, r.note))));
      this.cache.dataset.stale = "false";
      this.cache.dataset.origin = "worker";
      const picture = this.root.getElementById("pb-cache-picture");
      if (res.picture) placeSVG(picture, res.picture);
      else picture.replaceChildren();
    }

    async paste() {
      const text = this.field("paste").value;
      if (!text.trim()) return this.message("paste", "");
      if (text.length > MAX_PASTE) return this.message("paste", "that is more than 1 MB; paste only the usage object");
      const reply = await call("usage", { text });
      if (this.dead) return;
      if (!reply.ok) return this.message("paste", reply.error);
      const res = reply.result;
      if (res.errors && res.errors.length) return this.message("paste", res.errors[0].message);
      for (const name of this.counts) this.field(name).value = res.fields_text[name];
      // What the object says was served (tier, residency, web searches) sets those controls.
      for (const [name, value] of Object.entries(res.served_fields || {})) this.field(name).value = value;
      this.message("paste", res.filled_text, "info");
      this.recompute();
    }

    async estimateTokens() {
      const text = this.field("prompt").value;
      const out = this.root.getElementById("pb-prompt-out");
      const reply = await call("tokens", { text });
      if (this.dead || !reply.ok) return;
      const r = reply.result;
      if (r.errors && r.errors.length) {
        out.textContent = r.errors[0].message;
        return;
      }
      this.tokens = r.tokens || null;
      this.useTokens.disabled = !r.tokens;
      out.textContent = r.text;
    }
  }

  // ---- the "paste your error" box on the troubleshooting index ---------------------------------
  // It answers on every keystroke, without the worker: errors-match.js ranks with the rules the
  // build exported from calculator/errors_match.py into the page (#pb-error-rules), the same
  // ranking as `pricebook errors`. `?error=` fills the box (the header search's "Match this error";
  // not `?q=`, which Material reads as a search and answers with its overlay over the lookup).
  function errorLookup(div) {
    if (div.dataset.pbReady) return;
    div.dataset.pbReady = "1";
    const area = h("textarea", { id: "pb-error-text", rows: "4", spellcheck: "false",
      placeholder: "The error message, status line or log line, as you got it", "aria-describedby": "pb-error-msg" });
    const msg = h("p", { id: "pb-error-msg", class: "pb-msg", role: "status", "aria-live": "polite" });
    const list = h("ol", { class: "pb-error-results" });
    const ask = h("div", { class: "pb-error-question", hidden: "" });
    div.replaceChildren(h("label", { for: "pb-error-text" }, "Paste your error"), area, msg, list, ask);
    const source = document.getElementById("pb-error-rules");
    let compiled = null;
    try {
      compiled = window.pricebookErrors.compile(JSON.parse(source.dataset.rules));
    } catch (e) {
      msg.textContent = `The lookup could not start (${e.message}). Browse the families below instead.`;
      return;
    }
    const run = () => {
      const text = area.value;
      if (!text.trim()) {
        list.replaceChildren();
        msg.textContent = "";
        return;
      }
      const matches = window.pricebookErrors.rank(compiled, text);
      // Match URLs are site paths ("errors/out-of-balance/#cause-stale-key"): resolved against the
      // site's root. A match links to its deciding cause when the text picks one; the best match's
      // question, when it has one, follows the list, each answer linking to the cause it points to.
      const link = (url, label) => h("a", { href: new URL(String(url || "").replace(/^\/+/, ""), SITE).href }, label);
      list.replaceChildren(...matches.map((m) => {
        const why = Array.isArray(m.evidence) && m.evidence.length ? ` (${m.evidence.slice(0, 3).join(", ")})` : "";
        const li = h("li", { "data-family": m.family }, link(m.cause ? m.cause.url : m.url, m.title || m.family),
          h("span", { class: "pb-help" }, why));
        if (m.cause) li.append(h("span", { class: "pb-error-cause", "data-cause": m.cause.id }, "Deciding cause: ",
          link(m.cause.url, m.cause.title)));
        return li;
      }));
      const q = matches.length ? matches[0].question : null;
      ask.hidden = !q;
      ask.replaceChildren(...(q ? [h("p", {}, h("strong", {}, q.text)), h("ul", {}, ...q.answers.map((a) =>
        h("li", { "data-cause": a.cause }, `${a.answer} `, link(a.url, a.title))))] : []));
      msg.textContent = matches.length ? (matches.length === 1 ? "This page fits:" : "These pages fit, the closest first:") :
        "No troubleshooting page matches that text. Browse the families below.";
    };
    area.addEventListener("input", run);
    window.pricebookErrors.warm(compiled); // the patterns compiled before the first paste, in tasks of their own
    const q = new URLSearchParams(location.search).get("error");
    if (q) {
      area.value = q;
      run();
    }
  }

  // ---- the header search: an error text pasted there goes to the lookup -------------------------
  // Material's search finds pages by words; a pasted error (a JSON body, an exception, a status with
  // a phrase) is better answered by the lookup, so the results offer "Match this error", a link to
  // errors/?error=<the text>, which the lookup reads. Shown only for text that looks like an error.
  const ERROR_LIKE = /[{}"]|\b[1-5]\d\d\b|error|exception|invalid|denied|exceeded|quota|balance|limit|overload|unauthori[sz]ed|forbidden|not found|too (?:many|long|large)/i;
  function searchToLookup() {
    const input = document.querySelector(".md-search__input");
    const wrap = document.querySelector(".md-search__scrollwrap");
    if (!input || !wrap || input.dataset.pbLookup) return;
    input.dataset.pbLookup = "1";
    const link = h("a", { class: "md-button md-button--primary pb-search-error" }, "Match this error");
    const box = h("p", { class: "pb-search-error-box", hidden: "" }, link,
      h("span", { class: "pb-help" }, " on the troubleshooting index"));
    wrap.prepend(box);
    const update = () => {
      const q = input.value.trim();
      const show = q.length >= 12 && (ERROR_LIKE.test(q) || q.length > 80);
      box.hidden = !show;
      if (show) link.href = new URL(`errors/?error=${encodeURIComponent(q.slice(0, 2000))}`, SITE).href;
    };
    input.addEventListener("input", update);
    input.addEventListener("keydown", (e) => { // Ctrl/Cmd+Enter: straight to the lookup
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !box.hidden) {
        e.preventDefault();
        link.click();
      }
    });
  }

  // ---- page lifecycle -------------------------------------------------------------------------
  let current = null;
  let pendingQuery = null; // a Calculator whose link is not written yet
  const flush = () => pendingQuery && pendingQuery.flushQuery();
  document.addEventListener("click", flush, true); // before Material's instant navigation sees it
  window.addEventListener("pagehide", flush);
  function onPage() {
    if (current) current.destroy();
    current = null;
    const form = document.getElementById("pb-calculator");
    if (form) current = new Calculator(form);
    const lookup = document.getElementById("error-lookup");
    if (lookup) errorLookup(lookup);
    searchToLookup();
  }

  // The page logic waits for Material's document$ (this script comes after Material's bundle), or
  // for the DOM on a page without Material.
  function attach() {
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
    else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
    else onPage();
  }

  // `call` and `engine` also serve the tests and the benchmark.
  window.pricebook = { call, engine };
  attach();
})();
