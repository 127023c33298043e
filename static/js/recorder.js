// Record a meeting in the browser: consent first, a level meter and a timer, every
// second of audio kept in IndexedDB until the upload succeeds (a reload loses nothing).
(function () {
  "use strict";
  const DB = "team-assistant-recordings";

  function openDb() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        const db = request.result;
        db.createObjectStore("recordings", {keyPath: "id"});
        db.createObjectStore("chunks", {autoIncrement: true}).createIndex("recording", "recording");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(db, stores, mode, work) {
    return new Promise(function (resolve, reject) {
      const t = db.transaction(stores, mode);
      const out = work(t);
      t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
      t.onerror = function () { reject(t.error); };
    });
  }
  function allRecordings(db) {
    return tx(db, ["recordings"], "readonly", function (t) { return t.objectStore("recordings").getAll(); });
  }
  function chunksOf(db, id) {
    return tx(db, ["chunks"], "readonly", function (t) {
      return t.objectStore("chunks").index("recording").getAll(id);
    }).then(function (rows) { return rows.map(function (row) { return row.data; }); });
  }
  function forget(db, id) {
    return tx(db, ["recordings", "chunks"], "readwrite", function (t) {
      t.objectStore("recordings").delete(id);
      const index = t.objectStore("chunks").index("recording");
      index.openCursor(IDBKeyRange.only(id)).onsuccess = function (event) {
        const cursor = event.target.result;
        if (cursor) { cursor.delete(); cursor.continue(); }
      };
    });
  }
  function clock(seconds) {
    const s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function setup(box, db) {
    const start = box.querySelector("[data-start]");
    const stop = box.querySelector("[data-stop]");
    const consent = box.querySelector("[data-consent]");
    const timer = box.querySelector("[data-timer]");
    const level = box.querySelector("[data-level]");
    const status = box.querySelector("[data-recorder-status]");
    const pending = box.querySelector("[data-pending]");
    const result = box.querySelector(".upload-result");
    let recorder = null, stream = null, context = null, ticking = null, id = null, began = 0;

    consent.addEventListener("change", function () { start.disabled = !consent.checked || recorder !== null; });

    function upload(recordingId, startedAt, mimeType) {
      return chunksOf(db, recordingId).then(function (chunks) {
        const type = (mimeType || "audio/webm").split(";")[0];
        const ext = type.includes("ogg") ? "ogg" : type.includes("mp4") ? "m4a" : "webm";
        const when = new Date(startedAt);
        const body = new FormData();
        body.append("audio", new Blob(chunks, {type: type}), "recording-" + when.toISOString().slice(0, 19).replace(/:/g, "-") + "." + ext);
        body.append("title", "Recording of " + when.toLocaleString());
        body.append("held_on", when.toISOString().slice(0, 10));
        const form = document.createElement("form");
        form.dataset.uploadUrl = box.dataset.uploadUrl;
        form.innerHTML = '<div class="upload-progress"><progress max="100" value="0" aria-label="Upload progress"></progress> <span class="upload-status" role="status"></span></div>';
        result.replaceChildren(form);
        const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
        if (csrf) body.append("csrfmiddlewaretoken", csrf.value);
        return window.teamAssistantUpload(form, body, result).then(function () {
          return forget(db, recordingId).then(showPending);
        });
      });
    }

    function showPending() {
      return allRecordings(db).then(function (list) {
        pending.replaceChildren();
        list.filter(function (r) { return r.id !== id; }).forEach(function (r) {
          const row = document.createElement("p");
          row.className = "message warning";
          row.textContent = "A recording from " + new Date(r.startedAt).toLocaleString() + " has not been uploaded yet. ";
          const send = document.createElement("button");
          send.type = "button"; send.className = "button small primary"; send.textContent = "Upload it now";
          send.addEventListener("click", function () { upload(r.id, r.startedAt, r.mimeType).catch(function () {}); });
          const drop = document.createElement("button");
          drop.type = "button"; drop.className = "button small danger"; drop.textContent = "Discard";
          drop.addEventListener("click", function () {
            if (window.confirm("Discard this recording for good?")) forget(db, r.id).then(showPending);
          });
          row.append(send, " ", drop);
          pending.appendChild(row);
        });
      });
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({audio: true}).then(function (media) {
        stream = media;
        recorder = new MediaRecorder(stream);
        id = String(Date.now());
        began = Date.now();
        const meta = {id: id, startedAt: began, mimeType: recorder.mimeType};
        tx(db, ["recordings"], "readwrite", function (t) { t.objectStore("recordings").put(meta); });
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size) {
            tx(db, ["chunks"], "readwrite", function (t) { t.objectStore("chunks").add({recording: id, data: event.data}); });
          }
        });
        recorder.addEventListener("stop", function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          if (context) context.close();
          clearInterval(ticking);
          level.value = 0;
          status.textContent = "Uploading the recording…";
          const done = id;
          id = null;
          recorder = null;
          // Let the last chunk reach IndexedDB before reading them all back.
          setTimeout(function () {
            upload(done, meta.startedAt, meta.mimeType).then(function () {
              status.textContent = "Uploaded. The transcript follows in a few minutes.";
            }, function () {
              status.textContent = "The upload failed; the recording is kept in this browser. Try again below.";
              showPending();
            });
            start.disabled = !consent.checked;
          }, 300);
        });
        recorder.start(1000);
        context = new AudioContext();
        const analyser = context.createAnalyser();
        analyser.fftSize = 1024;
        context.createMediaStreamSource(stream).connect(analyser);
        const samples = new Float32Array(analyser.fftSize);
        ticking = setInterval(function () {
          analyser.getFloatTimeDomainData(samples);
          let sum = 0;
          for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
          level.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
          timer.textContent = clock((Date.now() - began) / 1000);
        }, 100);
        start.disabled = true;
        stop.disabled = false;
        status.textContent = "Recording… press Stop to upload.";
      }, function (error) {
        status.textContent = "The microphone is not available: " + error.message + ". Allow it in the browser's address bar, or upload a file instead.";
      });
    });

    stop.addEventListener("click", function () {
      if (recorder && recorder.state !== "inactive") recorder.stop();
      stop.disabled = true;
    });
    showPending();
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    const box = document.querySelector("[data-recorder]");
    if (!box) return;
    if (!window.MediaRecorder || !window.indexedDB) {
      box.querySelector("[data-recorder-status]").textContent = "This browser cannot record here; upload a file instead.";
      return;
    }
    openDb().then(function (db) { setup(box, db); });
  });
})();
