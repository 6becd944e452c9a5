// 填写报考信息: show the courses of the chosen major (or all: 显示全部开考课程), mark 跨专业 courses,
// block a second course in the same session, and keep a running total. Without JavaScript every
// course is listed and the server checks everything anyway.
(function () {
  function setup(form) {
    var codes = JSON.parse(document.getElementById("major-codes").textContent || "{}");
    var major = form.querySelector("select[name=major]");
    var toggle = form.querySelector("[data-show-all]");
    var summary = document.querySelector("[data-summary]");
    var ownEmpty = form.querySelector("[data-own-empty]");
    var showAll = toggle && toggle.getAttribute("aria-pressed") === "true";

    function rows() { return Array.prototype.slice.call(form.querySelectorAll("[data-course]")); }
    function box(row) { return row.querySelector("input[type=checkbox]"); }

    function update() {
      var code = major ? codes[major.value] : null;
      var ownCount = 0, count = 0, total = 0;
      rows().forEach(function (row) {
        var own = !!code && row.dataset.majors.split(" ").indexOf(code) !== -1;
        var checked = box(row).checked;
        if (own) { ownCount += 1; }
        row.querySelector("[data-cross-badge]").hidden = own;
        row.hidden = !(showAll || own || checked);
        row.classList.toggle("is-checked", checked);
        if (checked) { count += 1; total += parseFloat(row.dataset.fee) || 0; }
      });
      form.querySelectorAll("[data-session]").forEach(function (group) {
        var list = Array.prototype.slice.call(group.querySelectorAll("[data-course]"));
        group.hidden = list.every(function (row) { return row.hidden; });
        var taken = list.some(function (row) { return box(row).checked; });
        list.forEach(function (row) {
          var input = box(row);
          var blocked = taken && !input.checked;
          if (!row.hasAttribute("data-refunding")) { input.disabled = blocked; }
          row.classList.toggle("is-blocked", blocked);
        });
      });
      if (toggle) {
        toggle.setAttribute("aria-pressed", showAll ? "true" : "false");
        toggle.textContent = showAll ? toggle.dataset.labelOwn : toggle.dataset.labelAll;
      }
      if (ownEmpty) { ownEmpty.hidden = showAll || ownCount > 0 || !code; }
      if (summary) {
        summary.hidden = false;
        summary.querySelector("[data-count]").textContent = count;
        summary.querySelector("[data-total]").textContent = total.toFixed(2);
      }
    }

    form.addEventListener("change", update);
    if (toggle) { toggle.addEventListener("click", function () { showAll = !showAll; update(); }); }
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-registration-form]").forEach(setup);
  });
})();
