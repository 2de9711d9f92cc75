/* Ticket page: click a complaint-step script to copy it for the chat window. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var script = event.target.closest("[data-copy]");
    if (!script || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(script.textContent.trim()).then(function () {
      script.classList.add("copied");
      window.setTimeout(function () { script.classList.remove("copied"); }, 1200);
    });
  });
})();
