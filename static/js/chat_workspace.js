/* The agent workspace: sound on new unread messages (mutable), the selected row in the
   polled queue, script insertion into the composer, "send anyway" after the etiquette
   check or after the buyer wrote again, and the newest message the agent had seen when
   the reply began (the composer's "seen"). */
(function () {
  "use strict";
  var MUTE_KEY = "chatMuted";
  var lastUnread = null;

  function muted() { return window.localStorage.getItem(MUTE_KEY) === "1"; }

  function showMute() {
    document.querySelectorAll("[data-chat-mute]").forEach(function (button) {
      button.setAttribute("aria-pressed", muted() ? "true" : "false");
    });
  }

  function markSelected() {
    var open = document.querySelector(".conversation[data-conversation]");
    var id = open ? open.getAttribute("data-conversation") : null;
    document.querySelectorAll(".queue-row").forEach(function (row) {
      row.classList.toggle("selected", row.getAttribute("data-conversation") === id);
    });
  }

  function checkUnread() {
    var queue = document.getElementById("queue");
    if (!queue) { return; }
    var unread = parseInt(queue.getAttribute("data-unread") || "0", 10);
    if (lastUnread !== null && unread > lastUnread && !muted()) {
      var sound = document.getElementById("chat-sound");
      if (sound) { sound.currentTime = 0; sound.play().catch(function () {}); }
    }
    lastUnread = unread;
    document.title = (unread ? "(" + unread + ") " : "") + document.title.replace(/^\(\d+\) /, "");
  }

  /* "Hand to after-sale" in the buyer card opens the transfer form with that queue
     chosen: the agent writes the handover note and the conversation goes with it. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-open-transfer]");
    if (!link) { return; }
    var details = document.getElementById("transfer-action");
    if (!details) { return; }
    event.preventDefault();
    details.open = true;
    var queue = details.querySelector("select[name=to_queue]");
    if (queue) { queue.value = link.getAttribute("data-open-transfer"); }
    var first = details.querySelector("input[name=reason]");
    if (first) { first.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    showMute();
    markSelected();
    checkUnread();
    trackSeen();
  });
  /* While the reply box is empty the agent is reading: "seen" follows the newest message
     on screen. Once they type, it stays where the reply began, so a buyer message that
     arrives meanwhile holds the reply (chats/services/collision.py). */
  function trackSeen() {
    var composer = document.querySelector("[data-composer]");
    if (!composer) { return; }
    var box = composer.querySelector("[data-composer-text]");
    var messages = document.querySelectorAll("#chat-log .msg[id^='msg-']");
    if (box.value || !messages.length) { return; }
    /* The highest id, not the last bubble: the log is in the buyer's time order, and a
       bridge may store a message late with an earlier time. */
    var newest = 0;
    messages.forEach(function (message) { newest = Math.max(newest, Number(message.id.slice(4))); });
    composer.querySelector("[data-composer-seen]").value = newest;
  }

  /* The held reply showed the new messages: they count as seen now. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var shown = event.target.querySelector && event.target.querySelector("[data-seen-through]");
    var seen = document.querySelector("[data-composer-seen]");
    if (shown && seen) { seen.value = shown.getAttribute("data-seen-through"); }
  });

  document.addEventListener("htmx:afterSettle", function () { markSelected(); checkUnread(); trackSeen(); });

  document.addEventListener("click", function (event) {
    var mute = event.target.closest("[data-chat-mute]");
    if (mute) {
      window.localStorage.setItem(MUTE_KEY, muted() ? "0" : "1");
      showMute();
      return;
    }
    var choice = event.target.closest("[data-script-text]");
    if (choice) {
      var form = choice.closest("form");
      var box = form.querySelector("[data-composer-text]");
      var text = choice.getAttribute("data-script-text");
      /* Count the use in the script library (its most-used ordering reads it); sent before
         the results are cleared, while the button is still in the page. */
      window.htmx.ajax("POST", choice.getAttribute("data-use-url"), { source: choice, swap: "none" });
      box.value = /^\/\S*$/.test(box.value) ? text : (box.value ? box.value + text : text);
      document.getElementById("script-results").innerHTML = "";
      form.querySelector("[data-script-search]").value = "";
      box.focus();
      box.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    var anyway = event.target.closest("[data-send-anyway]");
    if (anyway) {
      /* data-send-anyway="confirm" accepts the etiquette findings; empty: send again as is. */
      var composer = document.querySelector("[data-composer]");
      var field = anyway.getAttribute("data-send-anyway");
      if (field && !composer.querySelector("input[name=" + field + "]")) {
        var confirm = document.createElement("input");
        confirm.type = "hidden";
        confirm.name = field;
        confirm.value = "on";
        composer.appendChild(confirm);
      }
      composer.requestSubmit();
    }
  });

  /* Replying to a waiting conversation claimed it: redraw the pane (header and actions). */
  document.body.addEventListener("chat-claimed", function (event) {
    window.htmx.ajax("GET", event.detail.url, { target: "#conversation-pane", swap: "innerHTML" });
  });

  /* Typing "/code" in the reply box looks the shortcut up in the script picker. */
  document.addEventListener("input", function (event) {
    var box = event.target.closest && event.target.closest("[data-composer-text]");
    if (!box || !/^\/\S+$/.test(box.value)) { return; }
    var search = box.form.querySelector("[data-script-search]");
    if (search && search.value !== box.value) {
      search.value = box.value;
      search.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
})();
