/* A department's call forms, progressive enhancement only (the server checks the same rules on saving):
   the criteria's weights added up as they are typed, and the periods checked against the procedure's rules
   (read from the form's data attributes) as the dates are chosen. */
(function () {
  "use strict";

  function updateWeights(form) {
    var output = document.getElementById("weights-total");
    var verdict = document.getElementById("weights-verdict");
    if (!output) { return; }
    var total = 0;
    form.querySelectorAll("input[data-weight]").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) { total += value; }
    });
    output.textContent = String(total);
    if (verdict) {
      var ok = total === 100;
      verdict.textContent = output.getAttribute(ok ? "data-ok" : "data-not-ok");
      verdict.className = ok ? "within-budget" : "over-budget";
    }
  }

  // A datetime-local value is Chișinău wall-clock time: to a UTC instant with the offset the server gave.
  function instant(value, offsetMinutes) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
    if (!parts) { return null; }
    var wall = Date.UTC(+parts[1], +parts[2] - 1, +parts[3], +parts[4], +parts[5]);
    return { at: wall - offsetMinutes * 60000, weekday: new Date(wall).getUTCDay() };
  }

  function show(id, message) {
    var line = document.getElementById(id + "-check");
    if (!line) { return; }
    line.textContent = message || "";
    line.hidden = !message;
  }

  function checkPeriods(form) {
    var offset = parseInt(form.getAttribute("data-utc-offset-minutes"), 10) || 0;
    var minEnquiry = parseInt(form.getAttribute("data-min-enquiry-seconds"), 10) * 1000;
    var minTendering = parseInt(form.getAttribute("data-min-tendering-seconds"), 10) * 1000;
    var noWeekend = form.getAttribute("data-no-weekend") === "true";
    var enquiry = instant(form.querySelector("[data-period=enquiry_end]").value, offset);
    var deadline = instant(form.querySelector("[data-period=submission_deadline]").value, offset);
    var now = Date.now();
    var enquiryProblem = null, deadlineProblem = null;
    if (enquiry) {
      if (enquiry.at <= now) { enquiryProblem = "data-msg-in-the-past"; }
      else if (enquiry.at - now < minEnquiry) { enquiryProblem = "data-msg-enquiry-too-short"; }
    }
    if (deadline) {
      if (deadline.at <= now) { deadlineProblem = "data-msg-in-the-past"; }
      else if (enquiry && deadline.at <= enquiry.at) { deadlineProblem = "data-msg-not-after-enquiry"; }
      else if (enquiry && deadline.at - enquiry.at < minTendering) { deadlineProblem = "data-msg-tendering-too-short"; }
      else if (noWeekend && (deadline.weekday === 0 || deadline.weekday === 6)) { deadlineProblem = "data-msg-weekend-deadline"; }
    }
    show("enquiry_end", enquiryProblem && form.getAttribute(enquiryProblem));
    show("submission_deadline", deadlineProblem && form.getAttribute(deadlineProblem));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("call-form");
    if (!form) { return; }
    form.addEventListener("input", function (event) {
      if (event.target.hasAttribute("data-weight")) { updateWeights(form); }
      if (event.target.hasAttribute("data-period")) { checkPeriods(form); }
    });
    form.addEventListener("change", function (event) {
      if (event.target.hasAttribute("data-period")) { checkPeriods(form); }
    });
    updateWeights(form);
  });
})();
