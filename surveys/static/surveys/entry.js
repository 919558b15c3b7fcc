/* Paper entry (S7) from the keyboard alone: a digit 1-5 in a level box fills it and moves to the next
   level box; other keys are ignored there (Tab, Backspace and Enter work as usual, Enter saves).
   Without JavaScript the page still works: type the digit, Tab on. A file, not inline (CSP). */
(function () {
  "use strict";
  var form = document.querySelector("[data-tj-entry]");
  if (!form) {
    return;
  }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[data-level]"));
  form.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-level")) {
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (/^[1-5]$/.test(event.key)) {
      event.preventDefault();
      box.value = event.key;
      var next = boxes[boxes.indexOf(box) + 1];
      if (next) {
        next.focus();
        next.select();
      }
    } else if (event.key === "0" || event.key === " ") {
      event.preventDefault();
      box.value = "";
      var after = boxes[boxes.indexOf(box) + 1];
      if (after) {
        after.focus();
      }
    } else if (event.key.length === 1) {
      event.preventDefault();
    }
  });
})();
