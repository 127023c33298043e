// Team assistant: follow an answer as the worker writes it (server-sent events), then swap in
// the server-rendered message with its citations. Text is only set with .textContent.
(function () {
  "use strict";

  function follow(turn) {
    if (turn.dataset.following) return;
    turn.dataset.following = "1";
    const text = turn.querySelector("[data-chat-text]");
    const source = new EventSource(turn.dataset.streamUrl);
    source.addEventListener("reset", function (event) {
      const value = JSON.parse(event.data).text;
      if (value) text.textContent = value;
    });
    source.addEventListener("piece", function (event) {
      text.textContent += JSON.parse(event.data).text;
    });
    function finish() {
      source.close();
      fetch(turn.dataset.messageUrl, {credentials: "same-origin"})
        .then(function (response) { return response.text(); })
        .then(function (html) {
          const holder = document.createElement("ol");
          holder.innerHTML = html;  // our own server-rendered, escaped template
          const fresh = holder.querySelector(".chat-turn");
          if (fresh) turn.replaceWith(fresh);
        });
    }
    source.addEventListener("done", finish);
    source.addEventListener("gone", function () { source.close(); });
  }

  function scan(root) {
    root.querySelectorAll(".chat-turn[data-stream-url]").forEach(follow);
    const empty = document.querySelector("[data-chat-empty]");
    if (empty && document.querySelector(".chat-turn")) empty.remove();
  }

  document.addEventListener("DOMContentLoaded", function () {
    scan(document);
    document.body.addEventListener("htmx:afterSwap", function () { scan(document); });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      const form = event.target.closest && event.target.closest("[data-chat-form]");
      if (form && event.detail.successful) form.reset();
    });
  });
})();
