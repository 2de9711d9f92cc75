/* Shared by the agent workspace and the buyer's web chat: keep the log scrolled to the
   newest message, Enter sends (Shift+Enter for a new line), the box clears once sent,
   and a refused request shows its reason. No inline script: the CSP forbids it. */
(function () {
  "use strict";
  var stickToBottom = true;

  function log() { return document.getElementById("chat-log"); }

  function scrollDown(force) {
    var el = log();
    if (el && (force || stickToBottom)) { el.scrollTop = el.scrollHeight; }
  }

  document.addEventListener("scroll", function (event) {
    var el = log();
    if (event.target === el) {
      stickToBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () { scrollDown(true); });
  document.addEventListener("htmx:afterSettle", function () { scrollDown(false); });

  document.addEventListener("keydown", function (event) {
    var box = event.target.closest && event.target.closest("[data-composer-text]");
    if (!box || event.key !== "Enter" || event.shiftKey || event.isComposing) { return; }
    event.preventDefault();
    var file = box.form.querySelector("[data-composer-file]");
    if (box.value.trim() || (file && file.files.length)) { box.form.requestSubmit(); }
  });

  document.body.addEventListener("chat-sent", function () {
    document.querySelectorAll("[data-composer]").forEach(function (form) {
      var box = form.querySelector("[data-composer-text]");
      if (box) { box.value = ""; }
      var file = form.querySelector("[data-composer-file]");
      if (file) { file.value = ""; }
      var confirm = form.querySelector("input[name=confirm]");
      if (confirm) { confirm.remove(); }
    });
    var findings = document.getElementById("draft-findings");
    if (findings) { findings.innerHTML = ""; }
    var error = document.getElementById("chat-error");
    if (error) { error.textContent = ""; }
    scrollDown(true);
  });

  /* Click a thumbnail to enlarge it in a dialog (the link still opens the image alone). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-enlarge]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    var dialog = document.getElementById("image-viewer");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "image-viewer";
      dialog.className = "image-viewer";
      dialog.setAttribute("data-testid", "image-viewer");
      dialog.addEventListener("click", function () { dialog.close(); });
      document.body.appendChild(dialog);
    }
    dialog.innerHTML = "";
    var img = document.createElement("img");
    img.src = link.getAttribute("href");
    img.alt = "";
    dialog.appendChild(img);
    dialog.showModal();
  });

  document.addEventListener("htmx:responseError", function (event) {
    var text = event.detail.xhr.responseText || "出错了，请重试。";
    var target = document.getElementById("chat-error");
    if (!target) {
      target = document.createElement("p");
      target.id = "chat-error";
      target.className = "flash-error error";
      target.setAttribute("role", "alert");
      var pane = document.querySelector(".conversation") || document.body;
      pane.insertBefore(target, pane.firstChild);
    }
    target.textContent = text.length > 200 ? text.slice(0, 200) : text;
  });
})();
