/* The portal's own behaviour, from data attributes, so that no page needs an inline handler or
 * an inline <script> and the Content-Security-Policy's script-src can be 'self' only.
 *
 *   data-confirm="Question?"  on a button or link: clicking it asks; "Cancel" stops the click
 *                             (so a submit button does not submit). On a <form>: submitting it
 *                             by any means asks first.
 *   data-autosubmit           on a <select> or <input>: a change submits its form.
 *   data-print                on a button: prints the page.
 *   .countdown[data-closes]   counts down to the ISO date-time in data-closes, every 30 s, with
 *                             the unit labels in data-unit-d, data-unit-h, data-unit-min.
 *
 * Listeners are delegated from the document, so content swapped in by htmx works too.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (target && target.tagName !== "FORM" && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  function startCountdown(el) {
    var closes = new Date(el.dataset.closes).getTime();
    if (isNaN(closes)) { return; }
    var d = el.dataset.unitD, h = el.dataset.unitH, m = el.dataset.unitMin;
    function tick() {
      var left = Math.max(0, closes - Date.now()), mins = Math.floor(left / 60000);
      el.textContent = Math.floor(mins / 1440) + " " + d + " " + Math.floor(mins % 1440 / 60) +
        " " + h + " " + (mins % 60) + " " + m;
    }
    tick();
    setInterval(tick, 30000);
  }

  function ready() {
    document.querySelectorAll(".countdown[data-closes]").forEach(startCountdown);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
