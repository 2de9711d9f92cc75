/* The buyer's web chat page: everything shared lives in chat_common.js. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-composer-text]");
    if (box && window.matchMedia("(min-width: 700px)").matches) { box.focus(); }
  });
})();
