// grantplan: small progressive enhancements. Every page works without
// this file; it only saves clicks in a planning session.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A share link's address: a button copies it (the field shows it without
  // this file, selected for copying by hand).
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      navigator.clipboard.writeText(field.value);
    });
  });
  // The what-if controls re-plan as soon as a value changes.
  var form = document.getElementById("whatif-form");
  if (form && form.dataset.auto !== "off") {
    var timer = null;
    form.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { form.submit(); }, 400);
    });
  }
  // In the edit form, Enter in the posts' filter shows the posts that
  // match instead of saving (Enter submits a form with its first button,
  // which is Save).
  var filter = document.getElementById("post-filter");
  var show = document.getElementById("post-filter-button");
  if (filter && show && filter.form) {
    filter.form.addEventListener("submit", function (event) {
      if (document.activeElement === filter && event.submitter !== show) {
        event.preventDefault();
        // A form that is submitting ignores another submission: press
        // the button once this one is over.
        setTimeout(function () { show.click(); }, 0);
      }
    });
  }
});
