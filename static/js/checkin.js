/* Check-in at the door: filter the list as you type, and mark attendance without a reload.
   Without JavaScript the page still works: the search form and each button post normally. */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  function setupFilter() {
    var input = document.querySelector("[data-checkin-filter]");
    var list = document.querySelector("[data-checkin-list]");
    var empty = document.querySelector("[data-checkin-empty]");
    if (!input || !list) return;
    var rows = Array.prototype.slice.call(list.querySelectorAll("li[data-search]"));
    rows.forEach(function (row) { row.dataset.norm = normalise(row.dataset.search); });
    function apply() {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var match = words.every(function (w) { return row.dataset.norm.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (empty) empty.hidden = shown !== 0;
    }
    input.addEventListener("input", apply);
    apply();
  }

  // The page's language: the labels come translated from the template.
  var list = document.querySelector("[data-checkin-list]");
  var names = (list && list.dataset) || {};
  var LABELS = {
    attended: names.labelAttended || "Anwesend",
    no_show: names.labelNoShow || "Nicht erschienen",
    open: names.labelOpen || "Noch offen"
  };

  function updateRow(row, attendance) {
    var state = attendance || "open";
    row.className = row.className.replace(/attendance-\S+/, "attendance-" + state);
    var label = row.querySelector("[data-state]");
    if (label) label.textContent = LABELS[state];
    row.querySelectorAll("form[data-checkin-action]").forEach(function (form) {
      var action = form.dataset.checkinAction;
      var button = form.querySelector("button");
      button.disabled = action === "undo" ? !attendance : action === attendance;
    });
  }

  function setupActions() {
    document.querySelectorAll("form[data-checkin-action]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.fetch) return;
        event.preventDefault();
        var row = form.closest("li");
        var button = form.querySelector("button");
        button.disabled = true;
        row.setAttribute("aria-busy", "true");
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin"
        }).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        }).then(function (data) {
          updateRow(row, data.attendance);
          document.querySelectorAll("[data-count=attended]").forEach(function (el) { el.textContent = data.attended; });
          document.querySelectorAll("[data-count=no_show]").forEach(function (el) { el.textContent = data.no_show; });
          var status = document.getElementById("checkin-status");
          var who = row.querySelector(".who strong");
          if (status && who) status.textContent = who.textContent + ": " + LABELS[data.attendance || "open"];
        }).catch(function () {
          form.submit(); // fall back to the normal post, which shows any error on the page
        }).then(function () {
          row.removeAttribute("aria-busy");
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupFilter();
    setupActions();
  });
})();
