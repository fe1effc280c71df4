// Head view: queries left, keys right, a line per (query, key) whose opacity is the attention
// weight, coloured by head. Layer select, head swatches (click: that head; shift-click: add or
// remove it), hover a token to keep only its lines, and a grid of every head as a thumbnail.
EG.mount(function () {
  var g = data.geom, att = data.attention, T = data.tokens.length;
  var L = att.length, H = att[0].length;
  var state = { layer: data.layer, heads: [data.head], focus: null };
  var live = EG.el("div");
  var bar = EG.el("div", "eg-hv-controls");
  bar.appendChild(EG.el("span", "", "Layer"));
  var select = EG.el("select", "eg-hv-layer");
  for (var l = 0; l < L; l++) {
    var opt = EG.el("option", "", l);
    opt.value = String(l);
    select.appendChild(opt);
  }
  select.value = String(state.layer);
  select.addEventListener("change", function () { state.layer = +select.value; draw(); });
  bar.appendChild(select);
  bar.appendChild(EG.el("span", "", "Heads"));
  var swatches = [];
  for (var h = 0; h < H; h++) swatches.push(swatch(h));
  live.appendChild(bar);
  var caption = EG.el("div", "eg-caption");
  live.appendChild(caption);
  var svg = EG.svg("svg", { "class": "eg-hv", width: g.width, height: g.height });
  svg.appendChild(EG.svg("text", { "class": "eg-hv-hdr", x: g.left, y: 12, "text-anchor": "end" }, "query"));
  svg.appendChild(EG.svg("text", { "class": "eg-hv-hdr", x: g.right, y: 12 }, "key"));
  var lines = EG.svg("g", {});
  svg.appendChild(lines);
  var labels = { q: [], k: [] };
  data.tokens.forEach(function (t, i) {
    ["q", "k"].forEach(function (side) {
      var a = { "class": "eg-hv-" + side, x: side === "q" ? g.left : g.right, y: y(i), "dominant-baseline": "middle", "data-i": i };
      if (side === "q") a["text-anchor"] = "end";
      var node = EG.svg("text", a, EG.short(EG.label(t.text), 20));
      node.appendChild(EG.svg("title", {}, "#" + i + " \u00b7 id " + t.id));
      node.addEventListener("mouseenter", function () { state.focus = { side: side, i: i }; draw(); });
      svg.appendChild(node);
      labels[side].push(node);
    });
  });
  svg.addEventListener("mouseleave", function () { state.focus = null; draw(); });
  var scroll = EG.el("div", "eg-scroll");
  scroll.appendChild(svg);
  live.appendChild(scroll);
  var thumbs = grid();
  var thumbScroll = EG.el("div", "eg-scroll");
  thumbScroll.appendChild(thumbs.node);
  live.appendChild(thumbScroll);
  draw();
  return live;

  function y(i) { return g.top + g.row * i + g.row / 2; }

  function swatch(h) {
    var s = EG.el("span", "eg-hv-head", h);
    s.setAttribute("data-h", h);
    s.style.backgroundColor = data.colors[h];
    s.title = "head " + h + " \u00b7 click: this head \u00b7 shift-click: add or remove";
    s.addEventListener("click", function (ev) {
      var at = state.heads.indexOf(h);
      if (!ev.shiftKey) state.heads = [h];
      else if (at < 0) state.heads = state.heads.concat([h]).sort(function (a, b) { return a - b; });
      else if (state.heads.length > 1) state.heads = state.heads.filter(function (x) { return x !== h; });
      draw();
    });
    bar.appendChild(s);
    return s;
  }

  function grid() {
    var node = EG.el("div", "eg-hv-grid");
    node.style.gridTemplateColumns = "auto repeat(" + H + ", auto)";
    var cells = [], size = Math.max(24, Math.min(64, 2 * T));
    node.appendChild(EG.el("span"));
    for (var h = 0; h < H; h++) node.appendChild(EG.el("span", "", "h" + h));
    for (var l = 0; l < L; l++) {
      node.appendChild(EG.el("span", "", "layer " + l));
      for (var h2 = 0; h2 < H; h2++) cells.push(thumb(node, l, h2, size));
    }
    return { node: node, cells: cells };
  }

  function thumb(parent, l, h, size) {
    var c = EG.el("canvas", "eg-hv-thumb");
    c.width = size;
    c.height = size;
    c.setAttribute("data-l", l);
    c.setAttribute("data-h", h);
    c.title = "layer " + l + " head " + h;
    var ctx = c.getContext("2d"), cell = size / T, rgb = EG.rgb(data.colors[h]);
    att[l][h].forEach(function (row, q) {
      row.forEach(function (w, k) {
        if (w <= 0) return;
        ctx.fillStyle = EG.hex(EG.tint(rgb, w));
        ctx.fillRect(k * cell, q * cell, Math.ceil(cell), Math.ceil(cell));
      });
    });
    c.addEventListener("click", function () {
      state.layer = l;
      state.heads = [h];
      select.value = String(l);
      draw();
    });
    parent.appendChild(c);
    return c;
  }

  function draw() {
    while (lines.firstChild) lines.removeChild(lines.firstChild);
    var f = state.focus;
    state.heads.forEach(function (h) {
      att[state.layer][h].forEach(function (row, q) {
        if (f && f.side === "q" && f.i !== q) return;
        row.forEach(function (w, k) {
          if (w < data.minWeight || (f && f.side === "k" && f.i !== k)) return;
          lines.appendChild(EG.svg("line", {
            "class": "eg-hv-line", x1: g.x1, y1: y(q), x2: g.x2, y2: y(k), stroke: data.colors[h],
            "stroke-opacity": w, "data-q": q, "data-k": k, "data-h": h
          }));
        });
      });
    });
    ["q", "k"].forEach(function (side) {
      labels[side].forEach(function (node, i) { node.classList.toggle("eg-hl", !!f && f.side === side && f.i === i); });
    });
    swatches.forEach(function (s, h) { s.classList.toggle("eg-on", state.heads.indexOf(h) >= 0); });
    thumbs.cells.forEach(function (c) {
      var on = +c.getAttribute("data-l") === state.layer && state.heads.indexOf(+c.getAttribute("data-h")) >= 0;
      c.classList.toggle("eg-on", on);
    });
    caption.textContent = "Attention \u00b7 layer " + state.layer + " \u00b7 head " + state.heads.join(", ") +
      " \u00b7 hover a token to keep its lines; click a head (shift-click: several) or a square below";
    root.setAttribute("data-eg-layer", state.layer);
    root.setAttribute("data-eg-heads", state.heads.join(","));
  }
});
