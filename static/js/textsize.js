/* 适老化: the text-size switch in the header (标准 / 大 / 特大). Public pages come from a shared
   page cache, so nothing about a reader may be in their HTML: the choice lives in this browser
   (localStorage) and is applied here, as a class on <html>, by a script the <head> loads before
   the page is drawn (no flash of the standard size). The buttons are shown only when this
   script runs (html.textsize-on); portal.css sets the sizes (html.text-large, html.text-xlarge). */
(function () {
  "use strict";
  var KEY = "portal-text-size";
  var SIZES = ["large", "xlarge"];
  var root = document.documentElement;

  function stored() {
    try {
      var size = window.localStorage.getItem(KEY) || "";
      return SIZES.indexOf(size) >= 0 ? size : "";
    } catch (e) {
      return ""; // storage refused (private mode): the standard size
    }
  }

  function apply(size) {
    SIZES.forEach(function (name) { root.classList.toggle("text-" + name, name === size); });
    Array.prototype.forEach.call(document.querySelectorAll("button[data-textsize]"), function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-textsize") === size));
    });
  }

  function choose(event) {
    var size = event.currentTarget.getAttribute("data-textsize");
    try {
      if (size) { window.localStorage.setItem(KEY, size); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* remembered on this page only */ }
    apply(size);
  }

  root.classList.add("textsize-on");
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-textsize]"), function (button) {
      button.addEventListener("click", choose);
    });
    apply(stored());
  });
  window.addEventListener("storage", function (event) { // changed in another tab of the site
    if (event.key === KEY) { apply(stored()); }
  });
})();
