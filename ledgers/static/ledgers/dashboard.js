/* The ledgers dashboard's charts, drawn from the json_script blocks of the page. */
(function () {
  const palette = ["#b3261e", "#1f6feb", "#2da44e", "#bf8700", "#8250df", "#57606a", "#cf222e"];
  Chart.defaults.animation = false;  // charts are complete at once, so printing never catches them half drawn
  Chart.defaults.devicePixelRatio = 2;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  function draw(canvas, source, type, options) {
    const d = data(source);
    d.datasets.forEach(function (ds, i) { ds.backgroundColor = palette[i % palette.length]; ds.borderColor = palette[i % palette.length]; });
    new Chart(document.getElementById(canvas), {type: type, data: d, options: Object.assign({responsive: true, maintainAspectRatio: false}, options || {})});
  }
  draw("chart-type-status", "data-type-status", "bar", {indexAxis: "y", scales: {y: {stacked: true}, x: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}});
  draw("chart-activities", "data-activities", "bar", {plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true, ticks: {precision: 0}}}});
  draw("chart-patents", "data-patents", "bar", {scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}});
  draw("chart-compliance", "data-compliance", "bar", {scales: {y: {beginAtZero: true, max: 100, ticks: {callback: function (v) { return v + "%"; }}}}});
  window.addEventListener("beforeprint", function () { Object.values(Chart.instances).forEach(function (c) { c.resize(); }); });
})();
