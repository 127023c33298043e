// Drafts: follow the text as the worker writes it (server-sent events), stop it, copy it.
// Text is only ever set with .value / .textContent: the model's output is never HTML.
(function () {
  "use strict";

  function csrf(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function mailtoHref(form) {
    const to = form.querySelector("[data-draft-recipients]");
    const subject = form.querySelector("[data-draft-subject]").value;
    const body = form.querySelector("[data-draft-body]").value;
    const address = to ? to.value.replace(/\s+/g, "") : "";
    return "mailto:" + encodeURI(address) + "?subject=" + encodeURIComponent(subject) +
      "&body=" + encodeURIComponent(body);
  }

  function refreshMailto(form) {
    const link = form.querySelector("[data-draft-mailto]");
    if (link) link.href = mailtoHref(form);
  }

  function finish(form, data) {
    const body = form.querySelector("[data-draft-body]");
    body.value = data.body;
    form.querySelector("[data-draft-subject]").value = data.subject;
    form.querySelector("[data-draft-note]").textContent = data.note;
    form.querySelector("[data-draft-status]").textContent = "Ready to edit";
    body.readOnly = false;
    form.dataset.writing = "0";
    form.querySelector("[data-draft-stop]").hidden = true;
    form.querySelector("[data-draft-save]").disabled = false;
    refreshMailto(form);
  }

  function follow(form) {
    const body = form.querySelector("[data-draft-body]");
    const source = new EventSource(form.dataset.streamUrl);
    source.addEventListener("reset", function (event) {
      body.value = JSON.parse(event.data).text;
    });
    source.addEventListener("piece", function (event) {
      if (!form.dataset.firstPieceAt) form.dataset.firstPieceAt = String(performance.now());
      body.value += JSON.parse(event.data).text;
      body.scrollTop = body.scrollHeight;
    });
    source.addEventListener("done", function (event) {
      source.close();
      finish(form, JSON.parse(event.data));
    });
    source.addEventListener("gone", function () { source.close(); });

    const stop = form.querySelector("[data-draft-stop]");
    stop.addEventListener("click", function (event) {
      event.preventDefault();
      stop.disabled = true;
      form.querySelector("[data-draft-status]").textContent = "Stopping…";
      fetch(form.dataset.stopUrl, {
        method: "POST", credentials: "same-origin",
        headers: {"X-CSRFToken": csrf(form), "X-Requested-With": "fetch"},
      });
    });
  }

  function copy(form, button) {
    const text = form.querySelector("[data-draft-subject]").value + "\n\n" +
      form.querySelector("[data-draft-body]").value;
    const done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      const body = form.querySelector("[data-draft-body]");
      body.select();
      document.execCommand("copy");
      done();
    }
  }

  function setUp(form) {
    if (form.dataset.writing === "1") follow(form);
    form.addEventListener("input", function () { refreshMailto(form); });
    const button = form.querySelector("[data-draft-copy]");
    button.addEventListener("click", function () { copy(form, button); });
  }

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () { document.querySelectorAll("form[data-draft]").forEach(setUp); });
})();
