// The team mentoring page's chart: how many pairings are in each state. The numbers come from
// the page (Django's json_script, no inline script); the table below the chart holds the same
// numbers for screen readers and without JavaScript. Training's team chart stacks statuses
// per track; here a pairing has one state, so each state is a bar of its own ("all goals met"
// cuts across the states, and the page shows it as a number apart).
(function () {
  "use strict";

  // Okabe–Ito colours: told apart with the common colour-vision deficiencies; every bar is
  // named on the axis, and the table carries the numbers.
  var COLOURS = {
    at_risk: "#D55E00",
    on_track: "#0072B2",
    waiting: "#8C8C8C",
    completed: "#009E73",
    ended: "#CC79A7",
  };
  // The page's own text size: Chart.js's default 12px reads small, on a phone above all.
  var TICKS = { size: 14 };

  function draw() {
    var source = document.getElementById("mentoring-chart-data");
    var canvas = document.getElementById("mentoring-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: "Pairings",
            data: data.values,
            backgroundColor: data.keys.map(function (key) { return COLOURS[key] || "#5a6478"; }),
            borderColor: "#ffffff",
            borderWidth: 1,
          },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        // Still for those who asked their system for less motion, hover included.
        animation: still ? false : { duration: 400 },
        transitions: { active: { animation: { duration: still ? 0 : 400 } } },
        scales: {
          x: {
            beginAtZero: true,
            ticks: { precision: 0, font: TICKS },
            title: { display: true, text: "Pairings", font: TICKS },
          },
          y: { ticks: { autoSkip: false, font: TICKS } },
        },
        plugins: { legend: { display: false } },
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
