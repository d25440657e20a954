// Popliteal: a little plain JavaScript. Every page works without it; this only smooths.
// - A form cannot be sent twice by a double tap on a slow phone (buttons are disabled just
//   after the browser has collected the form's values, so the pressed button still counts).
// - When a page shows an error summary, focus moves to it so it is read out first.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return; // back/forward cache: make forms usable again
    document.querySelectorAll("form").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });
})();
