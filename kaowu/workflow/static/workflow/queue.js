// 申请审核 queue: the header checkbox selects every application on the page.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all) return;
  all.closest("form").querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = all.checked; });
});
