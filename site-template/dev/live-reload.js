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
