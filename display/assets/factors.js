// NMF factor view: sparklines per factor; tokens coloured by their dominant
// factor; hovering or tapping a factor shows that factor alone.
EG.mount(function () {
  var live = EG.el("div");
  var factors = data.factors;
  var pens = data.palette.map(EG.rgb);
  // Rescale each factor to its own peak (as normalizeRows in factors.go).
  var norm = factors.map(function (row) {
    var m = 0;
    row.forEach(function (v) { if (v > m) m = v; });
    return row.map(function (v) { return m > 0 ? EG.clamp01(v / m) : 0; });
  });
  live.appendChild(EG.el("div", "eg-caption",
    "Each token takes the colour of its strongest factor \u00b7 hover or tap a factor to show it alone"));

  var sparks = EG.el("div", "eg-sparks");
  var rows = norm.map(function (row, f) {
    var line = EG.el("div", "eg-spark");
    line.setAttribute("data-f", f);
    var sw = EG.el("span", "eg-swatch");
    sw.style.backgroundColor = data.palette[f];
    line.appendChild(sw);
    line.appendChild(EG.el("span", "", "Factor " + f));
    var w = Math.min(160, Math.max(80, 4 * row.length)), h = 20;
    var pts = row.map(function (v, p) {
      var x = row.length > 1 ? 2 + p * (w - 4) / (row.length - 1) : w / 2;
      return x.toFixed(1) + "," + (h - 2 - v * (h - 4)).toFixed(1);
    }).join(" ");
    var svg = EG.svg("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h, "aria-hidden": "true" });
    svg.appendChild(EG.svg("polyline", { points: pts, fill: "none", stroke: data.palette[f], "stroke-width": 1.5 }));
    line.appendChild(svg);
    sparks.appendChild(line);
    return line;
  });
  var body = EG.el("div", "eg-fbody");
  body.appendChild(sparks);
  live.appendChild(body);
  var boxes = EG.tokens(body, data.tokens, data.nInput, false);
  // Hovering a token shows its value in every factor (and the share of that factor's peak).
  var tip = EG.tipper(live);
  function factorLines(p) {
    return factors.map(function (row, f) {
      return "Factor " + f + ": " + row[p].toFixed(4) + " (" + EG.pct(norm[f][p]) + " of its peak)";
    });
  }
  boxes.forEach(function (box, p) {
    box.title += "\n" + factorLines(p).join("\n");
    box.addEventListener("mouseenter", function () { tip(box, ["#" + p + " \u201c" + EG.label(data.tokens[p].text) + "\u201d"].concat(factorLines(p))); });
    box.addEventListener("mouseleave", function () { tip(null); });
  });

  function showFactor(f) {
    boxes.forEach(function (box, p) { EG.paint(box, EG.tint(pens[f], norm[f][p])); });
    rows.forEach(function (r, g) { r.classList.toggle("eg-on", g === f); });
    root.setAttribute("data-eg-factor", f);
  }
  function showDominant() {
    boxes.forEach(function (box, p) {
      var best = -1, bestV = 0;
      norm.forEach(function (row, f) { if (row[p] > bestV) { best = f; bestV = row[p]; } });
      EG.paint(box, best >= 0 ? EG.tint(pens[best], bestV) : null);
    });
    rows.forEach(function (r) { r.classList.remove("eg-on"); });
    root.setAttribute("data-eg-factor", "all");
  }
  var pinned = -1;
  rows.forEach(function (r, f) {
    r.tabIndex = 0;
    r.addEventListener("mouseenter", function () { showFactor(f); });
    r.addEventListener("focus", function () { showFactor(f); });
    r.addEventListener("click", function () {
      pinned = pinned === f ? -1 : f;
      if (pinned >= 0) showFactor(pinned); else showDominant();
    });
  });
  sparks.addEventListener("mouseleave", function () {
    if (pinned >= 0) showFactor(pinned); else showDominant();
  });
  showDominant();

  if (data.topNeurons) {
    var table = EG.el("table", "eg-neurons");
    var head = EG.el("tr");
    head.appendChild(EG.el("th", "", "rank"));
    data.topNeurons.forEach(function (_, f) {
      var th = EG.el("th", "", "Factor " + f);
      th.style.color = data.palette[f];
      head.appendChild(th);
    });
    var thead = EG.el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = EG.el("tbody");
    var depth = 0;
    data.topNeurons.forEach(function (l) { depth = Math.max(depth, l.length); });
    for (var r = 0; r < depth; r++) {
      var tr = EG.el("tr");
      tr.appendChild(EG.el("td", "", r + 1));
      data.topNeurons.forEach(function (l) {
        var n = l[r];
        tr.appendChild(EG.el("td", "", n ? "L" + n.layer + " \u00b7 N" + n.index + " \u00b7 " + n.weight.toFixed(3) : ""));
      });
      tbody.appendChild(tr);
    }
    table.appendChild(tbody);
    var wrap = EG.el("div", "eg-neurons-wrap");
    wrap.appendChild(table);
    live.appendChild(wrap);
  }
  return live;
});
