// The track editor: after htmx swaps in the reordered step list, the focus goes to the moved
// step's button (marked data-focus by the server), so a keyboard user can press it again.
// Focus is given here rather than through the autofocus attribute, which the browser honours
// once per page and may apply late, after the user has already moved on.
(function () {
  "use strict";
  document.body.addEventListener("htmx:afterSettle", function () {
    var button = document.querySelector("#step-list [data-focus]");
    if (!button) return;
    button.removeAttribute("data-focus");
    button.focus();
  });
})();
