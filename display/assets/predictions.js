// Layer predictions: per layer the top-k candidates; hovering a candidate
// highlights the same token id in every layer and lists its probabilities.
EG.mount(function () {
  var live = EG.el("div");
  var cap = "Top predictions of each layer for position " + data.position;
  if (data.target) cap += " (actual token \u201c" + EG.label(data.target.text) + "\u201d, outlined)";
  cap += " \u00b7 hover a token to follow it across layers";
  var caption = EG.el("div", "eg-caption", cap);
  live.appendChild(caption);
  var cands = [];
  var scroll = EG.el("div", "eg-scroll");
  live.appendChild(scroll);
  data.layers.forEach(function (layer) {
    var row = EG.el("div", "eg-layer");
    row.appendChild(EG.el("div", "eg-layer-label", "Layer " + layer.layer));
    layer.tokens.forEach(function (text, i) {
      var id = layer.ids[i], pr = layer.probs[i];
      var box = EG.el("div", "eg-cand" + (data.target && data.target.id === id ? " eg-target" : ""));
      box.setAttribute("data-id", id);
      box.title = JSON.stringify(text) + " \u00b7 id " + id + " \u00b7 " + (100 * pr).toFixed(2) + "%";
      box.appendChild(EG.el("div", "eg-cand-tok", EG.label(text)));
      var bar = EG.el("span", "eg-bar"), fill = EG.el("span");
      fill.style.width = (100 * pr).toFixed(1) + "%";
      fill.style.backgroundColor = data.bar;
      bar.appendChild(fill);
      box.appendChild(bar);
      box.appendChild(EG.el("div", "eg-pct", EG.pct(pr)));
      box.addEventListener("mouseenter", function () { follow(id, text); });
      box.addEventListener("click", function () { follow(id, text); });
      row.appendChild(box);
      cands.push({ box: box, id: id });
    });
    scroll.appendChild(row);
  });
  function follow(id, text) {
    cands.forEach(function (c) { c.box.classList.toggle("eg-hl", c.id === id); });
    var parts = data.layers.map(function (layer) {
      var i = layer.ids.indexOf(id);
      return "layer " + layer.layer + ": " + (i >= 0 ? EG.pct(layer.probs[i]) : "not in top " + layer.ids.length);
    });
    caption.textContent = "\u201c" + EG.label(text) + "\u201d (id " + id + ") \u00b7 " + parts.join(" \u00b7 ");
    root.setAttribute("data-eg-follow", id);
  }
  live.addEventListener("mouseleave", function () {
    cands.forEach(function (c) { c.box.classList.remove("eg-hl"); });
    caption.textContent = cap;
    root.removeAttribute("data-eg-follow");
  });
  return live;
});
