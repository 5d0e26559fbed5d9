// The countdown of an exam attempt: shows the time left until the due moment the server
// set. The server decides: after the due time it accepts no answer, whatever this shows.
(function () {
  "use strict";
  var box = document.querySelector("[data-testid=countdown]");
  if (!box) { return; }
  var left = box.querySelector(".left");
  var end = Date.now() + parseInt(box.getAttribute("data-remaining"), 10) * 1000;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var s = Math.max(0, Math.round((end - Date.now()) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    left.textContent = (h ? h + ":" : "") + pad(m) + ":" + pad(sec);
    box.classList.toggle("low", s < 300);
    if (s > 0) { window.setTimeout(tick, 1000); }
  }
  tick();
})();
