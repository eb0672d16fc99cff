/* Comments on the rows of a version's tables: a click on a row's 「意见」 opens the comment
   form right under that row, its row chosen. Without JavaScript the link reloads the page
   with the row chosen in the form's select (?row=table:row). */
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form) return;
  var select = form.querySelector("select[name=target]");
  var text = form.querySelector("textarea[name=text]");
  var home = document.createComment("comment-form");
  form.parentNode.insertBefore(home, form);
  var note = document.createElement("p");
  note.id = "comment-target";
  form.insertBefore(note, form.firstChild);

  function width(row) {
    var n = 0;
    for (var i = 0; i < row.cells.length; i++) n += row.cells[i].colSpan || 1;
    return n;
  }

  function say() {
    var option = select.options[select.selectedIndex];
    var group = option && option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label + " " : "";
    note.textContent = option && option.value ? "针对：" + group + option.text : "针对：整个版本";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.row-comment-link") : null;
    if (!link) return;
    event.preventDefault();
    var row = link.closest("tr");
    var holder = document.getElementById("comment-row");
    if (!holder) {
      holder = document.createElement("tr");
      holder.id = "comment-row";
      holder.appendChild(document.createElement("td"));
    }
    holder.firstChild.colSpan = width(row);
    row.parentNode.insertBefore(holder, row.nextSibling);
    holder.firstChild.appendChild(form);
    var marked = document.querySelectorAll("tr.commenting");
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove("commenting");
    row.classList.add("commenting");
    select.value = link.getAttribute("data-target");
    say();
    text.focus();
  });
  select.addEventListener("change", say);
  say();
})();
