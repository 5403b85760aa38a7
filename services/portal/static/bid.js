/* Bid pages, progressive enhancement only: a Print button on the receipt, and uploads with a progress bar per
   file. Without this file the receipt prints from the browser's menu and the upload form posts as usual. */
(function () {
  "use strict";

  function enablePrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // One file at a time, each its own multipart POST to the portal (which forwards it to the platform).
  function sendOne(form, file, row, done) {
    var data = new FormData();
    data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
    data.append("document_type", form.querySelector("[name=document_type]").value);
    data.append("files", file, file.name);
    var progress = row.querySelector("progress");
    var result = row.querySelector(".upload-status");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { progress.value = Math.round((event.loaded / event.total) * 100); }
    });
    xhr.addEventListener("load", function () {
      progress.value = 100;
      // 201 added, 409 too late, 422 refused: the portal's own fragment (bids/_upload_result.html) says which
      if ([201, 409, 422].indexOf(xhr.status) >= 0 && xhr.responseText) {
        result.innerHTML = xhr.responseText;
      } else {
        result.textContent = form.getAttribute("data-failed");
      }
      done();
    });
    xhr.addEventListener("error", function () {
      result.textContent = form.getAttribute("data-failed");
      done();
    });
    xhr.send(data);
  }

  function refreshList(form) {
    var list = document.getElementById("bid-documents");
    var xhr = new XMLHttpRequest();
    xhr.open("GET", form.action);
    xhr.setRequestHeader("HX-Request", "true");
    xhr.addEventListener("load", function () {
      if (xhr.status === 200 && list) { list.innerHTML = xhr.responseText; }
    });
    xhr.send();
  }

  function enableUploads() {
    var form = document.getElementById("upload-form");
    if (!form || !window.FormData || !("upload" in new XMLHttpRequest())) { return; }
    var input = form.querySelector("input[type=file]");
    var rows = document.getElementById("upload-progress");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) { return; }  // the portal answers "choose at least one file"
      event.preventDefault();
      button.disabled = true;
      rows.innerHTML = "";
      var queue = files.map(function (file) {
        var row = document.createElement("li");
        var label = document.createElement("span");
        label.className = "upload-name";
        label.textContent = file.name;
        var progress = document.createElement("progress");
        progress.max = 100;
        progress.value = 0;
        progress.setAttribute("aria-label", file.name);
        var status = document.createElement("div");
        status.className = "upload-status";
        row.appendChild(label);
        row.appendChild(progress);
        row.appendChild(status);
        rows.appendChild(row);
        return { file: file, row: row };
      });
      (function next() {
        var item = queue.shift();
        if (!item) {
          button.disabled = false;
          input.value = "";
          refreshList(form);
          return;
        }
        sendOne(form, item.file, item.row, next);
      })();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enablePrint();
    enableUploads();
  });
})();
