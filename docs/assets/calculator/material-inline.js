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
})();
