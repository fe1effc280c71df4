// Sequence view: the tokens, prompt and generated styled apart.
EG.mount(function () {
  var live = EG.el("div");
  var n = data.tokens.length;
  live.appendChild(EG.el("div", "eg-caption", data.nInput + " prompt tokens \u00b7 " + (n - data.nInput) + " generated"));
  EG.tokens(live, data.tokens, data.nInput, false);
  return live;
});
