// Board page: a click on the preview zooms it to full size in a scrollable frame, centred
// on the point clicked; another click (or Esc) zooms out. Without JavaScript the
// preview links to the image itself.
(function () {
  var link = document.querySelector(".board-zoom");
  if (!link) return;
  var fig = link.parentNode;
  var img = link.querySelector("img");
  function zoom(on, x, y) {
    fig.classList.toggle("zoomed", on);
    link.setAttribute("aria-expanded", on ? "true" : "false");
    if (on) {
      fig.scrollLeft = x * img.naturalWidth - fig.clientWidth / 2;
      fig.scrollTop = y * img.naturalHeight - fig.clientHeight / 2;
    }
  }
  link.addEventListener("click", function (e) {
    e.preventDefault();
    var r = img.getBoundingClientRect();
    zoom(!fig.classList.contains("zoomed"), (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") zoom(false);
  });
})();
