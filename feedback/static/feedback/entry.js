// The front door (F1): show C2's script only for a complaint, the assignment only for a service
// request. Without JavaScript everything stays visible and the server decides. No inline script (CSP).
(function () {
  "use strict";
  var form = document.querySelector("form.tj-entry");
  if (!form) { return; }
  var kind = form.querySelector("select[name=kind]");
  var script = document.getElementById("c2-script");
  var service = form.querySelectorAll(".tj-service");
  function update() {
    var value = kind.value;
    if (script) { script.hidden = value !== "complaint"; }
    service.forEach(function (el) { el.hidden = value !== "service"; });
  }
  kind.addEventListener("change", update);
  update();
}());
