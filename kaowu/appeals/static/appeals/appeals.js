/* The face check QR code's countdown (二维码有效期：N秒), restarted after every htmx swap of the panel.
   The server expires the QR code by itself; this only shows the time left. */
(function () {
  "use strict";
  function start(root) {
    root.querySelectorAll("[data-seconds-left]").forEach(function (el) {
      if (el.dataset.ticking) return;
      el.dataset.ticking = "1";
      var end = Date.now() + (parseInt(el.dataset.secondsLeft, 10) || 0) * 1000;
      function tick() {
        if (!el.isConnected) return;
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        el.textContent = String(left);
        if (left > 0) window.setTimeout(tick, 1000);
      }
      tick();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("htmx:afterSettle", function () { start(document); });
})();
