// 专升本: the countdown on the notice buttons (KAOWU_NOTICE_COUNTDOWN_SECONDS, 10 s; the server checks the
// time too, and renders the seconds left into data-countdown), 测试主项 shown only
// for 音乐类, and 个人简历 rows added and removed (the last row stays, emptied).
(function () {
  function countdown(button) {
    var left = parseInt(button.dataset.countdown, 10) || 0;
    var label = button.dataset.label;
    function tick() {
      if (left <= 0) { button.disabled = false; button.textContent = label; return; }
      button.disabled = true;
      button.textContent = label + "（" + left + "s）";
      left -= 1;
      setTimeout(tick, 1000);
    }
    tick();
  }
  function basicForm(form) {
    var category = form.querySelector("select[name=category]");
    var music = form.querySelector("[data-music-only]");
    function toggle() { if (music && category) { music.hidden = category.value !== "09"; } }
    if (category) { category.addEventListener("change", toggle); toggle(); }
    var rows = form.querySelector("[data-resume-rows]");
    form.querySelector("[data-resume-add]").addEventListener("click", function () {
      var last = rows.querySelector("[data-resume-row]:last-child");
      var copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      rows.appendChild(copy);
      copy.querySelector("input").focus();
    });
    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-resume-remove]");
      if (!button) { return; }
      var row = button.closest("[data-resume-row]");
      if (rows.querySelectorAll("[data-resume-row]").length > 1) { row.remove(); }
      else { row.querySelectorAll("input").forEach(function (input) { input.value = ""; }); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(countdown);
    document.querySelectorAll("[data-basic-form]").forEach(basicForm);
  });
})();
