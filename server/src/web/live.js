// Dais: the record of proceedings, live. The page is whole without this
// script (reload it to read what is new); with it, each event the server
// sends is added to the record as it happens. The server renders every
// item and escapes everything a person wrote; the browser keeps the last
// event's id and sends it back (Last-Event-ID) when it reconnects, so the
// server resumes where the page left off.
(function () {
  "use strict";
  var list = document.getElementById("record");
  if (!list || !window.EventSource) {
    return;
  }
  var source = new EventSource(list.getAttribute("data-stream"));
  source.addEventListener("record", function (event) {
    var template = document.createElement("template");
    template.innerHTML = event.data;
    var item = template.content.firstElementChild;
    if (!item || !item.id) {
      return;
    }
    var empty = document.getElementById("empty");
    if (empty) {
      empty.remove();
    }
    var old = document.getElementById(item.id);
    if (old) {
      // A speech whose interpretation just arrived.
      old.replaceWith(item);
    } else {
      list.appendChild(item);
    }
  });
  source.addEventListener("end", function () {
    source.close();
  });
})();
