/* Suggested replies: a click puts the text in the reply box, where the etiquette check
   runs on it as on anything typed. */
(function () {
  if (window.knowledgeSuggestBound) return;
  window.knowledgeSuggestBound = true;
  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-suggestion-text]");
    if (!choice) return;
    var form = choice.closest("form") || document.querySelector("[data-composer]");
    var box = form.querySelector("[data-composer-text]");
    box.value = choice.getAttribute("data-suggestion-text");
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
