// The least JavaScript that works: make server-rendered dialogs modal, close "取消" dialogs in place,
// count down the SMS resend button, and keep typing and focus through in-page refreshes.
// Everything also works without it.
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
  // An error summary's link names a field; focus goes to the field's first control (a fieldset, as 常住地区's, takes none).
  document.addEventListener("click", function (e) {
    var link = e.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    var control = field.matches(CONTROLS) && usable(field) ? field
      : Array.prototype.slice.call(field.querySelectorAll(CONTROLS)).filter(usable)[0];
    if (!control) return;
    e.preventDefault();
    control.focus({ preventScroll: true });
    (field.closest(".field") || field).scrollIntoView({ block: "center" });
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-close-dialog]");
    if (!b) return;
    var d = b.closest("dialog");
    if (!d) return;
    e.preventDefault();
    var opener = d.dataset.opener && find(d.dataset.opener);
    d.close();
    d.remove();
    // Back to the control whose action opened the popup; else the page's heading, never the top of the document.
    (opener && usable(opener) ? opener : document.querySelector("#page-main h1")).focus();
  });

  // In-page refreshes (htmx) swap #page-main while the citizen may go on typing: the control being typed in
  // is kept as it is (hx-preserve: value, caret, IME composition and focus), any other control changed while the
  // answer was on its way keeps its newer value, and focus stays on or moves next to the control in use.
  var CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea";
  var SIMPLE_ID = /^[A-Za-z][\w-]*$/;     // htmx finds preserved elements by a CSS id selector

  function usable(el) { return !el.disabled && el.getClientRects().length > 0; }
  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" &&
      !/^(checkbox|radio|file|hidden|submit|button|image|reset)$/.test(el.type)));
  }
  function keyOf(el) {
    if (el.type === "radio" || el.type === "checkbox" || el.tagName === "BUTTON") return el.name + "=" + el.value;
    return el.id ? "#" + el.id : el.name;
  }
  function find(key) {
    var found = null;
    document.querySelectorAll("#page-main " + CONTROLS + ", dialog button").forEach(function (el) {
      if (!found && keyOf(el) === key) found = el;
    });
    return found;
  }
  function valueOf(el) { return el.type === "radio" || el.type === "checkbox" ? el.checked : el.value; }
  function snapshot() {
    var values = {};
    document.querySelectorAll("#page-main input, #page-main select, #page-main textarea").forEach(function (el) {
      if (el.type !== "file" && el.type !== "hidden") values[keyOf(el)] = valueOf(el);
    });
    return values;
  }

  // The control in use: where focus goes back to once the page is swapped (found again by id, name and value,
  // or by its place in its field when it is gone, as a file chooser replaced by its photo).
  function inUse(t) {
    var field = t.closest && t.closest(".field");
    var all = field ? Array.prototype.slice.call(field.querySelectorAll(CONTROLS)) : [];
    var dialog = t.closest && t.closest("dialog[data-opener]");
    return { key: keyOf(t), field: field ? field.id : null, index: all.indexOf(t),
             opener: dialog ? dialog.dataset.opener : null };
  }
  var lastUsed = null;      // for swaps made without a request of htmx's own (static/upload.js)
  ["focusin", "change"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (e.target.closest && e.target.closest("#page-main")) lastUsed = inUse(e.target);
    }, true);
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var info = inUse(e.detail.elt);
    info.sent = snapshot();
    e.detail.xhr.yss = info;
  });

  document.addEventListener("htmx:beforeSwap", function (e) {
    var info = e.detail.xhr && e.detail.xhr.yss, target = e.detail.target;
    if (!info || !target || target.id !== "page-main" || !e.detail.shouldSwap) return;
    var now = snapshot();
    info.newer = {};
    Object.keys(now).forEach(function (k) { if (k in info.sent && now[k] !== info.sent[k]) info.newer[k] = now[k]; });
    var active = document.activeElement;
    if (!typing(active) || !SIMPLE_ID.test(active.id) || !target.contains(active)) return;
    var doc = new DOMParser().parseFromString(e.detail.serverResponse, "text/html");
    var twin = doc.getElementById(active.id);
    if (!twin || twin.tagName !== active.tagName || twin.type !== active.type) return;
    twin.setAttribute("hx-preserve", "true");
    delete info.newer[keyOf(active)];
    e.detail.serverResponse = "<!doctype html>" + doc.documentElement.outerHTML;
  });

  function restore(info) {
    Object.keys(info.newer || {}).forEach(function (k) {
      var el = find(k);
      if (!el) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = info.newer[k];
      else if (el.tagName !== "SELECT" || el.querySelector('option[value="' + CSS.escape(info.newer[k]) + '"]')) {
        el.value = info.newer[k];
      }
    });
    var preserved = document.querySelector("#page-main [hx-preserve]");
    if (preserved) preserved.removeAttribute("hx-preserve");
  }

  function refocus(info) {
    var active = document.activeElement;
    if ((active && active !== document.body && document.contains(active)) || document.querySelector("dialog[open]")) return;
    var same = find(info.key);
    if (same && usable(same)) { same.focus(); return; }
    // A choice made in a dialog that is gone now (a branch picked): back to the control that opened it.
    var opener = info.opener && document.getElementById(info.opener);
    if (opener && usable(opener)) { opener.focus(); return; }
    var field = info.field && document.getElementById(info.field);
    if (field) {
      var all = Array.prototype.slice.call(field.querySelectorAll(CONTROLS));
      var next = all.filter(function (el, i) { return i >= info.index && usable(el); })[0]
        || all.filter(usable).pop();
      if (!next) {     // nothing left to use in the field (a notice read): the next control after it
        next = Array.prototype.slice.call(document.querySelectorAll("#page-main " + CONTROLS)).filter(function (el) {
          return usable(el) && (field.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
        })[0];
      }
      if (next) { next.focus(); return; }
    }
    var heading = document.querySelector("#page-main h1");
    if (heading) heading.focus();
  }
  // Enter in a live search box searches in place instead of submitting the page with its first button.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !e.target.matches("dialog input[type=search][hx-post]")) return;
    e.preventDefault();
    e.target.dispatchEvent(new Event("search", { bubbles: true }));
  });
  // 打印回执: the browser's print dialog (the receipt page's print styles leave only the receipt).
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (e) {
    var main = e.target.id === "page-main";      // the fresh #page-main: it was swapped whole
    var info = (e.detail.xhr && e.detail.xhr.yss) || lastUsed;
    if (main && info) restore(info);
    enhance(document);
    if (main && info) refocus(info);
  });
})();
