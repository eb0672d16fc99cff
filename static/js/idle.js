/* Signed-in sessions end after SESSION_IDLE_MINUTES without a request (portal/settings.py).
   A few minutes before, this warns and offers 「继续使用」, which pings /work/ping/ (a request
   renews the session). Activity in another tab of the portal counts too (localStorage). */
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var pingUrl = body.getAttribute("data-ping-url");
  if (!seconds || !pingUrl) return;
  var loginUrl = body.getAttribute("data-login-url") || "/accounts/login/";
  var lead = Math.min(300, Math.floor(seconds / 3)); // warn this many seconds before the end
  var KEY = "portal-last-activity";
  var started = Date.now();
  var banner = null, message = null, button = null, timer = null;

  function remember(time) {
    started = time;
    try { window.localStorage.setItem(KEY, String(time)); } catch (e) { /* private mode: this tab only */ }
  }

  function last() {
    var shared = 0;
    try { shared = parseInt(window.localStorage.getItem(KEY) || "0", 10) || 0; } catch (e) { shared = 0; }
    return Math.max(started, shared);
  }

  function build() {
    if (banner) return;
    banner = document.createElement("div");
    banner.id = "idle-warning";
    banner.className = "idle-warning";
    banner.setAttribute("role", "alertdialog");
    banner.setAttribute("aria-live", "assertive");
    message = document.createElement("span");
    message.id = "idle-message";
    button = document.createElement("button");
    button.type = "button";
    button.id = "idle-continue";
    button.textContent = "继续使用";
    button.addEventListener("click", keepAlive);
    banner.appendChild(message);
    banner.appendChild(button);
    body.appendChild(banner);
  }

  function clock(left) {
    var m = Math.floor(left / 60), s = left % 60;
    return (m ? m + " 分 " : "") + s + " 秒";
  }

  function warn(left) {
    build();
    banner.hidden = false;
    button.hidden = false;
    message.textContent = "长时间未操作，将于 " + clock(left) + "后自动退出登录，未保存的内容会丢失。";
  }

  function hide() {
    if (banner) banner.hidden = true;
  }

  function ended() {
    window.clearInterval(timer);
    build();
    banner.hidden = false;
    button.hidden = true;
    message.textContent = "";
    message.appendChild(document.createTextNode("已因长时间未操作退出登录（本页未保存的内容请先复制保存）。"));
    var link = document.createElement("a");
    link.href = loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    link.id = "idle-login";
    link.textContent = "重新登录";
    message.appendChild(link);
  }

  function keepAlive() {
    button.disabled = true;
    window.fetch(pingUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) { ended(); return; }
        remember(Date.now());
        hide();
      })
      .catch(function () { message.textContent = "网络连接中断，无法续期，请稍后再试。"; })
      .then(function () { button.disabled = false; });
  }

  function tick() {
    var left = Math.round((last() + seconds * 1000 - Date.now()) / 1000);
    if (left <= 0) { ended(); return; }
    if (left <= lead) { warn(left); } else { hide(); }
  }

  remember(started);
  timer = window.setInterval(tick, 1000);
})();
