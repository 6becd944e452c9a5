// Countdowns to an order's (or a cashier's) deadline: <span data-seconds-left="N">mm:ss</span>.
// At zero the surrounding [data-deadline] box turns red and [data-disable-at-deadline] controls
// are disabled; the server refuses payment after the deadline anyway.
(function () {
  function format(total) {
    var m = Math.floor(total / 60), s = total % 60;
    return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  function start(el) {
    var end = Date.now() + (parseInt(el.dataset.secondsLeft, 10) || 0) * 1000;
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      el.textContent = format(left);
      if (left > 0) { setTimeout(tick, 1000); return; }
      var box = el.closest("[data-deadline]");
      if (box) {
        box.classList.add("is-over");
        var over = box.querySelector("[data-deadline-over]");
        if (over) { over.hidden = false; }
      }
      document.querySelectorAll("[data-disable-at-deadline]").forEach(function (c) { c.disabled = true; });
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-seconds-left]").forEach(start);
  });
  // <form data-confirm="…">: ask before submitting (取消订单).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });
})();
