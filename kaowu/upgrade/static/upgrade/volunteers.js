// 填报志愿: a row's majors follow its college; 清空 empties a row; what is chosen is kept in the
// browser (localStorage) until 确认提交, and restored after a timeout and a new login; two minutes
// before the page's idle timeout a warning offers 继续填报.
(function () {
  function setup(form) {
    var key = form.dataset.draftKey;
    var rows = Array.prototype.slice.call(form.querySelectorAll("[data-volunteer-row]"));
    function filter(row) {
      var college = row.querySelector("[data-college]").value;
      var plan = row.querySelector("[data-plan]");
      Array.prototype.forEach.call(plan.options, function (option) {
        if (!option.value) { return; }
        option.hidden = !!college && option.dataset.college !== college;
      });
      if (plan.selectedOptions[0] && plan.selectedOptions[0].hidden) { plan.value = ""; }
    }
    function save() {
      var draft = rows.map(function (row) { return row.querySelector("[data-plan]").value; });
      try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* private mode */ }
    }
    function restore() {
      var draft = null;
      try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { draft = null; }
      if (!draft) { return; }
      rows.forEach(function (row, i) {
        var plan = row.querySelector("[data-plan]");
        if (draft[i] === undefined) { return; }
        plan.value = draft[i];
        var option = plan.selectedOptions[0];
        row.querySelector("[data-college]").value = option && option.dataset.college ? option.dataset.college : "";
      });
    }
    restore();
    rows.forEach(function (row) {
      filter(row);
      row.querySelector("[data-college]").addEventListener("change", function () { filter(row); save(); });
      row.querySelector("[data-plan]").addEventListener("change", function () {
        var option = row.querySelector("[data-plan]").selectedOptions[0];
        if (option && option.dataset.college) { row.querySelector("[data-college]").value = option.dataset.college; }
        save();
      });
      row.querySelector("[data-clear]").addEventListener("click", function () {
        row.querySelector("[data-college]").value = "";
        row.querySelector("[data-plan]").value = "";
        filter(row);
        save();
      });
    });
    form.addEventListener("submit", function () { try { localStorage.removeItem(key); } catch (e) { /* ok */ } });

    var minutes = parseInt(form.dataset.timeout, 10) || 15;
    var warning = document.querySelector("[data-timeout-warning]");
    var expired = document.querySelector("[data-timeout-expired]");
    var warnTimer, endTimer;
    function arm() {
      clearTimeout(warnTimer); clearTimeout(endTimer);
      if (warning) { warning.hidden = true; }
      warnTimer = setTimeout(function () { if (warning) { warning.hidden = false; } }, (minutes - 2) * 60 * 1000);
      endTimer = setTimeout(function () {
        if (warning) { warning.hidden = true; }
        if (expired) { expired.hidden = false; }
        save();
      }, minutes * 60 * 1000);
    }
    function keepalive() {
      fetch(form.dataset.keepaliveUrl, { credentials: "same-origin" }).then(function (response) {
        if (response.status === 204) { arm(); } else if (expired) { expired.hidden = false; }
      });
    }
    var button = document.querySelector("[data-keepalive]");
    if (button) { button.addEventListener("click", keepalive); }
    form.addEventListener("change", arm);
    arm();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-volunteer-form]").forEach(setup);
  });
})();
