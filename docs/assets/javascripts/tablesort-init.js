// Sortable tables and click-to-copy slugs on the generated pages. Glue only.
// tablesort.min.js and tablesort.number.min.js are vendored into assets/vendor/ at build time.
// Material's instant navigation swaps pages without a reload, so scripts run once: every page
// (the first and each one reached by a link) is set up from document$.
document$.subscribe(function () {
  document.querySelectorAll(".pb-sortable table").forEach(function (table) {
    if (table.dataset.pbSortable) return;
    table.dataset.pbSortable = "1";
    // Kept on the table: a table whose rows are rewritten (the calculator's ranking) calls
    // table.pbTablesort.refresh() to sort the new rows by the column the reader chose.
    table.pbTablesort = new Tablesort(table);
  });
  document.querySelectorAll("code.pb-slug").forEach(function (code) {
    if (code.dataset.pbCopy) return;
    code.dataset.pbCopy = "1";
    code.setAttribute("role", "button");
    code.setAttribute("tabindex", "0");
    var copy = function () {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(code.textContent.trim()).then(function () {
        code.classList.add("pb-copied");
        setTimeout(function () { code.classList.remove("pb-copied"); }, 1200);
      });
    };
    code.addEventListener("click", copy);
    code.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); copy(); }
    });
  });
});
