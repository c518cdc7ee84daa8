// The insights page's charts: each canvas names the json_script element that holds its
// numbers (data-insights-chart), so no script is inline; the table below each chart holds
// the same numbers for screen readers and without JavaScript.
(function () {
  "use strict";

  // Okabe–Ito colours: told apart with the common colour-vision deficiencies; the legend
  // names each series, and the table carries the numbers.
  var COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];

  function shorten(label, most) {
    return label.length > most ? label.slice(0, most - 1) + "…" : label;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-insights-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // One group of bars per row: give each room, so many people stay readable.
    var perRow = 1.2 + data.datasets.length * 0.7;
    canvas.parentElement.style.height = Math.max(10, data.labels.length * perRow + 6) + "rem";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: "#ffffff",
            borderWidth: 1,
          };
        }),
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: still ? false : { duration: 400 },
        transitions: { active: { animation: { duration: still ? 0 : 400 } } },
        scales: {
          x: {
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: data.axis },
          },
          y: {
            ticks: {
              autoSkip: false,
              callback: function (value) {
                return shorten(String(this.getLabelForValue(value)), 28);
              },
            },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { color: "#1d2433" } },
          tooltip: { mode: "index", intersect: false },
        },
      },
    });
  }

  function drawAll() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-insights-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
