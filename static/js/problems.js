/* The problem queue's keyboard: j/k move, Enter opens, c claims, n claims the next one.
   Also the script "copy" buttons. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-problem-row]")); }

  function select(row) {
    rows().forEach(function (r) { r.classList.toggle("selected", r === row); });
    if (!row) { return; }
    row.scrollIntoView({ block: "nearest" });
    var link = row.querySelector("a");
    if (link) { link.focus({ preventScroll: true }); link.click(); }
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var current = all.findIndex(function (r) { return r.classList.contains("selected"); });
    var next = current < 0 ? 0 : Math.min(all.length - 1, Math.max(0, current + step));
    select(all[next]);
  }

  function press(selector) {
    var button = document.querySelector(selector);
    if (button && !button.disabled) { button.click(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.target.closest("input, textarea, select, [contenteditable]")) { return; }
    switch (event.key) {
      case "j": event.preventDefault(); move(1); break;
      case "k": event.preventDefault(); move(-1); break;
      case "c": event.preventDefault(); press("[data-hotkey=claim]"); break;
      case "n": event.preventDefault(); press("[data-hotkey=claim-next]"); break;
      default: break;
    }
  });

  /* After an action the list reloads itself; keep the open problem marked in it. */
  document.addEventListener("htmx:configRequest", function (event) {
    var list = document.getElementById("problem-list");
    var open = document.querySelector("[data-problem]");
    if (list && open && event.detail.elt === list) {
      event.detail.parameters.selected = open.getAttribute("data-problem");
    }
  });

  /* The filter block stays open or closed as the agent left it, across reloads. */
  function restoreOpen() {
    document.querySelectorAll("details[data-remember-open]").forEach(function (box) {
      box.open = window.localStorage.getItem("open:" + box.dataset.rememberOpen) === "1";
    });
  }
  document.addEventListener("toggle", function (event) {
    var box = event.target;
    if (box.matches && box.matches("details[data-remember-open]")) {
      window.localStorage.setItem("open:" + box.dataset.rememberOpen, box.open ? "1" : "0");
    }
  }, true);
  document.addEventListener("DOMContentLoaded", restoreOpen);
  document.addEventListener("htmx:afterSettle", restoreOpen);

  document.addEventListener("click", function (event) {
    var row = event.target.closest("[data-problem-row]");
    if (row) { rows().forEach(function (r) { r.classList.toggle("selected", r === row); }); }
    var copy = event.target.closest("[data-copy-button]");
    if (copy) {
      var text = copy.parentElement.querySelector("[data-copy]");
      if (text && navigator.clipboard) { navigator.clipboard.writeText(text.textContent.trim()); }
    }
  });
})();
