// 考籍转出 form: show the chosen province's note (kaowu or paper, default receiving authority).
(() => {
  const select = document.getElementById("id_to_province");
  if (!select) return;
  const show = () => {
    document.querySelectorAll("[data-province-note]").forEach((note) => {
      note.hidden = note.dataset.provinceNote !== select.value;
    });
  };
  select.addEventListener("change", show);
  show();
})();
