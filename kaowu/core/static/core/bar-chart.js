/* The staff statistics' bar chart (ECharts, vendored): 报考统计 (报考科次 and 已缴费科次) and 毕业统计
   (毕业申请 and 已毕业), drawn from the JSON in #stats-chart-data into #stats-chart. Horizontal bars,
   so that long course and major names stay readable on a phone; redrawn when the window is resized.
   The table under the chart holds the same figures. */
(function () {
  "use strict";

  function draw() {
    var holder = document.getElementById("stats-chart");
    var source = document.getElementById("stats-chart-data");
    if (!holder || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var rows = data.labels.length;
    holder.style.height = Math.max(200, rows * 36 + 70) + "px";
    var chart = window.echarts.init(holder, null, { renderer: "canvas" });

    function option() {
      var narrow = holder.clientWidth < 560;
      return {
        aria: { enabled: true },
        animation: false,
        color: ["#1d4f91", "#3aa06b"],
        textStyle: { fontFamily: "system-ui, -apple-system, \"PingFang SC\", \"Microsoft YaHei\", \"WenQuanYi Zen Hei\", sans-serif" },
        legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, data: data.series.map(function (s) { return s.name; }) },
        // Drawn on the canvas (richText), as plain text: ECharts' HTML tooltip would put course or major names
        // into innerHTML and carries style="" attributes, which the CSP refuses.
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" }, confine: true, renderMode: "richText",
          formatter: function (items) {
            var i = items[0].dataIndex;
            var lines = [data.codes[i] + " " + data.labels[i]];
            items.forEach(function (item) { lines.push(item.marker + item.seriesName + "：" + item.value); });
            return lines.join("\n");
          }
        },
        grid: { top: 32, left: 4, right: narrow ? 28 : 48, bottom: 4, containLabel: true },
        xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eef1f5" } } },
        yAxis: {
          type: "category", inverse: true, data: data.labels,
          axisTick: { show: false },
          axisLabel: { width: narrow ? 92 : 200, overflow: "truncate", fontSize: narrow ? 11 : 12 }
        },
        series: data.series.map(function (s) {
          return {
            name: s.name, type: "bar", data: data[s.key], barMaxWidth: 14, barGap: "15%",
            label: { show: true, position: "right", fontSize: narrow ? 10 : 11, color: "#3b4452" }
          };
        })
      };
    }

    chart.setOption(option());
    var timer;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        chart.setOption(option());
        chart.resize();
      }, 120);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
