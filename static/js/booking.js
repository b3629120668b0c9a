/* Onestop booking page: a day or month chosen in the calendar shows its times in place,
   without reloading the page. Without this file every day is a plain link to the same. */
(function () {
  "use strict";

  var picker = document.querySelector("[data-picker]");
  if (!picker || !window.fetch || !window.DOMParser) {
    return;
  }

  function show(url, focusSelector, push) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-picker]");
        if (!fresh) {
          throw new Error("no picker");
        }
        picker.innerHTML = fresh.innerHTML;
        if (push) {
          window.history.pushState({ picker: true }, "", url);
          shown = window.location.pathname + window.location.search;
        }
        var target = picker.querySelector(focusSelector);
        if (target) {
          target.focus({ preventScroll: true });
          // On a phone the times are below the calendar: bring them into view.
          if (target.getBoundingClientRect().top > window.innerHeight * 0.6 ||
              target.getBoundingClientRect().top < 0) {
            target.scrollIntoView({ block: "start" });
          }
        }
      })
      .catch(function () {
        window.location.assign(url);
      });
  }

  picker.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-picker-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    event.preventDefault();
    var isDay = link.hasAttribute("data-day");
    var focus = isDay ? "#times" : (link.classList.contains("next") ? ".btn-cal-move.next"
      : ".btn-cal-move.prev");
    show(link.href, isDay ? focus : focus + ", #month-title", true);
  });

  // Arrow keys move between the month's open days, as in a date picker (Tab still works).
  var STEP = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
  picker.addEventListener("keydown", function (event) {
    var link = event.target.closest("td a[data-day]");
    if (!link || !(event.key in STEP)) {
      return;
    }
    var cells = Array.prototype.slice.call(picker.querySelectorAll(".calendar-tbl td"));
    var index = cells.indexOf(link.parentElement);
    for (var next = index + STEP[event.key]; next >= 0 && next < cells.length;
         next += STEP[event.key]) {
      var target = cells[next].querySelector("a[data-day]");
      if (target) {
        event.preventDefault();
        target.focus();
        return;
      }
    }
  });

  // Back and forward between days the script showed; a jump to #times changes no day.
  var shown = window.location.pathname + window.location.search;
  window.addEventListener("popstate", function () {
    var now = window.location.pathname + window.location.search;
    if (now !== shown) {
      shown = now;
      show(window.location.href, "#times", false);
    }
  });
})();
