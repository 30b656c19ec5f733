// Progressive enhancement for /lapor/. The form works completely without this file.
(function () {
  "use strict";
  var form = document.querySelector(".report-form");
  if (!form) { return; }
  document.documentElement.classList.add("js");

  // Kelurahan: show only those of the chosen kecamatan (without JS every kelurahan is listed, grouped).
  var kecamatan = form.querySelector("select[name=kecamatan]");
  var kelurahan = form.querySelector("select[name=kelurahan]");
  if (kecamatan && kelurahan) {
    var groups = Array.prototype.slice.call(kelurahan.querySelectorAll("optgroup"));
    var codeOf = {};
    Array.prototype.forEach.call(kecamatan.options, function (option) { codeOf[option.textContent] = option.value; });
    var sync = function () {
      groups.forEach(function (group) {
        var match = !kecamatan.value || codeOf[group.label] === kecamatan.value;
        group.hidden = !match;
        group.disabled = !match;
      });
      var selected = kelurahan.options[kelurahan.selectedIndex];
      if (selected && selected.parentNode.disabled) { kelurahan.value = ""; }
    };
    kecamatan.addEventListener("change", sync);
    kelurahan.addEventListener("change", function () {
      var selected = kelurahan.options[kelurahan.selectedIndex];
      if (selected && selected.parentNode.label && !kecamatan.value) {
        kecamatan.value = codeOf[selected.parentNode.label] || "";
        sync();
      }
    });
    sync();
  }

  // The proof-of-work widget (perisai/reports/altcha_check.py) weighs more than the rest of the page together:
  // it is fetched when the reporter first touches the form, not on every visit of someone reading the page on a
  // slow connection. Writing a report takes longer than solving, so it is ready by "Kirim". In order: the
  // Indonesian strings create the widget's registry, altcha-setup.js registers our same-origin workers in it,
  // then the widget itself. Without it the report is still accepted (flagged for review).
  var widget = form.querySelector("altcha-widget");
  if (widget && widget.dataset.module) {
    var started = false;
    var start = function (event) {
      // Not when the reporter goes straight to "Kirim": a widget arriving in the middle of that click would hold
      // the submission back to solve first. The report is sent at once, unsolved (flagged for review).
      if (started || (event && event.target && event.target.type === "submit")) { return; }
      started = true;
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = widget.dataset.css;
      document.head.appendChild(css);
      import(widget.dataset.i18n)
        .then(function () { return import(widget.dataset.setup); })
        .then(function () { return import(widget.dataset.module); })
        .catch(function () { started = false; });  // offline for a moment: the next touch tries again
    };
    form.addEventListener("focusin", start);
    form.addEventListener("pointerdown", start);
  }

  // Contact details only matter when the reporter chose to be contacted.
  var contact = form.querySelector(".reporter-contact");
  var choices = form.querySelectorAll("input[name=reporter_anonymous]");
  if (contact && choices.length) {
    var toggle = function () {
      var anonymous = form.querySelector("input[name=reporter_anonymous]:checked");
      contact.hidden = !!anonymous && anonymous.value === "yes" && !contact.querySelector(".field-invalid");
    };
    Array.prototype.forEach.call(choices, function (input) { input.addEventListener("change", toggle); });
    toggle();
  }
})();
