// Dataset report: the static rendering, made live: clicking a header of a token table sorts
// its rows by that column (numbers largest first, tokens alphabetically).
EG.mount(function () {
  var live = root.querySelector(".eg-static").cloneNode(true);
  live.className = "";
  live.style.display = "";
  Array.prototype.forEach.call(live.querySelectorAll("table.eg-ds-toktable"), function (table) {
    var body = table.querySelector("tbody");
    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th, col) {
      th.addEventListener("click", function () {
        var rows = Array.prototype.slice.call(body.rows);
        var num = th.getAttribute("data-sort") === "num";
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          if (num) return parseFloat(y.getAttribute("data-v")) - parseFloat(x.getAttribute("data-v"));
          return x.textContent < y.textContent ? -1 : x.textContent > y.textContent ? 1 : 0;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        table.setAttribute("data-sorted", col);
      });
    });
  });
  return live;
});
