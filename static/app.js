// The least JavaScript that works: make server-rendered dialogs modal, close "取消" dialogs in place,
// and count down the SMS resend button. Everything also works without it.
(function () {
  function enhance(root) {
    root.querySelectorAll("dialog[data-modal][open]").forEach(function (d) {
      if (d.matches(":modal")) return;
      d.close();
      d.showModal();
      var focus = d.querySelector("[autofocus]") || d.querySelector("button, input, select");
      if (focus) focus.focus();
    });
    root.querySelectorAll("[data-countdown]").forEach(function (b) {
      if (b.dataset.ticking) return;
      b.dataset.ticking = "1";
      var left = parseInt(b.dataset.countdown, 10);
      var timer = setInterval(function () {
        left -= 1;
        if (left <= 0) {
          clearInterval(timer);
          b.disabled = false;
          b.textContent = "发送验证码";
          delete b.dataset.countdown;
        } else {
          b.textContent = left + "秒后重新发送";
        }
      }, 1000);
    });
    var summary = root.querySelector(".error-summary");
    if (summary && !document.querySelector("dialog[open]")) summary.focus();
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-close-dialog]");
    if (!b) return;
    var d = b.closest("dialog");
    if (d) { e.preventDefault(); d.close(); d.remove(); }
  });
  // Enter in a live search box searches in place instead of submitting the page with its first button.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !e.target.matches("dialog input[type=search][hx-post]")) return;
    e.preventDefault();
    e.target.dispatchEvent(new Event("search", { bubbles: true }));
  });
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (e) { enhance(document); });
})();
