/* Presence: every watchers box ([data-presence-beat]) on the page tells the server "I have
   this open" every 10 s while the tab is visible, and the answer redraws the box with who
   else is there. In a conversation the composer also says "I am typing" (at most every
   3 s). Leaving the page or switching conversation says "I am gone". */
(function () {
  "use strict";
  var BEAT_MS = 10000;
  var TYPING_MS = 3000;
  var boxes = [];

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) { return ""; }
  }

  function send(box, values) {
    values = values || {};
    /* The page's id (live.js): when its event stream ends, its marks go. */
    var page = document.body.getAttribute("data-live-page");
    if (page) { values.page = page; }
    window.htmx.ajax("POST", box.getAttribute("data-presence-beat"), {
      source: box, target: box, swap: "innerHTML", values: values
    });
  }

  function leave(url) {
    var data = new FormData();
    data.append("leave", "1");
    data.append("csrfmiddlewaretoken", csrfToken());
    navigator.sendBeacon(url, data);
  }

  /* A box redrawn with its pane (same URL) carries on; a box that left the DOM for good
     (another conversation was opened) is left on the server too. */
  function sync() {
    var current = Array.prototype.slice.call(document.querySelectorAll("[data-presence-beat]"));
    var kept = [];
    boxes.forEach(function (entry) {
      if (document.body.contains(entry.box)) { kept.push(entry); return; }
      var again = current.filter(function (box) { return box.getAttribute("data-presence-beat") === entry.url; })[0];
      if (again) { entry.box = again; kept.push(entry); } else { leave(entry.url); }
    });
    boxes = kept;
    current.forEach(function (box) {
      if (boxes.some(function (entry) { return entry.box === box; })) { return; }
      boxes.push({ box: box, url: box.getAttribute("data-presence-beat"), typedAt: 0 });
      send(box);
    });
  }

  function beatAll() {
    sync();
    if (document.visibilityState !== "visible") { return; }
    boxes.forEach(function (entry) { send(entry.box); });
  }

  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-presence-beat")) { sync(); }
  });
  document.addEventListener("visibilitychange", beatAll);
  window.setInterval(beatAll, BEAT_MS);
  window.addEventListener("pagehide", function () {
    boxes.forEach(function (entry) { leave(entry.url); });
    boxes = [];
  });

  document.addEventListener("input", function (event) {
    var field = event.target.closest && event.target.closest("[data-composer-text]");
    if (!field) { return; }
    var now = Date.now();
    boxes.forEach(function (entry) {
      if (!entry.box.hasAttribute("data-presence-typing") || now - entry.typedAt < TYPING_MS) { return; }
      entry.typedAt = now;
      send(entry.box, { typing: "1" });
    });
  });
})();
