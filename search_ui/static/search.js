// Progressive enhancement only: every control works as a plain GET form without this file.
// Ticking a facet or changing the sort submits at once (back to page 1), and empty fields are
// left out so the URL (the whole search state) stays short and shareable.
(function () {
  var form = document.getElementById("search");
  if (!form) return;
  function submit() {
    form.querySelectorAll("input, select").forEach(function (el) {
      if (!el.name || (el.type !== "checkbox" && el.value === "") ||
          (el.name === "sort" && el.value === "relevance")) el.disabled = true;
    });
    form.submit();
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); submit(); });
  form.querySelectorAll('.facet input[type=checkbox], select[name=sort]').forEach(function (el) {
    el.addEventListener("change", submit);
  });
  form.querySelectorAll('input[type=date]').forEach(function (el) {
    el.addEventListener("change", function () { if (!el.value || el.value.length === 10) submit(); });
  });
  var apply = form.querySelector("button.apply");
  if (apply) apply.hidden = true;
})();
