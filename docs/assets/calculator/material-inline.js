// Material for MkDocs' small inline scripts, as a same-origin file for pages that send a
// Content-Security-Policy without 'unsafe-inline' (the calculator). docs/overrides/partials/
// javascripts/*.html include this file with data-part="base" | "palette" | "content" on such
// pages only; the code of each part is Material 9.x's own, unchanged in behaviour.
(function () {
  var script = document.currentScript;
  var part = script && script.dataset.part;
  if (part === "base") {
    window.__md_scope = new URL(script.dataset.scope, location);
    window.__md_hash = function (e) {
      return [...e].reduce(function (e, _) { return (e << 5) - e + _.charCodeAt(0); }, 0);
    };
    window.__md_get = function (e, _ = localStorage, t = window.__md_scope) {
      return JSON.parse(_.getItem(t.pathname + "." + e));
    };
    window.__md_set = function (e, _, t = localStorage, a = window.__md_scope) {
      try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (err) { /* storage full or off */ }
    };
    if (script.hasAttribute("data-lazy-search")) lazySearchWorker();
  } else if (part === "palette") {
    var palette = window.__md_get("__palette");
    if (palette && palette.color) {
      if (palette.color.media === "(prefers-color-scheme)") {
        var media = matchMedia("(prefers-color-scheme: light)");
        var input = document.querySelector(media.matches
          ? "[data-md-color-media='(prefers-color-scheme: light)']"
          : "[data-md-color-media='(prefers-color-scheme: dark)']");
        palette.color.media = input.getAttribute("data-md-color-media");
        palette.color.scheme = input.getAttribute("data-md-color-scheme");
        palette.color.primary = input.getAttribute("data-md-color-primary");
        palette.color.accent = input.getAttribute("data-md-color-accent");
      }
      for (var [key, value] of Object.entries(palette.color)) {
        document.body.setAttribute("data-md-color-" + key, value);
      }
    }
  } else if (part === "content") {
    if (script.dataset.tabsLink === "True") {
      var tabs = window.__md_get("__tabs");
      if (Array.isArray(tabs)) {
        sets: for (var set of document.querySelectorAll(".tabbed-set")) {
          var labels = set.querySelector(".tabbed-labels");
          for (var tab of tabs) {
            for (var label of labels.getElementsByTagName("label")) {
              if (label.innerText.trim() === tab) {
                document.getElementById(label.htmlFor).checked = true;
                continue sets;
              }
            }
          }
        }
      }
    }
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
  }

  // On the calculator page (data-lazy-search), Material's search worker is made only when the reader
  // first turns to search: a focus, click or tap on the search box or its icon, or a key of
  // Material's search shortcuts (f, s, /). Material makes it as its bundle starts, and posts it the
  // whole index to build (lunr, every page's text) at once, which would take one of the machine's
  // cores from Pyodide's start. Until then a stand-in (an EventTarget with postMessage) keeps what
  // Material posts and the listeners it adds, and hands them on to the real worker once made.
  // Other workers (the calculator's) are made as usual; window.Worker is restored once Material's
  // is asked for, or at the page's load event.
  function lazySearchWorker() {
    var Native = window.Worker;
    if (typeof Native !== "function" || typeof EventTarget !== "function") return;
    var isSearch = function (url) {
      try {
        return /\/assets\/javascripts\/workers\/search\.[^/]*\.js$/.test(new URL(url, location.href).pathname);
      } catch (err) {
        return false;
      }
    };
    var restore = function () { if (window.Worker === Lazy) window.Worker = Native; };
    var Lazy = function (url, options) {
      if (!isSearch(url)) return new Native(url, options);
      restore();
      var stand = new EventTarget();
      var queue = [];
      var real = null;
      var wake = function () {
        if (real) return;
        for (var type of WAKE) document.removeEventListener(type, onEvent, true);
        real = new Native(url, options);
        real.onmessage = function (event) { stand.dispatchEvent(new MessageEvent("message", { data: event.data })); };
        real.onerror = function (event) { stand.dispatchEvent(new ErrorEvent("error", { message: event.message })); };
        for (var [message, transfer] of queue) real.postMessage(message, transfer);
        queue = null;
      };
      stand.postMessage = function (message, transfer) {
        if (real) real.postMessage(message, transfer);
        else queue.push([message, transfer || []]);
      };
      stand.terminate = function () {
        if (real) real.terminate();
        queue = [];
      };
      var onEvent = function (event) {
        var target = event.target instanceof Element ? event.target : null;
        if (event.type === "keydown") {
          var typing = target && target.closest("input, textarea, select, [contenteditable]");
          if (typing ? !target.closest("[data-md-component=search]") : !/^[fs/]$/i.test(event.key)) return;
        } else if (!target || !target.closest("[data-md-component=search], label[for=__search], #__search")) {
          return;
        }
        wake();
      };
      var WAKE = ["focusin", "pointerdown", "click", "keydown", "change"];
      for (var type of WAKE) document.addEventListener(type, onEvent, true);
      window.__md_search_wake = wake; // for tests
      return stand;
    };
    Lazy.prototype = Native.prototype;
    window.Worker = Lazy;
    window.addEventListener("load", restore);
  }
})();
