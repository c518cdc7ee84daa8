// The rotation request form: the fields the chosen kind needs. A job rotation asks for the
// host team (and optionally a colleague there to guide you); shadowing asks for the colleague
// only and is one day, so the host team and the last day are hidden. Hidden fields are
// disabled, so a value chosen before switching kind is not sent. A field's help text for
// each kind comes from the form's data-help-<field>-<kind> attributes (empty: no help).
// Without JavaScript every field stays visible with its general help text, and the server
// checks what each kind needs.
(function () {
  "use strict";
  var form = document.querySelector("form[data-rotation-form]");
  if (!form) return;
  var names = ["host_team", "host_person", "ends_on"];
  var generalHelp = {};
  names.forEach(function (name) {
    var help = document.getElementById("id_" + name + "_helptext");
    if (help) generalHelp[name] = help.textContent;
  });

  function wrapper(name) {
    var input = document.getElementById("id_" + name);
    return input ? input.closest(".field") : null;
  }

  function show(name, visible) {
    var field = wrapper(name);
    if (!field) return;
    field.hidden = !visible;
    field.querySelectorAll("input, select, textarea").forEach(function (input) {
      input.disabled = !visible;
    });
  }

  function setHelp(name, kind) {
    var help = document.getElementById("id_" + name + "_helptext");
    if (!help) return;
    var attribute = "data-help-" + name.replace(/_/g, "-") + "-" + kind;
    var text = form.hasAttribute(attribute) ? form.getAttribute(attribute) : generalHelp[name];
    help.textContent = text;
    help.hidden = !text;
  }

  function update() {
    var checked = form.querySelector('input[name="kind"]:checked');
    var kind = checked ? checked.value : "rotation";
    var shadowing = kind === "shadowing";
    show("host_team", !shadowing);
    show("ends_on", !shadowing);
    names.forEach(function (name) { setHelp(name, kind); });
  }

  form.querySelectorAll('input[name="kind"]').forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
