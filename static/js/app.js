/* Onestop: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }

  // After a failed submit, start keyboard and screen-reader users at the list of errors;
  // scroll only if the list is out of sight, so flashed messages above it stay visible.
  summary.focus({ preventScroll: true });
  if (summary.getBoundingClientRect().bottom > window.innerHeight) {
    summary.scrollIntoView({ block: "start" });
  }

  // A link in the summary moves focus into its field (a fragment link alone only scrolls),
  // and shows the field's label above the sticky header.
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    var control = target.matches("input, select, textarea")
      ? target
      : target.querySelector("input, select, textarea");
    if (!control) {
      return;
    }
    event.preventDefault();
    (target.closest(".form-group") || target).scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
  });
})();
