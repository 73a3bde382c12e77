// Draw every chart on the page from its inert JSON spec, with the Vega bundle inlined above.
(function () {
  "use strict";
  document.querySelectorAll("script.vega-spec").forEach(function (node) {
    var target = document.getElementById(node.getAttribute("data-target"));
    if (!target || typeof window.vegaEmbed !== "function") { return; }
    var spec = JSON.parse(node.textContent);
    var label = target.getAttribute("aria-label") || "";
    window.vegaEmbed(target, spec, {
      renderer: "svg",
      // One small menu: save the chart as SVG or PNG. Tooltips come from the chart's own
      // tooltip encodings (vega-embed's default tooltip handler).
      actions: { export: true, source: false, compiled: false, editor: false },
      downloadFileName: target.id
    }).then(function () {
      // The container now holds an interactive menu, so it can no longer be one image
      // (axe: nested-interactive); the chart's SVG carries the figure's alternative text.
      target.removeAttribute("role");
      target.removeAttribute("aria-label");
      var svg = target.querySelector("svg.marks") || target.querySelector(":scope > svg");
      if (svg && label) { svg.setAttribute("aria-label", label); }
      var summary = target.querySelector("details > summary");
      if (summary) { summary.setAttribute("aria-label", "Chart menu: save this chart as an image"); }
    }).catch(function (error) {
      target.removeAttribute("role");
      target.textContent = "The chart could not be drawn (" + error + "); its data can be downloaded below.";
    });
  });
})();
