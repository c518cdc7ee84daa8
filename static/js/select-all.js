// "Select all" and "Clear" beside a list of checkboxes (attendance, assigning a track). The
// buttons sit in the page hidden, in a box whose data-select-all names the element holding
// the checkboxes; this file shows them and makes them work. Without it, people tick the boxes
// one by one and the form works the same.
(function () {
  "use strict";

  function boxes(group) {
    var holder = document.getElementById(group.getAttribute("data-select-all"));
    return holder ? holder.querySelectorAll('input[type="checkbox"]:not(:disabled)') : [];
  }

  function setUp() {
    document.querySelectorAll("[data-select-all]").forEach(function (group) {
      if (!boxes(group).length) return;
      group.hidden = false;
      group.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-select]");
        if (!button) return;
        var checked = button.getAttribute("data-select") === "all";
        boxes(group).forEach(function (box) {
          if (box.checked !== checked) {
            box.checked = checked;
            box.dispatchEvent(new Event("change", { bubbles: true }));
          }
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
