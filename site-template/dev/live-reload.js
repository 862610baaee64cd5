/* zhanting serve: live reload. Served only by `zhanting serve`, never part of a build. */
(() => {
  const key = 'zt-scroll:' + location.pathname;
  const y = sessionStorage.getItem(key);
  if (y !== null) {
    sessionStorage.removeItem(key);
    addEventListener('load', () => scrollTo(0, +y));
  }
  let box = null;
  const overlay = text => {
    if (!box) {
      box = document.createElement('div');
      box.id = 'zhanting-error';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:24px;' +
        'background:rgba(30,0,0,.92);color:#fff;font:14px/1.6 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap';
      document.body.appendChild(box);
    }
    box.textContent = text;
  };
  const here = location.pathname.replace(/index\.html$/, '');
  // The 编辑 control: a page made from a source file opens the editor on that file. Only
  // `serve` has it (this script is never part of a build), only for a browser that may
  // edit (the server answers others 403), and not inside the editor's own preview.
  if (window.top === window) {
    fetch('/__zhanting/api/source?page=' + encodeURIComponent(here), { credentials: 'same-origin' })
      .then(r => (r.ok ? r.json() : null))
      .then(s => {
        if (!s || !s.edit) return;
        const a = document.createElement('a');
        a.id = 'zhanting-edit';
        a.href = s.edit;
        a.innerHTML = '<span aria-hidden="true">✎ </span>';
        a.appendChild(document.createTextNode(s.label));
        a.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483646;display:inline-flex;align-items:center;' +
          'min-height:44px;padding:8px 16px;border-radius:22px;background:#b5121b;color:#fff;font:600 16px/1.2 system-ui,sans-serif;' +
          'text-decoration:none;box-shadow:0 2px 10px rgba(0,0,0,.3)';
        const media = document.createElement('style');
        media.textContent = '@media print{#zhanting-edit{display:none!important}}#zhanting-edit:focus-visible{outline:3px solid #1a56db;outline-offset:2px}';
        document.head.appendChild(media);
        document.body.appendChild(a);
      })
      .catch(() => {});
  }
  const es = new EventSource('/__zhanting/events');
  es.addEventListener('reload', e => {
    const paths = JSON.parse(e.data);
    if (paths.includes('*') || paths.includes(here)) {
      sessionStorage.setItem(key, String(scrollY));
      location.reload();
    }
  });
  es.addEventListener('css', e => {
    const paths = JSON.parse(e.data);
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const u = new URL(link.href);
      if (paths.includes(u.pathname)) {
        u.searchParams.set('t', Date.now());
        link.href = u.href;
      }
    }
  });
  es.addEventListener('failed', e => overlay(JSON.parse(e.data)));
  es.addEventListener('ok', () => {
    // The page that stood in while the site had never built: now there is a site.
    if (document.body.hasAttribute('data-zhanting-error')) location.reload();
    if (box) { box.remove(); box = null; }
  });
})();
