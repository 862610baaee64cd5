/* 分享海报: a 1080×1920 PNG drawn in the browser from the page's own data — title, date,
   summary, its link card (1200×630), the brand emblem and name, and the QR code the build
   drew into the share panel. The build does no work per poster. From file:// a page may
   not read its own images' pixels (the canvas would be tainted), so an offline build
   publishes each picture a poster draws as a script beside it (NAME.js, which calls
   ztImage with a data: URL); from a host the images are read directly. */
(function () {
  "use strict";
  var button = document.querySelector(".sharebox-poster");
  var qrPath = document.querySelector(".sharebox-qr path");
  if (!button || !qrPath || !window.Promise || !document.createElement("canvas").toBlob) return;
  button.hidden = false;
  var d = button.dataset;
  // Title, summary and site from the page's link-preview tags; words by the page's language.
  function meta(name) {
    var m = document.querySelector('meta[property="' + name + '"]');
    return m ? m.content : "";
  }
  var zh = document.documentElement.lang.indexOf("zh") === 0;
  var words = zh
    ? { scan: "长按识别二维码", making: "正在生成海报…", hint: "长按图片保存或发送给朋友；在电脑上点“保存海报”。", save: "保存海报", close: "关闭", failed: "海报生成失败，请刷新页面后重试。" }
    : { scan: "Scan the code to read", making: "Making the poster…", hint: "Long-press the image to save or send it; on a computer, use Save.", save: "Save the poster", close: "Close", failed: "The poster could not be made. Reload the page and try again." };
  var page = {
    title: meta("og:title"),
    summary: meta("og:description"),
    site: meta("og:site_name"),
    file: location.pathname.replace(/index\.html$/, "").replace(/^\/+|\/+$/g, "").replace(/\//g, "-") || "home"
  };
  var W = 1080, H = 1920, M = 72;
  var fromFile = location.protocol === "file:";
  var waiting = {};
  window.ztImage = function (name, data) {
    if (waiting[name]) waiting[name](data);
  };

  // An image by its page-relative URL, or null when there is none or it fails.
  function load(src) {
    return new Promise(function (resolve) {
      if (!src) return resolve(null);
      function show(url) {
        var img = new Image();
        img.onload = function () { resolve(img); };
        img.onerror = function () { resolve(null); };
        img.src = url;
      }
      if (!fromFile) return show(src);
      var name = src.split("/").pop();
      waiting[name] = show;
      var s = document.createElement("script");
      s.src = src + ".js";
      s.onerror = function () { resolve(null); };
      document.head.appendChild(s);
    });
  }

  var css = getComputedStyle(document.documentElement);
  function colour(name, fallback) {
    var v = css.getPropertyValue(name).trim();
    return v || fallback;
  }
  var primary = colour("--primary", "#c8161d");
  var accent = colour("--accent", "#f2b705");
  var sans = getComputedStyle(document.body).fontFamily;
  var heading = document.querySelector("h1");
  var serif = heading ? getComputedStyle(heading).fontFamily : sans;

  // `text` broken into at most `max` lines of `width` px (CJK breaks anywhere; a Latin
  // word stays whole when it can), the last one ending in … when cut.
  function lines(ctx, text, width, max) {
    var out = [], line = "", i = 0;
    var tokens = text.match(/[A-Za-z0-9.,:;!?'"%\-]+|\s+|./g) || [];
    for (; i < tokens.length; i++) {
      var t = tokens[i];
      // Closing punctuation never starts a line (禁则): it may overhang the margin.
      if (ctx.measureText(line + t).width <= width || (line && /^[，。、；：！？）」』”’…]$/.test(t))) {
        line += t;
        continue;
      }
      if (line) out.push(line.replace(/\s+$/, ""));
      line = t.replace(/^\s+/, "");
      while (ctx.measureText(line).width > width) {
        var n = line.length - 1;
        while (n > 1 && ctx.measureText(line.slice(0, n)).width > width) n--;
        out.push(line.slice(0, n));
        line = line.slice(n);
      }
      if (out.length >= max) break;
    }
    if (out.length < max && line) out.push(line);
    if (out.length > max || i < tokens.length) {
      out.length = max;
      var last = out[max - 1];
      while (last && ctx.measureText(last + "…").width > width) last = last.slice(0, -1);
      out[max - 1] = last + "…";
    }
    return out;
  }

  // `img` covering the box x, y, w, h (centred crop).
  function cover(ctx, img, x, y, w, h) {
    var s = Math.max(w / img.naturalWidth, h / img.naturalHeight);
    var sw = w / s, sh = h / s;
    ctx.drawImage(img, (img.naturalWidth - sw) / 2, (img.naturalHeight - sh) / 2, sw, sh, x, y, w, h);
  }

  function draw(photo, emblem) {
    var c = document.createElement("canvas");
    c.width = W; c.height = H;
    var ctx = c.getContext("2d");
    ctx.textBaseline = "alphabetic";
    // Paper, and the head band in the theme colour with its fine diagonal lines.
    ctx.fillStyle = "#fffdf9";
    ctx.fillRect(0, 0, W, H);
    var band = 300;
    var g = ctx.createLinearGradient(0, 0, W, 0);
    g.addColorStop(0, "rgba(0,0,0,0.22)");
    g.addColorStop(0.6, "rgba(0,0,0,0)");
    ctx.fillStyle = primary;
    ctx.fillRect(0, 0, W, band);
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, W, band);
    ctx.strokeStyle = "rgba(255,255,255,0.06)";
    ctx.lineWidth = 3;
    for (var k = -band; k < W; k += 24) {
      ctx.beginPath(); ctx.moveTo(k, band); ctx.lineTo(k + band, 0); ctx.stroke();
    }
    // The emblem on a white disc, the brand and the site's name.
    var tx = M;
    if (emblem) {
      ctx.fillStyle = "#fff";
      ctx.beginPath(); ctx.arc(M + 78, 150, 78, 0, 2 * Math.PI); ctx.fill();
      ctx.strokeStyle = accent; ctx.lineWidth = 6; ctx.stroke();
      var r = 58, s = Math.min(2 * r / emblem.naturalWidth, 2 * r / emblem.naturalHeight);
      var ew = emblem.naturalWidth * s, eh = emblem.naturalHeight * s;
      ctx.drawImage(emblem, M + 78 - ew / 2, 150 - eh / 2, ew, eh);
      tx = M + 156 + 36;
    }
    var tw = W - tx - M;
    ctx.fillStyle = accent;
    ctx.font = "bold 60px " + serif;
    var brand = d.brand ? "「" + d.brand + "」" : page.site;
    ctx.fillText(lines(ctx, brand, tw, 1)[0], tx, 140);
    ctx.fillStyle = "#fff";
    ctx.font = "34px " + sans;
    if (d.brand) ctx.fillText(lines(ctx, page.site, tw, 1)[0], tx, 200);
    // The picture, the width of the poster, with a gold rule under it.
    var y = band;
    if (photo) {
      var ph = Math.round(W * 630 / 1200);
      cover(ctx, photo, 0, y, W, ph);
      y += ph;
    }
    ctx.fillStyle = accent;
    ctx.fillRect(0, y, W, 10);
    y += 10;
    // Title, date and two lines of summary, centred in the space above the foot.
    var foot = 470, fy = H - foot, tw2 = W - 2 * M;
    var blocks = [];
    ctx.font = "bold 68px " + serif;
    blocks.push({ font: ctx.font, fill: "#1a1a1a", lines: lines(ctx, page.title, tw2, 3), step: 92, after: 24 });
    if (d.date) blocks.push({ font: "34px " + sans, fill: "#555", lines: [d.date], step: 50, after: 34, mark: true });
    if (page.summary && page.summary !== page.title) {
      ctx.font = "38px " + sans;
      blocks.push({ font: ctx.font, fill: "#444", lines: lines(ctx, page.summary, tw2, 2), step: 60, after: 0 });
    }
    var height = blocks.reduce(function (h, b) { return h + b.lines.length * b.step + b.after; }, 0);
    y += Math.max(72, (fy - y - height) / 2) + 62;
    blocks.forEach(function (b) {
      ctx.font = b.font;
      if (b.mark) { ctx.fillStyle = primary; ctx.fillRect(M, y - 30, 8, 36); }
      ctx.fillStyle = b.fill;
      b.lines.forEach(function (l) { ctx.fillText(l, b.mark ? M + 26 : M, y); y += b.step; });
      y += b.after;
    });
    // The foot: the QR code and what to do with it.
    ctx.fillStyle = "#f6efe6";
    ctx.fillRect(0, fy, W, foot);
    ctx.fillStyle = primary;
    ctx.fillRect(0, H - 18, W, 18);
    var side = +qrPath.ownerSVGElement.viewBox.baseVal.width;
    var unit = Math.floor(330 / side), q = unit * side;
    var qx = M, qy = fy + (foot - 18 - q) / 2;
    ctx.fillStyle = "#fff";
    ctx.fillRect(qx, qy, q, q);
    ctx.save();
    ctx.translate(qx, qy);
    ctx.scale(unit, unit);
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 1;
    ctx.stroke(new Path2D(qrPath.getAttribute("d")));
    ctx.restore();
    var ax = qx + q + 56, aw = W - ax - M;
    ctx.fillStyle = "#1a1a1a";
    ctx.font = "bold 48px " + sans;
    ctx.fillText(lines(ctx, words.scan, aw, 1)[0], ax, qy + 120);
    ctx.fillStyle = "#555";
    ctx.font = "32px " + sans;
    lines(ctx, page.site, aw, 2).forEach(function (l, i) { ctx.fillText(l, ax, qy + 190 + i * 46); });
    return c;
  }

  var dialog = null;
  function close() {
    if (!dialog) return;
    var img = dialog.querySelector("img");
    if (img) URL.revokeObjectURL(img.src);
    dialog.remove();
    dialog = null;
    document.removeEventListener("keydown", onKey);
    button.focus();
  }
  function onKey(e) { if (e.key === "Escape") close(); }

  function show(blob) {
    var url = URL.createObjectURL(blob);
    dialog = document.createElement("div");
    dialog.className = "poster-dialog";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", button.textContent);
    var box = document.createElement("div");
    box.className = "poster-box";
    var img = document.createElement("img");
    img.src = url;
    img.alt = page.title;
    img.width = W / 4; img.height = H / 4;
    var hint = document.createElement("p");
    hint.textContent = words.hint;
    var save = document.createElement("a");
    save.className = "button";
    save.href = url;
    save.download = page.file + ".png";
    save.textContent = words.save;
    var shut = document.createElement("button");
    shut.type = "button";
    shut.className = "button button-quiet";
    shut.textContent = words.close;
    shut.addEventListener("click", close);
    var actions = document.createElement("p");
    actions.className = "poster-actions";
    actions.append(save, shut);
    box.append(img, hint, actions);
    dialog.append(box);
    dialog.addEventListener("click", function (e) { if (e.target === dialog) close(); });
    document.addEventListener("keydown", onKey);
    document.body.append(dialog);
    save.focus();
  }

  var label = button.textContent;
  button.addEventListener("click", function () {
    button.disabled = true;
    button.textContent = words.making;
    Promise.all([load(d.image), load(d.emblem)])
      .then(function (r) {
        return new Promise(function (resolve, reject) {
          draw(r[0], r[1]).toBlob(function (b) { if (b) resolve(b); else reject(); }, "image/png");
        });
      })
      .then(show, function () { alert(words.failed); })
      .then(function () { button.disabled = false; button.textContent = label; });
  });
})();
