/* Small behaviours shared by every page. The server enforces every rule these display. */
(function () {
  "use strict";

  // Buttons with data-countdown="N" stay disabled for N seconds, counting down in their label.
  function startCountdowns(root) {
    root.querySelectorAll("[data-countdown]").forEach(function (el) {
      if (el.dataset.countdownStarted) return;
      el.dataset.countdownStarted = "1";
      var left = parseInt(el.dataset.countdown, 10) || 0;
      var idle = el.dataset.label || el.textContent;
      var running = el.dataset.runningLabel || "重新获取";
      // data-countdown-template ("重新获取（{s}秒）", translated by the template) wins over the default.
      var template = el.dataset.countdownTemplate;
      function tick() {
        if (left <= 0) {
          el.disabled = false;
          el.classList.remove("is-disabled");
          el.textContent = el.dataset.doneLabel || idle;
          return;
        }
        el.disabled = true;
        el.classList.add("is-disabled");
        el.textContent = template ? template.replace("{s}", left) : running + "（" + left + "秒）";
        left -= 1;
        window.setTimeout(tick, 1000);
      }
      tick();
    });
  }

  // Clicking a captcha image (or its refresh link) loads a new challenge.
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-captcha-refresh]");
    if (!trigger) return;
    event.preventDefault();
    var box = trigger.closest(".captcha");
    if (box && window.htmx) {
      window.htmx.ajax("GET", box.dataset.refreshUrl, { target: box, swap: "outerHTML" });
    }
  });

  // Warn before the idle timeout signs the user out, so nothing typed is lost unseen.
  function idleWarning() {
    var minutes = parseInt(document.body.dataset.idleMinutes || "0", 10);
    if (!minutes || !document.body.dataset.signedIn) return;
    var warnAt = Math.max(minutes - 2, 1) * 60 * 1000;
    var timer;
    function arm() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var box = document.getElementById("idle-warning");
        if (box) box.hidden = false;
      }, warnAt);
    }
    ["click", "keydown"].forEach(function (name) { document.addEventListener(name, arm, { passive: true }); });
    arm();
  }

  // Behaviours declared by data attributes: the Content-Security-Policy allows no on*="" handlers.
  // A form with data-confirm="…" asks before it is sent (删除, 移除).
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  // A field with data-autosubmit sends its form as soon as it changes (毕业预测's 专业).
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  // 返回上一页 (error pages): the browser's history when there is one, else the link's own address.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-history-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    startCountdowns(document);
    idleWarning();
  });
  document.addEventListener("htmx:afterSettle", function (event) { startCountdowns(event.target.parentNode || document); });
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("meta[name=csrf-token]");
    if (token) event.detail.headers["X-CSRFToken"] = token.content;
  });
})();
/* After a server response says the captcha was used, show a fresh one everywhere on the page. */
document.addEventListener("captcha-refresh", function () {
  document.querySelectorAll(".captcha").forEach(function (box) {
    if (window.htmx) window.htmx.ajax("GET", box.dataset.refreshUrl, { target: box, swap: "outerHTML" });
  });
});
/* 系统繁忙 / 文件保存失败 (a 503 from kaowu.core.unavailable names its target): htmx leaves error
   responses unswapped by default; show this notice on top of the page instead, keeping what was typed. */
document.addEventListener("htmx:beforeSwap", function (event) {
  var xhr = event.detail.xhr;
  if (xhr && xhr.status === 503 && xhr.getResponseHeader("HX-Retarget")) event.detail.shouldSwap = true;
});
