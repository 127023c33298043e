// The record review page: click or focus a field and the transcript marks the words it was
// filled from (text nodes only: the transcript is never parsed as HTML).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    // The transcript, and any further hearing of the dictation, by number (0 is the first).
    const boxes = {};
    document.querySelectorAll("[data-record-transcript]").forEach(function (box) {
      boxes[box.dataset.recordTranscript || "0"] = {box: box, text: box.textContent};
    });
    if (!boxes["0"]) return;
    function reset() {
      Object.values(boxes).forEach(function (b) {
        b.box.replaceChildren(document.createTextNode(b.text));
      });
    }
    function show(field) {
      document.querySelectorAll(".record-field.showing").forEach(function (f) { f.classList.remove("showing"); });
      reset();
      if (!field || field.dataset.sourceStart === undefined) return;
      const shown = boxes[field.dataset.sourceHearing || "0"] || boxes["0"];
      const text = shown.text;
      const start = Number(field.dataset.sourceStart), end = Number(field.dataset.sourceEnd);
      const mark = document.createElement("mark");
      mark.className = "record-source";
      mark.textContent = text.slice(start, end);
      shown.box.replaceChildren(document.createTextNode(text.slice(0, start)), mark,
                                document.createTextNode(text.slice(end)));
      const folded = shown.box.closest("details");
      if (folded) folded.open = true;
      field.classList.add("showing");
      mark.scrollIntoView({block: "nearest"});
    }
    document.querySelectorAll(".record-field").forEach(function (field) {
      field.addEventListener("focusin", function () { show(field); });
      field.addEventListener("click", function () { show(field); });
    });
  });
})();
