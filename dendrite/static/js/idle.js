// After the idle limit, reload the page: the server has signed the user out,
// so the reload replaces patient information on an unattended screen with the
// sign-in page. Without JavaScript the server still enforces the limit.
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-idle-timeout"), 10);
  if (!seconds) { return; }
  var timer;
  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { window.location.reload(); }, (seconds + 2) * 1000);
  }
  arm();
})();
