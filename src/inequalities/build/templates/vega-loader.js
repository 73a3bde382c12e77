// Draw every chart on the page from its inert JSON spec, with the Vega bundle inlined above.
(function () {
  "use strict";
  document.querySelectorAll("script.vega-spec").forEach(function (node) {
    var target = document.getElementById(node.getAttribute("data-target"));
    if (!target || typeof window.vegaEmbed !== "function") { return; }
    var spec = JSON.parse(node.textContent);
    var label = target.getAttribute("aria-label");
    window.vegaEmbed(target, spec, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false }
    }).then(function () {
      // vega-embed sets its own role/label; keep the figure's alternative text.
      if (label) { target.setAttribute("aria-label", label); target.setAttribute("role", "img"); }
    }).catch(function (error) { target.textContent = "Chart could not be drawn: " + error; });
  });
})();
