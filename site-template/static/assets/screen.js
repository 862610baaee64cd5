// 大屏 mode: scales the 1920×1080 stage to the screen, shows one slide at a time, advances
// every data-seconds and loops; ←/→ (and ↑/↓, PageUp/PageDown, a remote's OK = Enter,
// Space) and a click move between slides, F toggles full screen. Text that would overflow
// its box is cut at a sentence end with an ellipsis; statistics count up the first time.
(function () {
  "use strict";
  var stage = document.getElementById("stage");
  if (!stage) return;
  var slides = Array.prototype.slice.call(stage.querySelectorAll(".sc-slide"));
  var bar = stage.querySelector(".sc-progress span");
  var hint = stage.querySelector(".sc-hint");
  var seconds = Math.max(3, parseFloat(stage.getAttribute("data-seconds")) || 12);
  var current = -1;
  var timer = null;
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function scale() {
    var s = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    stage.style.transform = "scale(" + s + ")";
  }

  // Cuts the text of `el` until it fits its box: whole sentences first, then characters.
  // A glyph taller than a tight line-height is not an overflow: a line is.
  function fit(el) {
    var slack = parseFloat(window.getComputedStyle(el).fontSize) * 0.4;
    var over = function () { return el.scrollHeight > el.clientHeight + slack; };
    if (!over()) return;
    var text = el.textContent.trim();
    var sentences = text.match(/[^。！？!?；;]+[。！？!?；;”"」）)]*/g) || [text];
    while (sentences.length > 1 && over()) {
      sentences.pop();
      el.textContent = sentences.join("").replace(/[，,、；;：:]$/, "") + "……";
    }
    var chars = Array.from(el.textContent.replace(/……$/, ""));
    while (chars.length > 1 && over()) {
      chars.pop();
      el.textContent = chars.join("").replace(/[，,、；;：:。]$/, "") + "……";
    }
  }

  function fitAll() {
    Array.prototype.forEach.call(stage.querySelectorAll(".fit"), fit);
  }

  // "3,200" counts up from 0 with its commas and decimals kept; text that is not a number stays.
  function countUp(el) {
    if (el.getAttribute("data-counted")) return;
    el.setAttribute("data-counted", "1");
    var written = el.getAttribute("data-value") || "";
    var m = written.match(/^([\d,]+)(\.\d+)?$/);
    if (!m || reduced) return;
    var target = parseFloat(written.replace(/,/g, ""));
    var decimals = m[2] ? m[2].length - 1 : 0;
    var commas = written.indexOf(",") >= 0;
    var start = null;
    var show = function (v) {
      var s = v.toFixed(decimals);
      if (commas) s = s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      el.textContent = s;
    };
    var step = function (t) {
      if (start === null) start = t;
      var k = Math.min(1, (t - start) / 1600);
      show(target * (1 - Math.pow(1 - k, 3)));
      if (k < 1) window.requestAnimationFrame(step);
      else el.textContent = written;
    };
    show(0);
    window.requestAnimationFrame(step);
  }

  function show(i) {
    if (!slides.length) return;
    i = (i + slides.length) % slides.length;
    slides.forEach(function (s, j) {
      var on = j === i;
      s.classList.toggle("is-current", on);
      if (on) s.removeAttribute("aria-hidden");
      else s.setAttribute("aria-hidden", "true");
    });
    current = i;
    stage.setAttribute("data-current", String(i));
    Array.prototype.forEach.call(slides[i].querySelectorAll(".count"), countUp);
    if (bar) {
      bar.style.transition = "none";
      bar.style.width = "0";
      void bar.offsetWidth;
      bar.style.transition = "width " + seconds + "s linear";
      bar.style.width = "100%";
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { show(current + 1); }, seconds * 1000);
  }

  function toggleFullscreen() {
    var d = document;
    if (d.fullscreenElement) { if (d.exitFullscreen) d.exitFullscreen(); }
    else if (d.documentElement.requestFullscreen) d.documentElement.requestFullscreen().catch(function () {});
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case "Enter": case " ":
        show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp":
        show(current - 1); break;
      case "Home": show(0); break;
      case "End": show(slides.length - 1); break;
      case "f": case "F": toggleFullscreen(); break;
      default: return;
    }
    e.preventDefault();
  });
  stage.addEventListener("click", function () { show(current + 1); });

  // The pointer hides when it rests, as on a television.
  var idle = null;
  document.addEventListener("mousemove", function () {
    document.body.classList.remove("sc-idle");
    window.clearTimeout(idle);
    idle = window.setTimeout(function () { document.body.classList.add("sc-idle"); }, 3000);
  });

  window.addEventListener("resize", scale);
  scale();
  if (hint) window.setTimeout(function () { hint.classList.add("is-gone"); }, 6000);
  // `#3` starts at the third slide (to show one slide, or check it).
  var first = parseInt((window.location.hash || "").replace("#", ""), 10);
  var start = function () { fitAll(); show(first > 0 ? first - 1 : 0); };
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(start, start);
  else start();
})();
