// Sortable tables, the models table's filter box and click-to-copy slugs on the generated pages.
// Glue only. tablesort.min.js and tablesort.number.min.js are vendored into assets/vendor/ at
// build time. Material's instant navigation swaps pages without a reload, so scripts run once:
// every page (the first and each one reached by a link) is set up from document$.

// A money or token cell carries its exact value as <data value="..."> (hooks/sitegen/templates/
// _macros.md.j2, money): the column sorts by that value, never by the display text ("$10.00" after
// "$9.50"). A cell without one ("not offered", a dash) sorts after every value, cheapest first.
Tablesort.extend("pb-exact", function () { return false; }, function (a, b) {
  var x = a === "" ? Infinity : parseFloat(a);
  var y = b === "" ? Infinity : parseFloat(b);
  if (x === y) return 0;
  return x < y ? 1 : -1;
});

function pbSortable(table) {
  var heads = table.tHead ? table.tHead.rows[0].cells : [];
  Array.prototype.forEach.call(table.tBodies[0] ? table.tBodies[0].rows : [], function (row) {
    Array.prototype.forEach.call(row.cells, function (cell, i) {
      var value = cell.querySelector("data[value]");
      if (value) {
        cell.setAttribute("data-sort", value.getAttribute("value"));
        if (heads[i]) heads[i].setAttribute("data-sort-method", "pb-exact");
      }
    });
  });
  // cells of a money column without a value: sorted as missing, not as text
  Array.prototype.forEach.call(heads, function (head, i) {
    if (head.getAttribute("data-sort-method") !== "pb-exact") return;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (row.cells[i] && !row.cells[i].hasAttribute("data-sort")) row.cells[i].setAttribute("data-sort", "");
    });
  });
  // Kept on the table: a table whose rows are rewritten (the calculator's ranking) calls
  // table.pbTablesort.refresh() to sort the new rows by the column the reader chose.
  table.pbTablesort = new Tablesort(table);
}

// The filter box before a table (<input data-pb-filter>, shown only when this script runs): every
// word typed must occur in a row's text or in its slug's aliases (data-pb-also); other rows hide.
function pbFilter(box) {
  var input = box.querySelector("input[data-pb-filter]");
  var next = box.nextElementSibling;
  while (next && !next.classList.contains("pb-sortable")) next = next.nextElementSibling;
  var table = next && next.querySelector("table");
  var empty = box.querySelector("[data-pb-filter-empty]");
  if (!input || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (row) {
    var also = Array.prototype.map.call(row.querySelectorAll("[data-pb-also]"), function (el) {
      return el.getAttribute("data-pb-also");
    });
    return (row.textContent + " " + also.join(" ")).toLowerCase();
  });
  var apply = function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var match = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      row.hidden = !match;
      if (match) shown++;
    });
    if (empty) empty.hidden = shown > 0;
  };
  input.addEventListener("input", apply);
  box.hidden = false;
  if (input.value) apply();   // a value the browser restored on "back"
}

document$.subscribe(function () {
  document.querySelectorAll(".pb-sortable table").forEach(function (table) {
    if (table.dataset.pbSortable) return;
    table.dataset.pbSortable = "1";
    pbSortable(table);
  });
  document.querySelectorAll(".pb-filter").forEach(function (box) {
    if (box.dataset.pbReady) return;
    box.dataset.pbReady = "1";
    pbFilter(box);
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
