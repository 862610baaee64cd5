/* zhanting lightbox: a photo large with its caption, previous/next, ← → Esc, swipe on
   phones, a link to the full size; a video (微视频) plays there with its captions.
   Without JavaScript each photo or video links to its file. */
(() => {
  const open = (gallery, items, index, opener) => {
    const L = gallery.dataset;
    const box = document.createElement('div');
    box.className = 'lightbox';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-modal', 'true');
    box.innerHTML = '<figure><img alt=""><video controls playsinline hidden></video><figcaption></figcaption></figure>' +
      '<a class="lb-full" target="_blank" rel="noopener"></a>' +
      '<button type="button" class="lb-prev"><span aria-hidden="true">‹</span></button>' +
      '<button type="button" class="lb-next"><span aria-hidden="true">›</span></button>' +
      '<button type="button" class="lb-close"><span aria-hidden="true">×</span></button>';
    const $ = s => box.querySelector(s);
    const img = $('img'), video = $('video'), cap = $('figcaption'), full = $('.lb-full');
    $('.lb-prev').setAttribute('aria-label', L.lPrev);
    $('.lb-next').setAttribute('aria-label', L.lNext);
    $('.lb-close').setAttribute('aria-label', L.lClose);
    full.textContent = L.lFull;
    const show = i => {
      index = (i + items.length) % items.length;
      const a = items[index];
      video.pause();
      video.textContent = '';
      video.removeAttribute('src');
      const isVideo = !!a.dataset.video;
      img.hidden = isVideo;
      video.hidden = !isVideo;
      if (isVideo) {
        img.removeAttribute('src');
        img.removeAttribute('srcset');
        const source = document.createElement('source');
        source.src = a.dataset.video;
        source.type = a.dataset.type;
        video.appendChild(source);
        if (a.dataset.captions) {
          const track = document.createElement('track');
          track.kind = 'captions';
          track.srclang = 'zh';
          track.label = a.dataset.captionsLabel;
          track.src = a.dataset.captions;
          track.default = true;
          video.appendChild(track);
        }
        if (a.dataset.poster) video.poster = a.dataset.poster;
        else video.removeAttribute('poster');
        video.setAttribute('aria-label', a.getAttribute('aria-label'));
        video.load();
      } else {
        img.removeAttribute('src');
        img.srcset = a.dataset.srcset;
        img.sizes = '100vw';
        img.src = a.href;
        img.alt = a.querySelector('img').alt;
      }
      cap.textContent = a.dataset.caption || '';
      full.href = a.href;
      full.textContent = isVideo ? L.lVideo : L.lFull;
    };
    const key = e => {
      if (e.key === 'Escape') close();
      else if (e.key === 'ArrowLeft') show(index - 1);
      else if (e.key === 'ArrowRight') show(index + 1);
    };
    const close = () => {
      video.pause();
      box.remove();
      document.removeEventListener('keydown', key);
      document.body.classList.remove('lightbox-open');
      opener.focus();
    };
    $('.lb-prev').onclick = () => show(index - 1);
    $('.lb-next').onclick = () => show(index + 1);
    $('.lb-close').onclick = close;
    box.addEventListener('click', e => { if (e.target === box || e.target.tagName === 'FIGURE') close(); });
    let x0 = null;
    box.addEventListener('touchstart', e => { x0 = e.touches[0].clientX; }, { passive: true });
    box.addEventListener('touchend', e => {
      if (x0 === null) return;
      const dx = e.changedTouches[0].clientX - x0;
      if (Math.abs(dx) > 40) show(index + (dx < 0 ? 1 : -1));
      x0 = null;
    });
    document.addEventListener('keydown', key);
    document.body.appendChild(box);
    document.body.classList.add('lightbox-open');
    show(index);
    $('.lb-close').focus();
  };
  for (const gallery of document.querySelectorAll('[data-lightbox]')) {
    const items = [...gallery.querySelectorAll('a.gallery-item')];
    items.forEach((a, i) => a.addEventListener('click', e => {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      open(gallery, items, i, a);
    }));
  }
})();
