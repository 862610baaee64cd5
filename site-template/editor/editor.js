/* zhanting's browser editor. Served by `zhanting serve` under /__zhanting/edit/, never
 * part of a build. No framework: one page whose views (home, a page, a YAML file, an
 * album) are made here from the API at /__zhanting/api/.
 *
 * Chinese input methods: nothing here acts on a key while a composition is under way
 * (KeyboardEvent.isComposing, keyCode 229), saves wait for compositionend, and the text
 * fields are the browser's own or CodeMirror's, which handle composition themselves. */
(function () {
  'use strict';

  var boot = JSON.parse(document.getElementById('zt-boot').textContent);
  var TOKEN = document.querySelector('meta[name="zt-token"]').content;
  var EDIT = '/__zhanting/edit/';
  var LANG = boot.lang === 'en' ? 'en' : 'zh';

  // ---- Words -------------------------------------------------------------------
  var WORDS = {
    zh: {
      editor: '编辑', home: '首页', viewSite: '查看网站', new: '新建', upload: '上传照片', save: '保存',
      delete: '删除', undo: '撤销', cancel: '取消', create: '创建', close: '关闭', title: '标题', date: '日期',
      section: '栏目', tags: '标签', pillar: '载体', cover: '封面', summary: '摘要', draft: '草稿（发布时不包含）',
      body: '正文', preview: '预览', edit: '编辑', none: '无', saved: '已保存', saving: '正在保存…',
      unsaved: '有未保存的修改', saveFailed: '保存失败', sections: '栏目与报道', otherPages: '其他页面',
      albums: '相册', boards: '展板', settings: '品牌与设置', newReport: '新报道', newAlbum: '新相册',
      newBoard: '新展板', importDoc: '导入 Word / 公众号文章',
      importDocHelp: 'Word、WPS 文档（.docx）或保存下来的公众号文章（.html、.mhtml），成为所选栏目的一篇新报道',
      importFile: '要导入的文件', dropDoc: '把文件拖到这里，或', importing: '正在导入…', imported: '已导入',
      importKept: '导入了', importDate: '日期',
      importFindings: '检查发现', chooseFile: '请先选择文件', lineN: '第 {n} 行',
      newReportHelp: '在选定的栏目里写一篇新的活动报道', newAlbumHelp: '一次活动的照片，放在 albums/ 下',
      newBoardHelp: '一块展板（boards/），可打印，也在网站上展示',
      whatNew: '新建什么？', inSection: '放在哪个栏目', brand: '品牌（五有、工作载体）', achievements: '成果（数字、荣誉、大事记）',
      siteSettings: '网站设置', deck: '展评演示文稿', screen: '大屏模式', checks: '检查设置', missing: '（尚未创建）',
      phone: '用手机预览', phoneHelp: '手机连接同一个 Wi-Fi，扫描二维码即可浏览网站。',
      noSite: '这里还没有站点', noSiteHelp: '可以在这个文件夹里新建一个站点（含示例内容），以后随时修改。',
      makeSite: '在此新建站点', portal: '这是一个门户文件夹：请对各支部的文件夹分别运行 zhanting edit。',
      buildFailed: '网站目前无法生成（保存的内容已写入文件）：', bold: '加粗', heading: '标题', list: '列表',
      quote: '引用', link: '链接', picture: '图片', table: '表格', linkAddress: '链接地址（网址或 ../其他页面.md）',
      conflictTitle: '文件已被其他程序修改', conflictHelp: '打开之后，这个文件在磁盘上被修改了（另一个编辑器，或 git pull）。下面是两个版本，什么也没有丢失。',
      mine: '我的版本（未保存）', theirs: '磁盘上的版本', keepMine: '用我的版本覆盖', takeTheirs: '改用磁盘上的版本',
      later: '稍后再说', deleted: '已移到回收站（.zhanting-trash）', confirmDelete: '把这个文件移到回收站？（可以撤销）',
      dropHere: '把照片拖到这里，或', choose: '选择文件', photosOf: '照片', caption: '说明', setCover: '设为封面',
      isCover: '封面', tooSmall: '像素不足，不宜上展板', moveUp: '上移', moveDown: '下移', dragHint: '拖动照片可以排序。',
      uploadTo: '上传到哪个相册', uploading: '上传中', uploaded: '已上传', uploadFailed: '上传失败',
      add: '添加', addBlock: '添加内容块', blockType: '内容块类型', remove: '移除', source: '源文件',
      form: '表单', sourceHelp: '直接修改文件的文字。', invalid: '这个文件目前不能按表单打开：', openPage: '打开页面',
      pastedRemote: '张网络图片没有粘贴进来：请先保存到电脑，再用“图片”按钮上传。', pasteSaved: '粘贴的图片已保存到页面所在的文件夹。',
      refused: '被拒绝', readOnly: '只能浏览', yes: '是', no: '否', noPreview: '保存后，这里显示网站上的页面。',
      rebuilding: '正在生成…', boardPreview: '展板预览图（每次修改后更新）', goSource: '改用源文件编辑',
      itemN: '第 {n} 项', sectionSettings: '栏目设置', untitled: '（无标题）', emptyList: '（还没有）',
      nothingSelected: '请先选一个'
    },
    en: {
      editor: 'Edit', home: 'Home', viewSite: 'View site', new: 'New', upload: 'Upload photos', save: 'Save',
      delete: 'Delete', undo: 'Undo', cancel: 'Cancel', create: 'Create', close: 'Close', title: 'Title', date: 'Date',
      section: 'Section', tags: 'Tags', pillar: 'Pillar', cover: 'Cover', summary: 'Summary', draft: 'Draft (left out of builds)',
      body: 'Body', preview: 'Preview', edit: 'Edit', none: 'None', saved: 'Saved', saving: 'Saving…',
      unsaved: 'Unsaved changes', saveFailed: 'Save failed', sections: 'Sections and reports', otherPages: 'Other pages',
      albums: 'Albums', boards: 'Boards', settings: 'Brand and settings', newReport: 'New report', newAlbum: 'New album',
      newBoard: 'New board', importDoc: 'Import a Word document or WeChat article',
      importDocHelp: 'A Word or WPS document (.docx) or a saved WeChat article (.html, .mhtml) becomes a new report of the chosen section',
      importFile: 'File to import', dropDoc: 'Drop the file here, or', importing: 'Importing…', imported: 'Imported',
      importKept: 'Imported', importDate: 'Date',
      importFindings: 'The checks found', chooseFile: 'Choose a file first', lineN: 'line {n}',
      newReportHelp: 'A new activity report in the chosen section', newAlbumHelp: 'Photos of one activity, under albums/',
      newBoardHelp: 'An exhibition board (boards/), printed and shown on the site',
      whatNew: 'What do you want to create?', inSection: 'In which section', brand: 'Brand (pillars)', achievements: 'Achievements',
      siteSettings: 'Site settings', deck: 'Review deck', screen: 'Screen mode', checks: 'Checks', missing: '(not created yet)',
      phone: 'Preview on a phone', phoneHelp: 'On the same Wi-Fi, scan the code to open the site.',
      noSite: 'There is no site here yet', noSiteHelp: 'Create a site with sample content in this folder; change it any time.',
      makeSite: 'Create a site here', portal: 'This is a portal folder: run zhanting edit on each branch folder.',
      buildFailed: 'The site does not build right now (what you saved is in the file):', bold: 'Bold', heading: 'Heading', list: 'List',
      quote: 'Quote', link: 'Link', picture: 'Picture', table: 'Table', linkAddress: 'Link address (a URL or ../other-page.md)',
      conflictTitle: 'The file was changed elsewhere', conflictHelp: 'The file changed on disk after you opened it (another editor, or git pull). Both versions are below; nothing is lost.',
      mine: 'My version (unsaved)', theirs: 'The version on disk', keepMine: 'Overwrite with mine', takeTheirs: 'Use the version on disk',
      later: 'Not now', deleted: 'Moved to the trash (.zhanting-trash)', confirmDelete: 'Move this file to the trash? (You can undo.)',
      dropHere: 'Drop photos here, or', choose: 'choose files', photosOf: 'Photos', caption: 'Caption', setCover: 'Make cover',
      isCover: 'Cover', tooSmall: 'Too few pixels for a board', moveUp: 'Move up', moveDown: 'Move down', dragHint: 'Drag photos to reorder them.',
      uploadTo: 'Upload to which album', uploading: 'Uploading', uploaded: 'Uploaded', uploadFailed: 'Upload failed',
      add: 'Add', addBlock: 'Add a block', blockType: 'Block type', remove: 'Remove', source: 'Source',
      form: 'Form', sourceHelp: 'Edit the file\'s text directly.', invalid: 'This file cannot be opened as a form right now:', openPage: 'Open page',
      pastedRemote: 'web pictures were not pasted: save them to the computer first, then upload them with Picture.', pasteSaved: 'Pasted pictures were saved beside the page.',
      refused: 'Refused', readOnly: 'Read only', yes: 'Yes', no: 'No', noPreview: 'Once saved, the page of the site shows here.',
      rebuilding: 'Building…', boardPreview: 'Board preview (updated after each change)', goSource: 'Edit the source instead',
      itemN: 'Item {n}', sectionSettings: 'Section settings', untitled: '(untitled)', emptyList: '(none yet)',
      nothingSelected: 'Choose one first'
    }
  };
  function t(k, vars) {
    var s = (WORDS[LANG] && WORDS[LANG][k]) || WORDS.zh[k] || k;
    if (vars) Object.keys(vars).forEach(function (v) { s = s.replace('{' + v + '}', vars[v]); });
    return s;
  }

  // ---- DOM -----------------------------------------------------------------------
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') el.textContent = v;
      else if (k === 'html') el.innerHTML = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else el.setAttribute(k, v === true ? '' : v);
    });
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function add(el, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(el, x); }); return; }
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  var uid = 0;
  function id(prefix) { uid += 1; return (prefix || 'zt') + '-' + uid; }
  function announce(text) {
    var live = document.getElementById('zt-live');
    if (live) { live.textContent = ''; setTimeout(function () { live.textContent = text; }, 30); }
  }
  function toast(text, action) {
    var old = document.querySelector('.toast');
    if (old) old.remove();
    var box = h('div', { class: 'toast', role: 'status' }, h('span', { text: text }), action || null,
      h('button', { type: 'button', class: 'small', onclick: function () { box.remove(); } }, t('close')));
    document.body.appendChild(box);
    setTimeout(function () { if (box.isConnected) box.remove(); }, 9000);
  }

  // ---- Composition (pinyin input) ----------------------------------------------
  var composing = false;
  document.addEventListener('compositionstart', function () { composing = true; }, true);
  document.addEventListener('compositionend', function () {
    composing = false;
    if (afterComposition) { var f = afterComposition; afterComposition = null; f(); }
  }, true);
  var afterComposition = null;
  /** Whether a key event is part of an input method's composition: never act on it. */
  function imeKey(e) { return e.isComposing || e.keyCode === 229 || composing; }

  // ---- API -------------------------------------------------------------------------
  function api(path, opts) {
    opts = opts || {};
    var init = { method: opts.method || 'GET', headers: {}, credentials: 'same-origin' };
    if (init.method !== 'GET') init.headers['X-Zhanting-Token'] = TOKEN;
    if (opts.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    return fetch('/__zhanting/api/' + path, init).then(function (r) {
      return r.text().then(function (text) {
        var data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = { error: text }; }
        return { ok: r.ok, status: r.status, data: data };
      });
    }, function (e) { return { ok: false, status: 0, data: { error: String(e) } }; });
  }
  function q(params) {
    return Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
    }).join('&');
  }
  function editLink(kind, path) {
    if (kind === 'album') return EDIT + 'album?' + q({ name: path.replace(/^albums\//, '') });
    if (kind === 'page') return EDIT + 'page?' + q({ path: path });
    return EDIT + 'file?' + q({ path: path });
  }

  /** Uploads one file into folder `dir` with progress; resolves to the server's answer. */
  function upload(file, dir, progress) {
    return putFile('upload?' + q({ dir: dir, name: file.name || 'photo.png' }), file, progress);
  }
  /** One file as the body of a PUT to the API, with progress. */
  function putFile(path, file, progress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open('PUT', '/__zhanting/api/' + path);
      xhr.setRequestHeader('X-Zhanting-Token', TOKEN);
      xhr.upload.onprogress = function (e) { if (e.lengthComputable && progress) progress(e.loaded / e.total); };
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = { error: xhr.responseText }; }
        resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, data: data });
      };
      xhr.onerror = function () { resolve({ ok: false, status: 0, data: { error: t('uploadFailed') } }); };
      xhr.send(file);
    });
  }

  // ---- Builds: the server tells when a rebuild is done ------------------------------
  var buildListeners = [];
  function onBuild(f) { buildListeners.push(f); }
  (function listen() {
    var es = new EventSource('/__zhanting/events');
    ['reload', 'failed', 'ok', 'css'].forEach(function (name) {
      es.addEventListener(name, function (e) {
        buildListeners.slice().forEach(function (f) { f(name, e.data); });
      });
    });
  })();

  // ---- The frame of every view ---------------------------------------------------
  var app = document.getElementById('app');
  function frame(title, wide) {
    app.innerHTML = '';
    document.title = title + ' · ' + t('editor');
    var status = h('span', { class: 'status', id: 'zt-build', role: 'status' });
    var bar = h('header', { class: 'bar' },
      h('a', { class: 'brand', href: EDIT }, '展厅 · ' + t('editor')),
      h('nav', { 'aria-label': t('editor') },
        h('a', { href: EDIT }, t('home')),
        h('a', { href: '/', target: '_blank', rel: 'noopener' }, t('viewSite'))),
      status);
    var main = h('main', { id: 'main', class: wide ? 'wide' : null });
    app.appendChild(bar);
    app.appendChild(h('div', { id: 'zt-live', class: 'visually-hidden', 'aria-live': 'polite' }));
    app.appendChild(main);
    return main;
  }

  /** The last build's error, as serve shows it, in `box` (empty when it built). */
  function showBuildError(box) {
    return api('status').then(function (r) {
      box.innerHTML = '';
      box.hidden = !r.data.error;
      if (r.data.error) {
        box.appendChild(h('strong', { text: t('buildFailed') }));
        box.appendChild(h('pre', { text: r.data.error }));
      }
      return r.data;
    });
  }

  // ---- Home ------------------------------------------------------------------------
  function home() {
    var main = frame(t('editor'));
    return api('site').then(function (r) {
      var s = r.data;
      if (r.status === 403) { main.appendChild(h('p', { text: s.error })); return; }
      if (s.portal) { main.appendChild(h('h1', { text: t('editor') })); main.appendChild(h('p', { text: t('portal') })); return; }
      if (!s.hasSite) return noSite(main);
      main.appendChild(h('h1', { text: (s.title || '') + ' · ' + t('editor') }));
      var errorBox = h('div', { class: 'build-error', role: 'alert', hidden: true });
      main.appendChild(errorBox);
      showBuildError(errorBox);
      main.appendChild(h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', 'aria-label': t('new'), onclick: function () { newDialog(s); } }, '＋ ' + t('new')),
        h('button', { type: 'button', onclick: function () { uploadDialog(s); } }, t('upload'))));

      main.appendChild(h('h2', { text: t('sections') }));
      (s.sections || []).forEach(function (sec) {
        var head = h('h3', null, sec.title, ' ',
          h('button', { type: 'button', class: 'small', 'aria-label': t('newReport') + '：' + sec.title,
            'aria-label': t('newReport'), onclick: function () { newDialog(s, sec.name); } }, '＋ ' + t('newReport')),
          sec.index ? [' ', h('a', { class: 'meta', href: editLink('page', sec.index) }, t('sectionSettings'))] : null);
        main.appendChild(head);
        main.appendChild(pageList(sec.pages));
      });
      if ((s.rootPages || []).length) {
        main.appendChild(h('h3', { text: t('otherPages') }));
        main.appendChild(pageList(s.rootPages));
      }

      main.appendChild(h('h2', { text: t('albums') }));
      main.appendChild(h('div', { class: 'cards' }, (s.albums || []).map(function (a) {
        return h('div', { class: 'card' }, h('a', { href: editLink('album', a.dir) },
          a.thumb ? h('img', { src: a.thumb, alt: '', loading: 'lazy' }) : h('div', { class: 'noimg' }),
          h('div', { class: 'card-body' }, h('div', { class: 'card-title', text: a.title }),
            h('div', { class: 'meta', text: (a.date || '') + ' · ' + a.count + ' ' + t('photosOf') }))));
      })));

      main.appendChild(h('h2', { text: t('boards') }));
      main.appendChild(h('div', { class: 'cards' }, (s.boards || []).map(function (b) {
        return h('div', { class: 'card' }, h('a', { href: editLink('file', b.path) },
          h('img', { src: b.preview, alt: '', loading: 'lazy' }),
          h('div', { class: 'card-body' }, h('div', { class: 'card-title', text: b.title }))));
      })));

      main.appendChild(h('h2', { text: t('settings') }));
      var names = { 'brand.yaml': t('brand'), 'achievements.yaml': t('achievements'), 'site.yaml': t('siteSettings'),
        'deck.yaml': t('deck'), 'screen.yaml': t('screen'), 'checks.yaml': t('checks') };
      main.appendChild(h('ul', { class: 'list' }, ['brand.yaml', 'achievements.yaml', 'site.yaml', 'deck.yaml', 'screen.yaml', 'checks.yaml'].map(function (f) {
        var known = (s.files || []).filter(function (x) { return x.path === f; })[0];
        return h('li', null, h('a', { href: editLink('file', f) }, names[f]), h('span', { class: 'meta' }, f + (known && !known.exists ? ' ' + t('missing') : '')));
      })));

      if (boot.lan && boot.lan.length) {
        main.appendChild(h('h2', { text: t('phone') }));
        var qr = h('div', { class: 'qr' });
        if (boot.qr) qr.appendChild(h('div', { html: boot.qr }));
        qr.appendChild(h('div', null, h('p', { text: t('phoneHelp') }), h('p', null, h('a', { href: boot.lan[0] }, boot.lan[0]))));
        main.appendChild(qr);
      }
    });
  }

  function pageList(pages) {
    if (!pages || !pages.length) return h('p', { class: 'empty', text: t('emptyList') });
    return h('ul', { class: 'list' }, pages.map(function (p) {
      return h('li', null, h('a', { href: editLink('page', p.path) }, p.title || t('untitled')),
        p.date ? h('span', { class: 'meta', text: p.date }) : null,
        p.draft ? h('span', { class: 'badge', text: '草稿' }) : null);
    }));
  }

  function noSite(main) {
    main.appendChild(h('h1', { text: t('noSite') }));
    main.appendChild(h('p', { text: t('noSiteHelp') }));
    var btn = h('button', { type: 'button', class: 'primary', onclick: function () {
      btn.disabled = true;
      api('init', { method: 'POST', body: {} }).then(function (r) {
        if (!r.ok) { btn.disabled = false; toast(r.data.error || t('refused')); return; }
        announce(t('rebuilding'));
        var tries = 0;
        (function wait() {
          api('site').then(function (s) {
            if (s.data.built || tries > 60) location.reload(); else { tries += 1; setTimeout(wait, 250); }
          });
        })();
      });
    } }, t('makeSite'));
    main.appendChild(btn);
  }

  // ---- 新建: a new report, album or board (and, once it lands, an import) -----------
  /** The choices of the 新建 dialog. Each: a value, its words, the fields it asks for,
   *  and what it does. A new kind of thing to create (the import of a Word document or
   *  a WeChat article) is one more entry here. */
  var NEW_CHOICES = [
    { value: 'report', label: 'newReport', help: 'newReportHelp', fields: ['title', 'section', 'date'],
      make: function (v) { return api('new-page', { method: 'POST', body: { section: v.section, title: v.title, date: v.date || null } }); } },
    { value: 'album', label: 'newAlbum', help: 'newAlbumHelp', fields: ['title', 'date'],
      make: function (v) { return api('new-album', { method: 'POST', body: { title: v.title, date: v.date || null } }); } },
    { value: 'board', label: 'newBoard', help: 'newBoardHelp', fields: ['title'],
      make: function (v) { return api('new-board', { method: 'POST', body: { title: v.title } }); } },
    { value: 'import', label: 'importDoc', help: 'importDocHelp', fields: ['file', 'section'],
      make: function (v) { return importDoc(v.file, v.section); } }
  ];

  /** Sends one document to the server's import (the body of a PUT, like an upload);
   *  resolves to its answer, which names the new page and holds the report. */
  function importDoc(file, section) {
    return putFile('import?' + q({ section: section, name: file.name }), file);
  }

  /** The report of an import, shown once on the new page it opened. */
  function importReport() {
    var saved = sessionStorage.getItem('zt-import');
    if (!saved) return;
    sessionStorage.removeItem('zt-import');
    var r;
    try { r = JSON.parse(saved); } catch (e) { return; }
    var dlg = h('dialog', { 'aria-labelledby': 'zt-import-title', class: 'import-report' });
    dlg.appendChild(h('h2', { id: 'zt-import-title', text: t('imported') + '：' + r.title }));
    dlg.appendChild(h('p', { text: t('importKept') + '：' + r.summary }));
    dlg.appendChild(h('p', { text: t('importDate') + '：' + r.date + '（' + r.dateFrom + '）' }));
    // The notes say where the title and date came from and list the pictures a saved
    // article did not bring (with what to do).
    var notes = (r.notes || []).filter(function (n) { return n; });
    if (notes.length) dlg.appendChild(h('ul', null, notes.map(function (n) { return h('li', { text: n }); })));
    if (r.findings && r.findings.length) {
      dlg.appendChild(h('p', { text: t('importFindings') + '：' }));
      dlg.appendChild(h('ul', null, r.findings.map(function (d) {
        var m = d.message[LANG] || d.message.zh;
        var at = d.line ? '（' + t('lineN').replace('{n}', d.line) + '）' : '';
        return h('li', { text: m + at + (d.hint ? ' — ' + (d.hint[LANG] || d.hint.zh) : '') });
      })));
    }
    dlg.appendChild(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: function () { dlg.close(); dlg.remove(); } }, t('close'))));
    document.body.appendChild(dlg);
    dlg.showModal();
  }
  /** Lets other code (the import, when it exists) add a choice to 新建. */
  window.zhantingEditor = { addNewChoice: function (c) { NEW_CHOICES.push(c); } };

  function newDialog(site, section) {
    var dlg = h('dialog', { 'aria-labelledby': 'zt-new-title' });
    var form = h('form', { method: 'dialog' });
    dlg.appendChild(form);
    form.appendChild(h('h2', { id: 'zt-new-title', text: t('new') }));
    var group = h('fieldset', null, h('legend', { text: t('whatNew') }));
    var chosen = NEW_CHOICES[0].value;
    var choices = h('div', { class: 'choices' });
    NEW_CHOICES.forEach(function (c, i) {
      var rid = id('new');
      choices.appendChild(h('label', { class: 'choice', for: rid },
        h('input', { type: 'radio', name: 'kind', id: rid, value: c.value, checked: i === 0,
          onchange: function () { chosen = c.value; show(); } }),
        h('span', null, t(c.label), h('span', { class: 'choice-help', text: t(c.help) }))));
    });
    group.appendChild(choices);
    form.appendChild(group);
    var titleId = id('f'), secId = id('f'), dateId = id('f');
    var title = h('input', { type: 'text', id: titleId, required: true, autocomplete: 'off' });
    var sec = h('select', { id: secId }, (site.sections || []).map(function (s) {
      return h('option', { value: s.name, selected: s.name === section }, s.title);
    }));
    var date = h('input', { type: 'date', id: dateId, value: new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10) });
    var fileId = id('file'), picked = null;
    var fileName = h('span', { class: 'file-name', 'aria-live': 'polite' });
    var fileInput = h('input', { type: 'file', id: fileId, class: 'visually-hidden',
      accept: '.docx,.html,.htm,.mhtml,.mht,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/html,multipart/related',
      onchange: function () { pick(fileInput.files[0]); } });
    function pick(f) { if (f) { picked = f; fileName.textContent = f.name + '（' + Math.round(f.size / 1024) + ' KB）'; } }
    var drop = h('div', { class: 'drop' }, h('span', { text: t('dropDoc') + ' ' }),
      h('label', { for: fileId, class: 'button small' }, t('choose')), fileInput, fileName);
    drop.addEventListener('dragover', function (e) { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
    drop.addEventListener('drop', function (e) {
      e.preventDefault();
      drop.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) pick(e.dataTransfer.files[0]);
    });
    var fields = {
      file: h('div', { class: 'field' }, h('span', { class: 'label', text: t('importFile') }), drop),
      title: h('div', { class: 'field' }, h('label', { for: titleId, text: t('title') }), title),
      section: h('div', { class: 'field' }, h('label', { for: secId, text: t('inSection') }), sec),
      date: h('div', { class: 'field' }, h('label', { for: dateId, text: t('date') }), date)
    };
    Object.keys(fields).forEach(function (k) { form.appendChild(fields[k]); });
    var problem = h('p', { class: 'problem', role: 'alert' });
    form.appendChild(problem);
    function show() {
      var c = NEW_CHOICES.filter(function (x) { return x.value === chosen; })[0];
      Object.keys(fields).forEach(function (k) { fields[k].hidden = c.fields.indexOf(k) < 0; });
    }
    show();
    form.appendChild(h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', value: 'create' }, t('create')),
      h('button', { type: 'button', onclick: function () { dlg.close(); dlg.remove(); } }, t('cancel'))));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var c = NEW_CHOICES.filter(function (x) { return x.value === chosen; })[0];
      if (c.fields.indexOf('title') >= 0 && !title.value.trim()) { title.focus(); return; }
      if (c.fields.indexOf('file') >= 0 && !picked) { problem.textContent = t('chooseFile'); return; }
      if (c.value === 'import') problem.textContent = t('importing');
      c.make({ title: title.value.trim(), section: sec.value, date: date.value, file: picked }).then(function (r) {
        if (!r.ok) { problem.textContent = r.data.error || t('refused'); return; }
        if (c.value === 'import') sessionStorage.setItem('zt-import', JSON.stringify(r.data));
        location.href = r.data.edit;
      });
    });
    document.body.appendChild(dlg);
    dlg.showModal();
    title.focus();
  }

  function uploadDialog(site) {
    var dlg = h('dialog', { 'aria-labelledby': 'zt-up-title' });
    dlg.appendChild(h('h2', { id: 'zt-up-title', text: t('upload') }));
    var selId = id('f');
    var sel = h('select', { id: selId }, (site.albums || []).map(function (a) {
      return h('option', { value: a.dir }, a.title);
    }));
    dlg.appendChild(h('div', { class: 'field' }, h('label', { for: selId, text: t('uploadTo') }), sel));
    var box = h('div');
    dlg.appendChild(box);
    function render() {
      box.innerHTML = '';
      box.appendChild(dropZone(function () { return sel.value; }, function (done) {
        if (done.length) {
          var name = sel.value.replace(/^albums\//, '');
          addToAlbum(name, done).then(function () { location.href = editLink('album', sel.value); });
        }
      }));
    }
    sel.addEventListener('change', render);
    render();
    dlg.appendChild(h('div', { class: 'actions' }, h('button', { type: 'button', onclick: function () { dlg.close(); dlg.remove(); } }, t('close'))));
    document.body.appendChild(dlg);
    dlg.showModal();
  }

  /** Adds uploaded files to the end of an album's photo list (album.yaml). */
  function addToAlbum(name, files) {
    return api('album?' + q({ name: name })).then(function (r) {
      if (!r.ok) return r;
      var value = r.data.value || {};
      var photos = fullPhotoList(r.data);
      files.forEach(function (f) { photos.push(keyed({ file: f })); });
      setKey(value, 'photos', photos, ALBUM_ORDER);
      return api('save', { method: 'POST', body: { path: r.data.path, base: r.data.version, value: value } });
    });
  }

  /** A drop zone with a file chooser: each file uploaded into the folder `dir()` with its
   *  own progress bar; `done(names)` once all have finished. */
  function dropZone(dir, done) {
    var inputId = id('file');
    var input = h('input', { type: 'file', id: inputId, multiple: true, class: 'visually-hidden',
      accept: 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif,.jpg,.jpeg,.png,.webp,video/mp4,video/webm,.mp4,.m4v,.webm' });
    var list = h('ul', { class: 'uploads', 'aria-live': 'polite' });
    var zone = h('div', { class: 'drop' },
      h('span', { text: t('dropHere') + ' ' }),
      h('label', { for: inputId, class: 'button small' }, t('choose')),
      input, list);
    function take(files) {
      files = Array.prototype.slice.call(files);
      if (!files.length) return;
      var names = [];
      // Each name at its file's place: the album lists them in the order chosen, not
      // in the order their uploads happen to finish.
      var jobs = files.map(function (f, i) {
        var bar = h('progress', { max: 1, value: 0, 'aria-label': f.name });
        var state = h('span', { text: t('uploading') });
        list.appendChild(h('li', null, h('span', { text: f.name + '（' + Math.round(f.size / 1024) + ' KB）' }), state, bar));
        return upload(f, dir(), function (p) { bar.value = p; }).then(function (r) {
          bar.value = r.ok ? 1 : 0;
          state.textContent = r.ok ? t('uploaded') : t('uploadFailed') + '：' + (r.data.error || r.status);
          state.className = r.ok ? 'done' : 'failed';
          if (r.ok) names[i] = r.data.file;
        });
      });
      Promise.all(jobs).then(function () { done(names.filter(function (n) { return n; })); });
    }
    input.addEventListener('change', function () { take(input.files); input.value = ''; });
    zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) take(e.dataTransfer.files);
    });
    return zone;
  }

  // ---- Values as the server sends them: mappings carry their key order in __keys ----
  function keyed(obj) {
    var o = {};
    o.__keys = Object.keys(obj);
    o.__keys.forEach(function (k) { o[k] = obj[k]; });
    return o;
  }
  function keysOf(m) { return (m.__keys || Object.keys(m)).filter(function (k) { return k !== '__keys' && k in m; }); }
  /** Sets key `k` of mapping `m`; a new key goes after the keys that come before it in
   *  `order` (the order of the reference), so `summary` lands after `date`. */
  function setKey(m, k, v, order) {
    if (!m.__keys) m.__keys = Object.keys(m).filter(function (x) { return x !== '__keys'; });
    if (m.__keys.indexOf(k) < 0) {
      var at = m.__keys.length;
      var pos = order ? order.indexOf(k) : -1;
      if (pos >= 0) {
        at = 0;
        m.__keys.forEach(function (x, i) { var p = order.indexOf(x); if (p >= 0 && p < pos) at = i + 1; });
      }
      m.__keys.splice(at, 0, k);
    }
    m[k] = v;
  }
  function unsetKey(m, k) {
    delete m[k];
    if (m.__keys) m.__keys = m.__keys.filter(function (x) { return x !== k; });
  }
  var PAGE_ORDER = ['title', 'date', 'summary', 'tags', 'pillar', 'cover', 'album', 'video', 'poster', 'captions', 'duration', 'draft', 'slug', 'weight', 'template'];
  var ALBUM_ORDER = ['title', 'date', 'location', 'description', 'cover', 'photos'];

  /** The photos of an album as album.yaml lists them once ordered: every photo the site
   *  shows, in its order, each with its caption. */
  function fullPhotoList(data) {
    var shown = (data.album && data.album.photos) || [];
    return shown.map(function (p) {
      var o = { file: p.file };
      if (p.caption) o.caption = p.caption;
      return keyed(o);
    });
  }

  // ---- Saving ------------------------------------------------------------------------
  /** A file being edited: saves it (debounced while typing, at once on 保存), keeps its
   *  version, and on a conflict shows both versions. `payload()` gives what to send. */
  function Saver(path, version, payload, stateEl, onSaved) {
    this.path = path;
    this.version = version;
    this.payload = payload;
    this.stateEl = stateEl;
    this.onSaved = onSaved;
    this.timer = null;
    this.dirty = false;
    this.busy = false;
    this.again = false;
    this.blocked = false;
    var self = this;
    window.addEventListener('beforeunload', function (e) { if (self.dirty) { e.preventDefault(); e.returnValue = ''; } });
  }
  Saver.prototype.state = function (text, cls) {
    this.stateEl.textContent = text;
    this.stateEl.className = 'state ' + (cls || '');
  };
  Saver.prototype.changed = function () {
    this.dirty = true;
    this.state(t('unsaved'));
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.save(); }, 1500);
  };
  Saver.prototype.save = function () {
    var self = this;
    clearTimeout(this.timer);
    if (this.blocked) return Promise.resolve();
    if (composing) { afterComposition = function () { self.save(); }; return Promise.resolve(); }
    if (this.busy) { this.again = true; return Promise.resolve(); }
    if (!this.dirty) { this.state(t('saved'), 'ok'); return Promise.resolve(); }
    this.busy = true;
    this.dirty = false;
    this.state(t('saving'));
    var body = this.payload();
    body.path = this.path;
    body.base = this.version;
    return api('save', { method: 'POST', body: body }).then(function (r) {
      self.busy = false;
      if (r.ok) {
        self.version = r.data.version;
        self.state(t('saved'), 'ok');
        announce(t('saved'));
        if (self.onSaved) self.onSaved();
      } else if (r.status === 409) {
        self.dirty = true;
        self.blocked = true;
        self.state(t('saveFailed') + '：' + r.data.error, 'bad');
        conflictDialog(self, body, r.data.conflict);
      } else {
        self.dirty = true;
        self.state(t('saveFailed') + '：' + (r.data.error || r.status), 'bad');
        announce(t('saveFailed'));
      }
      if (self.again) { self.again = false; if (self.dirty) self.save(); }
    });
  };

  /** Line-by-line difference of two texts, for the conflict dialog. */
  function diffLines(a, b) {
    var x = a.split('\n'), y = b.split('\n');
    var n = x.length, m = y.length;
    if (n * m > 4000000) return { left: [[a, '']], right: [[b, '']] };
    var tbl = [];
    for (var i = 0; i <= n; i++) { tbl.push(new Int32Array(m + 1)); }
    for (i = n - 1; i >= 0; i--) for (var j = m - 1; j >= 0; j--) {
      tbl[i][j] = x[i] === y[j] ? tbl[i + 1][j + 1] + 1 : Math.max(tbl[i + 1][j], tbl[i][j + 1]);
    }
    var left = [], right = [];
    i = 0; j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[i] === y[j]) { left.push([x[i], '']); right.push([y[j], '']); i++; j++; }
      else if (j < m && (i >= n || tbl[i][j + 1] >= tbl[i + 1][j])) { right.push([y[j], 'ins']); j++; }
      else { left.push([x[i], 'del']); i++; }
    }
    return { left: left, right: right };
  }
  function diffPre(lines, label) {
    var pre = h('pre', { 'aria-label': label, tabindex: '0' });
    lines.forEach(function (l) {
      pre.appendChild(l[1] ? h(l[1], null, l[0] + '\n') : document.createTextNode(l[0] + '\n'));
    });
    return pre;
  }

  function conflictDialog(saver, mine, disk) {
    var dlg = h('dialog', { 'aria-labelledby': 'zt-conflict-title', class: 'conflict-dialog' });
    var mineText = mine.text !== undefined ? mine.text : renderMine(mine, disk.text);
    var d = diffLines(disk.text, mineText);
    dlg.appendChild(h('h2', { id: 'zt-conflict-title', text: t('conflictTitle') }));
    dlg.appendChild(h('p', { text: t('conflictHelp') }));
    dlg.appendChild(h('div', { class: 'conflict' },
      h('section', null, h('h3', { text: t('mine') }), diffPre(d.right, t('mine'))),
      h('section', null, h('h3', { text: t('theirs') }), diffPre(d.left, t('theirs')))));
    function done() { dlg.close(); dlg.remove(); }
    dlg.appendChild(h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: function () {
        saver.version = disk.version; saver.blocked = false; saver.dirty = true; done(); saver.save();
      } }, t('keepMine')),
      h('button', { type: 'button', onclick: function () { saver.dirty = false; done(); location.reload(); } }, t('takeTheirs')),
      h('button', { type: 'button', onclick: done }, t('later'))));
    document.body.appendChild(dlg);
    dlg.showModal();
  }
  /** What my version of a form-edited file reads like, for the comparison: the body of
   *  a page as typed; for a YAML value, its JSON (the server writes it in place). */
  function renderMine(mine, diskText) {
    if (mine.body !== undefined) {
      var m = /^---\r?\n[\s\S]*?\r?\n---\r?\n?/.exec(diskText);
      return (m ? m[0] : '') + mine.body;
    }
    return JSON.stringify(stripKeys(mine.value), null, 2);
  }
  function stripKeys(v) {
    if (Array.isArray(v)) return v.map(stripKeys);
    if (v && typeof v === 'object') {
      var o = {};
      keysOf(v).forEach(function (k) { o[k] = stripKeys(v[k]); });
      return o;
    }
    return v;
  }

  // ---- Fields ------------------------------------------------------------------------
  function field(label, input, help, key) {
    var fid = input.id || id('f');
    input.id = fid;
    var wrap = h('div', { class: 'field' });
    wrap.appendChild(h('label', { for: fid }, label, key ? h('span', { class: 'key', text: key }) : null));
    wrap.appendChild(input);
    if (help) {
      var hid = id('help');
      input.setAttribute('aria-describedby', hid);
      wrap.appendChild(h('span', { class: 'help', id: hid, text: help }));
    }
    wrap.appendChild(h('span', { class: 'problem', role: 'alert', hidden: true }));
    return wrap;
  }
  function markProblem(wrap, text) {
    var p = wrap.querySelector('.problem');
    if (!p) return;
    p.hidden = !text;
    p.textContent = text || '';
    wrap.classList.toggle('bad', !!text);
  }

  /** A list of words (tags): chips with a remove button, and an input that adds on Enter
   *  or a comma — never while a pinyin composition is under way. */
  function chipsInput(label, values, suggestions, changed) {
    var inputId = id('f'), listId = id('dl');
    var chips = h('div', { class: 'chips' });
    var input = h('input', { type: 'text', id: inputId, list: listId, autocomplete: 'off' });
    var dl = h('datalist', { id: listId }, (suggestions || []).map(function (s) { return h('option', { value: s }); }));
    function render() {
      chips.innerHTML = '';
      values.forEach(function (v, i) {
        chips.appendChild(h('span', { class: 'chip' }, v,
          h('button', { type: 'button', 'aria-label': t('remove') + ' ' + v, onclick: function () {
            values.splice(i, 1); render(); changed(values); input.focus();
          } }, '×')));
      });
      chips.appendChild(input);
    }
    function commit() {
      var words = input.value.split(/[,，、]/).map(function (s) { return s.trim(); }).filter(Boolean);
      var added = false;
      words.forEach(function (w) { if (values.indexOf(w) < 0) { values.push(w); added = true; } });
      input.value = '';
      render();
      input.focus();
      if (added) changed(values);
    }
    input.addEventListener('keydown', function (e) {
      if (imeKey(e)) return;
      if (e.key === 'Enter') { e.preventDefault(); commit(); }
      else if (e.key === 'Backspace' && !input.value && values.length) { values.pop(); render(); changed(values); input.focus(); }
    });
    input.addEventListener('input', function () {
      if (!composing && /[,，、]$/.test(input.value)) commit();
    });
    input.addEventListener('blur', function () { if (input.value.trim()) commit(); });
    render();
    var wrap = field(label, input, null);
    // The label names the text box; the chips are its neighbours.
    wrap.insertBefore(chips, wrap.querySelector('.help, .problem'));
    wrap.appendChild(dl);
    return wrap;
  }

  // ---- CodeMirror --------------------------------------------------------------------
  function codeEditor(parent, text, opts) {
    var exts = [
      CM.history(),
      CM.drawSelection(),
      CM.EditorView.lineWrapping,
      CM.syntaxHighlighting(CM.defaultHighlightStyle, { fallback: true }),
      CM.keymap.of([].concat(opts.keys || [], CM.historyKeymap, CM.defaultKeymap)),
      CM.EditorView.contentAttributes.of({ 'aria-label': opts.label, 'aria-multiline': 'true', lang: LANG === 'en' ? 'en' : 'zh-CN' }),
      CM.EditorView.updateListener.of(function (u) { if (u.docChanged && opts.changed) opts.changed(); })
    ];
    if (opts.language === 'markdown') exts.push(CM.markdownLanguage);
    if (opts.language === 'yaml') exts.push(CM.yaml());
    if (opts.eol === '\r\n') exts.push(CM.EditorState.lineSeparator.of('\r\n'));
    if (opts.paste) exts.push(CM.EditorView.domEventHandlers({ paste: opts.paste, drop: opts.drop }));
    if (opts.placeholder) exts.push(CM.placeholder(opts.placeholder));
    return new CM.EditorView({ state: CM.EditorState.create({ doc: text, extensions: exts }), parent: parent });
  }

  /** Markdown toolbar actions on a CodeMirror view. */
  function wrapSelection(view, before, after, empty) {
    var r = view.state.selection.main;
    var sel = view.state.sliceDoc(r.from, r.to) || empty;
    view.dispatch({ changes: { from: r.from, to: r.to, insert: before + sel + after },
      selection: { anchor: r.from + before.length, head: r.from + before.length + sel.length } });
    view.focus();
  }
  function prefixLines(view, prefix) {
    var s = view.state, r = s.selection.main;
    var from = s.doc.lineAt(r.from).number, to = s.doc.lineAt(r.to).number;
    var changes = [];
    for (var n = from; n <= to; n++) {
      var line = s.doc.line(n);
      if (line.text.indexOf(prefix) === 0) changes.push({ from: line.from, to: line.from + prefix.length, insert: '' });
      else changes.push({ from: line.from, insert: prefix });
    }
    view.dispatch({ changes: changes });
    view.focus();
  }
  function insertBlock(view, text) {
    var r = view.state.selection.main;
    var line = view.state.doc.lineAt(r.from);
    var pre = line.text.trim() ? '\n\n' : '';
    view.dispatch({ changes: { from: r.to, insert: pre + text + '\n' }, selection: { anchor: r.to + pre.length + text.length + 1 } });
    view.focus();
  }

  // ---- Paste from Word, WPS and WeChat ---------------------------------------------
  /** The pictures of an RTF clipboard (Word puts each picture there as hex), in order. */
  function rtfPictures(rtf) {
    var out = [];
    if (!rtf) return out;
    var re = /\\(pngblip|jpegblip)/g, m;
    while ((m = re.exec(rtf))) {
      // Word writes each picture twice: for readers that know shapes (\shppict) and for
      // those that do not (\nonshppict); keep the first kind.
      var before = rtf.slice(Math.max(0, m.index - 400), m.index);
      if (before.lastIndexOf('\\nonshppict') > before.lastIndexOf('\\shppict')) continue;
      var rest = rtf.slice(m.index);
      var end = rest.indexOf('}');
      var group = rest.slice(0, end < 0 ? rest.length : end);
      var hex = /([0-9a-fA-F\s]{64,})$/.exec(group);
      if (!hex) continue;
      var digits = hex[1].replace(/\s+/g, '');
      var bytes = new Uint8Array(digits.length >> 1);
      for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.substr(i * 2, 2), 16);
      out.push(new Blob([bytes], { type: m[1] === 'pngblip' ? 'image/png' : 'image/jpeg' }));
    }
    return out;
  }

  /** Cleans HTML pasted from Word, WPS or a WeChat article into plain structure: headings,
   *  bold, lists, tables and pictures stay; fonts, sizes, colours and Word's markup go. */
  function cleanPasted(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var body = doc.body;
    Array.prototype.forEach.call(body.querySelectorAll('style, script, meta, link, title, xml, o\\:p'), function (n) { n.remove(); });
    // Comments (Word's conditional ones) go.
    var walker = doc.createTreeWalker(body, NodeFilter.SHOW_COMMENT);
    var comments = [];
    while (walker.nextNode()) comments.push(walker.currentNode);
    comments.forEach(function (c) { c.remove(); });
    // Bold and italic written as styles (WPS, WeChat) become <strong> and <em>.
    Array.prototype.forEach.call(body.querySelectorAll('span, font, section, p, div'), function (el) {
      var st = (el.getAttribute('style') || '').toLowerCase();
      if (/font-weight\s*:\s*(bold|[6-9]00)/.test(st) && el.tagName !== 'P' && el.tagName !== 'DIV' && el.tagName !== 'SECTION') {
        var b = doc.createElement('strong');
        while (el.firstChild) b.appendChild(el.firstChild);
        el.appendChild(b);
      }
      if (/font-style\s*:\s*italic/.test(st) && el.tagName === 'SPAN') {
        var i = doc.createElement('em');
        while (el.firstChild) i.appendChild(el.firstChild);
        el.appendChild(i);
      }
    });
    // Word's lists are paragraphs with `mso-list`: made lists again.
    var paras = Array.prototype.slice.call(body.querySelectorAll('p'));
    var current = null;
    paras.forEach(function (p) {
      var st = p.getAttribute('style') || '';
      var cls = p.getAttribute('class') || '';
      var isItem = /mso-list\s*:/i.test(st) || /MsoListParagraph/i.test(cls);
      if (!isItem) { current = null; return; }
      var text = p.textContent.replace(/\u00a0/g, ' ');
      var marker = /^\s*([0-9０-９]+[.．、)]|[(（]?[一二三四五六七八九十]+[)）、.]|[a-zA-Z][.)]|[·•●○▪■◆§oØü-])\s*/.exec(text);
      var ordered = !!(marker && /[0-9０-９一二三四五六七八九十a-zA-Z]/.test(marker[1]));
      // The marker is the first text of the item: remove it.
      if (marker) {
        var tw = doc.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        var left = marker[0].length;
        while (left > 0 && tw.nextNode()) {
          var node = tw.currentNode, v = node.nodeValue.replace(/\u00a0/g, ' ');
          var cut = Math.min(left, v.length);
          node.nodeValue = v.slice(cut);
          left -= cut;
        }
      }
      var tag = ordered ? 'OL' : 'UL';
      if (!current || current.tagName !== tag || current.nextElementSibling !== p) {
        current = doc.createElement(tag);
        p.parentNode.insertBefore(current, p);
      }
      var li = doc.createElement('li');
      while (p.firstChild) li.appendChild(p.firstChild);
      p.remove();
      current.appendChild(li);
      // The next item must follow this list directly.
      current.__last = li;
    });
    // Word's title and heading paragraphs without heading tags.
    Array.prototype.forEach.call(body.querySelectorAll('p[class]'), function (p) {
      var m = /Mso(Title|Heading(\d))/i.exec(p.getAttribute('class'));
      if (!m) return;
      var hd = doc.createElement('h' + (m[2] || 1));
      while (p.firstChild) hd.appendChild(p.firstChild);
      p.parentNode.replaceChild(hd, p);
    });
    // Headings start at ## (the page's title is its only #).
    var levels = Array.prototype.map.call(body.querySelectorAll('h1,h2,h3,h4,h5,h6'), function (x) { return +x.tagName[1]; });
    var shift = levels.length ? 2 - Math.min.apply(null, levels) : 0;
    if (shift) Array.prototype.forEach.call(body.querySelectorAll('h1,h2,h3,h4,h5,h6'), function (x) {
      var n = Math.max(1, Math.min(6, +x.tagName[1] + shift));
      var y = doc.createElement('h' + n);
      while (x.firstChild) y.appendChild(x.firstChild);
      x.parentNode.replaceChild(y, x);
    });
    // Tables: the first row is the header; merged cells keep the table as HTML.
    Array.prototype.forEach.call(body.querySelectorAll('table'), function (table) {
      Array.prototype.forEach.call(table.querySelectorAll('*'), function (n) {
        ['style', 'class', 'width', 'height', 'valign', 'align', 'border', 'cellspacing', 'cellpadding', 'lang'].forEach(function (a) { n.removeAttribute(a); });
      });
      table.removeAttribute('style'); table.removeAttribute('class'); table.removeAttribute('border');
      Array.prototype.forEach.call(table.querySelectorAll('td p, th p'), function (p) {
        var frag = doc.createDocumentFragment();
        while (p.firstChild) frag.appendChild(p.firstChild);
        frag.appendChild(doc.createTextNode(' '));
        p.parentNode.replaceChild(frag, p);
      });
      var merged = table.querySelector('[colspan]:not([colspan="1"]), [rowspan]:not([rowspan="1"])');
      if (merged) { table.setAttribute('data-keep', '1'); return; }
      var first = table.querySelector('tr');
      if (first && !first.querySelector('th')) {
        Array.prototype.forEach.call(first.children, function (td) {
          var th = doc.createElement('th');
          while (td.firstChild) th.appendChild(td.firstChild);
          first.replaceChild(th, td);
        });
      }
      if (first && first.parentNode.tagName !== 'THEAD') {
        var thead = doc.createElement('thead');
        table.insertBefore(thead, table.firstChild);
        thead.appendChild(first);
      }
    });
    // Paragraphs indented with full-width spaces (公文) lose the indent.
    var tw2 = doc.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    while (tw2.nextNode()) {
      var n2 = tw2.currentNode;
      if (!n2.previousSibling) n2.nodeValue = n2.nodeValue.replace(/^[\u3000\u00a0 ]+/, '');
    }
    return body;
  }

  var turndown = null;
  function toMarkdown(body) {
    if (!turndown) {
      turndown = new TurndownService({ headingStyle: 'atx', bulletListMarker: '-', codeBlockStyle: 'fenced', emDelimiter: '*', strongDelimiter: '**' });
      turndown.use(TurndownService.gfm);
      turndown.keep(function (node) { return node.nodeName === 'TABLE' && node.getAttribute('data-keep'); });
      turndown.addRule('emptyBold', { filter: function (n) { return (n.nodeName === 'STRONG' || n.nodeName === 'B') && !n.textContent.trim(); }, replacement: function (c) { return c; } });
    }
    return turndown.turndown(body).replace(/\n{3,}/g, '\n\n').replace(/<table data-keep="1">/g, '<table>').trim();
  }

  /** Pastes clipboard `data` into `view`: pictures saved into folder `dir` (the page's),
   *  Word/WPS/WeChat HTML as Markdown. Returns whether it took the paste. */
  function paste(e, view, dir) {
    var data = e.clipboardData;
    if (!data) return false;
    var html = data.getData('text/html');
    var files = Array.prototype.filter.call(data.files || [], function (f) { return /^image\//.test(f.type); });
    if (!html && !files.length) return false;
    e.preventDefault();
    var r = view.state.selection.main;
    if (!html) {
      uploadAll(files, dir).then(function (names) {
        var md = names.map(function (n) { return '![](' + encodeURI(n) + ')'; }).join('\n\n');
        view.dispatch({ changes: { from: r.from, to: r.to, insert: md } });
        if (names.length) toast(t('pasteSaved'));
      });
      return true;
    }
    var body = cleanPasted(html);
    var rtf = rtfPictures(data.getData('text/rtf'));
    var imgs = Array.prototype.slice.call(body.querySelectorAll('img'));
    var remote = 0;
    var jobs = imgs.map(function (img, i) {
      var src = img.getAttribute('src') || img.getAttribute('data-src') || '';
      var blob = null;
      if (/^data:image\//.test(src)) blob = dataBlob(src);
      else if (/^file:/i.test(src) || !src) blob = rtf.shift() || files[i] || null;
      if (!blob) {
        if (/^https?:/i.test(src)) remote += 1;
        img.remove();
        return Promise.resolve();
      }
      var ext = /png/.test(blob.type) ? 'png' : 'jpg';
      var file = new File([blob], 'paste-' + (i + 1) + '.' + ext, { type: blob.type });
      return upload(file, dir).then(function (res) {
        if (res.ok) { img.setAttribute('src', res.data.file); img.setAttribute('alt', img.getAttribute('alt') || ''); }
        else img.remove();
      });
    });
    Promise.all(jobs).then(function () {
      var md = toMarkdown(body);
      view.dispatch({ changes: { from: r.from, to: r.to, insert: md }, selection: { anchor: r.from + md.length } });
      if (remote) toast(remote + ' ' + t('pastedRemote'));
      else if (imgs.length) toast(t('pasteSaved'));
    });
    return true;
  }
  function dataBlob(uri) {
    var m = /^data:([^;,]+)(;base64)?,(.*)$/.exec(uri);
    if (!m) return null;
    var raw = m[2] ? atob(m[3]) : decodeURIComponent(m[3]);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Blob([bytes], { type: m[1] });
  }
  function uploadAll(files, dir) {
    var names = [];
    return files.reduce(function (p, f) {
      return p.then(function () { return upload(f, dir).then(function (r) { if (r.ok) names.push(r.data.file); }); });
    }, Promise.resolve()).then(function () { return names; });
  }

  // ---- The page editor -----------------------------------------------------------
  function pageEditor(path) {
    var main = frame(t('edit'), true);
    return api('file?' + q({ path: path })).then(function (r) {
      if (!r.ok) { main.appendChild(h('p', { role: 'alert', text: r.data.error })); return; }
      var f = r.data;
      if (f.invalid) return sourceEditor(main, f);
      var site = f.site || {};
      var front = f.front || keyed({});
      var isSection = /\/_index\.md$/.test(path);
      var dir = path.replace(/\/[^/]*$/, '');
      main.appendChild(h('h1', { text: front.title || t('untitled') }));
      var split = h('div', { class: 'split', 'data-show': 'edit' });
      var tabs = h('div', { class: 'tabs', role: 'group', 'aria-label': t('preview') });
      var editTab = h('button', { type: 'button', 'aria-pressed': 'true' }, t('edit'));
      var previewTab = h('button', { type: 'button', 'aria-pressed': 'false' }, t('preview'));
      editTab.onclick = function () { split.dataset.show = 'edit'; editTab.setAttribute('aria-pressed', 'true'); previewTab.setAttribute('aria-pressed', 'false'); };
      previewTab.onclick = function () { split.dataset.show = 'preview'; previewTab.setAttribute('aria-pressed', 'true'); editTab.setAttribute('aria-pressed', 'false'); };
      tabs.appendChild(editTab); tabs.appendChild(previewTab);
      main.appendChild(tabs);
      main.appendChild(split);
      var pane = h('div', { class: 'edit-pane' });
      var previewPane = h('div', { class: 'preview-pane' });
      split.appendChild(pane);
      split.appendChild(previewPane);
      var errorBox = h('div', { class: 'build-error', role: 'alert', hidden: true });
      pane.appendChild(errorBox);
      var stateEl = h('span', { class: 'state', role: 'status' });
      var body = f.body || '';
      var view = null;
      var saver = new Saver(path, f.version, function () {
        return { front: front, body: view ? view.state.doc.toString() : body };
      }, stateEl, afterSave);
      function changed() { saver.changed(); }
      var fields = {};

      function text(key, label, opts) {
        opts = opts || {};
        var input = h(opts.area ? 'textarea' : 'input', opts.area ? { rows: 3 } : { type: opts.type || 'text' });
        input.value = front[key] === undefined || front[key] === null ? '' : String(front[key]);
        input.addEventListener('input', function () {
          var v = input.value;
          if (v.trim() === '' && !opts.required) unsetKey(front, key); else setKey(front, key, v, PAGE_ORDER);
          if (key === 'title') main.querySelector('h1').textContent = v || t('untitled');
          changed();
        });
        fields[key] = field(label, input, opts.help, opts.help ? key : null);
        pane.appendChild(fields[key]);
        return input;
      }
      text('title', t('title'), { required: true });
      if (!isSection) {
        var dateValue = front.date === undefined || front.date === null ? '' : String(front.date);
        var plainDate = !dateValue || /^\d{4}-\d{2}-\d{2}$/.test(dateValue);
        var dateInput = text('date', t('date'), { type: plainDate ? 'date' : 'text' });
        dateInput.setAttribute('lang', LANG === 'en' ? 'en' : 'zh-CN');
        // The section: moving a report is moving its file.
        var secSel = h('select', null, (site.sections || []).map(function (s) {
          return h('option', { value: s.dir, selected: path.indexOf(s.dir + '/') === 0 }, s.title);
        }));
        secSel.disabled = true;
        secSel.title = path;
        fields.section = field(t('section'), secSel, path, null);
        pane.appendChild(fields.section);
        var tags = Array.isArray(front.tags) ? front.tags.slice() : [];
        fields.tags = chipsInput(t('tags'), tags, site.tags, function (v) {
          if (v.length) setKey(front, 'tags', v.slice(), PAGE_ORDER); else unsetKey(front, 'tags');
          changed();
        });
        pane.appendChild(fields.tags);
        var pillar = h('select', null, h('option', { value: '' }, t('none')), (site.pillars || []).map(function (p) {
          return h('option', { value: p.name, selected: front.pillar === p.name || front.pillar === p.key }, p.name);
        }));
        pillar.addEventListener('change', function () {
          if (pillar.value) setKey(front, 'pillar', pillar.value, PAGE_ORDER); else unsetKey(front, 'pillar');
          changed();
        });
        fields.pillar = field(t('pillar'), pillar);
        pane.appendChild(fields.pillar);
        // The cover: a picture beside the page, or one uploaded now.
        var cover = h('select', null, h('option', { value: '' }, t('none')));
        var pics = (f.pictures || []).map(function (p) { return p.path; });
        if (front.cover && pics.indexOf(front.cover) < 0) pics.unshift(front.cover);
        pics.forEach(function (p) { cover.appendChild(h('option', { value: p, selected: front.cover === p }, p)); });
        cover.addEventListener('change', function () {
          if (cover.value) setKey(front, 'cover', cover.value, PAGE_ORDER); else unsetKey(front, 'cover');
          changed();
        });
        var coverFile = h('input', { type: 'file', accept: 'image/*,.heic,.heif', class: 'visually-hidden', id: id('file') });
        coverFile.addEventListener('change', function () {
          if (!coverFile.files[0]) return;
          upload(coverFile.files[0], dir).then(function (res) {
            if (!res.ok) { toast(t('uploadFailed') + '：' + res.data.error); return; }
            cover.appendChild(h('option', { value: res.data.file }, res.data.file));
            cover.value = res.data.file;
            setKey(front, 'cover', res.data.file, PAGE_ORDER);
            changed();
          });
        });
        fields.cover = field(t('cover'), cover);
        fields.cover.appendChild(h('label', { for: coverFile.id, class: 'button small' }, t('upload')));
        fields.cover.appendChild(coverFile);
        pane.appendChild(fields.cover);
        text('summary', t('summary'), { area: true });
        var draft = h('input', { type: 'checkbox', role: 'switch', checked: front.draft === true });
        draft.addEventListener('change', function () {
          if (draft.checked) setKey(front, 'draft', true, PAGE_ORDER); else unsetKey(front, 'draft');
          changed();
        });
        fields.draft = h('div', { class: 'field' }, h('label', { class: 'switch' }, draft, t('draft')));
        pane.appendChild(fields.draft);
      }

      // 正文: the Markdown, with its toolbar.
      var bodyWrap = h('div', { class: 'field' });
      var bodyLabelId = id('label');
      bodyWrap.appendChild(h('div', { class: 'label', id: bodyLabelId, text: t('body') }));
      var picInput = h('input', { type: 'file', accept: 'image/*,.heic,.heif', multiple: true, class: 'visually-hidden', id: id('file'), 'aria-label': t('picture') });
      var toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('body') },
        h('button', { type: 'button', title: t('bold') + ' (Ctrl+B)', 'aria-label': t('bold'), onclick: function () { wrapSelection(view, '**', '**', t('bold')); } }, h('strong', null, 'B')),
        h('button', { type: 'button', 'aria-label': t('heading'), onclick: function () { prefixLines(view, '## '); } }, 'H'),
        h('button', { type: 'button', 'aria-label': t('list'), onclick: function () { prefixLines(view, '- '); } }, '☰'),
        h('button', { type: 'button', 'aria-label': t('quote'), onclick: function () { prefixLines(view, '> '); } }, '❝'),
        h('button', { type: 'button', 'aria-label': t('link'), onclick: function () {
          var url = window.prompt(t('linkAddress'), 'https://');
          if (url) wrapSelection(view, '[', '](' + url + ')', t('link'));
        } }, '🔗'),
        h('button', { type: 'button', 'aria-label': t('picture'), onclick: function () { picInput.click(); } }, '🖼'),
        h('button', { type: 'button', 'aria-label': t('table'), onclick: function () {
          insertBlock(view, LANG === 'en' ? '| Item | Detail |\n| --- | --- |\n|  |  |' : '| 项目 | 内容 |\n| --- | --- |\n|  |  |');
        } }, '▦'),
        picInput);
      picInput.addEventListener('change', function () {
        uploadAll(Array.prototype.slice.call(picInput.files), dir).then(function (names) {
          insertBlock(view, names.map(function (n) { return '![](' + encodeURI(n) + ')'; }).join('\n\n'));
          picInput.value = '';
        });
      });
      bodyWrap.appendChild(toolbar);
      var editorBox = h('div', { class: 'body-editor' });
      bodyWrap.appendChild(editorBox);
      pane.appendChild(bodyWrap);
      view = codeEditor(editorBox, body, {
        label: t('body'), language: 'markdown', eol: f.eol, changed: changed,
        keys: [{ key: 'Mod-b', run: function (v) { wrapSelection(v, '**', '**', t('bold')); return true; } }],
        paste: function (e, v) { return paste(e, v, dir); }
      });
      fields.body = bodyWrap;

      var del = h('button', { type: 'button', class: 'danger', onclick: function () { remove(path, false); } }, t('delete'));
      var bar = h('div', { class: 'savebar' },
        h('button', { type: 'button', class: 'primary', onclick: function () { saver.dirty = true; saver.save(); } }, t('save')),
        del, stateEl);
      if (f.url) bar.appendChild(h('a', { href: f.url, target: '_blank', rel: 'noopener' }, t('openPage')));
      pane.appendChild(bar);
      saver.state(t('saved'), 'ok');

      // The preview: the page as serve builds it (it reloads itself after each save).
      var frameEl = null;
      function setPreview(url) {
        previewPane.innerHTML = '';
        if (!url) { previewPane.appendChild(h('p', { class: 'empty', text: t('noPreview') })); return; }
        frameEl = h('iframe', { src: url, title: t('preview') });
        previewPane.appendChild(frameEl);
      }
      setPreview(f.url);
      function afterSave() { /* The build event below shows the result. */ }
      onBuild(function () {
        showBuildError(errorBox).then(function (st) { mapProblems(st, path, fields, front); });
        if (!frameEl) api('file?' + q({ path: path })).then(function (x) { if (x.data.url) setPreview(x.data.url); });
      });
      showBuildError(errorBox).then(function (st) { mapProblems(st, path, fields, front); });
      keySave(saver);
    });
  }

  /** Each build problem of this page shown at its field (by the line of the file). */
  function mapProblems(status, path, fields, front) {
    Object.keys(fields).forEach(function (k) { markProblem(fields[k], ''); });
    (status.diagnostics || []).forEach(function (d) {
      if (d.file !== path || !d.line) return;
      var msg = LANG === 'en' ? d.message.en : d.message.zh;
      var hint = d.hint ? (LANG === 'en' ? d.hint.en : d.hint.zh) : '';
      var key = keyAtLine(d.line, d.source_line, front);
      var target = fields[key] || fields.body;
      if (target) markProblem(target, msg + (hint ? '\n' + hint : ''));
    });
  }
  function keyAtLine(line, source, front) {
    var m = source && /^([A-Za-z_]+)\s*:/.exec(source);
    if (m && m[1] in front) return m[1];
    return 'body';
  }

  function keySave(saver) {
    document.addEventListener('keydown', function (e) {
      if (imeKey(e)) return;
      if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        saver.dirty = true;
        saver.save();
      }
    });
  }

  function remove(path, folder) {
    if (!window.confirm(t('confirmDelete'))) return;
    api('delete', { method: 'POST', body: { path: path, folder: folder } }).then(function (r) {
      if (!r.ok) { toast(r.data.error || t('refused')); return; }
      var trashed = r.data.trashed;
      sessionStorage.setItem('zt-trashed', trashed);
      location.href = EDIT + '?deleted=1';
    });
  }

  function undoToast() {
    var trashed = sessionStorage.getItem('zt-trashed');
    if (!trashed || !/deleted=1/.test(location.search)) return;
    sessionStorage.removeItem('zt-trashed');
    toast(t('deleted'), h('button', { type: 'button', class: 'small', onclick: function () {
      api('restore', { method: 'POST', body: { trashed: trashed } }).then(function (r) {
        if (r.ok) location.href = EDIT; else toast(r.data.error);
      });
    } }, t('undo')));
  }

  // ---- The source of a file, as text ---------------------------------------------
  function sourceEditor(main, f) {
    main.appendChild(h('h1', { text: f.path }));
    if (f.invalid) main.appendChild(h('div', { class: 'build-error', role: 'alert' }, h('strong', { text: t('invalid') }), h('pre', { text: f.invalid })));
    main.appendChild(h('p', { class: 'meta', text: t('sourceHelp') }));
    var stateEl = h('span', { class: 'state', role: 'status' });
    var view = null;
    var saver = new Saver(f.path, f.version, function () { return { text: view.state.doc.toString() }; }, stateEl);
    var box = h('div', { class: 'body-editor source-editor' });
    main.appendChild(box);
    view = codeEditor(box, f.text, { label: t('source') + ' ' + f.path, language: f.kind === 'page' ? 'markdown' : 'yaml', eol: f.eol, changed: function () { saver.changed(); } });
    main.appendChild(h('div', { class: 'savebar' },
      h('button', { type: 'button', class: 'primary', onclick: function () { saver.dirty = true; saver.save(); } }, t('save')),
      stateEl,
      h('a', { href: location.pathname + location.search.replace(/&?source=1/, '') }, t('form'))));
    saver.state(t('saved'), 'ok');
    var errorBox = h('div', { class: 'build-error', role: 'alert', hidden: true });
    main.appendChild(errorBox);
    onBuild(function () { showBuildError(errorBox); });
    showBuildError(errorBox);
    keySave(saver);
  }

  // ---- Start (once forms.js, loaded after this file, is there too) ------------------
  document.addEventListener('DOMContentLoaded', function () {
    var rest = location.pathname.slice(EDIT.length);
    var params = new URLSearchParams(location.search);
    var forms = window.zhantingForms;
    var start;
    if (params.get('source') && params.get('path')) {
      start = api('file?' + q({ path: params.get('path') })).then(function (r) { sourceEditor(frame(t('source')), r.data); });
    } else if (rest === 'page') start = pageEditor(params.get('path'));
    else if (rest === 'file') start = forms.file(params.get('path'));
    else if (rest === 'album') start = forms.album(params.get('name'));
    else start = home();
    Promise.resolve(start).then(undoToast).then(importReport);
  });

  // What forms.js needs from here.
  window.zhantingEditorParts = {
    t: t, h: h, id: id, api: api, q: q, frame: frame, field: field, markProblem: markProblem, chipsInput: chipsInput,
    Saver: Saver, keySave: keySave, onBuild: onBuild, showBuildError: showBuildError, sourceEditor: sourceEditor,
    dropZone: dropZone, upload: upload, keyed: keyed, keysOf: keysOf, setKey: setKey, unsetKey: unsetKey,
    fullPhotoList: fullPhotoList, ALBUM_ORDER: ALBUM_ORDER, remove: remove, editLink: editLink, imeKey: imeKey,
    codeEditor: codeEditor, announce: announce, toast: toast, LANG: LANG, EDIT: EDIT, composing: function () { return composing; }
  };
})();
