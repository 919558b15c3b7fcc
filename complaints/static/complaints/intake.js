// Resident typeahead of the intake form (C2): search as you type through estates' scoped JSON
// endpoint; picking a result fills the hidden resident field. No inline script (CSP).
(function () {
  "use strict";
  var form = document.querySelector("form.tj-intake");
  if (!form) { return; }
  var input = form.querySelector("[data-resident-search]");
  var hidden = form.querySelector("input[name=resident]");
  var results = document.getElementById("resident-results");
  var chosen = document.getElementById("resident-chosen");
  var url = form.getAttribute("data-search-url");
  var timer = null;
  var seq = 0;

  function clear() { while (results.firstChild) { results.removeChild(results.firstChild); } }

  function pick(item) {
    hidden.value = item.id;
    chosen.textContent = item.name + " · " + item.unit + (item.phone ? " · " + item.phone : "");
    clear();
  }

  function show(items) {
    clear();
    items.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action";
      button.setAttribute("role", "option");
      // textContent, never innerHTML: names are user input.
      button.textContent = item.unit + " " + item.name + (item.phone ? " " + item.phone : "") + (item.matched ? " · " + item.matched : "");
      button.addEventListener("click", function () { pick(item); });
      results.appendChild(button);
    });
  }

  input.addEventListener("input", function () {
    hidden.value = "";
    chosen.textContent = "";
    var q = input.value.trim();
    window.clearTimeout(timer);
    if (!q) { clear(); return; }
    timer = window.setTimeout(function () {
      var mine = ++seq;
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === seq) { show(data.results || []); } })
        .catch(function () { clear(); });
    }, 200);
  });
}());
