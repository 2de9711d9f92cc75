/* Behaviour shared by every page. No inline script anywhere: the CSP forbids it. */
(function () {
  "use strict";

  /* Elements with data-confirm ask before their form submits or htmx request fires. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  /* A button with data-copy="#field" copies that field's text and says so. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) { return; }
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      window.setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else {
      field.select();
      document.execCommand("copy");
      done();
    }
  });

  /* Keyboard: "/" focuses the page's search box, like the seller workbench. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.target.closest("input, textarea, select, [contenteditable]")) { return; }
    var search = document.querySelector("[data-hotkey-search]");
    if (search) { event.preventDefault(); search.focus(); }
  });
})();
