/* PolicyKG graph browser: vis-network over the JSON island #kg-data.
   Every text from the data goes into the page through textContent, never innerHTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var t0 = performance.now();

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  var planLabel = {};
  data.plans.forEach(function (p) { planLabel[p.key] = p.label; });
  var typeInfo = {};
  data.types.forEach(function (t) { typeInfo[t.name] = t; });

  function meta(n) {
    var plans = n.plans.map(function (k) { return planLabel[k] || k; }).join("、");
    return (typeInfo[n.type] ? typeInfo[n.type].label : n.type) + (plans ? " · " + plans : "");
  }

  function tooltip(n) {
    var box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-label", n.label));
    box.appendChild(el("div", "kg-tip-meta", meta(n)));
    if (n.source) { box.appendChild(el("div", "kg-tip-meta", n.source)); }
    if (n.snippet) { box.appendChild(el("div", "kg-tip-snippet", n.snippet)); }
    return box;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var node = { id: n.id, label: n.label, title: tooltip(n), size: n.size,
             color: { background: typeInfo[n.type].color, border: typeInfo[n.type].border,
                      highlight: { background: typeInfo[n.type].color, border: "#111" } },
             kgType: n.type, kgPlans: n.plans };
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; }
    return node;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return { id: i, from: e.from, to: e.to, width: e.width };
  }));

  var shownTypes = new Set(data.types.map(function (t) { return t.name; }));
  var shownPlans = new Set(data.plans.map(function (p) { return p.key; }));
  function visible(n) {
    if (!shownTypes.has(n.kgType)) { return false; }
    if (n.kgPlans.length === 0) { return true; }
    for (var i = 0; i < n.kgPlans.length; i++) {
      if (shownPlans.has(n.kgPlans[i])) { return true; }
    }
    return false;
  }
  var nodeView = new vis.DataView(nodes, { filter: visible });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return nodeView.get(e.from) !== null && nodeView.get(e.to) !== null;
  } });

  function counts() {
    document.getElementById("kg-counts").textContent =
      nodeView.length + " / " + nodes.length + " 节点 nodes · " + edgeView.length + " 边 edges";
  }
  function refresh() { nodeView.refresh(); edgeView.refresh(); counts(); }

  function checkbox(container, value, text, color, set) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = value;
    box.addEventListener("change", function () {
      if (box.checked) { set.add(value); } else { set.delete(value); }
      refresh();
    });
    label.appendChild(box);
    if (color) {
      var sw = el("span", "kg-swatch");
      sw.style.background = color;
      label.appendChild(sw);
    }
    label.appendChild(el("span", null, text));
    container.appendChild(label);
  }

  var legend = document.getElementById("kg-legend");
  var typeFilter = document.getElementById("kg-filter-types");
  data.types.forEach(function (t) {
    var li = el("li");
    var sw = el("span", "kg-swatch");
    sw.style.background = t.color;
    li.appendChild(sw);
    li.appendChild(el("span", null, t.label + " (" + t.count + ")"));
    legend.appendChild(li);
    checkbox(typeFilter, t.name, t.label, t.color, shownTypes);
  });
  var planFilter = document.getElementById("kg-filter-plans");
  data.plans.forEach(function (p) { checkbox(planFilter, p.key, p.label, null, shownPlans); });

  var details = document.getElementById("kg-details");
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  counts();

  function showDetails(n) {
    details.textContent = "";
    details.appendChild(el("b", null, n.label));
    details.appendChild(el("div", "kg-tip-meta", meta(n)));
    details.appendChild(el("div", "kg-tip-meta", "度 degree " + n.degree));
    if (n.iri) { details.appendChild(el("div", "kg-tip-meta", n.iri)); }
    if (n.source) { details.appendChild(el("div", "kg-tip-meta", n.source)); }
    if (n.snippet) { details.appendChild(el("div", "kg-tip-snippet", n.snippet)); }
  }
  network.on("selectNode", function (params) { showDetails(byId[params.nodes[0]]); });

  var search = document.getElementById("kg-search");
  var searchStatus = document.getElementById("kg-search-status");
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var q = search.value.trim();
    if (!q) { return; }
    var hits = nodeView.get({ filter: function (n) { return n.label.indexOf(q) >= 0; } });
    searchStatus.textContent = hits.length + " 个匹配 matches";
    if (hits.length) {
      network.selectNodes([hits[0].id]);
      network.focus(hits[0].id, { scale: 1.2, animation: false });
      showDetails(byId[hits[0].id]);
    }
  });

  var resolveReady;
  var ready = new Promise(function (resolve) { resolveReady = resolve; });
  function markReady() {
    if (window.kgReadyMs !== undefined) { return; }
    window.kgReadyMs = performance.now();
    window.kgLayoutMs = window.kgReadyMs - t0;
    resolveReady(window.kgReadyMs);
  }
  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
    network.redraw();
  }

  var physicsBox = document.getElementById("kg-physics");
  physicsBox.checked = false;
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });

  window.kg = { network: network, nodes: nodes, edges: edges, nodeView: nodeView,
                edgeView: edgeView, ready: ready, shownTypes: shownTypes,
                shownPlans: shownPlans, refresh: refresh };
})();
