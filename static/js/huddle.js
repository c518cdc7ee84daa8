// Huddle's small progressive enhancements. Everything works without JavaScript; this file
// only adds comfort. No inline scripts anywhere, so the Content-Security-Policy stays strict.
(function () {
  "use strict";
  // Close the user menu when clicking elsewhere or pressing Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
})();

// The header search box is an ARIA combobox: htmx fills #search-suggestions with a listbox of
// titles; ArrowDown/ArrowUp move through the options, Enter opens the active one, Escape closes.
(function () {
  "use strict";
  var input = document.getElementById("header-q");
  var box = document.getElementById("search-suggestions");
  if (!input || !box) return;

  function options() {
    return Array.prototype.slice.call(box.querySelectorAll('[role="option"]'));
  }
  function setActive(option) {
    options().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function close() {
    box.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    setActive(null);
  }
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== box) return;
    input.setAttribute("aria-expanded", options().length ? "true" : "false");
    setActive(null);
  });
  input.addEventListener("keydown", function (event) {
    var all = options();
    if (!all.length) return;
    var current = all.indexOf(box.querySelector('[aria-selected="true"]'));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = current < 0 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
      setActive(all[next]);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      window.location.assign(all[current].dataset.href);
    } else if (event.key === "Escape") {
      event.preventDefault(); // the first Escape closes the list; the next clears the box
      close();
    }
  });
  box.addEventListener("mousedown", function (event) {
    // Keep focus in the box long enough for the click on a suggestion to land.
    if (event.target.closest('[role="option"]')) event.preventDefault();
  });
  box.addEventListener("click", function (event) {
    var option = event.target.closest('[role="option"]');
    if (option) window.location.assign(option.dataset.href);
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 150); });
})();
