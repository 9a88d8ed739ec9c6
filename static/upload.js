// Photos on mobile data: a chosen photo is scaled in the browser to the size the server keeps (data-max-side and
// data-quality, rendered from renderer/uploads/images.py's LIMITS), sent as the form's own post with a progress
// bar, and the form's buttons wait until the page comes back. Without this script the form's 上传 button (in
// <noscript>) posts the original, which the server scales the same way.
(function () {
  "use strict";
  var FAILED = "上传失败,请检查网络后重试";
  var RETRY = "重新上传";
  var TIMEOUT_MS = 120000;

  // The largest size with the same aspect whose longer side is at most maxSide (images.py's _fit).
  function fit(width, height, maxSide) {
    var longest = Math.max(width, height);
    if (!maxSide || longest <= maxSide) return [width, height];
    var scale = maxSide / longest;
    return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
  }

  // A bitmap of `full` at `size`: the browser's own resize where it has one (several times faster than drawing
  // the full picture scaled); the full bitmap where not, which the canvas then scales.
  function resized(full, size) {
    if (full.width === size[0] && full.height === size[1]) return Promise.resolve(full);
    return createImageBitmap(full, { resizeWidth: size[0], resizeHeight: size[1], resizeQuality: "high" })
      .then(function (small) { full.close(); return small; }, function () { return full; });
  }

  // A JPEG of the photo, upright and at most maxSide; the file itself when this browser cannot decode it (the
  // server then says what is wrong with it) or when it is already smaller than the scaled copy.
  function scaled(file, maxSide, quality) {
    if (!window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob) return Promise.resolve(file);
    var size;
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (full) {
      size = fit(full.width, full.height, maxSide);
      return resized(full, size);
    }).then(function (bitmap) {
      var canvas = document.createElement("canvas");
      canvas.width = size[0];
      canvas.height = size[1];
      var g = canvas.getContext("2d");
      g.fillStyle = "#fff";                       // transparency onto white, as the server flattens it
      g.fillRect(0, 0, size[0], size[1]);
      g.imageSmoothingQuality = "high";
      g.drawImage(bitmap, 0, 0, size[0], size[1]);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob && blob.size < file.size ? blob : file); }, "image/jpeg", quality);
      });
    }).catch(function () { return file; });
  }

  // Disable the form's buttons and file choosers (下一步 first of all) until release() is called.
  function hold(form) {
    var held = Array.prototype.filter.call(
      form.querySelectorAll("button, input[type=submit], input[type=file]"), function (c) { return !c.disabled; });
    held.forEach(function (c) { c.disabled = true; });
    form.setAttribute("aria-busy", "true");
    return function release() {
      held.forEach(function (c) { c.disabled = false; });
      form.removeAttribute("aria-busy");
    };
  }

  function clear(slot) {
    slot.querySelectorAll(".upload-status, .upload-error").forEach(function (n) { n.remove(); });
  }

  function showProgress(slot, percent) {
    var box = slot.querySelector(".upload-status");
    if (!box) {
      box = document.createElement("p");
      box.className = "upload-status";
      box.setAttribute("role", "status");
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.setAttribute("aria-label", "上传进度");
      box.appendChild(bar);
      box.appendChild(document.createElement("span"));
      slot.appendChild(box);
    }
    box.querySelector("progress").value = percent;
    box.querySelector("span").textContent = "正在上传 " + percent + "%";
  }

  function showFailure(slot, input) {
    clear(slot);
    var box = document.createElement("p");
    box.className = "error upload-error";
    box.setAttribute("role", "alert");
    box.textContent = FAILED + " ";
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link";
    retry.textContent = RETRY;
    retry.addEventListener("click", function () { send(input); });
    box.appendChild(retry);
    slot.appendChild(box);
  }

  // Put the answer in place of the page's main part, as htmx does for the form's other in-page actions.
  function swap(html) {
    if (window.htmx && htmx.swap) {
      htmx.swap("#page-main", html, { swapStyle: "outerHTML" }, { select: "#page-main" });
      return;
    }
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("page-main");
    var main = document.getElementById("page-main");
    if (fresh && main) main.replaceWith(document.importNode(fresh, true));
    else location.reload();
  }

  function send(input) {
    var form = input.form;
    var file = input.files && input.files[0];
    if (!form || !file) return;
    var slot = input.closest(".slot") || input.parentNode;
    clear(slot);
    showProgress(slot, 0);
    var release = hold(form);
    var fail = function () { release(); showFailure(slot, input); };
    scaled(file, parseInt(input.dataset.maxSide, 10), parseFloat(input.dataset.quality) || 0.8).then(function (body) {
      // The form's own fields (CSRF token, version, what is typed) with this one photo: the server takes it
      // exactly as a plain post of the form with its 上传 button.
      var data = new FormData(form);
      form.querySelectorAll("input[type=file]").forEach(function (other) { data.delete(other.name); });
      data.set(input.name, body, body === file ? file.name : "photo.jpg");
      data.set("_action", input.dataset.upload);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || location.href);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.setRequestHeader("HX-Current-URL", location.href);
      xhr.timeout = TIMEOUT_MS;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) showProgress(slot, Math.min(100, Math.floor(100 * e.loaded / e.total)));
      });
      xhr.addEventListener("load", function () {
        var redirect = xhr.getResponseHeader("HX-Redirect");
        if (redirect) { location.href = redirect; return; }
        if (xhr.status < 200 || xhr.status >= 300) { fail(); return; }
        release();
        swap(xhr.responseText);
      });
      xhr.addEventListener("error", fail);
      xhr.addEventListener("timeout", fail);
      xhr.addEventListener("abort", fail);
      xhr.send(data);
    });
  }

  document.addEventListener("change", function (e) {
    var input = e.target;
    if (input.matches && input.matches("input[type=file][data-upload]")) send(input);
  });
})();
