/* Keyboard shortcuts of the agent workspace (listed in the "?" popover of the queue pane):
   Alt+N opens the chat whose buyer has waited longest, Alt+R goes to the reply box,
   Alt+S to the script search (↑ ↓ pick, Enter inserts), Alt+T opens the transfer form,
   Esc closes an open popover, "?" shows the help. Enter sends (chat_common.js). */
(function () {
  "use strict";
  var openedByKey = false;

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  function openConversationId() {
    var open = document.querySelector(".conversation[data-conversation]");
    return open ? open.getAttribute("data-conversation") : null;
  }

  /* The waiting conversation (a buyer awaiting an answer) that has waited longest, other
     than the one already open. */
  function nextWaiting() {
    var current = openConversationId();
    var best = null;
    var bestWaited = -1;
    document.querySelectorAll("#queue [data-conversation][data-waited]").forEach(function (link) {
      var waited = parseInt(link.getAttribute("data-waited"), 10);
      if (isNaN(waited) || link.getAttribute("data-conversation") === current) { return; }
      if (waited > bestWaited) { best = link; bestWaited = waited; }
    });
    return best;
  }

  function focusReply() {
    var box = document.querySelector("[data-composer-text]");
    if (box) { box.focus(); }
  }

  function scriptChoices() {
    return Array.prototype.slice.call(document.querySelectorAll("#script-results .script-choice"));
  }

  function moveScriptChoice(step) {
    var choices = scriptChoices();
    if (!choices.length) { return; }
    var index = choices.findIndex(function (c) { return c.classList.contains("active"); });
    choices.forEach(function (c) { c.classList.remove("active"); });
    index = index < 0 ? (step > 0 ? 0 : choices.length - 1) : (index + step + choices.length) % choices.length;
    choices[index].classList.add("active");
    choices[index].scrollIntoView({ block: "nearest" });
  }

  var shortcuts = {
    KeyN: function () {
      var link = nextWaiting();
      if (link) { openedByKey = true; link.click(); }
    },
    KeyR: focusReply,
    KeyS: function () {
      var search = document.querySelector("[data-script-search]");
      if (search) { search.focus(); search.select(); }
    },
    KeyT: function () {
      var details = document.getElementById("transfer-action");
      if (!details) { return; }
      details.open = true;
      var first = details.querySelector("select, input:not([type=hidden])");
      if (first) { first.focus(); }
    }
  };

  document.addEventListener("keydown", function (event) {
    if (event.isComposing) { return; }
    if (event.altKey && !event.ctrlKey && !event.metaKey && shortcuts[event.code]) {
      event.preventDefault();
      shortcuts[event.code]();
      return;
    }
    if (event.target.closest && event.target.closest("[data-script-search]")) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        moveScriptChoice(event.key === "ArrowDown" ? 1 : -1);
        return;
      }
      if (event.key === "Enter") {
        event.preventDefault();
        var active = document.querySelector("#script-results .script-choice.active") || scriptChoices()[0];
        if (active) { active.click(); }
        return;
      }
    }
    if (event.key === "Enter" && event.target.closest && event.target.closest("[data-product-search]")) {
      // The product search lives inside the composer: Enter must not send the reply.
      event.preventDefault();
      return;
    }
    if (event.key === "Escape") {
      document.querySelectorAll("details[open]").forEach(function (details) { details.open = false; });
      return;
    }
    if (event.key === "?" && !typing(event.target)) {
      var help = document.querySelector("[data-key-help]");
      if (help) { help.open = !help.open; }
    }
  });

  /* A conversation opened from the keyboard is answered from the keyboard. */
  document.addEventListener("htmx:afterSettle", function (event) {
    if (openedByKey && event.target && event.target.id === "conversation-pane") {
      openedByKey = false;
      focusReply();
    }
  });
})();
