// Heatmap grid (ranks or [0, 1] scores): coloured cells with the value
// written in them; hovering a cell highlights its row and column labels and
// describes it in the caption.
EG.mount(function () {
  var live = EG.el("div");
  var L = data.layout;
  if (data.title) live.appendChild(EG.el("div", "eg-title", data.title));
  var caption = EG.el("div", "eg-caption", "hover a cell for details");
  live.appendChild(caption);
  var pen = EG.rgb(data.pen);
  var maxRank = 1;
  data.values.forEach(function (row) { row.forEach(function (v) { if (v > maxRank) maxRank = v; }); });
  // scale as rankScale / clamp01 in Go.
  function scale(v) {
    if (data.kind !== "rank") return EG.clamp01(v);
    if (v <= 1 || maxRank <= 1) return 1;
    return EG.clamp01(1 - Math.log(v) / Math.log(maxRank));
  }
  function text(v) { return data.kind === "rank" ? String(Math.trunc(v)) : v.toFixed(2); }
  var svg = EG.svg("svg", { "class": "eg-grid", width: L.width, height: L.height, viewBox: "0 0 " + L.width + " " + L.height, role: "img" });
  function label(cls, attr, i, x, y, anchor, full, n) {
    var t = EG.svg("text", { "class": "eg-lbl " + cls, x: x, y: y, "text-anchor": anchor });
    t.setAttribute(attr, i);
    t.appendChild(EG.svg("title", {}, full));
    t.appendChild(document.createTextNode(EG.short(EG.label(full), n)));
    svg.appendChild(t);
    return t;
  }
  var tops = (data.top || []).map(function (s, c) {
    return label("eg-top", "data-c", c, L.left + c * L.cellW + L.cellW / 2, L.top - 6, "middle", s, 7);
  });
  var rows = data.rows.map(function (s, r) {
    return label("eg-row", "data-r", r, L.left - 6, L.top + r * L.cellH + Math.floor(L.cellH / 2) + 4, "end", s, 18);
  });
  var cells = [];
  data.values.forEach(function (row, r) {
    row.forEach(function (v, c) {
      var bg = EG.tint(pen, scale(v));
      var g = EG.svg("g", { "class": "eg-c", "data-r": r, "data-c": c });
      g.appendChild(EG.svg("title", {}, data.rows[r] + " \u00d7 " + data.cols[c] + ": " + text(v)));
      var rect = EG.svg("rect", { "class": "eg-cell", x: L.left + c * L.cellW, y: L.top + r * L.cellH, width: L.cellW, height: L.cellH, fill: EG.hex(bg) });
      g.appendChild(rect);
      g.appendChild(EG.svg("text", { x: L.left + c * L.cellW + L.cellW / 2, y: L.top + r * L.cellH + Math.floor(L.cellH / 2) + 4, "text-anchor": "middle", fill: EG.hex(EG.textOn(bg)) }, text(v)));
      g.addEventListener("mouseenter", function () { focus(r, c, v); });
      g.addEventListener("click", function () { focus(r, c, v); });
      svg.appendChild(g);
      cells.push({ rect: rect, r: r, c: c });
    });
  });
  var cols = data.cols.map(function (s, c) {
    return label("eg-col", "data-c", c, L.left + c * L.cellW + L.cellW / 2, L.top + data.rows.length * L.cellH + 14, "middle", s, 7);
  });
  function focus(r, c, v) {
    rows.forEach(function (t, i) { t.classList.toggle("eg-hl", i === r); });
    cols.forEach(function (t, i) { t.classList.toggle("eg-hl", i === c); });
    tops.forEach(function (t, i) { t.classList.toggle("eg-hl", i === c); });
    cells.forEach(function (x) { x.rect.classList.toggle("eg-hl", x.r === r && x.c === c); });
    caption.textContent = data.rows[r] + " \u00d7 \u201c" + EG.label(data.cols[c]) + "\u201d" +
      (data.top ? " (after \u201c" + EG.label(data.top[c]) + "\u201d)" : "") + ": " + (data.kind === "rank" ? "rank " : "") + text(v);
    root.setAttribute("data-eg-cell", r + "," + c);
  }
  var scroll = EG.el("div", "eg-scroll");
  scroll.appendChild(svg);
  live.appendChild(scroll);
  return live;
});
