/* The upload form with progress: the workbook is sent by XMLHttpRequest, its bytes counted as
   they go; then 「检查中」 until the portal answers (where to go, as JSON, or the page saying why
   nothing was stored). Without JavaScript the form posts as usual. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var box = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var status = document.getElementById("upload-status");
  var button = document.getElementById("upload-button");

  function size(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files.length) return; // the browser says the file is required
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    box.hidden = false;
    button.disabled = true;
    bar.max = input.files[0].size || 1;
    bar.value = 0;
    status.textContent = "上传中：0 / " + size(input.files[0].size);
    request.upload.addEventListener("progress", function (progress) {
      if (!progress.lengthComputable) return;
      bar.max = progress.total;
      bar.value = progress.loaded;
      status.textContent = "上传中：" + size(progress.loaded) + " / " + size(progress.total) +
        "（" + Math.floor(progress.loaded * 100 / progress.total) + "%）";
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // indeterminate while the portal reads and checks
      status.textContent = "检查中：正在读取工作表、核对勾稽关系，请稍候……";
      form.setAttribute("data-state", "checking");
    });
    request.addEventListener("load", function () {
      var type = request.getResponseHeader("Content-Type") || "";
      if (type.indexOf("application/json") === 0) {
        window.location.assign(JSON.parse(request.responseText).location);
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      status.textContent = "上传失败：网络连接中断，请重新上传。";
      button.disabled = false;
    });
    request.send(new FormData(form));
  });
})();
