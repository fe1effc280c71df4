// Before/after comparison: the static table, made live: hovering a token highlights it on
// both sides.
EG.mount(function () {
  var live = root.querySelector(".eg-static").cloneNode(true);
  live.className = "";
  live.style.display = "";
  var rows = Array.prototype.slice.call(live.querySelectorAll("tr.eg-cmp-row"));
  rows.forEach(function (r) {
    r.addEventListener("mouseenter", function () {
      var id = r.getAttribute("data-id");
      rows.forEach(function (o) { o.classList.toggle("eg-hl", o.getAttribute("data-id") === id); });
    });
  });
  live.addEventListener("mouseleave", function () { rows.forEach(function (o) { o.classList.remove("eg-hl"); }); });
  return live;
});
