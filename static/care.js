// 关怀版 ⇄ 标准版 in place: the switch in the top bar posts through htmx (the server sets the cookie and answers
// 204), then the page changes theme without being loaded again, so nothing typed is lost and focus stays on the
// switch. Without JavaScript, or if the post is refused, the form posts as usual and the page comes back.
(function () {
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (!form.matches || !form.matches("form[data-care-switch]")) return;
    if (!e.detail.successful) { form.submit(); return; }
    var on = form.elements.care.value === "1";
    var root = document.documentElement;
    var sheet = document.querySelector("link[data-care-css]");
    if (on) {
      root.dataset.theme = "care";
      if (!sheet) {
        sheet = document.createElement("link");
        sheet.rel = "stylesheet";
        sheet.href = form.dataset.careCss;
        sheet.setAttribute("data-care-css", "");
        document.head.appendChild(sheet);
      }
    } else {
      delete root.dataset.theme;
      if (sheet) sheet.remove();
    }
    form.elements.care.value = on ? "0" : "1";
    form.querySelector("button").textContent = on ? "标准版" : "关怀版";
  });
})();
