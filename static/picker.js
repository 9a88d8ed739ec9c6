// The branch picker closes in place: 取消, ✕ (关闭), Esc and a tap on the backdrop. Closing removes the list
// from the page, so its search word and district are not posted again and 选择 opens it clean; the focus
// goes back to 选择. Without JavaScript 取消 and ✕ post the form and the page comes back without the list.
(function () {
  function close(dialog) {
    var opener = document.getElementById(dialog.dataset.opener || "");
    if (dialog.open) dialog.close();
    dialog.remove();
    if (opener) opener.focus();
  }
  document.addEventListener("click", function (e) {
    var target = e.target;
    var button = target.closest && target.closest("[data-picker-close]");
    if (button) {
      var owner = button.closest("dialog[data-picker]");
      if (owner) { e.preventDefault(); close(owner); }
      return;
    }
    // A tap on the backdrop is a click on the dialog itself, outside its box.
    if (!target.matches || !target.matches("dialog[data-picker]")) return;
    var box = target.getBoundingClientRect();
    var inside = e.clientX >= box.left && e.clientX <= box.right && e.clientY >= box.top && e.clientY <= box.bottom;
    if (!inside) close(target);
  });
  // Esc: the browser closes a modal dialog by itself (its cancel event); take it off the page as well.
  document.addEventListener("cancel", function (e) {
    if (e.target.matches && e.target.matches("dialog[data-picker]")) { e.preventDefault(); close(e.target); }
  }, true);
})();
