/* Print views (S1, S14, S15, S19, S20): the print button. A file, not an inline handler (CSP). */
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
