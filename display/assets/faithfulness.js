// Faithfulness view: methods as rows of two bars (AOPC comprehensiveness and
// sufficiency); the buttons re-rank them, hovering a row lists its values at
// each k. Both orders' geometry comes computed from Go (faithfulness.go).
EG.mount(function () {
  var live = EG.el("div");
  var caption = EG.el("div", "eg-caption");
  live.appendChild(caption);
  var buttons = EG.el("div");
  live.appendChild(buttons);
  var scroll = EG.el("div", "eg-scroll");
  live.appendChild(scroll);
  var tip = EG.tipper(live);
  var legend = root.querySelector(".eg-static .eg-legend");
  if (legend) live.appendChild(legend.cloneNode(true));

  function bar(b, color) {
    var g = EG.svg("g", {});
    g.appendChild(EG.svg("rect", { x: b.x, y: b.y, width: b.w, height: 11, fill: color }));
    g.appendChild(EG.svg("text", { "class": "eg-faith-val", x: b.tx, y: b.y, dy: 9 }, b.value));
    return g;
  }

  function draw(by) {
    var L = data.orders[by];
    scroll.textContent = "";
    var svg = EG.svg("svg", { "class": "eg-faith-chart", width: L.width, height: L.height, viewBox: "0 0 " + L.width + " " + L.height, role: "img" });
    L.rows.forEach(function (r) {
      var g = EG.svg("g", { "class": "eg-faith-row", "data-method": r.method });
      g.appendChild(EG.svg("text", { "class": "eg-lbl", x: 0, y: r.ly }, r.method));
      g.appendChild(bar(r.comp, data.colors.comprehensiveness));
      g.appendChild(bar(r.suff, data.colors.sufficiency));
      g.addEventListener("mouseenter", function () { g.classList.add("eg-hl"); tip(g, r.title.split("\n")); });
      g.addEventListener("mouseleave", function () { g.classList.remove("eg-hl"); tip(null); });
      svg.appendChild(g);
    });
    svg.appendChild(EG.svg("line", { x1: L.zeroX, x2: L.zeroX, y1: 0, y2: L.height, stroke: "#888" }));
    scroll.appendChild(svg);
    caption.textContent = (data.context ? "faithfulness on " + data.context : "faithfulness") + " \u00b7 ranked by " + by;
    Array.prototype.forEach.call(buttons.children, function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-by") === by)); });
    root.setAttribute("data-eg-order", by);
  }

  ["comprehensiveness", "sufficiency"].forEach(function (by) {
    var b = EG.el("button", "eg-faith-sort", "rank by " + by);
    b.type = "button";
    b.setAttribute("data-by", by);
    b.addEventListener("click", function () { draw(by); });
    buttons.appendChild(b);
  });
  draw("comprehensiveness");
  return live;
});
