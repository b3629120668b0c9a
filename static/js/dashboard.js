/* Onestop: the admin dashboard's charts (Chart.js). The tables beside them hold the same
   figures, so the page works without this file. Data comes from the JSON block
   #dashboard-data; nothing runs inline (CSP: script-src 'self'). */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var Chart = window.Chart;

  // KRDS-like colours, one per zone; more zones reuse them.
  var COLOURS = ["#256ef4", "#0b8e5f", "#e17100", "#8a43d3", "#d6173f", "#2b8fa3"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#464c53";
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }

  function draw() {
    var seriesCanvas = document.getElementById("chart-series");
    if (seriesCanvas) {
      new Chart(seriesCanvas, {
        type: "bar",
        data: {
          labels: data.series.labels,
          datasets: data.series.datasets.map(function (set, index) {
            var colour = COLOURS[index % COLOURS.length];
            return { label: set.label, data: set.data, backgroundColor: colour, borderColor: colour };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          interaction: { mode: "index", intersect: false },
          scales: {
            x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 12 } },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
          },
          plugins: { legend: { position: "bottom" } }
        }
      });
    }

    var funnelCanvas = document.getElementById("chart-funnel");
    if (funnelCanvas) {
      new Chart(funnelCanvas, {
        type: "bar",
        data: {
          labels: data.funnel.labels,
          datasets: [{
            label: "건수 Count",
            data: data.funnel.data,
            backgroundColor: ["#256ef4", "#4c87f6", "#7aa6f8", "#0b8e5f", "#e17100", "#8a949e"]
          }]
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { display: false } }
        }
      });
    }
  }

  // Axis widths are measured when a chart is made: wait for the web font, or labels clip.
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(draw);
  } else {
    draw();
  }
})();
