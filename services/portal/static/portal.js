/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // Put keyboard and screen-reader users on the error summary when a form comes back with problems.
  function focusErrors(root) {
    var summary = (root || document).querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
  }
  // Keep "time left" current while a page stays open; the browser words the units in the page's language.
  function unit(lang, name, value) {
    try { return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(value); }
    catch (e) { return String(value); }
  }
  function tickCountdowns() {
    var now = Date.now(), lang = document.documentElement.lang || "ro";
    document.querySelectorAll("[data-countdown]").forEach(function (time) {
      var left = Date.parse(time.getAttribute("data-countdown")) - now;
      var label = time.nextElementSibling;
      if (!label || !label.classList.contains("countdown") || isNaN(left) || left <= 0) { return; }
      var days = Math.floor(left / 86400000), hours = Math.floor(left / 3600000) % 24, minutes = Math.floor(left / 60000) % 60;
      var parts = days ? [unit(lang, "day", days), unit(lang, "hour", hours)]
                       : [unit(lang, "hour", hours), unit(lang, "minute", minutes)];
      var joined = window.Intl && Intl.ListFormat
        ? new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(parts) : parts.join(" ");
      label.textContent = "(" + joined + ")";
      label.classList.toggle("urgent", days === 0);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrors(document);
    if (document.querySelector("[data-countdown]")) { setInterval(tickCountdowns, 30000); }
  });
  document.addEventListener("htmx:afterSwap", function (event) { focusErrors(event.target); });
})();
