// PolicyKG query editor: CodeMirror on the textarea; results fetched from /sparql and
// written into the page with textContent only (never innerHTML), so every value is text.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) { return; }
  var area = document.getElementById("sparql");
  var status = document.getElementById("status");
  var out = document.getElementById("results");
  var editor = window.CodeMirror ? window.CodeMirror.fromTextArea(area, {
    mode: "application/sparql-query", lineNumbers: true, indentUnit: 2
  }) : null;

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function show(data) {
    out.textContent = "";
    if (typeof data.boolean === "boolean") {
      out.appendChild(el("p", "ASK: " + data.boolean));
      return;
    }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = el("table"), thead = el("thead"), tr = el("tr");
    table.className = "results";
    vars.forEach(function (v) { tr.appendChild(el("th", v)); });
    thead.appendChild(tr); table.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (b) {
      var row = el("tr");
      vars.forEach(function (v) { row.appendChild(el("td", b[v] ? b[v].value : "")); });
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
    out.appendChild(el("p", rows.length + " 行 rows"));
    out.appendChild(table);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (editor) { editor.save(); }
    status.textContent = "…";
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: area.value })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (text) {
        var ms = Math.round(performance.now() - started);
        if (!response.ok) {
          status.textContent = response.status + " (" + ms + " ms)";
          out.textContent = "";
          var pre = el("pre", text); pre.className = "error"; out.appendChild(pre);
          return;
        }
        status.textContent = "OK (" + ms + " ms)";
        if (type.indexOf("json") >= 0) { show(JSON.parse(text)); }
        else { out.textContent = ""; out.appendChild(el("pre", text)); }
      });
    }).catch(function (err) { status.textContent = String(err); });
  });
}());
