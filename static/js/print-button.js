// "Print" buttons ([data-print], hidden until this runs): the browser's print dialog, which
// uses the page's print stylesheet. Without JavaScript the button stays hidden; the browser's
// own Print menu does the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
