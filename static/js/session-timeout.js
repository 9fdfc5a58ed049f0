// Warns before the idle timeout signs the user out, and lets them stay signed in with one click.
// Timings come from data attributes on <body>; the server is the authority on time left.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.sessionIdle, 10);
  var warning = parseInt(body.dataset.sessionWarning, 10);
  if (!idle || !warning) { return; }
  var dialog = document.getElementById("session-warning");
  var secondsEl = document.getElementById("session-warning-seconds");
  var stay = document.getElementById("session-stay");
  var RETRY_MS = 15000;
  var lastFocus = null;
  var timer = null;
  var countdown = null;

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function schedule(secondsLeft) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, secondsLeft - warning) * 1000);
  }

  function expire() {
    window.location.assign(body.dataset.sessionExpiredUrl);
  }

  function show(secondsLeft) {
    if (dialog.hidden) {
      lastFocus = document.activeElement;
      dialog.hidden = false;
      stay.focus();
    }
    var remaining = Math.max(0, secondsLeft);
    secondsEl.textContent = String(remaining);
    clearInterval(countdown);
    countdown = setInterval(function () {
      remaining -= 1;
      if (remaining <= 0) {
        clearInterval(countdown);
        // The server decides when time is up: it answers 401 once it has signed the session
        // out. Going straight to the sign-in page a moment early would find the user still
        // signed in and send them back to their home page.
        clearTimeout(timer);
        timer = setTimeout(check, 1000);
        return;
      }
      // Screen readers hear the dialog once; the number updates quietly every 10 seconds.
      if (remaining % 10 === 0 || remaining < 10) { secondsEl.textContent = String(remaining); }
    }, 1000);
  }

  function hide() {
    clearInterval(countdown);
    dialog.hidden = true;
    if (lastFocus && lastFocus.focus) { lastFocus.focus(); }
  }

  function handle(response) {
    if (response.status === 401) { expire(); return null; }
    return response.json();
  }

  // Before warning, ask the server: activity in another tab may have kept the session alive.
  function check() {
    fetch(body.dataset.sessionStatusUrl, { credentials: "same-origin" })
      .then(handle)
      .then(function (data) {
        if (!data) { return; }
        if (data.seconds_left > warning) { hide(); schedule(data.seconds_left); }
        else { show(data.seconds_left); }
      })
      // Offline or the server is busy: ask again shortly rather than at once.
      .catch(function () { clearTimeout(timer); timer = setTimeout(check, RETRY_MS); });
  }

  stay.addEventListener("click", function () {
    fetch(body.dataset.sessionKeepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    })
      .then(handle)
      .then(function (data) {
        if (!data) { return; }
        hide();
        schedule(data.seconds_left);
      });
  });

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { stay.click(); }
    if (event.key === "Tab") {
      var focusable = dialog.querySelectorAll("button");
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    }
  });

  schedule(idle);
}());
