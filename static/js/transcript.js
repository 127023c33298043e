// The transcript page: click a word to seek, follow the playing word, find in the text.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    const player = document.querySelector("[data-player]");
    const transcript = document.querySelector("[data-transcript]");
    if (!transcript) return;
    let words = [];
    function index() { words = Array.from(transcript.querySelectorAll(".w")); }
    index();
    document.body.addEventListener("htmx:afterSwap", index);

    function seek(seconds) {
      if (!player) return;
      player.currentTime = seconds;
      player.play().catch(function () {});
    }
    document.addEventListener("click", function (event) {
      const word = event.target.closest(".w");
      const button = event.target.closest("[data-seek]");
      if (word) seek(parseFloat(word.dataset.s));
      else if (button) seek(parseFloat(button.dataset.seek));
    });

    // Highlight the word being played (binary search over word start times).
    let current = null;
    function follow() {
      const t = player.currentTime;
      let lo = 0, hi = words.length - 1, found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (parseFloat(words[mid].dataset.s) <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
      }
      const next = found >= 0 && t <= parseFloat(words[found].dataset.e) + 0.3 ? words[found] : null;
      if (next === current) return;
      if (current) current.classList.remove("playing");
      current = next;
      if (current) {
        current.classList.add("playing");
        const box = current.getBoundingClientRect();
        if (box.top < 80 || box.bottom > window.innerHeight - 40) current.scrollIntoView({block: "center"});
      }
    }
    if (player) player.addEventListener("timeupdate", follow);

    // #t=12.3 in the address (from search results) seeks there.
    const match = location.hash.match(/^#t=([\d.]+)/);
    if (match && player) {
      player.addEventListener("loadedmetadata", function () { player.currentTime = parseFloat(match[1]); }, {once: true});
      const target = Array.from(transcript.querySelectorAll(".segment"))
        .find(function (s) { return parseFloat(s.dataset.start) >= parseFloat(match[1]) - 0.05; });
      if (target) { target.classList.add("found"); target.scrollIntoView({block: "center"}); }
    }

    // Find in transcript: marks every matching segment, Enter jumps to the next.
    const find = document.querySelector("[data-find]");
    const count = document.querySelector("[data-find-count]");
    let hits = [], at = -1;
    if (find) {
      find.addEventListener("input", function () {
        const q = find.value.trim().toLowerCase();
        hits = [];
        at = -1;
        transcript.querySelectorAll(".segment").forEach(function (segment) {
          const hit = q && segment.querySelector(".segment-text").textContent.toLowerCase().includes(q);
          segment.classList.toggle("found", Boolean(hit));
          if (hit) hits.push(segment);
        });
        count.textContent = q ? hits.length + (hits.length === 1 ? " match" : " matches") : "";
      });
      find.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || !hits.length) return;
        event.preventDefault();
        at = (at + 1) % hits.length;
        hits[at].scrollIntoView({block: "center"});
        hits[at].querySelector("[data-seek]").focus();
        count.textContent = (at + 1) + " of " + hits.length;
      });
    }

    // The speaker timeline: bars placed from their times (no inline styles under our CSP).
    const timeline = document.querySelector("[data-timeline]");
    if (timeline) {
      const duration = parseFloat(timeline.dataset.duration) || 1;
      timeline.querySelectorAll(".bar").forEach(function (bar) {
        const s = parseFloat(bar.dataset.seek), e = parseFloat(bar.dataset.end);
        bar.style.left = (100 * s / duration) + "%";
        bar.style.width = Math.max(0.2, 100 * (e - s) / duration) + "%";
      });
    }
  });
})();
