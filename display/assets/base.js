// Shared helpers, pasted into every view's function(rootID){...}; nothing
// here is global. Data comes only from the JSON block and reaches the page
// only through textContent and attributes, never through innerHTML.
// The running script's own container first: some notebook front ends run
// output scripts before the output is attached to the document.
var me = document.currentScript;
var root = (me && me.closest && me.closest(".eccogo")) || document.getElementById(rootID);
if (!root || root.getAttribute("data-eg-ready")) {
  return;
}
var dataNode = root.querySelector("script.eg-data");
var data = JSON.parse(dataNode ? dataNode.textContent : "null");
var SVGNS = "http://www.w3.org/2000/svg";
var EG = {
  el: function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  },
  svg: function (tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  },
  clamp01: function (t) {
    if (!(t > 0)) return 0;
    return t > 1 ? 1 : t;
  },
  rgb: function (hex) {
    return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
  },
  hex: function (c) {
    return "#" + c.map(function (v) { return (v < 16 ? "0" : "") + v.toString(16); }).join("");
  },
  // tint mixes white with c by t (same arithmetic as tint in color.go).
  tint: function (c, t) {
    t = EG.clamp01(t);
    return c.map(function (v) { return Math.round(255 + (v - 255) * t); });
  },
  luminance: function (c) {
    var lin = function (v) {
      var x = v / 255;
      return x <= 0.04045 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  },
  textOn: function (c) {
    return EG.luminance(c) < 0.179 ? [255, 255, 255] : [0, 0, 0];
  },
  // paint sets a background and its contrasting text colour; null clears both.
  paint: function (node, c) {
    node.style.backgroundColor = c ? EG.hex(c) : "";
    node.style.color = c ? EG.hex(EG.textOn(c)) : "";
  },
  label: function (s) {
    if (s === "") return "\u2205";
    var marks = { "\r\n": "\u21b5", "\n": "\u21b5", "\r": "\u240d", "\t": "\u21e5" };
    return s.replace(/\r\n|\n|\r|\t/g, function (m) { return marks[m]; });
  },
  breaks: function (s) {
    return Math.min((s.match(/\n/g) || []).length, 2);
  },
  short: function (s, n) {
    var cps = Array.from(s);
    return cps.length > n ? cps.slice(0, n - 1).join("") + "\u2026" : s;
  },
  pct: function (v) {
    return (100 * v).toFixed(1) + "%";
  },
  // tokens appends token boxes (and the ">>" marker and line breaks) to
  // parent and returns the boxes, one per token.
  tokens: function (parent, tokens, nInput, detailed) {
    var wrap = EG.el("div", "eg-tokens");
    var boxes = tokens.map(function (t, i) {
      if (i === nInput && nInput > 0) {
        var m = EG.el("span", "eg-marker", ">>");
        m.title = "generated tokens follow";
        wrap.appendChild(m);
      }
      var cls = "eg-tok " + (i < nInput ? "eg-in" : "eg-out") + (t.partial && i > 0 ? " eg-partial" : "") + (detailed ? " eg-det" : "");
      var box = EG.el("span", cls);
      box.setAttribute("data-i", i);
      box.title = "#" + i + " \u00b7 id " + t.id + " \u00b7 " + (i < nInput ? "input" : "output");
      box.appendChild(EG.el("span", "eg-txt", EG.label(t.text)));
      if (detailed) {
        var bar = EG.el("span", "eg-bar");
        bar.appendChild(EG.el("span"));
        box.appendChild(bar);
        box.appendChild(EG.el("span", "eg-val"));
      }
      wrap.appendChild(box);
      for (var b = EG.breaks(t.text); b > 0; b--) wrap.appendChild(document.createElement("br"));
      return box;
    });
    parent.appendChild(wrap);
    return boxes;
  },
  // tipper adds one floating tooltip box to parent and returns show(node,
  // lines): show(node, [..]) places the lines under node, show(null) hides it.
  tipper: function (parent) {
    var tip = EG.el("div", "eg-tip");
    tip.setAttribute("role", "tooltip");
    tip.style.display = "none";
    parent.appendChild(tip);
    return function (node, lines) {
      if (!node) {
        tip.style.display = "none";
        return;
      }
      tip.textContent = "";
      lines.forEach(function (l) { tip.appendChild(EG.el("div", "", l)); });
      var p = node.getBoundingClientRect(), q = parent.getBoundingClientRect();
      tip.style.left = (p.left - q.left) + "px";
      tip.style.top = (p.bottom - q.top + 2) + "px";
      tip.style.display = "block";
    };
  },
  // mount builds the interactive view; on success it replaces the static
  // rendering, on failure the static rendering stays.
  mount: function (build) {
    try {
      var live = build();
      live.classList.add("eg-live");
      var old = root.querySelector(".eg-live");
      if (old) old.remove();
      var stat = root.querySelector(".eg-static");
      if (stat) stat.style.display = "none";
      root.appendChild(live);
      root.setAttribute("data-eg-ready", "1");
      root.setAttribute("data-ecco-ready", "1"); // the marker notebook tests wait for
    } catch (e) {
      if (window.console) console.error("ecco-go display:", e);
    }
  }
};
