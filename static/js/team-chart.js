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

  // A track's title on the y-axis, in lines of at most `width` characters; beyond `most`
  // lines it ends with "…". Chart.js draws an array as several lines, and the tooltip keeps
  // the whole title (it reads the label, not the tick).
  function wrap(title, width, most) {
    var lines = [];
    var line = "";
    title.split(/\s+/).forEach(function (word) {
      while (word.length > width) {
        if (line) { lines.push(line); line = ""; }
        lines.push(word.slice(0, width - 1) + "-");
        word = word.slice(width - 1);
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= width) line += " " + word;
      else { lines.push(line); line = word; }
    });
    if (line) lines.push(line);
    if (lines.length > most) {
      lines = lines.slice(0, most);
      var last = lines[most - 1].replace(/-$/, "");
      lines[most - 1] = (last.length >= width ? last.slice(0, width - 1) : last) + "…";
    }
    return lines.length > 1 ? lines : lines[0];
  }

  // About how many characters fit beside the bars: Chart.js gives the y-axis at most half
  // the chart's width, and a 12px system font averages about 6.5px a character.
  function lineWidth(chartWidth) {
    return Math.max(10, Math.floor((chartWidth / 2 - 16) / 6.5));
  }

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
          y: {
            stacked: true,
            ticks: {
              autoSkip: false,
              callback: function (value) {
                return wrap(String(this.getLabelForValue(value)), lineWidth(this.chart.width), 2);
              },
            },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { color: "#1d2433" } },
          // The whole title, however the axis had to shorten it.
          tooltip: {
            mode: "index",
            intersect: false,
            callbacks: {
              title: function (items) {
                return items.length ? data.labels[items[0].dataIndex] : "";
              },
            },
          },
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
