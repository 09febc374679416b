// Keeps what was typed in chairside forms (form[data-draft]) in this tab's
// sessionStorage, so a reload or a lost connection does not lose it. The server's
// own values win: a field already filled in (an error re-shown) is left alone.
// Codes and passwords are never kept. Submitting a form clears its draft.
(function () {
  "use strict";
  if (!window.sessionStorage) return;
  var forms = document.querySelectorAll("form[data-draft]");
  function keyFor(form) {
    return "dendrite-draft:" + location.pathname + ":" + form.getAttribute("action");
  }
  function kept(field) {
    if (!field.name || field.name === "csrfmiddlewaretoken") return false;
    if (field.type === "password" || field.type === "hidden") return false;
    return field.autocomplete !== "one-time-code";
  }
  Array.prototype.forEach.call(forms, function (form) {
    var key = keyFor(form);
    var saved = {};
    try { saved = JSON.parse(sessionStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    var hasErrors = form.querySelector(".errors") !== null;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field) || hasErrors || !(field.name in saved)) return;
      if (field.type === "checkbox" || field.type === "radio") {
        var values = [].concat(saved[field.name]);
        field.checked = values.indexOf(field.value) !== -1;
      } else if (!field.value) {
        field.value = saved[field.name];
      }
    });
    form.addEventListener("input", function () {
      var data = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!kept(field)) return;
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.checked) data[field.name] = [].concat(data[field.name] || [], field.value);
        } else {
          data[field.name] = field.value;
        }
      });
      sessionStorage.setItem(key, JSON.stringify(data));
    });
    form.addEventListener("submit", function () { sessionStorage.removeItem(key); });
  });
})();
