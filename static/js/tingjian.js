/* Tingjian's own behaviour. Loaded as a file (CSP: no inline scripts, no on*= attributes).
 * Behaviour is attached by class or data attribute:
 *   <form data-confirm="Are you sure?">  asks before submitting (the text is translated in the template).
 *   <select class="tj-autosubmit">       submits its form on change.
 *   <textarea data-tj-counter maxlength>  shows "typed / limit" under the box (common.forms sets both).
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Prevent double submission (two complaints from one double click); re-enabled on pageshow.
    if (form.dataset.tjSubmitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.tjSubmitted = "1";
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-tj-submitted]").forEach(function (form) {
      delete form.dataset.tjSubmitted;
    });
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.classList.contains("tj-autosubmit") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });

  function counter(box) {
    var limit = parseInt(box.getAttribute("maxlength"), 10);
    if (!limit) return;
    var out = document.createElement("div");
    out.className = "form-text text-end tj-counter";
    out.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", out);
    var update = function () {
      out.textContent = box.value.length + " / " + limit;
      out.classList.toggle("text-danger", box.value.length >= limit);
    };
    box.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-tj-counter]").forEach(counter);
  });
})();
