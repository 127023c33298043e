// Uploads with a progress bar (XMLHttpRequest reports upload progress; fetch does not),
// drag-and-drop onto the form, then the job's progress partial from the server.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function sendRecording(form, body, result) {
    const bar = form.querySelector(".upload-progress progress");
    const status = form.querySelector(".upload-status");
    const box = form.querySelector(".upload-progress");
    return new Promise(function (resolve, reject) {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || form.dataset.uploadUrl);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
      if (csrf) xhr.setRequestHeader("X-CSRFToken", csrf.value);
      if (box) box.hidden = false;
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable || !bar) return;
        const pct = Math.round(100 * event.loaded / event.total);
        bar.value = pct;
        status.textContent = "Uploading… " + pct + " %";
      });
      xhr.addEventListener("load", function () {
        if (box) box.hidden = true;
        result.innerHTML = "";
        if (xhr.status === 413) {
          result.textContent = xhr.responseText || "This file is larger than the server accepts.";
          reject(new Error("too large"));
          return;
        }
        const fragment = document.createRange().createContextualFragment(xhr.responseText);
        result.appendChild(fragment);
        if (window.htmx) window.htmx.process(result);
        if (xhr.status >= 200 && xhr.status < 300) resolve(); else reject(new Error("refused"));
      });
      xhr.addEventListener("error", function () {
        if (box) box.hidden = true;
        result.textContent = "The upload did not reach the server. Check the connection and try again.";
        reject(new Error("network"));
      });
      xhr.send(body);
    });
  }
  window.teamAssistantUpload = sendRecording;

  ready(function () {
    document.querySelectorAll("form[data-uploader]").forEach(function (form) {
      const input = form.querySelector("input[type=file]");
      const result = form.querySelector(".upload-result");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!input.files.length) { result.textContent = "Choose a recording first."; return; }
        sendRecording(form, new FormData(form), result).then(function () { form.reset(); }, function () {});
      });
      ["dragenter", "dragover"].forEach(function (name) {
        form.addEventListener(name, function (event) { event.preventDefault(); form.classList.add("dragging"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        form.addEventListener(name, function () { form.classList.remove("dragging"); });
      });
      form.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!event.dataTransfer.files.length) return;
        input.files = event.dataTransfer.files;
        form.requestSubmit();
      });
    });
  });
})();
