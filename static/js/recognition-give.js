// The give form (give page and wall): the recipients picker and the cost line.
//
// Without this file the "To" box takes usernames separated by commas. With it, the box
// searches colleagues as you type (recognition:people-lookup answers with a listbox), and each
// colleague chosen becomes a chip holding a hidden `recipients` input, removed with its
// button (or Backspace in the empty box). The box is an ARIA combobox: ArrowDown/ArrowUp move
// through the options, Enter chooses, Escape closes. Whatever is still typed when the form is
// sent goes too, as usernames for the server to check. The cost line says what the kudos
// spends (points times colleagues) against what is left; the server checks again.
(function () {
  "use strict";

  function tokens(text) {
    return text.split(/[\s,;]+/).map(function (t) { return t.replace(/^@/, ""); }).filter(Boolean);
  }

  function setUpPicker(picker, form) {
    var input = picker.querySelector(".recipient-search input");
    var chips = picker.querySelector("[data-chips]");
    var box = picker.querySelector("[data-options]");
    var help = picker.querySelector("[data-help-script]");
    var live = picker.querySelector("[data-announce]");
    var url = picker.getAttribute("data-lookup-url");
    if (!input || !chips || !box || !url) return;
    var fieldName = input.name;
    var timer = null;
    var latest = 0;

    function chosen() {
      return Array.prototype.map.call(chips.querySelectorAll("input[type=hidden]"), function (i) { return i.value; });
    }
    function isChosen(username) {
      var wanted = username.toLowerCase();
      return chosen().some(function (u) { return u.toLowerCase() === wanted; });
    }
    function announce(text) {
      if (!live) return;
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    }
    function changed() {
      chips.hidden = !chips.children.length;
      form.dispatchEvent(new CustomEvent("recipients-changed"));
    }
    function addChip(username, name) {
      if (isChosen(username)) return false;
      var chip = document.createElement("li");
      chip.className = "chip";
      var label = document.createElement("span");
      label.textContent = name;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "chip-remove";
      remove.setAttribute("aria-label", "Remove " + name);
      remove.textContent = "\u00d7";
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = fieldName;
      hidden.value = username;
      chip.appendChild(label);
      chip.appendChild(remove);
      chip.appendChild(hidden);
      chips.appendChild(chip);
      return true;
    }
    function removeChip(chip) {
      var name = chip.querySelector("span").textContent;
      chip.remove();
      changed();
      input.focus();
      announce(name + " removed. " + count());
    }
    function count() {
      var n = chosen().length;
      return n === 1 ? "1 colleague chosen." : n + " colleagues chosen.";
    }

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
    function lookup() {
      var request = ++latest;
      var params = new URLSearchParams({ q: input.value.trim() });
      chosen().forEach(function (u) { params.append("chosen", u); });
      fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (request !== latest || document.activeElement !== input) return;
          box.innerHTML = html;
          input.setAttribute("aria-expanded", options().length ? "true" : "false");
          setActive(null);
        })
        .catch(function () { close(); });
    }
    function choose(option) {
      var name = option.getAttribute("data-name");
      addChip(option.getAttribute("data-username"), name);
      input.value = "";
      close();
      changed();
      input.focus();
      announce(name + " added. " + count());
    }

    // From here on the box searches, and the chips are what is sent: the colleagues already
    // in the box (prefilled, or sent back with an error) become chips, and anything the server
    // did not recognise stays typed in the box.
    var known = {};
    picker.querySelectorAll("[data-chosen] li").forEach(function (li) {
      known[li.getAttribute("data-username").toLowerCase()] = li;
    });
    var leftover = [];
    tokens(input.value).forEach(function (username) {
      var person = known[username.toLowerCase()];
      if (person) addChip(person.getAttribute("data-username"), person.getAttribute("data-name"));
      else leftover.push(username);
    });
    input.value = leftover.join(", ");
    input.removeAttribute("name");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);
    if (help) help.textContent = help.getAttribute("data-help-script");
    changed();

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 150);
    });
    input.addEventListener("focus", function () {
      if (!options().length) lookup();
    });
    input.addEventListener("keydown", function (event) {
      var all = options();
      var current = all.indexOf(box.querySelector('[aria-selected="true"]'));
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!all.length) { lookup(); return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = current < 0 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
        setActive(all[next]);
      } else if (event.key === "Enter") {
        // Enter in the box picks a colleague; it sends the form only from an empty box.
        if (current >= 0) {
          event.preventDefault();
          choose(all[current]);
        } else if (input.value.trim()) {
          event.preventDefault();
          if (all.length) choose(all[0]);
        }
      } else if (event.key === "Escape" && all.length) {
        event.preventDefault();
        close();
      } else if (event.key === "Backspace" && !input.value) {
        var last = chips.lastElementChild;
        if (last) {
          event.preventDefault();
          removeChip(last);
        }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    box.addEventListener("mousedown", function (event) {
      // Keep the focus in the box long enough for the click on an option to land.
      if (event.target.closest('[role="option"]')) event.preventDefault();
    });
    box.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) choose(option);
    });
    chips.addEventListener("click", function (event) {
      var button = event.target.closest(".chip-remove");
      if (button) removeChip(button.closest(".chip"));
    });
    form.addEventListener("submit", function () {
      // A username typed but not picked is sent as typed; the server says if nobody has it.
      tokens(input.value).forEach(function (username) {
        if (isChosen(username)) return;
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = fieldName;
        hidden.value = username;
        form.appendChild(hidden);
      });
    });
  }

  function setUpCost(form) {
    var points = form.querySelector(".points-input");
    var line = form.querySelector("[data-cost]");
    if (!points || !line) return;
    var left = parseInt(form.getAttribute("data-points-left"), 10);

    function update() {
      var people = form.querySelectorAll("[data-chips] input[type=hidden]").length;
      var each = Number(points.value);
      if (!people || points.value === "" || !Number.isInteger(each) || each < 0) {
        line.hidden = true;
        return;
      }
      var total = each * people;
      var text = people === 1
        ? "Costs " + total + " points."
        : "Costs " + total + " points: " + each + " for each of " + people + " colleagues.";
      var over = !isNaN(left) && total > left;
      if (over) text += " That is more than the " + left + " you have left.";
      line.textContent = text;
      line.classList.toggle("status-warn", over);
      line.hidden = false;
    }
    points.addEventListener("input", update);
    form.addEventListener("recipients-changed", update);
    update();
  }

  function setUp() {
    document.querySelectorAll("form[data-give-form]").forEach(function (form) {
      if (form.hasAttribute("data-give-ready")) return; // loaded twice: set up once
      form.setAttribute("data-give-ready", "");
      form.querySelectorAll("[data-recipient-picker]").forEach(function (picker) {
        setUpPicker(picker, form);
      });
      setUpCost(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
