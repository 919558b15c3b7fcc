/* Print views (C14, C15): the print button. A file, not an inline handler (CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-tj-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
