/* What the pages do in the browser, from a file: the Content-Security-Policy runs no inline
   script or event handler. Behaviour is asked for with data- attributes. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var target = event.target;
    // <select data-submit-on-change>: a filter that applies itself
    if (target.matches("[data-submit-on-change]") && target.form) {
      target.form.submit();
    }
    // <input type="checkbox" data-check-all="input[name=x]">: tick or untick them all
    if (target.matches("[data-check-all]")) {
      document.querySelectorAll(target.getAttribute("data-check-all")).forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });

  // <button data-formset-add="members" data-template="id" data-target="id">: one more form
  // of a Django formset, from its empty form in a <template>
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) {
      return;
    }
    var total = document.getElementById("id_" + button.getAttribute("data-formset-add") + "-TOTAL_FORMS");
    var template = document.getElementById(button.getAttribute("data-template"));
    var html = template.innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById(button.getAttribute("data-target")).insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
})();
