/* zhanting's browser editor: forms for the site's YAML files (site.yaml, brand.yaml,
 * achievements.yaml, boards, album.yaml, deck.yaml, screen.yaml, checks.yaml), made from
 * schemas.json — the schemas the loader reads the files by, with the settings
 * reference's Chinese words for every key (src/reference.rs writes it) — and the album
 * view: photos with captions in a grid, ordered by dragging. Served by `zhanting serve`
 * only. */
(function () {
  'use strict';
  var P = window.zhantingEditorParts;
  var t = P.t, h = P.h, api = P.api, q = P.q;
  var SCHEMAS = null;

  function schemas() {
    if (SCHEMAS) return Promise.resolve(SCHEMAS);
    return fetch('/__zhanting/edit/assets/schemas.json', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) { SCHEMAS = j; return j; });
  }

  /** The schema a file is read by. */
  function schemaOf(path) {
    if (/^albums\/[^/]+\/album\.yaml$/.test(path)) return 'album';
    if (/^boards\/[^/]+\.yaml$/.test(path)) return 'board';
    if (/\/_index\.md$/.test(path)) return 'section';
    if (/\.md$/.test(path)) return 'page';
    return path;
  }
  var TITLES = {
    zh: { 'site.yaml': '网站设置', 'brand.yaml': '品牌', 'achievements.yaml': '成果', 'deck.yaml': '展评演示文稿', 'screen.yaml': '大屏模式', 'checks.yaml': '检查设置', board: '展板', album: '相册' },
    en: { 'site.yaml': 'Site settings', 'brand.yaml': 'Brand', 'achievements.yaml': 'Achievements', 'deck.yaml': 'Review deck', 'screen.yaml': 'Screen mode', 'checks.yaml': 'Checks', board: 'Board', album: 'Album' }
  };
  var MULTILINE = ['body', 'meaning', 'story', 'summary', 'description', 'notes', 'logo_meaning', 'text'];

  /** A schema and its words: resolves references, tells what each node is. */
  function Schema(entry) {
    this.root = entry.schema;
    this.notes = {};
    this.order = [];
    var self = this;
    (entry.notes || []).forEach(function (n) { self.notes[n[0]] = { meaning: n[1], example: n[2] }; self.order.push(n[0]); });
  }
  Schema.prototype.resolve = function (s) {
    var guard = 0;
    while (s && s.$ref && guard++ < 20) s = this.root.$defs[s.$ref.split('/').pop()];
    return s || {};
  };
  Schema.prototype.nonNull = function (s) {
    s = this.resolve(s);
    if (s.anyOf) {
      var self = this;
      var rest = s.anyOf.filter(function (x) { return self.resolve(x).type !== 'null'; });
      if (rest.length === 1) return this.nonNull(rest[0]);
    }
    return s;
  };
  function types(s) {
    var ty = s.type;
    if (!ty) return [];
    if (!Array.isArray(ty)) ty = [ty];
    return ty.filter(function (x) { return x !== 'null'; });
  }
  Schema.prototype.choices = function (s) {
    s = this.nonNull(s);
    if (s.enum) return s.enum.filter(function (x) { return typeof x === 'string'; });
    if (!s.oneOf) return null;
    var out = [];
    for (var i = 0; i < s.oneOf.length; i++) {
      var v = s.oneOf[i];
      if ('const' in v && typeof v.const === 'string') out.push(v.const);
      else if (v.enum) out = out.concat(v.enum);
      else return null;
    }
    return out;
  };
  Schema.prototype.variants = function (s) {
    s = this.nonNull(s);
    if (!s.oneOf) return null;
    var out = [];
    for (var i = 0; i < s.oneOf.length; i++) {
      var v = this.resolve(s.oneOf[i]);
      var tag = v.properties && v.properties.type && v.properties.type.const;
      if (!tag) return null;
      out.push([tag, v]);
    }
    return out;
  };
  /** What kind of field a schema asks for. */
  Schema.prototype.kind = function (s) {
    var n = this.nonNull(s);
    if (this.choices(n)) return 'choice';
    if (n.anyOf) {
      var self = this;
      var branches = n.anyOf.map(function (x) { return self.nonNull(x); }).filter(function (x) { return x.type !== 'null'; });
      var kinds = branches.map(function (b) { return types(b)[0] || (b.anyOf ? 'number' : 'object'); });
      if (kinds.every(function (k) { return k === 'integer' || k === 'number' || k === 'string'; })) return 'numberish';
      return 'mixed';
    }
    var ty = types(n);
    if (ty.indexOf('object') >= 0 && n.properties) return 'object';
    if (ty.indexOf('array') >= 0) {
      var items = this.nonNull(n.items || {});
      if (this.variants(items)) return 'tagged-list';
      if (types(items).indexOf('object') >= 0 && items.properties) return 'object-list';
      if (types(items).indexOf('array') >= 0 || n.minItems) return 'number-list';
      if (types(items).indexOf('integer') >= 0 || types(items).indexOf('number') >= 0) return 'number-list';
      return 'word-list';
    }
    if (ty.indexOf('boolean') >= 0) return 'boolean';
    if (ty.indexOf('integer') >= 0 || ty.indexOf('number') >= 0) return 'number';
    return 'string';
  };
  /** The words of key `path` (`theme.primary`, `blocks[].title`). */
  Schema.prototype.words = function (path) {
    var n = this.notes[path];
    if (!n) return { label: path.split('.').pop().replace('[]', ''), help: '' };
    var label = n.meaning.split(/[，；：（(,;]/)[0];
    return { label: label, help: n.meaning + (LANGZH() ? '。例：' : '. Example: ') + n.example };
  };
  /** The keys of a mapping at `prefix`, in the reference's order. */
  Schema.prototype.keyOrder = function (prefix) {
    var out = [];
    this.order.forEach(function (k) {
      if (k.indexOf(prefix) === 0) {
        var rest = k.slice(prefix.length);
        if (rest && rest.indexOf('.') < 0 && rest.indexOf('[') < 0) out.push(rest);
      }
    });
    return out;
  };
  /** Names for the values of a choice, read from its words (`offset` 写真/胶印…). */
  Schema.prototype.choiceNames = function (path, values) {
    var n = this.notes[path];
    var names = {};
    if (!n) return names;
    var re = /`([\w-]+)`\s*([^，、；`（(]+)/g, m;
    while ((m = re.exec(n.meaning))) names[m[1]] = m[2].trim();
    // A list after a colon, one per value in the schema's order (块的种类：文字、统计数字…).
    var list = n.meaning.split('：')[1];
    if (list && values) {
      var parts = list.split('、');
      if (parts.length === values.length) values.forEach(function (v, i) { if (!names[v]) names[v] = parts[i].replace(/[（(].*$/, ''); });
    }
    return names;
  };
  function LANGZH() { return P.LANG !== 'en'; }

  // ---- The form ------------------------------------------------------------------------
  /** A form over `value` (a mapping as the server sends it, with `__keys`). */
  function Form(schema, value, changed) {
    this.s = schema;
    this.value = value;
    this.changed = changed;
    this.fields = [];
  }

  Form.prototype.object = function (container, sch, holder, prefix) {
    var self = this;
    var s = this.s.nonNull(sch);
    var props = s.properties || {};
    var required = s.required || [];
    var order = this.s.keyOrder(prefix);
    var keys = Object.keys(props).sort(function (a, b) {
      var ia = order.indexOf(a), ib = order.indexOf(b);
      return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib);
    });
    keys.forEach(function (k) {
      if (k === 'type' && props[k].const) return;
      if (self.skip && self.skip(prefix + k)) return;
      self.key(container, props[k], holder, k, prefix + k, required.indexOf(k) >= 0, order);
    });
  };

  Form.prototype.set = function (holder, key, v, order) {
    if (v === undefined) P.unsetKey(holder, key); else P.setKey(holder, key, v, order);
    this.changed();
  };

  /** The field of key `key` of mapping `holder`. */
  Form.prototype.key = function (container, sch, holder, key, path, required, order) {
    var self = this;
    var kind = this.s.kind(sch);
    var w = this.s.words(path);
    var label = w.label + (required ? ' *' : '');
    var cur = holder[key];
    var wrap;
    var input;
    if (kind === 'object') {
      var n = this.s.nonNull(sch);
      var box = h('details', { class: 'group', open: cur !== undefined || required ? true : null });
      box.appendChild(h('summary', null, h('strong', { text: w.label }), h('span', { class: 'key', text: path })));
      if (w.help) box.appendChild(h('p', { class: 'meta', text: w.help }));
      var obj = cur && typeof cur === 'object' && !Array.isArray(cur) ? cur : P.keyed({});
      var inner = h('div');
      box.appendChild(inner);
      // The mapping joins its parent once a key in it is set, and leaves it when empty.
      var sub = new Form(this.s, obj, function () {
        var has = P.keysOf(obj).length > 0;
        if (has && holder[key] !== obj) P.setKey(holder, key, obj, order);
        if (!has && !required) P.unsetKey(holder, key);
        self.changed();
      });
      sub.fields = this.fields;
      sub.skip = this.skip;
      sub.object(inner, n, obj, path + '.');
      container.appendChild(box);
      return;
    }
    if (kind === 'object-list' || kind === 'tagged-list') {
      container.appendChild(this.list(sch, holder, key, path, order, w));
      return;
    }
    if (kind === 'word-list' || kind === 'number-list') {
      var numbers = kind === 'number-list';
      var vals = Array.isArray(cur) ? cur.map(function (x) { return Array.isArray(x) ? x.join(' ') : String(x); }) : [];
      var items = this.s.nonNull(this.s.nonNull(sch).items || {});
      var sugg = this.s.choices(items) || [];
      wrap = P.chipsInput(label, vals, sugg, function (v) {
        var out = v.map(function (x) {
          if (!numbers) return x;
          if (/\s/.test(x.trim())) return x.trim().split(/\s+/).map(Number);
          var num = Number(x);
          return isNaN(num) ? x : num;
        });
        self.set(holder, key, out.length ? out : undefined, order);
      });
      if (w.help) wrap.appendChild(h('span', { class: 'help', text: w.help }));
      wrap.dataset.key = key;
      container.appendChild(wrap);
      this.fields.push(wrap);
      return;
    }
    if (kind === 'boolean') {
      var def = this.s.nonNull(sch).default;
      input = h('select', null,
        h('option', { value: '' }, (LANGZH() ? '默认' : 'Default') + (def === undefined || def === null ? '' : '（' + (def ? t('yes') : t('no')) + '）')),
        h('option', { value: 'true', selected: cur === true }, t('yes')),
        h('option', { value: 'false', selected: cur === false }, t('no')));
      input.addEventListener('change', function () {
        self.set(holder, key, input.value === '' ? undefined : input.value === 'true', order);
      });
    } else if (kind === 'choice') {
      var values = this.s.choices(sch);
      var names = this.s.choiceNames(path, values);
      input = h('select', null, required ? null : h('option', { value: '' }, LANGZH() ? '（默认）' : '(default)'),
        values.map(function (v) { return h('option', { value: v, selected: cur === v }, names[v] ? v + ' · ' + names[v] : v); }));
      input.addEventListener('change', function () { self.set(holder, key, input.value === '' ? undefined : input.value, order); });
    } else if (kind === 'mixed') {
      container.appendChild(this.mixed(sch, holder, key, path, order, w));
      return;
    } else {
      var multi = MULTILINE.indexOf(key) >= 0 || (typeof cur === 'string' && cur.indexOf('\n') >= 0);
      input = h(multi ? 'textarea' : 'input', multi ? { rows: key === 'body' || key === 'story' || key === 'meaning' || key === 'notes' ? 6 : 3 } : { type: 'text', inputmode: kind === 'number' ? 'decimal' : null });
      input.value = cur === undefined || cur === null ? '' : (typeof cur === 'object' ? JSON.stringify(cur) : String(cur));
      input.addEventListener('input', function () {
        var v = input.value;
        if (v.trim() === '' && !required) { self.set(holder, key, undefined, order); return; }
        if (kind === 'number' || kind === 'numberish') {
          var num = Number(v.trim());
          if (v.trim() !== '' && !isNaN(num) && /^-?[0-9.]+$/.test(v.trim())) v = num;
          else if (kind === 'number') v = v.trim();
        }
        self.set(holder, key, v, order);
      });
    }
    wrap = P.field(label, input, w.help, path);
    wrap.dataset.key = key;
    container.appendChild(wrap);
    this.fields.push(wrap);
  };

  /** A value that may be of several kinds (a board's `qr`: yes, no, an address, or a
   *  mapping): a choice of kind, then its field. */
  Form.prototype.mixed = function (sch, holder, key, path, order, w) {
    var self = this;
    var n = this.s.nonNull(sch);
    var branches = n.anyOf.map(function (x) { return self.s.nonNull(x); }).filter(function (x) { return x.type !== 'null'; });
    var box = h('fieldset', null, h('legend', { text: w.label }));
    if (w.help) box.appendChild(h('p', { class: 'meta', text: w.help }));
    var cur = holder[key];
    var kindOf = function (v) { return typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : v && typeof v === 'object' ? 'object' : ''; };
    var names = { '': LANGZH() ? '默认' : 'Default', boolean: LANGZH() ? '是 / 否' : 'Yes / no', string: LANGZH() ? '网址或站内路径' : 'Address', object: LANGZH() ? '详细设置' : 'Details' };
    var sel = h('select', { 'aria-label': w.label }, [''].concat(branches.map(function (b) { return types(b)[0] || 'object'; })).map(function (k) {
      return h('option', { value: k, selected: kindOf(cur) === k }, names[k] || k);
    }));
    var inner = h('div');
    function render() {
      inner.innerHTML = '';
      var k = sel.value;
      if (!k) return;
      var br = branches.filter(function (b) { return (types(b)[0] || 'object') === k; })[0];
      var tmp = P.keyed({});
      if (kindOf(holder[key]) === k) tmp[key] = holder[key];
      var sub = new Form(self.s, tmp, function () {
        if (tmp[key] === undefined) P.unsetKey(holder, key); else P.setKey(holder, key, tmp[key], order);
        self.changed();
      });
      sub.key(inner, br, tmp, key, path, false, order);
    }
    sel.addEventListener('change', function () {
      var k = sel.value;
      if (!k) P.unsetKey(holder, key);
      else if (k === 'boolean') P.setKey(holder, key, true, order);
      else if (k === 'string' && typeof holder[key] !== 'string') P.setKey(holder, key, '', order);
      else if (k === 'object' && kindOf(holder[key]) !== 'object') P.setKey(holder, key, P.keyed({}), order);
      render();
      self.changed();
    });
    box.appendChild(h('div', { class: 'field' }, sel));
    box.appendChild(inner);
    render();
    return box;
  };

  /** A list of mappings (stats, honours, pillars) or of typed ones (a board's blocks, the
   *  deck's slides): each an item with its fields, moved up or down, removed; added at
   *  the end (with a choice of type). */
  Form.prototype.list = function (sch, holder, key, path, order, w) {
    var self = this;
    var n = this.s.nonNull(sch);
    var itemSchema = this.s.nonNull(n.items || {});
    var variants = this.s.variants(itemSchema);
    var tagNames = variants ? this.s.choiceNames(path + '[].type', variants.map(function (v) { return v[0]; })) : {};
    var box = h('fieldset', { class: 'list-field' }, h('legend', { text: w.label }));
    if (w.help) box.appendChild(h('p', { class: 'meta', text: w.help }));
    var itemsBox = h('div');
    box.appendChild(itemsBox);
    function arr() { return Array.isArray(holder[key]) ? holder[key] : []; }
    function render() {
      itemsBox.innerHTML = '';
      arr().forEach(function (item, i) {
        var a = arr();
        var tag = variants && item && item.type;
        var name = tag ? (tagNames[tag] || tag) : '';
        var titleText = (item && (item.title || item.name || item.label || item.file)) || '';
        var heading = t('itemN', { n: i + 1 }) + (name ? ' · ' + name : '') + (titleText ? ' · ' + titleText : '');
        var card = h('div', { class: 'item', role: 'group', 'aria-label': heading });
        card.appendChild(h('div', { class: 'item-head' }, h('span', { class: 'item-title', text: heading }),
          h('button', { type: 'button', class: 'small', 'aria-label': t('moveUp') + ' ' + heading, disabled: i === 0, onclick: function () { move(i, -1); } }, '↑'),
          h('button', { type: 'button', class: 'small', 'aria-label': t('moveDown') + ' ' + heading, disabled: i === a.length - 1, onclick: function () { move(i, 1); } }, '↓'),
          h('button', { type: 'button', class: 'small danger', 'aria-label': t('remove') + ' ' + heading, onclick: function () {
            a.splice(i, 1);
            self.set(holder, key, a.slice(), order);
            render();
          } }, t('remove'))));
        var s = itemSchema;
        if (variants) {
          var v = variants.filter(function (x) { return x[0] === tag; })[0];
          s = v ? v[1] : itemSchema;
        }
        if (item && typeof item === 'object') self.object(card, s, item, path + '[].');
        itemsBox.appendChild(card);
      });
    }
    function move(i, d) {
      var a = arr().slice();
      var x = a[i];
      a[i] = a[i + d];
      a[i + d] = x;
      self.set(holder, key, a, order);
      render();
      var btns = itemsBox.querySelectorAll('.item')[i + d];
      if (btns) btns.querySelector('button').focus();
    }
    render();
    var addRow = h('div', { class: 'actions' });
    var typeSel = null;
    if (variants) {
      var tid = P.id('type');
      typeSel = h('select', { id: tid }, variants.map(function (v) { return h('option', { value: v[0] }, tagNames[v[0]] ? tagNames[v[0]] + '（' + v[0] + '）' : v[0]); }));
      addRow.appendChild(h('label', { for: tid, class: 'visually-hidden', text: t('blockType') }));
      addRow.appendChild(typeSel);
    }
    addRow.appendChild(h('button', { 'aria-label': variants ? t('addBlock') : t('add'), type: 'button', onclick: function () {
      var item = P.keyed(typeSel ? { type: typeSel.value } : {});
      var a = arr().slice();
      a.push(item);
      self.set(holder, key, a, order);
      render();
      var cards = itemsBox.querySelectorAll('.item');
      var last = cards[cards.length - 1];
      var first = last && last.querySelector('input, textarea, select');
      if (first) first.focus();
    } }, '＋ ' + (variants ? t('addBlock') : t('add'))));
    box.appendChild(addRow);
    return box;
  };

  // ---- A YAML file's view --------------------------------------------------------------
  function file(path) {
    if (/\.md$/.test(path)) { location.replace(P.editLink('page', path)); return; }
    var m = /^albums\/([^/]+)\/album\.yaml$/.exec(path);
    if (m) { location.replace(P.editLink('album', 'albums/' + m[1])); return; }
    var name = schemaOf(path);
    var title = (TITLES[P.LANG === 'en' ? 'en' : 'zh'][name] || path);
    var main = P.frame(title, true);
    return Promise.all([schemas(), api('file?' + q({ path: path }))]).then(function (all) {
      var sch = all[0][name];
      var r = all[1];
      var f = r.data;
      if (r.status === 404) f = { path: path, version: null, value: P.keyed({}), text: '' };
      else if (!r.ok) { main.appendChild(h('p', { role: 'alert', text: f.error })); return; }
      if (f.invalid || !sch) return P.sourceEditor(main, f);
      var value = f.value && typeof f.value === 'object' ? f.value : P.keyed({});
      main.appendChild(h('h1', null, title, h('span', { class: 'key', text: path })));
      var split = h('div', { class: 'split', 'data-show': 'edit' });
      main.appendChild(split);
      var pane = h('div', { class: 'edit-pane' });
      var previewPane = h('div', { class: 'preview-pane' });
      split.appendChild(pane);
      split.appendChild(previewPane);
      var errorBox = h('div', { class: 'build-error', role: 'alert', hidden: true });
      pane.appendChild(errorBox);
      var problems = h('div', { class: 'build-error', role: 'alert', hidden: true });
      pane.appendChild(problems);
      var stateEl = h('span', { class: 'state', role: 'status' });
      var saver = new P.Saver(path, f.version, function () { return { value: value }; }, stateEl);
      var checkTimer = null;
      var form = new Form(new Schema(sch), value, function () {
        saver.changed();
        clearTimeout(checkTimer);
        checkTimer = setTimeout(check, 400);
      });
      var formBox = h('form', { onsubmit: function (e) { e.preventDefault(); } });
      pane.appendChild(formBox);
      form.object(formBox, sch.schema, value, '');
      function check() {
        if (P.composing()) { checkTimer = setTimeout(check, 300); return; }
        api('check', { method: 'POST', body: { path: path, value: value } }).then(function (res) {
          showProblems(res.data.diagnostics || []);
        });
      }
      function showProblems(diags) {
        form.fields.forEach(function (w) { P.markProblem(w, ''); });
        problems.innerHTML = '';
        problems.hidden = !diags.length;
        diags.forEach(function (d) {
          var msg = (P.LANG === 'en' ? d.message.en : d.message.zh) + (d.hint ? '\n' + (P.LANG === 'en' ? d.hint.en : d.hint.zh) : '');
          problems.appendChild(h('pre', { text: (d.line ? path + ':' + d.line + ': ' : '') + msg }));
          var k = d.source_line && /^[\s-]*\{?\s*([A-Za-z_]+)\s*:/.exec(d.source_line);
          var named = /`([A-Za-z_]+)`/.exec(d.message.en);
          var key = (named && named[1]) || (k && k[1]);
          form.fields.forEach(function (w) { if (key && w.dataset.key === key) P.markProblem(w, msg); });
        });
      }
      var bar = h('div', { class: 'savebar' },
        h('button', { type: 'button', class: 'primary', onclick: function () { saver.dirty = true; saver.save(); } }, t('save')),
        stateEl,
        h('a', { href: location.pathname + location.search + '&source=1' }, t('source')));
      if (name === 'board') bar.appendChild(h('button', { type: 'button', class: 'danger', onclick: function () { P.remove(path, false); } }, t('delete')));
      pane.appendChild(bar);
      saver.state(f.version ? t('saved') : '', 'ok');
      P.keySave(saver);
      // The preview: a board's picture, or the page the file makes.
      var refresh = function () {};
      if (name === 'board') {
        var slug = path.replace(/^boards\//, '').replace(/\.yaml$/, '');
        var img = h('img', { class: 'board-preview', alt: t('boardPreview'), src: '/boards/' + encodeURIComponent(slug) + '.png?t=' + Date.now() });
        previewPane.appendChild(h('p', { class: 'meta', text: t('boardPreview') }));
        previewPane.appendChild(img);
        if (f.url) previewPane.appendChild(h('a', { href: f.url, target: '_blank', rel: 'noopener' }, t('openPage')));
        refresh = function () { img.src = '/boards/' + encodeURIComponent(slug) + '.png?t=' + Date.now(); };
      } else if (f.url) {
        previewPane.appendChild(h('iframe', { src: f.url, title: t('preview') }));
      } else {
        previewPane.hidden = true;
      }
      P.onBuild(function (kind) {
        P.showBuildError(errorBox);
        if (kind !== 'failed') refresh();
      });
      P.showBuildError(errorBox);
    });
  }

  // ---- An album: its settings and its photos ------------------------------------------
  function album(name) {
    var main = P.frame(t('albums'), true);
    return Promise.all([schemas(), api('album?' + q({ name: name }))]).then(function (all) {
      var sch = all[0].album;
      var r = all[1];
      if (!r.ok) { main.appendChild(h('p', { role: 'alert', text: r.data.error })); return; }
      var f = r.data;
      if (f.invalid) return P.sourceEditor(main, f);
      var dir = 'albums/' + name;
      var value = f.value && typeof f.value === 'object' ? f.value : P.keyed({});
      var photos = P.fullPhotoList(f);
      var info = {};
      ((f.album && f.album.photos) || []).forEach(function (p) { info[p.file] = p; });
      main.appendChild(h('h1', null, value.title || name, h('span', { class: 'key', text: dir })));
      var errorBox = h('div', { class: 'build-error', role: 'alert', hidden: true });
      main.appendChild(errorBox);
      var stateEl = h('span', { class: 'state', role: 'status' });
      var saver = new P.Saver(f.path, f.version, function () { return { value: value }; }, stateEl);
      var form = new Form(new Schema(sch), value, function () { saver.changed(); });
      form.skip = function (k) { return k === 'photos' || k === 'cover'; };
      var formBox = h('form', { onsubmit: function (e) { e.preventDefault(); } });
      form.object(formBox, sch.schema, value, '');
      main.appendChild(formBox);

      main.appendChild(h('h2', { text: t('upload') }));
      main.appendChild(P.dropZone(function () { return dir; }, function (names) {
        names.forEach(function (n) { photos.push(P.keyed({ file: n })); });
        if (names.length) { listChanged(); saver.save(); }
      }));

      main.appendChild(h('h2', { text: t('photosOf') }));
      main.appendChild(h('p', { class: 'meta', text: t('dragHint') }));
      var grid = h('ul', { class: 'photos' });
      main.appendChild(grid);
      var dragFrom = null;
      function listChanged() {
        P.setKey(value, 'photos', photos.map(function (p) { return p; }), P.ALBUM_ORDER);
        saver.changed();
        render();
      }
      function move(from, to) {
        if (to < 0 || to >= photos.length || from === to) return;
        var x = photos.splice(from, 1)[0];
        photos.splice(to, 0, x);
        listChanged();
      }
      function render() {
        grid.innerHTML = '';
        photos.forEach(function (p, i) {
          var meta = info[p.file] || {};
          var capId = P.id('cap');
          var isCover = value.cover === p.file;
          var li = h('li', { class: 'photo', draggable: 'true', 'data-file': p.file });
          li.appendChild(meta.thumb ? h('img', { src: meta.thumb, alt: p.caption || p.file, loading: 'lazy' }) : h('div', { class: 'noimg', text: p.file }));
          var cap = h('input', { type: 'text', id: capId, value: p.caption || '' });
          cap.addEventListener('input', function () {
            if (cap.value.trim()) P.setKey(p, 'caption', cap.value, ['file', 'caption']); else P.unsetKey(p, 'caption');
            P.setKey(value, 'photos', photos, P.ALBUM_ORDER);
            saver.changed();
          });
          var body = h('div', { class: 'photo-body' },
            h('div', { class: 'photo-name', text: p.file }),
            isCover ? h('span', { class: 'badge', text: t('isCover') }) : null,
            meta.small ? h('span', { class: 'badge small-photo', text: t('tooSmall') + '（' + meta.width + '×' + meta.height + '）' }) : null,
            h('label', { for: capId, class: 'visually-hidden', text: t('caption') + ' ' + p.file }),
            cap,
            h('div', { class: 'photo-actions' },
              h('button', { type: 'button', class: 'small handle', 'aria-label': t('moveUp') + ' ' + p.file, disabled: i === 0, onclick: function () { move(i, i - 1); } }, '↑'),
              h('button', { type: 'button', class: 'small', 'aria-label': t('moveDown') + ' ' + p.file, disabled: i === photos.length - 1, onclick: function () { move(i, i + 1); } }, '↓'),
              isCover ? null : h('button', { type: 'button', class: 'small', onclick: function () { P.setKey(value, 'cover', p.file, P.ALBUM_ORDER); saver.changed(); render(); } }, t('setCover')),
              h('button', { type: 'button', class: 'small danger', 'aria-label': t('delete') + ' ' + p.file, onclick: function () {
                if (!window.confirm(t('confirmDelete'))) return;
                api('delete', { method: 'POST', body: { path: dir + '/' + p.file, folder: false } }).then(function (res) {
                  if (!res.ok) { P.toast(res.data.error); return; }
                  photos.splice(photos.indexOf(p), 1);
                  if (value.cover === p.file) P.unsetKey(value, 'cover');
                  listChanged();
                  saver.save();
                  P.toast(t('deleted'));
                });
              } }, t('delete'))));
          li.appendChild(body);
          li.addEventListener('dragstart', function (e) { dragFrom = i; li.classList.add('dragging'); e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', p.file); });
          li.addEventListener('dragend', function () { li.classList.remove('dragging'); });
          li.addEventListener('dragover', function (e) { if (dragFrom !== null) { e.preventDefault(); li.classList.add('target'); } });
          li.addEventListener('dragleave', function () { li.classList.remove('target'); });
          li.addEventListener('drop', function (e) {
            li.classList.remove('target');
            if (dragFrom === null) return;
            e.preventDefault();
            var from = dragFrom;
            dragFrom = null;
            move(from, i);
          });
          grid.appendChild(li);
        });
      }
      render();
      main.appendChild(h('div', { class: 'savebar' },
        h('button', { type: 'button', class: 'primary', onclick: function () { saver.dirty = true; saver.save(); } }, t('save')),
        stateEl,
        f.url ? h('a', { href: f.url, target: '_blank', rel: 'noopener' }, t('openPage')) : null,
        h('a', { href: P.editLink('file', f.path) + '&source=1' }, t('source'))));
      saver.state(t('saved'), 'ok');
      P.keySave(saver);
      // New thumbnails and sizes once the photos are built.
      P.onBuild(function () {
        P.showBuildError(errorBox);
        api('album?' + q({ name: name })).then(function (x) {
          ((x.data.album && x.data.album.photos) || []).forEach(function (p) { info[p.file] = p; });
          if (!saver.dirty && !saver.busy) render();
        });
      });
      P.showBuildError(errorBox);
    });
  }

  window.zhantingForms = { file: file, album: album, Schema: Schema, Form: Form };
})();
