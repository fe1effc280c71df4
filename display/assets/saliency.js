// Saliency view: hover, tap or focus a generated token to colour the tokens
// before it by their attribution to it (rescaled to the step's maximum).
EG.mount(function () {
  var live = EG.el("div");
  var caption = EG.el("div", "eg-caption");
  live.appendChild(caption);
  var detailed = data.style === "detailed";
  var boxes = EG.tokens(live, data.tokens, data.nInput, detailed);
  var pen = EG.rgb(data.colors.scale);
  var method = data.method || "attribution";
  var tip = EG.tipper(live);
  var step = 0;

  // scoreLine is what the tooltip of token i says about the selected step.
  function scoreLine(i) {
    var scores = data.scores[step], sel = data.nInput + step;
    if (i < scores.length) return method + " " + EG.pct(scores[i]) + " \u00b7 " + scores[i].toPrecision(4) + " of token #" + sel;
    return i === sel ? "token #" + sel + ": the token explained" : "after token #" + sel;
  }

  function select(s) {
    step = s;
    var scores = data.scores[step];
    var sel = data.nInput + step;
    var maxV = 0;
    scores.forEach(function (v) { if (v > maxV) maxV = v; });
    boxes.forEach(function (box, i) {
      var inPrefix = i < scores.length;
      var t = inPrefix && maxV > 0 ? EG.clamp01(scores[i] / maxV) : 0;
      box.classList.toggle("eg-sel", i === sel);
      box.classList.toggle("eg-muted", !inPrefix && i !== sel);
      EG.paint(box, inPrefix ? EG.tint(pen, t) : null);
      if (detailed) {
        box.querySelector(".eg-bar > span").style.width = (100 * t).toFixed(1) + "%";
        box.querySelector(".eg-val").textContent = inPrefix ? EG.pct(scores[i]) : "\u00b7";
      }
    });
    var rather = data.foils ? " rather than foil \u201c" + EG.label(data.foils[step]) + "\u201d" : "";
    caption.textContent = method + " \u00b7 token #" + sel + " \u201c" + EG.label(data.tokens[sel].text) +
      "\u201d" + rather + " over the " + sel + " tokens before it \u00b7 hover or tap a generated token";
    root.setAttribute("data-eg-step", step);
  }

  boxes.forEach(function (box, i) {
    if (i < data.nInput) return;
    var step = i - data.nInput;
    box.classList.add("eg-pick");
    box.tabIndex = 0;
    box.addEventListener("mouseenter", function () { select(step); });
    box.addEventListener("click", function () { select(step); });
    box.addEventListener("focus", function () { select(step); });
  });
  // After the selection listeners: a generated token first selects itself.
  boxes.forEach(function (box, i) {
    box.addEventListener("mouseenter", function () { tip(box, ["#" + i + " \u201c" + EG.label(data.tokens[i].text) + "\u201d", scoreLine(i)]); });
    box.addEventListener("mouseleave", function () { tip(null); });
  });
  select(data.first || 0);
  return live;
});
