/* S13: the Pareto chart (排列图) of dissatisfied answers by item, drawn with the vendored ECharts (SVG
   renderer, so it prints). The data comes from a json_script block; the table beside it carries the
   same figures for readers without JavaScript. A file, not inline (CSP). */
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") {
    return;
  }
  document.querySelectorAll("[data-tj-pareto]").forEach(function (node) {
    var source = document.getElementById(node.getAttribute("data-tj-pareto"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: [data.bar, data.line] },
      grid: { left: 48, right: 48, bottom: 80 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: [
        { type: "value", name: data.bar, minInterval: 1 },
        { type: "value", name: "%", min: 0, max: 100 },
      ],
      series: [
        { name: data.bar, type: "bar", data: data.counts, itemStyle: { color: "#dc3545" } },
        { name: data.line, type: "line", yAxisIndex: 1, data: data.cumulative, label: { show: true, formatter: "{c}%" } },
      ],
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  });
})();
