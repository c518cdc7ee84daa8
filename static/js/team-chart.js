// The team page's chart: per track, how many people completed it, are on it, are overdue or
// have not started. The numbers come from the page (Django's json_script, no inline script);
// the table below the chart holds the same numbers for screen readers and without JavaScript.
(function () {
  "use strict";

  // Okabe–Ito colours: told apart with the common colour-vision deficiencies; the legend
  // names each, and the table carries the numbers.
  var COLOURS = {
    completed: "#009E73",
    in_progress: "#0072B2",
    overdue: "#D55E00",
    not_started: "#8C8C8C",
  };

  function draw() {
    var source = document.getElementById("team-chart-data");
    var canvas = document.getElementById("team-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // One bar per track: give each room, so long titles and many tracks stay readable.
    canvas.parentElement.style.height = Math.max(10, data.labels.length * 2.6 + 6) + "rem";

    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: COLOURS[set.key] || "#5a6478",
            borderColor: "#ffffff",
            borderWidth: 1,
          };
        }),
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
            stacked: true,
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: "People" },
          },
          y: { stacked: true },
        },
        plugins: {
          legend: { position: "bottom", labels: { color: "#1d2433" } },
          tooltip: { mode: "index", intersect: false },
        },
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
