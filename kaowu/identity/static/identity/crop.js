/* The crop frame of the 证件照 upload (seed 002: 蓝色相框 and 实际照片预览图).
 *
 * An upload form with data-crop-aspect="3/4" gets, once a file is chosen, the picture with a blue
 * frame of fixed proportion that can be dragged (and resized by its corners) with a mouse, a finger
 * or the keyboard, and a live preview canvas. 上传此照片 sends exactly what the preview shows: the
 * framed part, drawn on a canvas and encoded as JPEG, posted with fetch and the CSRF token. The
 * answer (the re-rendered slot, with the step rail and submit panel out of band) is swapped by htmx.
 *
 * Without JavaScript (or without canvas.toBlob) the plain file input and 上传 button remain; the
 * server checks every rule either way. No library, nothing from the network.
 *
 * Texts: overview.html renders them in the page's language as JSON (#identity-js-text, from
 * identity.views._js_text); the Chinese written here is the fallback.
 */
(function () {
  "use strict";
  var texts = null;
  window.kaowuIdentityText = function (key, fallback, params) {
    if (texts === null) {
      var node = document.getElementById("identity-js-text");
      try { texts = node ? JSON.parse(node.textContent) : {}; } catch (e) { texts = {}; }
    }
    var text = texts[key] || fallback;
    Object.keys(params || {}).forEach(function (name) { text = text.split("{" + name + "}").join(String(params[name])); });
    return text;
  };
})();

(function () {
  "use strict";

  var MAX_OUTPUT_WIDTH = 900; // 900 × 1200 for 3:4: sharp enough, far below the size limit
  var MIN_FRAME_DISPLAY_PX = 48; // the frame never shrinks below this on screen
  var JPEG_QUALITY = 0.92;
  var t = window.kaowuIdentityText;

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  function clamp(value, low, high) { return Math.min(Math.max(value, low), high); }

  function el(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    return node;
  }

  function supported() {
    var canvas = document.createElement("canvas");
    return !!(canvas.getContext && canvas.toBlob && window.fetch && window.FormData && window.URL && URL.createObjectURL);
  }

  function Cropper(form) {
    var parts = (form.dataset.cropAspect || "3/4").split("/");
    this.aspect = parseFloat(parts[0]) / parseFloat(parts[1]); // width / height
    this.form = form;
    this.input = form.querySelector("input[type=file]");
    this.send = form.querySelector(".photo-upload__send");
    this.slot = form.closest(".photo-slot");
    this.frameBox = null; // the frame in the image's own pixels: {x, y, w, h}
    this.build();
    this.bind();
  }

  Cropper.prototype.build = function () {
    var hint = this.form.querySelector(".photo-upload__crop-hint");
    if (hint) hint.hidden = false;
    this.send.hidden = true; // 上传此照片 in the crop panel uploads

    this.panel = el("div", "cropper", { hidden: "" });
    var work = el("div", "cropper__work");
    this.stage = el("div", "cropper__stage");
    this.img = el("img", "", { alt: t("image_alt", "待裁剪的照片"), draggable: "false" });
    this.frame = el("div", "crop-frame", {
      tabindex: "0", role: "group",
      "aria-label": t("frame_label", "蓝色相框：拖动移动位置，拖动四角调整大小；也可用方向键移动，加号、减号键缩放"),
    });
    this.frame.appendChild(el("div", "crop-frame__grid"));
    this.frame.appendChild(el("div", "crop-frame__oval"));
    ["nw", "ne", "sw", "se"].forEach(function (h) {
      this.frame.appendChild(el("span", "crop-handle", { "data-h": h, "aria-hidden": "true" }));
    }, this);
    this.stage.appendChild(this.img);
    this.stage.appendChild(this.frame);
    work.appendChild(this.stage);

    var side = el("div", "cropper__side");
    var previewBox = el("div", "cropper__preview-box");
    previewBox.appendChild(el("p", "cropper__label", { text: t("preview_label", "实际照片预览图") }));
    this.preview = el("canvas", "cropper__preview", { width: "240", height: String(Math.round(240 / this.aspect)) });
    this.preview.style.height = Math.round(120 / this.aspect) + "px";
    previewBox.appendChild(this.preview);
    this.sizeNote = el("p", "cropper__size");
    previewBox.appendChild(this.sizeNote);
    side.appendChild(previewBox);

    var actions = el("div", "cropper__actions");
    this.upload = el("button", "btn btn--primary", { type: "button", text: t("upload", "上传此照片") });
    this.rechoose = el("button", "btn", { type: "button", text: t("rechoose", "重新选择照片") });
    this.cancel = el("button", "btn btn--small", { type: "button", text: t("cancel", "取消") });
    this.status = el("p", "cropper__status", { role: "status", "aria-live": "polite" });
    actions.appendChild(this.upload);
    actions.appendChild(this.rechoose);
    actions.appendChild(this.cancel);
    actions.appendChild(this.status);
    side.appendChild(actions);

    this.panel.appendChild(work);
    this.panel.appendChild(side);
    this.form.appendChild(this.panel);
  };

  Cropper.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("change", function () {
      var file = self.input.files && self.input.files[0];
      if (file) self.open(file);
    });
    // Enter in the form (or anything else that submits it) uploads the crop while the panel is open.
    this.form.addEventListener("submit", function (event) {
      if (!self.panel.hidden) { event.preventDefault(); event.stopImmediatePropagation(); self.uploadCrop(); }
    }, true);
    this.upload.addEventListener("click", function () { self.uploadCrop(); });
    this.rechoose.addEventListener("click", function () { self.input.value = ""; self.input.click(); });
    this.cancel.addEventListener("click", function () { self.close(); self.input.value = ""; self.input.focus(); });

    this.frame.addEventListener("pointerdown", function (e) { self.pointerDown(e); });
    this.frame.addEventListener("pointermove", function (e) { self.pointerMove(e); });
    this.frame.addEventListener("pointerup", function (e) { self.pointerUp(e); });
    this.frame.addEventListener("pointercancel", function (e) { self.pointerUp(e); });
    this.frame.addEventListener("keydown", function (e) { self.key(e); });
    window.addEventListener("resize", function () { if (!self.panel.hidden) self.render(); });
  };

  Cropper.prototype.open = function (file) {
    var self = this;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = URL.createObjectURL(file);
    this.setStatus("");
    this.img.onload = function () {
      self.natural = { w: self.img.naturalWidth, h: self.img.naturalHeight };
      self.panel.hidden = false;
      self.send.hidden = true;
      self.reset();
      self.frame.focus({ preventScroll: true });
      self.stage.scrollIntoView({ block: "center", behavior: "smooth" });
    };
    this.img.onerror = function () {
      // Not an image the browser can show (or not an image at all): let the server say why.
      self.close();
      self.send.hidden = false;
      self.setStatusOutside(t("no_preview", "浏览器无法预览该文件。可直接点击“上传”，由系统检查并说明原因；建议选择 JPG 或 PNG 照片。"));
    };
    this.img.src = this.url;
  };

  Cropper.prototype.close = function () {
    this.panel.hidden = true;
    this.img.removeAttribute("src");
    if (this.url) { URL.revokeObjectURL(this.url); this.url = null; }
  };

  Cropper.prototype.setStatusOutside = function (text) {
    var note = this.form.querySelector(".photo-upload__note");
    if (!note) {
      note = el("p", "field-error photo-upload__note", { role: "alert" });
      this.form.insertBefore(note, this.panel);
    }
    note.textContent = text;
  };

  Cropper.prototype.setStatus = function (text, isError) {
    this.status.textContent = text;
    this.status.classList.toggle("is-error", !!isError);
    var note = this.form.querySelector(".photo-upload__note");
    if (note) note.remove();
  };

  // The largest frame of the right proportion that fits, centred.
  Cropper.prototype.reset = function () {
    var n = this.natural, w = n.w, h = w / this.aspect;
    if (h > n.h) { h = n.h; w = h * this.aspect; }
    this.frameBox = { x: (n.w - w) / 2, y: (n.h - h) / 2, w: w, h: h };
    this.render();
  };

  Cropper.prototype.scale = function () { // screen pixels per image pixel
    return this.img.clientWidth / this.natural.w || 1;
  };

  Cropper.prototype.minWidth = function () {
    var maxW = Math.min(this.natural.w, this.natural.h * this.aspect);
    return Math.min(MIN_FRAME_DISPLAY_PX / this.scale(), maxW);
  };

  Cropper.prototype.render = function () {
    var s = this.scale(), f = this.frameBox;
    this.frame.style.left = (f.x * s) + "px";
    this.frame.style.top = (f.y * s) + "px";
    this.frame.style.width = (f.w * s) + "px";
    this.frame.style.height = (f.h * s) + "px";
    var out = this.outputSize();
    var minW = parseInt(this.form.dataset.minWidth || "0", 10), minH = parseInt(this.form.dataset.minHeight || "0", 10);
    var small = out.w < minW || out.h < minH;
    var sizes = { w: out.w, h: out.h, min_w: minW, min_h: minH };
    this.sizeNote.textContent = small
      ? t("size_small", "上传尺寸 {w} × {h} 像素：小于要求的 {min_w} × {min_h} 像素，请放大相框或选择更清晰的照片", sizes)
      : t("size", "上传尺寸 {w} × {h} 像素", sizes);
    this.sizeNote.classList.toggle("is-error", small);
    var self = this;
    if (!this.drawQueued) {
      this.drawQueued = true;
      window.requestAnimationFrame(function () { self.drawQueued = false; self.draw(self.preview); });
    }
  };

  Cropper.prototype.outputSize = function () {
    var w = Math.min(Math.round(this.frameBox.w), MAX_OUTPUT_WIDTH);
    return { w: w, h: Math.round(w / this.aspect) };
  };

  Cropper.prototype.draw = function (canvas) {
    var f = this.frameBox, ctx = canvas.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(this.img, f.x, f.y, f.w, f.h, 0, 0, canvas.width, canvas.height);
  };

  Cropper.prototype.pointerDown = function (e) {
    if (e.button !== undefined && e.button !== 0) return;
    var handle = e.target.closest(".crop-handle");
    this.drag = { mode: handle ? handle.dataset.h : "move", x: e.clientX, y: e.clientY,
                  start: { x: this.frameBox.x, y: this.frameBox.y, w: this.frameBox.w, h: this.frameBox.h } };
    this.frame.setPointerCapture(e.pointerId);
    e.preventDefault();
  };

  Cropper.prototype.pointerMove = function (e) {
    if (!this.drag) return;
    var s = this.scale(), dx = (e.clientX - this.drag.x) / s, dy = (e.clientY - this.drag.y) / s;
    var n = this.natural, st = this.drag.start, f = this.frameBox;
    if (this.drag.mode === "move") {
      f.x = clamp(st.x + dx, 0, n.w - st.w);
      f.y = clamp(st.y + dy, 0, n.h - st.h);
    } else {
      // Resize from a corner; the opposite corner stays put and the proportion is kept.
      var sx = this.drag.mode.indexOf("e") >= 0 ? 1 : -1, sy = this.drag.mode.indexOf("s") >= 0 ? 1 : -1;
      var ax = sx > 0 ? st.x : st.x + st.w, ay = sy > 0 ? st.y : st.y + st.h;
      var w = Math.max(st.w + sx * dx, (st.h + sy * dy) * this.aspect);
      var maxW = Math.min(sx > 0 ? n.w - ax : ax, (sy > 0 ? n.h - ay : ay) * this.aspect);
      w = clamp(w, Math.min(this.minWidth(), maxW), maxW);
      var h = w / this.aspect;
      f.w = w; f.h = h;
      f.x = sx > 0 ? ax : ax - w;
      f.y = sy > 0 ? ay : ay - h;
    }
    this.render();
    e.preventDefault();
  };

  Cropper.prototype.pointerUp = function (e) {
    if (!this.drag) return;
    this.drag = null;
    if (this.frame.hasPointerCapture && this.frame.hasPointerCapture(e.pointerId)) this.frame.releasePointerCapture(e.pointerId);
  };

  // Arrows move the frame (Shift: faster); + and - resize it around its centre.
  Cropper.prototype.key = function (e) {
    var n = this.natural, f = this.frameBox, step = (e.shiftKey ? 0.1 : 0.02) * Math.min(n.w, n.h);
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      f.x = clamp(f.x + moves[e.key][0], 0, n.w - f.w);
      f.y = clamp(f.y + moves[e.key][1], 0, n.h - f.h);
    } else if (e.key === "+" || e.key === "=" || e.key === "-" || e.key === "_") {
      var grow = e.key === "+" || e.key === "=" ? 1.05 : 1 / 1.05;
      var maxW = Math.min(n.w, n.h * this.aspect);
      var w = clamp(f.w * grow, this.minWidth(), maxW), h = w / this.aspect;
      var cx = f.x + f.w / 2, cy = f.y + f.h / 2;
      f.w = w; f.h = h;
      f.x = clamp(cx - w / 2, 0, n.w - w);
      f.y = clamp(cy - h / 2, 0, n.h - h);
    } else {
      return;
    }
    e.preventDefault();
    this.render();
  };

  Cropper.prototype.busy = function (on) {
    [this.upload, this.rechoose, this.cancel].forEach(function (b) { b.disabled = on; });
    this.upload.textContent = on ? t("busy", "正在上传并检查…") : t("upload", "上传此照片");
  };

  Cropper.prototype.uploadCrop = function () {
    var self = this, out = this.outputSize();
    var canvas = document.createElement("canvas");
    canvas.width = out.w;
    canvas.height = out.h;
    this.draw(canvas);
    this.busy(true);
    this.setStatus(t("uploading", "正在上传并检查照片…"));
    canvas.toBlob(function (blob) {
      if (!blob) { self.busy(false); self.setStatus(t("no_blob", "无法生成照片，请重新选择。"), true); return; }
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken(self.form));
      data.append("photo", blob, "id_photo.jpg");
      window.fetch(self.form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(self.form), "HX-Request": "true" },
      }).then(function (response) {
        if (response.redirected) { window.location.href = response.url; return null; } // signed out meanwhile
        if (!response.ok) throw new Error(response.status === 403 ? t("expired", "页面已过期，请刷新页面后重试。")
                                                   : t("failed", "上传失败（{status}），请稍后重试。", { status: response.status }));
        return response.text();
      }).then(function (html) {
        if (html === null) return;
        self.close();
        if (window.htmx && window.htmx.swap) {
          window.htmx.swap(self.slot, html, { swapStyle: "outerHTML" });
        } else {
          window.location.reload();
        }
      }).catch(function (error) {
        self.busy(false);
        self.setStatus(error.message || t("network", "网络异常，请稍后重试。"), true);
      });
    }, "image/jpeg", JPEG_QUALITY);
  };

  function init(root) {
    if (!supported()) return;
    (root || document).querySelectorAll("form[data-crop-aspect]").forEach(function (form) {
      if (form.dataset.cropReady) return;
      form.dataset.cropReady = "1";
      form.cropper = new Cropper(form);
    });
  }

  // 提交验证 may take a few seconds (the comparison runs): say so and prevent a second click.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-busy-label]")) return;
    var button = form.querySelector("button[type=submit]");
    if (!button) return;
    if (form.dataset.busy) { event.preventDefault(); return; }
    form.dataset.busy = "1";
    window.setTimeout(function () { button.disabled = true; button.textContent = form.dataset.busyLabel; }, 0);
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target.parentNode || document); });
  window.kaowuCrop = { init: init };
})();

/* Photos straight from a phone camera are often larger than the upload limit (seed 001: 小于2M).
 * For the slots without a crop frame, a picture over the limit (or over 2400 px) is scaled down in
 * the browser before it is sent; the server still checks everything. */
(function () {
  "use strict";
  var MAX_SIDE = 2400;
  var t = window.kaowuIdentityText;

  function note(input, text) {
    var box = input.form.querySelector(".photo-upload__shrink-note");
    if (!box) {
      box = document.createElement("p");
      box.className = "field-help photo-upload__shrink-note";
      box.setAttribute("role", "status");
      input.form.appendChild(box);
    }
    box.textContent = text;
  }

  function shrink(file, maxBytes, minSide, done) {
    var url = URL.createObjectURL(file);
    var img = new Image();
    img.onload = function () {
      URL.revokeObjectURL(url);
      var side = MAX_SIDE, quality = 0.9;
      function attempt() {
        var scale = Math.min(1, side / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (!blob) { done(null); return; }
          var smaller = side * 0.8;
          if (blob.size > maxBytes && Math.min(canvas.width, canvas.height) * 0.8 >= minSide) {
            side = smaller; quality = Math.max(0.75, quality - 0.05); attempt(); return;
          }
          done(blob.size <= maxBytes ? blob : null);
        }, "image/jpeg", quality);
      }
      attempt();
    };
    img.onerror = function () { URL.revokeObjectURL(url); done(null); };
    img.src = url;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("form.photo-upload:not([data-crop-aspect]) input[type=file]")) return;
    var file = input.files && input.files[0];
    var form = input.form;
    var maxBytes = parseInt(form.dataset.maxBytes || "0", 10);
    if (!file || !maxBytes || !/^image\/(jpeg|png)$/.test(file.type) || typeof DataTransfer === "undefined") return;
    if (file.size <= maxBytes * 0.95) return;
    note(input, t("shrinking", "照片较大，正在压缩…"));
    shrink(file, maxBytes, parseInt(form.dataset.minSide || "0", 10), function (blob) {
      if (!blob) { note(input, t("shrink_failed", "照片无法自动压缩，请换一张较小的照片。")); return; }
      var transfer = new DataTransfer();
      transfer.items.add(new File([blob], file.name.replace(/\.[^.]+$/, "") + ".jpg", { type: "image/jpeg" }));
      input.files = transfer.files;
      note(input, t("shrunk", "照片已自动压缩为 {mb}MB，请点击“上传”。", { mb: (blob.size / 1024 / 1024).toFixed(1) }));
    });
  });
})();
