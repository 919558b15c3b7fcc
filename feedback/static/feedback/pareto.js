// F2: the Pareto chart of categories (bars: count, line: cumulative %). ECharts is vendored
// (static/vendor/echarts), drawn with the SVG renderer so that it prints sharply; the table beside it
// carries the same figures without JavaScript. Data from json_script, no inline script (CSP).
(function () {
  "use strict";
  var holder = document.getElementById("pareto-chart");
  var source = document.getElementById("pareto-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.labels || !data.labels.length) { holder.hidden = true; return; }
  holder.style.height = "320px";
  var chart = window.echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    grid: { left: 40, right: 48, top: 30, bottom: 60 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
    ],
    series: [
      { type: "bar", data: data.counts, itemStyle: { color: "#0d6efd" } },
      { type: "line", yAxisIndex: 1, data: data.cumulative, itemStyle: { color: "#dc3545" }, label: { show: true, formatter: "{c}%" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
