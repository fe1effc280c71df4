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

  function select(step) {
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
    caption.textContent = method + " \u00b7 token #" + sel + " \u201c" + EG.label(data.tokens[sel].text) +
      "\u201d over the " + sel + " tokens before it \u00b7 hover or tap a generated token";
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
  select(0);
  return live;
});
