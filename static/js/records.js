// The record review page: click or focus a field and the transcript marks the words it was
// filled from (text nodes only: the transcript is never parsed as HTML).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    const transcript = document.querySelector("[data-record-transcript]");
    if (!transcript) return;
    const text = transcript.textContent;
    function show(field) {
      document.querySelectorAll(".record-field.showing").forEach(function (f) { f.classList.remove("showing"); });
      if (!field || field.dataset.sourceStart === undefined) {
        transcript.replaceChildren(document.createTextNode(text));
        return;
      }
      const start = Number(field.dataset.sourceStart), end = Number(field.dataset.sourceEnd);
      const mark = document.createElement("mark");
      mark.className = "record-source";
      mark.textContent = text.slice(start, end);
      transcript.replaceChildren(document.createTextNode(text.slice(0, start)), mark,
                                 document.createTextNode(text.slice(end)));
      field.classList.add("showing");
      mark.scrollIntoView({block: "nearest"});
    }
    document.querySelectorAll(".record-field").forEach(function (field) {
      field.addEventListener("focusin", function () { show(field); });
      field.addEventListener("click", function () { show(field); });
    });
  });
})();
