/* Owner dashboard charts. The data comes from a json_script block (not executed, so the
   CSP allows it); a series without any value shows "no data" instead of an empty chart. */
(function () {
  "use strict";

  var BRAND = "#ff5000", ACCENT = "#1664ff", OK = "#10a050", WARN = "#d48806";

  function hasValues(list) {
    return list.some(function (v) { return v !== null && v !== undefined; });
  }

  function noData(element, text) {
    var box = document.createElement("div");
    box.className = "kpi-no-data";
    box.textContent = text;
    element.appendChild(box);
  }

  function numbers(list) {
    return list.map(function (v) { return v === null ? null : Number(v); });
  }

  function chart(id, data, build, available) {
    var element = document.getElementById(id);
    if (!element) { return; }
    if (!available) { noData(element, data.noData); return; }
    var instance = window.echarts.init(element);
    instance.setOption(build(data));
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function days(data) { return data.days.map(function (d) { return d.slice(5); }); }

  function salesOption(data) {
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.sales, data.labels.inquiry_conversion] },
      grid: { left: 60, right: 50, top: 36, bottom: 28 },
      xAxis: { type: "category", data: days(data) },
      yAxis: [
        { type: "value", name: "¥" },
        { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } }
      ],
      series: [
        { name: data.labels.sales, type: "bar", data: numbers(data.sales), itemStyle: { color: BRAND } },
        { name: data.labels.inquiry_conversion, type: "line", yAxisIndex: 1, data: data.inquiry_conversion, itemStyle: { color: ACCENT }, connectNulls: true }
      ]
    };
  }

  function responseOption(data) {
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.first_response_seconds, data.labels.average_response_seconds] },
      grid: { left: 50, right: 20, top: 36, bottom: 28 },
      xAxis: { type: "category", data: days(data) },
      yAxis: { type: "value", name: "s" },
      series: [
        { name: data.labels.first_response_seconds, type: "line", data: data.first_response_seconds, itemStyle: { color: OK }, connectNulls: true },
        { name: data.labels.average_response_seconds, type: "line", data: data.average_response_seconds, itemStyle: { color: WARN }, connectNulls: true }
      ]
    };
  }

  function problemsOption(data) {
    var entries = Object.keys(data.problems_by_category).map(function (code) {
      return [data.categories[code] || code, data.problems_by_category[code]];
    }).sort(function (a, b) { return a[1] - b[1]; });
    return {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 110, right: 20, top: 10, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: entries.map(function (e) { return e[0]; }) },
      series: [{ type: "bar", data: entries.map(function (e) { return e[1]; }), itemStyle: { color: ACCENT } }]
    };
  }

  function refundsOption(data) {
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.after_sale_cost, data.labels.refund_amount] },
      grid: { left: 60, right: 20, top: 36, bottom: 28 },
      xAxis: { type: "category", data: days(data) },
      yAxis: { type: "value", name: "¥" },
      series: [
        { name: data.labels.after_sale_cost, type: "bar", data: numbers(data.after_sale_cost), itemStyle: { color: WARN } },
        { name: data.labels.refund_amount, type: "bar", data: numbers(data.refund_amount), itemStyle: { color: BRAND } }
      ]
    };
  }

  function dsrOption(data) {
    var dsr = data.dsr, colors = { description: BRAND, service: ACCENT, logistics: OK };
    var keys = ["description", "service", "logistics"];
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: keys.map(function (k) { return dsr.labels[k]; }) },
      grid: { left: 50, right: 20, top: 36, bottom: 28 },
      xAxis: { type: "category", data: dsr.days.map(function (d) { return d.slice(5); }) },
      yAxis: { type: "value", scale: true, max: 5, axisLabel: { formatter: function (v) { return v.toFixed(2); } } },
      series: keys.map(function (k) {
        return { name: dsr.labels[k], type: "line", data: numbers(dsr[k]), itemStyle: { color: colors[k] }, connectNulls: true, showSymbol: true };
      })
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("kpi-chart-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    chart("chart-sales", data, salesOption, hasValues(data.sales));
    chart("chart-response", data, responseOption, hasValues(data.first_response_seconds) || hasValues(data.average_response_seconds));
    chart("chart-problems", data, problemsOption, Object.keys(data.problems_by_category).length > 0);
    chart("chart-refunds", data, refundsOption, hasValues(data.after_sale_cost) || hasValues(data.refund_amount));
    chart("chart-dsr", data, dsrOption, hasValues(data.dsr.description));
  });
})();
