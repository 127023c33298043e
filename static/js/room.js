// A live room: captions and presence from the server (server-sent events), the microphone
// sent as 16 kHz PCM pieces, typed messages. Text is only ever set with .textContent.
(function () {
  "use strict";

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  function post(url, body, type) {
    const headers = {"X-CSRFToken": csrf(), "X-Requested-With": "fetch"};
    if (type) headers["Content-Type"] = type;
    return fetch(url, {method: "POST", credentials: "same-origin", headers: headers, body: body});
  }

  function clock(seconds) {
    const s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function showCaption(list, data) {
    let item = list.querySelector('[data-id="' + data.id + '"]');
    if (!data.text) { if (item) item.remove(); return; }
    if (!item) {
      item = document.createElement("li");
      item.dataset.id = data.id;
      item.dataset.start = data.start;
      item.innerHTML = '<span class="when"></span> <span class="who"></span> <span class="text"></span>' +
        '<span class="original"></span><span class="note"></span>';
      // Keep the list in the order things were said.
      const after = Array.prototype.find.call(list.children, function (other) {
        return parseFloat(other.dataset.start) > data.start;
      });
      list.insertBefore(item, after || null);
    }
    item.className = "caption " + (data.final ? "final" : "partial") + (data.kind === "chat" ? " chat" : "");
    item.lang = data.language || "";
    item.querySelector(".when").textContent = clock(data.start);
    item.querySelector(".who").textContent = data.speaker;
    item.querySelector(".text").textContent = data.text;
    item.querySelector(".original").textContent = data.original ? " (" + data.original + ")" : "";
    item.querySelector(".note").textContent = data.note ? " — " + data.note : "";
    if (data.final) item.dataset.finalAt = String(Date.now());
    if (list.lastElementChild === item) item.scrollIntoView({block: "end"});
  }

  function follow(room) {
    const list = room.querySelector("[data-captions]");
    const presence = room.querySelector("[data-presence]");
    const source = new EventSource(room.dataset.streamUrl);
    source.addEventListener("caption", function (event) { showCaption(list, JSON.parse(event.data)); });
    source.addEventListener("presence", function (event) {
      presence.replaceChildren();
      JSON.parse(event.data).people.forEach(function (person) {
        const li = document.createElement("li");
        li.textContent = person.name + (person.host ? " (host)" : "") +
          (person.language ? " · " + person.language : "");
        presence.appendChild(li);
      });
    });
    source.addEventListener("ended", function () {
      source.close();
      window.location.reload();
    });
    return source;
  }

  function microphone(room) {
    const button = room.querySelector("[data-mic]");
    const level = room.querySelector("[data-level]");
    const status = room.querySelector("[data-mic-status]");
    let context = null, stream = null, sent = 0, capture = "", queue = Promise.resolve();

    function send(pcm) {
      const at = sent;
      sent += pcm.byteLength / 2;
      const url = room.dataset.audioUrl + "?capture=" + capture + "&at=" + at;
      // One request at a time, in order: the server appends them.
      queue = queue.then(function () {
        return post(url, pcm, "application/octet-stream").then(function (response) {
          if (response.status === 409) stop("The room has ended.");
          else if (!response.ok) status.textContent = "Audio was refused (" + response.status + ").";
        }).catch(function () { status.textContent = "Connection lost; still trying…"; });
      });
    }

    function stop(message) {
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      if (context) context.close();
      context = stream = null;
      button.textContent = "● Turn on my microphone";
      button.classList.add("primary");
      status.textContent = message || "Microphone off.";
      level.value = 0;
    }

    button.addEventListener("click", function () {
      if (context) { stop(); return; }
      button.disabled = true;
      navigator.mediaDevices.getUserMedia({audio: {channelCount: 1, echoCancellation: true}})
        .then(function (media) {
          stream = media;
          context = new AudioContext({sampleRate: 16000});
          return context.audioWorklet.addModule(room.dataset.workletUrl).then(function () {
            const node = new AudioWorkletNode(context, "room-capture");
            node.port.onmessage = function (event) {
              level.value = event.data.peak;
              send(event.data.pcm);
            };
            context.createMediaStreamSource(stream).connect(node);
            capture = Math.random().toString(36).slice(2, 12);
            sent = 0;
            button.textContent = "■ Turn off my microphone";
            button.classList.remove("primary");
            status.textContent = "Everyone reads what you say.";
          });
        })
        .catch(function (error) { stop("No microphone: " + error.message); })
        .finally(function () { button.disabled = false; });
    });
  }

  function chat(room) {
    const form = room.querySelector("[data-chat]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const input = form.querySelector("input[name=text]");
      if (!input.value.trim()) return;
      post(room.dataset.chatUrl, new FormData(form)).then(function (response) {
        if (response.ok) input.value = "";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const room = document.querySelector("[data-room]");
    if (!room) return;
    follow(room);
    microphone(room);
    chat(room);
  });
})();
