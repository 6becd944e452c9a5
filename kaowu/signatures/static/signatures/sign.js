// 手写签名: draw with a finger, a stylus or a mouse on the canvas (pointer events), 清除 to start
// again, 确认签名 sends the drawing as a PNG. The server checks that there is ink.
(function () {
  function setup(form) {
    var canvas = form.querySelector("[data-sign-canvas]");
    var hint = form.querySelector("[data-sign-hint]");
    var empty = form.querySelector("[data-sign-empty]");
    var ctx = canvas.getContext("2d");
    var drawing = false, inked = false, last = null;

    function size() {
      var ratio = window.devicePixelRatio || 1;
      var box = canvas.getBoundingClientRect();
      var keep = inked ? canvas.toDataURL("image/png") : null;
      canvas.width = Math.round(box.width * ratio);
      canvas.height = Math.round(box.height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.lineWidth = 2.6;
      ctx.strokeStyle = "#111827";
      if (keep) {
        var img = new Image();
        img.onload = function () { ctx.drawImage(img, 0, 0, box.width, box.height); };
        img.src = keep;
      }
    }
    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      ctx.beginPath();
      ctx.arc(last.x, last.y, 1.2, 0, Math.PI * 2);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fill();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
      inked = true;
      if (hint) { hint.hidden = true; }
      if (empty) { empty.hidden = true; }
    });
    function stop() { drawing = false; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    form.querySelector("[data-sign-clear]").addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      inked = false;
      if (hint) { hint.hidden = false; }
    });
    form.addEventListener("submit", function (event) {
      if (!inked) {
        event.preventDefault();
        if (empty) { empty.hidden = false; }
        return;
      }
      form.querySelector("input[name=signature]").value = canvas.toDataURL("image/png");
    });
    window.addEventListener("resize", size);
    size();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-sign-form]").forEach(setup);
  });
})();
