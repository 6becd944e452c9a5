// 分数段统计: candidates per 10-point segment as a bar chart (ECharts, vendored).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-segments-chart]");
  var data = document.getElementById("segments-data");
  if (!box || !data || !window.echarts) { return; }
  var values = JSON.parse(data.textContent);
  var chart = window.echarts.init(box);
  chart.setOption({
    grid: { left: 40, right: 16, top: 20, bottom: 60 },
    // Drawn on the canvas: ECharts' HTML tooltip carries style="" attributes, which the CSP refuses.
    tooltip: { trigger: "axis", renderMode: "richText" },
    xAxis: { type: "category", data: values.labels, axisLabel: { rotate: 45 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: values.counts, itemStyle: { color: "#1d4f91" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
