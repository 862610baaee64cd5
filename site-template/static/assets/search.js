/* zhanting search (see src/render/search.rs for the index format). Chinese is matched as
   substrings through bigrams with positions, words by prefix; the index arrives as script
   files, so it works from file:// without fetch or WebAssembly. */
(() => {
const d = document, R = d.getElementById('zt-search');
if (!R) return;
const B = R.dataset.root, O = R.dataset.offline == '1', L = JSON.parse(R.dataset.l),
  Q = d.getElementById('zt-q'), U = d.getElementById('zt-results'), M = d.getElementById('zt-status'),
  A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', S = {}, T = {}, W = {};
let I, run = 0, shown, hits, needles, query;
const ok = k => { const w = W[k]; W[k] = 0; w && w.forEach(f => f()); };
const reg = f => (n, x) => { S[f + n] = x; ok(f + n); };
window.ZT = { i: x => { I = x; ok('index'); }, b: reg('b'), c: reg('c'), w: reg('w'), p: reg('p'), t: (n, x) => { T[n] = x; ok('t' + n); } };
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
/* postings: doc gap, then positions (count + gaps) or, for characters, an in-title flag;
   the first gap counted from document o */
const dec = (s, m, c, o) => {
  let i = 0, doc = o === undefined ? -1 : o;
  const v = () => { let r = 0, f = 1, x; do { x = A.indexOf(s[i++]); r += (x & 31) * f; f *= 32; } while (x & 32); return r; };
  while (i < s.length) {
    doc += v() + 1;
    if (c == 2) { m[doc] = 1; continue; }
    if (c) { m[doc] = [v() ? 0 : 1e9]; continue; }
    let n = v(), p = 0;
    const a = m[doc] || (m[doc] = []);
    while (n--) a.push(p += v());
  }
};
/* a document list: gaps, or after '~' a bitmap of six documents a character */
const docs = (s, ds) => {
  if (s[0] != '~') return dec(s, ds, 2);
  for (let i = 1; i < s.length; i++) for (let x = A.indexOf(s[i]), b = 0; b < 6; b++) x >> b & 1 && (ds[(i - 1) * 6 + b] = 1);
};
/* a term as far as loaded: m doc -> positions, complete below document 'to'; tt doc -> positions
   inside the title; ds every document it is in; tl the files that complete m. A long token's
   entry is [documents, title postings, first postings, their last document, rest file]. */
const post = t => {
  const h = S[sid(t)] || {}, c = t[1] == 'c', r = { m: {}, tt: {}, ds: {}, to: 1 / 0, tl: [] };
  const add = v => {
    if (typeof v == 'string') { dec(v, r.m, c); dec(v, r.tt, c); return; }
    dec(v[2], r.m); dec(v[1], r.tt); docs(v[0], r.ds);
    const k = 'p' + v[4];
    if (S[k] !== undefined) dec(S[k], r.m, 0, v[3]);
    else { r.to = Math.min(r.to, v[3] + 1); r.tl.push(k); }
  };
  if (t[1] != 'w') h[t[0]] && add(h[t[0]]);
  else for (const k in h) k.startsWith(t[0]) && add(h[k]);
  for (const x in r.m) r.ds[x] = 1;
  return r;
};
/* documents below 'lim' where the terms stand at their offsets: doc -> position of the first match */
const phrase = (ts, f, lim) => {
  const r = {}, fx = ts.filter(t => t[1] != 'c'), fr = ts.filter(t => t[1] == 'c'), a0 = fx[0] || ts[0], a = f(a0);
  for (const doc in a) {
    if (doc >= lim || !fr.every(t => f(t)[doc])) continue;
    const s = a[doc].map(p => p - a0[2]).find(s => fx.every(t => (f(t)[doc] || []).includes(s + t[2])));
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
/* the query's terms, their shards loaded: ts the phrase's, gs each group's */
const search = q => {
  // The phrase: spaces between two Chinese characters do not count (党 建 is 党建).
  const c = Array.from(q.replace(/\s+/g, ' ')), ph0 = c.filter((x, i) => !/\s/.test(x) || !(han(cp(c[i - 1] || 'a')) && han(cp(c[i + 1] || 'a')))).join('');
  const ts = terms(units(ph0)), gs = groups(q).map(terms).filter(t => t.length);
  if (!ts.length) return Promise.resolve(null);
  const all = ts.concat(...gs);
  return Promise.all([...new Set(all.map(sid))].map(load)).then(() => ({ ts, gs, all }));
};
/* the results as far as the loaded postings tell: the ranked list so far (phrase hits, those
   in a title first, newest first; then documents with every group elsewhere), whether it is
   complete, and the total when it is known */
const rank = Q => {
  const P = {}, K = t => P[t[0] + t[1]] || (P[t[0] + t[1]] = post(t)), lim = Math.min(...Q.all.map(t => K(t).to));
  const num = o => Object.keys(o).map(Number).sort((a, b) => a - b), one = Q.ts.length == 1;
  const th = phrase(Q.ts, t => K(t).tt, 1 / 0), tl = num(th).filter(x => th[x] < A.indexOf(I.t[x])), ti = new Set(tl);
  // One term: its documents are its hits; more: where the terms stand together.
  const body = num(one ? K(Q.ts[0]).ds : phrase(Q.ts, t => K(t).m, lim)).filter(x => !ti.has(x));
  const hits = tl.concat(body), known = one || lim == 1 / 0, hs = new Set(hits);
  // Documents with every group: from the document lists when each group is one term.
  let rest = null;
  if (Q.gs.every(g => g.length == 1) || lim == 1 / 0)
    Q.gs.forEach(g => { const d = g.length == 1 ? K(g[0]).ds : phrase(g, t => K(t).m, 1 / 0); const n = {}; for (const x in d) if (!rest || rest[x]) n[x] = 1; rest = n; });
  const more = known && rest ? num(rest).filter(x => !hs.has(x)) : [];
  return { list: hits.concat(more), done: known && !!rest, phrase: known ? hits.length : null,
    total: rest ? new Set(hits.concat(num(rest))).size : null, tails: [...new Set(Q.all.flatMap(t => K(t).tl))] };
};
/* the results once at least n are known in their order (or all are) */
const upto = (Q, n) => {
  const r = rank(Q);
  return r.list.length >= n || r.done ? Promise.resolve(r) : Promise.all(r.tails.map(load)).then(() => rank(Q));
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
/* the count, or how many so far while it is counted */
const status = r => {
  M.textContent = r.total === null ? L.counting.replace('{n}', r.list.length) : r.total ? L.count.replace('{n}', r.total) : L.none;
  if (r.phrase !== null) U.dataset.phrase = r.phrase;
};
const more = () => {
  const my = run, K = x => 't' + Math.floor(x / I.k);
  let next;
  upto(query, shown + 11).then(r => {
    if (my != run) return;
    hits = r.list; next = hits.slice(shown, shown + 10);
    return Promise.all([...new Set(next.map(K))].map(load));
  }).then(() => {
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
  delete U.dataset.phrase;
  load('index').then(() => search(q)).then(Q => (query = Q) ? upto(Q, 11) : { list: [], phrase: 0, total: 0, tails: [] }).then(r => {
    if (my != run) return;
    hits = r.list; shown = 0;
    status(r);
    if (!hits.length) return;
    more();
    // The count needs the rest of the postings: loaded after the first results show.
    if (r.total === null) Promise.all(r.tails.map(load)).then(() => { if (my == run) status(rank(query)); });
  });
};
let tm;
Q.addEventListener('input', () => { clearTimeout(tm); tm = setTimeout(go, 120); });
Q.form.addEventListener('submit', e => { e.preventDefault(); go(); });
const m = /[?&]q=([^&]*)/.exec(location.search);
if (m) { Q.value = decodeURIComponent(m[1].replace(/\+/g, ' ')); go(); }
})();
