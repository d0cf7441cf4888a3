/* The idle warning: two minutes before the session would end for want of requests, a
   notice offers to stay signed in (WCAG 2.2.1, timing adjustable). "Stay" asks the server
   (/session/stay), which restarts the idle clock; the page never extends a session on its
   own, so an unattended screen still ends as the server decides. */
(function () {
  "use strict";
  var body = document.body;
  var dialog = document.getElementById("session-warning");
  var idle = parseInt(body.getAttribute("data-idle-seconds"), 10);
  // What is left of it by the server's clock when the page was made (the clock moves
  // once a minute, not on every request); after "stay" the whole idle time is left.
  var left = parseInt(body.getAttribute("data-idle-left-seconds"), 10);
  var warn = parseInt(body.getAttribute("data-warn-seconds"), 10);
  if (!dialog || !idle) {
    return;
  }
  var button = dialog.querySelector("button");
  var warnTimer = null;
  var endTimer = null;

  function ended() {
    window.location.assign(dialog.getAttribute("data-sign-in-url"));
  }

  function show() {
    dialog.hidden = false;
    button.focus();
  }

  function schedule(seconds) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(show, Math.max(seconds - warn, 0) * 1000);
    endTimer = window.setTimeout(ended, seconds * 1000);
  }

  button.addEventListener("click", function () {
    fetch(dialog.getAttribute("data-stay-url"), { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.ok) {
          dialog.hidden = true;
          schedule(idle);
        } else {
          ended();
        }
      })
      .catch(ended);
  });
  schedule(isNaN(left) ? idle : left);
})();
