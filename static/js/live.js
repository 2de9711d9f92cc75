/* Live updates: one server-sent event stream per page (body[data-live-url]).

   An event says only what changed (kind + ids). Each element with data-live="<kinds>"
   whose filters match re-fetches itself through htmx (hx-trigger "live"), with the
   usual view and its authorization. Filters: data-live-conversation / data-live-run
   / data-live-object must equal the event's id; data-live-scope="mine|waiting" narrows the queue;
   data-live-throttle (ms) coalesces bursts into at most one fetch per period.

   When the stream drops, #live-status says so, the page reconnects with growing,
   jittered delays (1 s … 30 s), polls every data-live-poll seconds meanwhile, and on
   reconnecting re-fetches every live element: the fragments fetch "after the last id
   the page has", so what was missed arrives without a reload. */
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-live-url");
  if (!url || !window.EventSource || !window.htmx) { return; }
  /* This page's own id: its presence beats carry it (presence.js), so when this stream
     ends (the tab closed without saying so) the server removes what the page was viewing. */
  var page = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID()
    : (Date.now().toString(36) + Math.random().toString(36).slice(2));
  body.setAttribute("data-live-page", page);
  url += (url.indexOf("?") < 0 ? "?" : "&") + "page=" + encodeURIComponent(page);
  var me = Number(body.getAttribute("data-live-user") || 0);
  var pollMs = 1000 * Number(body.getAttribute("data-live-poll") || 15);
  var alwaysPoll = body.getAttribute("data-live-always-poll") === "1";
  var KINDS = ["message", "queue", "alert", "import", "notification",
    "presence_conversation", "presence_problem", "presence_ticket"];
  var MAX_DELAY_MS = 30000;
  var source = null;
  var attempt = 0;
  var connected = false;
  var everConnected = false;
  var stopped = false;
  var retryTimer = null;
  var pollTimer = null;
  var lastFetch = {};
  var scheduled = {};

  function liveElements() { return document.querySelectorAll("[data-live]"); }

  function fetchNow(id) {
    var element = document.getElementById(id);
    if (element) {
      lastFetch[id] = Date.now();
      window.htmx.trigger(element, "live");
    }
  }

  function refresh(element) {
    var id = element.id;
    if (!id || scheduled[id]) { return; }
    var throttle = Number(element.getAttribute("data-live-throttle") || 0);
    var wait = Math.max(0, (lastFetch[id] || 0) + throttle - Date.now());
    scheduled[id] = window.setTimeout(function () {
      delete scheduled[id];
      fetchNow(id);
    }, wait);
  }

  function refreshAll() { liveElements().forEach(refresh); }

  function inScope(element, event) {
    var scope = element.getAttribute("data-live-scope");
    if (event.kind !== "message" && event.kind !== "queue") { return true; }
    if (scope === "mine") {
      return event.kind === "queue" || event.assignee === me || event.assignee === null;
    }
    if (scope === "waiting") { return event.kind === "queue" || event.assignee === null; }
    return true;
  }

  function wants(element, event) {
    var kinds = (element.getAttribute("data-live") || "").split(" ");
    if (kinds.indexOf(event.kind) < 0) { return false; }
    var conversation = element.getAttribute("data-live-conversation");
    if (conversation && Number(conversation) !== event.conversation) { return false; }
    var run = element.getAttribute("data-live-run");
    if (run && Number(run) !== event.run) { return false; }
    var object = element.getAttribute("data-live-object");
    if (object && Number(object) !== event.object) { return false; }
    return inScope(element, event);
  }

  function onEvent(message) {
    var event;
    try { event = JSON.parse(message.data); } catch (error) { return; }
    liveElements().forEach(function (element) {
      if (wants(element, event)) { refresh(element); }
    });
  }

  function showStatus(down) {
    var status = document.getElementById("live-status");
    if (status) { status.hidden = !down; }
  }

  function startPolling() {
    if (!pollTimer) { pollTimer = window.setInterval(refreshAll, pollMs); }
  }

  function stopPolling() {
    if (pollTimer && !alwaysPoll) { window.clearInterval(pollTimer); pollTimer = null; }
  }

  function onOpen() {
    var caughtUp = everConnected;
    connected = true;
    everConnected = true;
    attempt = 0;
    showStatus(false);
    stopPolling();
    body.setAttribute("data-live-state", "open");
    if (caughtUp) { refreshAll(); }
  }

  function scheduleReconnect() {
    if (stopped || retryTimer) { return; }
    var delay = Math.min(MAX_DELAY_MS, 1000 * Math.pow(2, attempt));
    attempt += 1;
    delay = delay / 2 + Math.random() * delay / 2;
    retryTimer = window.setTimeout(function () { retryTimer = null; connect(); }, delay);
  }

  function onError() {
    if (source) { source.close(); source = null; }
    if (everConnected) { showStatus(true); }
    connected = false;
    body.setAttribute("data-live-state", "down");
    startPolling();
    scheduleReconnect();
  }

  function onClosed() {
    /* The server ended the stream for good (the account was deactivated). */
    stopped = true;
    if (source) { source.close(); source = null; }
    showStatus(true);
    body.setAttribute("data-live-state", "closed");
  }

  function connect() {
    if (stopped) { return; }
    source = new window.EventSource(url);
    source.addEventListener("hello", onOpen);
    source.addEventListener("closed", onClosed);
    KINDS.forEach(function (kind) { source.addEventListener(kind, onEvent); });
    source.onerror = onError;
  }

  /* The buyer's first message opens their conversation: the stream can start now. */
  document.addEventListener("chat-sent", function () {
    if (!connected && !stopped && retryTimer) {
      window.clearTimeout(retryTimer);
      retryTimer = null;
      attempt = 0;
      connect();
    }
  });

  if (alwaysPoll) { pollTimer = window.setInterval(refreshAll, pollMs); }
  connect();
})();
