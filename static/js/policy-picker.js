// Policy pickers (templates/iam/includes/policy_picker.html): the search box hides the rows whose name and
// description do not contain what is typed. Ticked rows stay ticked while hidden, so nothing chosen is lost.
(function () {
  function filter(picker) {
    var words = picker.querySelector("[data-policy-search]").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var rows = picker.querySelectorAll("[data-policy-row]");
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    picker.querySelector("[data-policy-none]").hidden = shown !== 0 || rows.length === 0;
    picker.querySelector("[data-policy-count]").textContent =
      shown + (shown === 1 ? " policy" : " policies") + (words.length ? " match" : "");
  }

  function wire(root) {
    root.querySelectorAll("[data-policy-picker]").forEach(function (picker) {
      if (picker.dataset.wired) return;
      picker.dataset.wired = "1";
      var search = picker.querySelector("[data-policy-search]");
      search.addEventListener("input", function () { filter(picker); });
      // Enter in the search box filters; it must not submit the surrounding form.
      search.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:load", function (event) { wire(event.target); });
})();
