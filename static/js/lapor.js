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
