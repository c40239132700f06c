// Progressive enhancement only: every page works without this script.
// Moves focus to the error summary after a failed submit, so screen readers announce it
// (GOV.UK pattern), and lets the summary's links focus the field they point to.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var group = field.closest(".field") || field;
    group.scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
