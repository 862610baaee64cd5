/* zhanting search (see src/render/search.rs for the index format). Chinese is matched as
   substrings through bigrams with positions, words by prefix; the index arrives as script
   files, so it works from file:// without fetch or WebAssembly. */
(() => {
const d = document, R = d.getElementById('zt-search');
if (!R) return;
const B = R.dataset.root, O = R.dataset.offline == '1', L = JSON.parse(R.dataset.l),
  Q = d.getElementById('zt-q'), U = d.getElementById('zt-results'), M = d.getElementById('zt-status'),
  A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', S = {}, T = {}, W = {};
let I, run = 0, shown, hits, needles;
const ok = k => { const w = W[k]; W[k] = 0; w && w.forEach(f => f()); };
const reg = f => (n, x) => { S[f + n] = x; ok(f + n); };
window.ZT = { i: x => { I = x; ok('index'); }, b: reg('b'), c: reg('c'), w: reg('w'), t: (n, x) => { T[n] = x; ok('t' + n); } };
/* loads search/K.js once */
const load = k => new Promise((y, n) => {
  if (W[k] === 0) return y();
  if (W[k]) return W[k].push(y);
  W[k] = [y];
  const s = d.createElement('script');
  s.src = B + 'search/' + k + '.js';
  s.onerror = () => { W[k] = null; n(k); };
  d.head.appendChild(s);
});
/* the index's normalization: full-width ASCII to half-width, ASCII lower-case */
const nz = c => { const n = c.charCodeAt(0); if (n > 65280 && n < 65375) c = String.fromCharCode(n - 65248); return c < '\x80' ? c.toLowerCase() : c; };
const norm = s => Array.from(s).map(nz).join('');
const cp = s => s.codePointAt(0);
const han = n => n > 12351 && n < 12544 || n > 13311 && n < 19904 || n > 19967 && n < 40960 || n > 63743 && n < 64256 || n > 131071 && n < 196608;
const isw = c => /[a-z0-9]/.test(c);
/* units: {h: Han char} | {w: word} | 0 (a separator) */
const units = s => {
  const c = Array.from(s).map(nz), u = [];
  for (let i = 0; i < c.length;) {
    if (han(cp(c[i]))) u.push({ h: c[i++] });
    else if (isw(c[i])) { let w = ''; while (i < c.length && isw(c[i])) w += c[i++]; u.push({ w: w.slice(0, 32) }); }
    else { u.push(0); i++; }
  }
  return u;
};
/* terms of a phrase: [key, family, offset]; b: exact bigram, c: a lone character (anywhere), w: word prefix */
const terms = u => {
  const t = [];
  let k = 0;
  u.forEach((x, i) => {
    if (!x) return;
    const y = u[i + 1], p = u[i - 1];
    if (!x.h) t.push([x.w, 'w', k]);
    else if (y && y.h) t.push([x.h + y.h, 'b', k]);
    else if (!(p && p.h)) t.push(y && y.w ? [x.h + '$', 'b', k] : [x.h, 'c', k]);
    k++;
  });
  return t;
};
const sid = ([k, f]) => { k = Array.from(k); return f + (f == 'b' ? (cp(k[0]) * 31 + (k[1] == '$' ? 0 : cp(k[1]))) % I.b : cp(k[0]) % I[f]); };
/* postings: doc gap, then positions (count + gaps) or, for characters, an in-title flag */
const dec = (s, m, c) => {
  let i = 0, doc = -1;
  const v = () => { let r = 0, f = 1, x; do { x = A.indexOf(s[i++]); r += (x & 31) * f; f *= 32; } while (x & 32); return r; };
  while (i < s.length) {
    doc += v() + 1;
    if (c) { m[doc] = [v() ? 0 : 1e9]; continue; }
    let n = v(), p = 0;
    const a = m[doc] || (m[doc] = []);
    while (n--) a.push(p += v());
  }
};
const post = t => {
  const h = S[sid(t)] || {}, m = {};
  if (t[1] != 'w') h[t[0]] && dec(h[t[0]], m, t[1] == 'c');
  else for (const k in h) k.startsWith(t[0]) && dec(h[k], m);
  return m;
};
/* documents where the terms stand at their offsets: doc -> position of the first match */
const phrase = (ts, P) => {
  const r = {}, fx = ts.filter(t => t[1] != 'c'), fr = ts.filter(t => t[1] == 'c'), a0 = fx[0] || ts[0], a = P[a0[0] + a0[1]];
  for (const doc in a) {
    if (!fr.every(t => P[t[0] + t[1]][doc])) continue;
    const s = a[doc].map(p => p - a0[2]).find(s => fx.every(t => (P[t[0] + t[1]][doc] || []).includes(s + t[2])));
    if (s !== undefined) r[doc] = fx.length ? s : a[doc][0];
  }
  return r;
};
/* the words of a query that must all be found, a long Chinese word in pairs of characters */
const groups = q => q.split(/\s+/).filter(Boolean).flatMap(w => {
  const u = units(w);
  if (u.length < 3 || !u.every(x => x && x.h)) return [u];
  const g = [];
  for (let i = 0; i < u.length; i += 2) g.push(u.slice(Math.min(i, u.length - 2), Math.min(i, u.length - 2) + 2));
  return g;
});
const search = q => {
  // The phrase: spaces between two Chinese characters do not count (党 建 is 党建).
  const c = Array.from(q.replace(/\s+/g, ' ')), ph0 = c.filter((x, i) => !/\s/.test(x) || !(han(cp(c[i - 1] || 'a')) && han(cp(c[i + 1] || 'a')))).join('');
  const ts = terms(units(ph0)), gs = groups(q).map(terms).filter(t => t.length), P = {};
  if (!ts.length) return Promise.resolve([]);
  const all = ts.concat(...gs);
  return Promise.all([...new Set(all.map(sid))].map(load)).then(() => {
    all.forEach(t => { P[t[0] + t[1]] = P[t[0] + t[1]] || post(t); });
    const ph = phrase(ts, P), title = (doc, s) => s < A.indexOf(I.t[doc]) ? 0 : 1;
    let rest = null;
    gs.forEach(t => { const m = phrase(t, P), n = {}; for (const x in m) if (!rest || x in rest) n[x] = Math.min(m[x], rest ? rest[x] : m[x]); rest = n; });
    const rank = (m, skip) => Object.keys(m).filter(x => !skip || !(x in skip)).map(Number).sort((a, b) => title(a, m[a]) - title(b, m[b]) || a - b);
    const out = rank(ph);
    U.dataset.phrase = out.length;
    return out.concat(rank(rest || {}, ph));
  });
};
const esc = s => s.replace(/[&<>"]/g, c => '&#' + c.charCodeAt(0) + ';');
/* s with every needle marked */
const hl = s => {
  const n = norm(s), r = [];
  let h = '', p = 0;
  needles.forEach(k => { for (let i = 0, j; (j = n.indexOf(k, i)) >= 0; i = j + k.length) r.push([j, j + k.length]); });
  r.sort((a, b) => a[0] - b[0]).forEach(([a, b]) => { if (a >= p) { h += esc(s.slice(p, a)) + '<mark>' + esc(s.slice(a, b)) + '</mark>'; p = b; } });
  return h + esc(s.slice(p));
};
const snip = t => {
  const n = norm(t);
  let i = -1;
  needles.some(k => (i = n.indexOf(k)) >= 0);
  i = Math.max(0, i - 30);
  return (i ? '…' : '') + hl(t.slice(i, i + 110)) + (t.length > i + 110 ? '…' : '');
};
const href = p => B + p.slice(1) + (O && p.endsWith('/') ? 'index.html' : '');
const more = () => {
  const my = run, next = hits.slice(shown, shown + 10), K = x => 't' + Math.floor(x / I.k);
  Promise.all([...new Set(next.map(K))].map(load)).then(() => {
    if (my != run) return;
    const old = d.getElementById('zt-more');
    old && old.remove();
    next.forEach(x => {
      const r = T[Math.floor(x / I.k)][x % I.k], li = d.createElement('li');
      li.innerHTML = '<a href="' + esc(href(r[0])) + '">' + hl(r[1]) + '</a><small>' + esc([r[3], r[2]].filter(Boolean).join(' · ')) + '</small><p>' + snip(r[4]) + '</p>';
      U.appendChild(li);
    });
    shown += next.length;
    if (shown < hits.length) {
      const b = d.createElement('button');
      b.id = 'zt-more'; b.type = 'button'; b.textContent = L.more; b.onclick = more;
      U.after(b);
    }
  });
};
const go = () => {
  const q = Q.value.trim(), my = ++run;
  try { history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname); } catch (e) {}
  U.innerHTML = '';
  const old = d.getElementById('zt-more');
  old && old.remove();
  if (!q) { M.textContent = ''; return; }
  needles = [q.replace(/\s+/g, ''), ...q.split(/\s+/)].map(norm).filter(Boolean);
  load('index').then(() => search(q)).then(h => {
    if (my != run) return;
    hits = h; shown = 0;
    M.textContent = h.length ? L.count.replace('{n}', h.length) : L.none;
    h.length && more();
  });
};
let tm;
Q.addEventListener('input', () => { clearTimeout(tm); tm = setTimeout(go, 120); });
Q.form.addEventListener('submit', e => { e.preventDefault(); go(); });
const m = /[?&]q=([^&]*)/.exec(location.search);
if (m) { Q.value = decodeURIComponent(m[1].replace(/\+/g, ' ')); go(); }
})();
