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

// Phones: the main navigation folds behind the "Menu" button in the header. The button says
// whether it is open (aria-expanded); Escape closes it and gives the focus back to it.
(function () {
  "use strict";
  var button = document.querySelector(".site-header .nav-toggle");
  var header = document.querySelector(".site-header");
  if (!button || !header) return;
  var nav = document.getElementById(button.getAttribute("aria-controls"));

  function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("nav-open", open);
  }
  button.addEventListener("click", function () { setOpen(!isOpen()); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !isOpen()) return;
    var active = document.activeElement;
    if (active === button || (nav && nav.contains(active))) {
      setOpen(false);
      button.focus();
    }
  });
})();

// "/" jumps to the search box (the home page's big one, else the header's), as on GitHub or
// MDN; never while typing in a field, and never with Ctrl, Alt or Cmd (browser shortcuts).
(function () {
  "use strict";
  function isTyping(target) {
    if (!target || target === document.body) return false;
    if (target.isContentEditable) return true;
    return Boolean(target.closest && target.closest("input, textarea, select, [contenteditable]"));
  }
  function visible(element) { return element.getClientRects().length > 0 && !element.disabled; }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.defaultPrevented || event.isComposing || isTyping(event.target)) return;
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-search-shortcut]"));
    var inMain = boxes.filter(function (box) { return box.closest("main") && visible(box); });
    var box = inMain[0] || boxes.filter(visible)[0];
    if (!box) return;
    event.preventDefault(); // or the "/" would land in the box
    box.focus();
    box.select();
  });
})();

// "Copy link" on an article: the clipboard API where the browser allows it, otherwise the
// read-only field with the link appears selected, for Ctrl+C. The outcome is announced in the
// include's aria-live region (and shown beside the button).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-link]").forEach(function (box) {
    var button = box.querySelector("button");
    var field = box.querySelector(".copy-link-field");
    var input = box.querySelector("input");
    var status = box.querySelector("[aria-live]");
    if (!button || !field || !input || !status) return;
    var clearTimer;
    button.hidden = false;

    function announce(text) {
      // Emptied first so that a second copy announces again.
      status.textContent = "";
      window.clearTimeout(clearTimer);
      window.setTimeout(function () { status.textContent = text; }, 50);
      clearTimer = window.setTimeout(function () { status.textContent = ""; }, 5000);
    }
    function selectField() {
      field.hidden = false;
      input.focus();
      input.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      announce(copied ? "Link copied" : "Press Ctrl+C (or Cmd+C) to copy the selected link");
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () {
          announce("Link copied");
        }, selectField);
      } else {
        selectField();
      }
    });
  });
})();
