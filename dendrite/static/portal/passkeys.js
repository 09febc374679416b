// Passkeys in the patient portal: the browser's own WebAuthn JSON helpers carry the
// options from the server and the answer back; the server (py_webauthn) checks it.
// Without them (an old browser) the buttons stay hidden and codes still work.
(function () {
  "use strict";
  var pkc = window.PublicKeyCredential;
  var able = pkc && pkc.parseCreationOptionsFromJSON && pkc.parseRequestOptionsFromJSON;
  if (!able) return;
  var token = function () {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };
  var post = function (url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": token(), "Content-Type": "application/json"},
      body: body ? JSON.stringify(body) : "{}"
    }).then(function (response) { return response.json(); });
  };
  var ceremony = function (box, create) {
    var button = box.querySelector("[data-passkey-start]");
    var message = box.querySelector("[data-passkey-message]");
    box.hidden = false;
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (el) { el.hidden = true; });
    button.addEventListener("click", function () {
      message.hidden = true;
      post(button.dataset.passkeyStart).then(function (options) {
        if (create) {
          return navigator.credentials.create({publicKey: pkc.parseCreationOptionsFromJSON(options)});
        }
        return navigator.credentials.get({publicKey: pkc.parseRequestOptionsFromJSON(options)});
      }).then(function (credential) {
        return post(button.dataset.passkeyFinish, credential.toJSON());
      }).then(function (answer) {
        if (answer.ok) { window.location.assign(answer.next); return; }
        message.textContent = answer.message;
        message.hidden = false;
      }).catch(function () {
        message.textContent = box.dataset.failed || button.dataset.failed || "";
        message.hidden = !message.textContent;
      });
    });
  };
  document.querySelectorAll("[data-passkey-add]").forEach(function (box) { ceremony(box, true); });
  document.querySelectorAll("[data-passkey-sign-in]").forEach(function (box) { ceremony(box, false); });
})();
