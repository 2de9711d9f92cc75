/* Behaviour shared by every page. No inline script anywhere: the CSP forbids it. */
(function () {
  "use strict";

  /* Elements with data-confirm ask before their form submits or htmx request fires. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  /* Keyboard: "/" focuses the page's search box, like the seller workbench. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.target.closest("input, textarea, select, [contenteditable]")) { return; }
    var search = document.querySelector("[data-hotkey-search]");
    if (search) { event.preventDefault(); search.focus(); }
  });
})();
