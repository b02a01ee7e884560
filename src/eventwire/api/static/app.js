/* eventwire dashboard. Everything from the API is untrusted text: it only ever reaches the page
   through textContent, createTextNode or setAttribute (links only for http/https URLs). */
"use strict";
(function () {
  const TYPE_COLOURS = {
    ASSAULT: "#d7301f", PROTEST: "#fc8d59", COERCE: "#8c2d04", THREATEN: "#e7298a",
    MOBILIZE: "#7570b3", SANCTION: "#66a61e", ACCUSE: "#e6ab02", REQUEST: "#a6761d",
    REJECT: "#666666", CONSULT: "#1b9e77", AGREE: "#1f78b4", COOPERATE: "#33a02c",
    AID: "#b2df8a", SUPPORT: "#a6cee3", CONCEDE: "#cab2d6", RETREAT: "#fdbf6f",
  };
  const HL_ROLES = ["trigger", "actor1", "actor2", "place", "date"];
  const HL_NAMES = { trigger: "what happened", actor1: "actor", actor2: "recipient", place: "place", date: "date" };
  const state = { cursor: null, map: null, cluster: null };

  function colour(type) {
    if (TYPE_COLOURS[type]) return TYPE_COLOURS[type];
    let h = 0;
    for (const ch of String(type)) h = (h * 31 + ch.charCodeAt(0)) % 360;
    return "hsl(" + h + ",55%,45%)";
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "class") node.className = v;
      else if (k === "style") for (const [p, val] of Object.entries(v)) node.style.setProperty(p, val);
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function status(text, isError) {
    const node = document.getElementById("status");
    node.textContent = text || "";
    node.className = isError ? "error" : "";
  }

  async function api(path, params) {
    const query = params ? "?" + params.toString() : "";
    const response = await fetch(path + query, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || body.title || ("HTTP " + response.status));
    return body;
  }

  function filterParams() {
    const params = new URLSearchParams();
    const form = document.getElementById("filters");
    for (const field of form.elements) {
      if (field.name && field.value.trim()) params.set(field.name, field.value.trim());
    }
    return params;
  }

  // -- map ------------------------------------------------------------------------------------------

  async function initMap() {
    const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([20, 15], 2);
    state.map = map;
    try {
      const topo = await (await fetch("/static/vendor/world-atlas/countries-110m.json")).json();
      const land = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(land, {
        interactive: false,
        style: { color: "#8a96a8", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(map);
    } catch (e) {
      status("base map unavailable: " + e.message, true);
    }
    state.cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    map.addLayer(state.cluster);
  }

  function popupFor(p) {
    const who = [p.actor1, p.type, p.actor2].filter(Boolean).join(" · ");
    const reports = p.mentions + " mention(s), " + p.outlets + " outlet(s)";
    return el("div", { class: "popup" },
      el("strong", {}, p.type), " ", p.date || "", el("br"), who, el("br"), p.place || "",
      el("br"), reports, el("br"), el("a", { href: "#/event/" + encodeURIComponent(p.id) }, "sentences and sources"));
  }

  async function loadMap(params) {
    const data = await api("/api/geojson", params);
    state.cluster.clearLayers();
    const markers = data.features.map((f) => {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const marker = L.circleMarker([lat, lon], {
        radius: 5 + 3 * Math.log2(Math.max(1, p.mentions)),
        color: "#222", weight: 1, fillColor: colour(p.type), fillOpacity: 0.85,
        className: "event-marker",
      });
      marker.bindPopup(popupFor(p));
      return marker;
    });
    state.cluster.addLayers(markers);
    return data.features.length + (data.truncated ? "+" : "");
  }

  // -- timeline -------------------------------------------------------------------------------------

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bucketEnd(start, bucket) {
    const d = new Date(start + "T00:00:00Z");
    if (bucket === "week") d.setUTCDate(d.getUTCDate() + 6);
    else if (bucket === "month") { d.setUTCMonth(d.getUTCMonth() + 1); d.setUTCDate(0); }
    return d.toISOString().slice(0, 10);
  }

  async function loadTimeline(params) {
    const bucket = document.getElementById("bucket").value;
    const query = new URLSearchParams(params);
    query.set("bucket", bucket);
    const data = await api("/api/timeline", query);
    const chart = document.getElementById("timeline");
    chart.replaceChildren();
    const width = chart.clientWidth || 500, height = 150, pad = 18;
    const series = data.series;
    const peak = Math.max(1, ...series.map((s) => s.total));
    const step = series.length ? (width - 2 * pad) / series.length : 0;
    series.forEach((s, i) => {
      let y = height - pad;
      for (const [type, n] of Object.entries(s.types)) {
        const h = (n / peak) * (height - 2 * pad);
        y -= h;
        const bar = svg("rect", {
          class: "tl-bar", x: pad + i * step, y: y, width: Math.max(1, step - 1), height: h,
          fill: colour(type),
        });
        bar.appendChild(svg("title", {}, s.start + ": " + n + " " + type));
        bar.addEventListener("click", () => {
          const form = document.getElementById("filters");
          form.elements.since.value = s.start;
          form.elements.until.value = bucketEnd(s.start, bucket);
          refresh();
        });
        chart.appendChild(bar);
      }
    });
    if (series.length) {
      chart.appendChild(svg("text", { class: "tl-axis", x: pad, y: height - 4 }, series[0].start));
      chart.appendChild(svg("text", { class: "tl-axis", x: width - pad, y: height - 4, "text-anchor": "end" },
        series[series.length - 1].start));
      chart.appendChild(svg("text", { class: "tl-axis", x: pad, y: 10 }, "max " + peak));
    }
    const legend = document.getElementById("legend");
    legend.replaceChildren(...Object.entries(data.types).map(([type, n]) =>
      el("span", { style: { "--c": colour(type) } }, type + " " + n)));
    const select = document.querySelector("#filters select[name=type]");
    if (select.options.length === 1) {
      for (const type of Object.keys(data.types).sort()) select.appendChild(el("option", { value: type }, type));
    }
  }

  // -- table ----------------------------------------------------------------------------------------

  function row(e) {
    const tr = el("tr", { "data-id": e.id },
      el("td", {}, e.date || ""),
      el("td", {}, el("span", { class: "type-chip", style: { "--c": colour(e.type) } }, e.type)),
      el("td", {}, e.actor1_name || ""),
      el("td", {}, e.actor2_name || ""),
      el("td", {}, e.place_name || ""),
      el("td", { title: (e.outlets || []).join(", ") }, e.n_mentions + " / " + e.n_outlets));
    tr.addEventListener("click", () => { location.hash = "#/event/" + encodeURIComponent(e.id); });
    return tr;
  }

  async function loadTable(params, append) {
    const query = new URLSearchParams(params);
    query.set("limit", "50");
    if (append && state.cursor) query.set("cursor", state.cursor);
    const page = await api("/api/events", query);
    const body = document.querySelector("#events tbody");
    if (!append) body.replaceChildren();
    for (const e of page.items) body.appendChild(row(e));
    state.cursor = page.next_cursor;
    document.getElementById("more").hidden = !page.next_cursor;
  }

  async function refresh() {
    const params = filterParams();
    status("loading…");
    try {
      const [placed] = await Promise.all([loadMap(params), loadTimeline(params), loadTable(params, false)]);
      status(placed + " placed events (one per happening; marker size: number of mentions)");
      document.body.dataset.ready = "overview";
    } catch (e) {
      status(e.message, true);
    }
  }

  // -- event and article pages ----------------------------------------------------------------------

  function highlighted(text, spans, classPrefix) {
    // Non-overlapping spans, earliest first (longer first on ties); the rest stays plain text.
    const sorted = spans.filter((s) => s.start !== null && s.end !== null && s.start < s.end)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const out = el("span", {});
    let at = 0;
    for (const s of sorted) {
      if (s.start < at) continue;
      out.appendChild(document.createTextNode(text.slice(at, s.start)));
      out.appendChild(el("mark", { class: classPrefix + s.role, title: s.label || HL_NAMES[s.role] || s.role },
        text.slice(s.start, s.end)));
      at = s.end;
    }
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function legendRow() {
    return el("div", { class: "hl-legend" },
      ...HL_ROLES.map((r) => el("mark", { class: "hl-" + r }, HL_NAMES[r])));
  }

  function link(url, text) {
    const href = safeUrl(url);
    return href ? el("a", { href: href, rel: "noopener noreferrer", target: "_blank" }, text || href) : text || "";
  }

  async function showEvent(id) {
    const detail = document.getElementById("detail");
    const data = await api("/api/events/" + encodeURIComponent(id));
    const e = data.event;
    const values = el("dl", { class: "values" });
    const add = (k, v) => { if (v !== null && v !== undefined && v !== "") { values.appendChild(el("dt", {}, k)); values.appendChild(el("dd", {}, String(v))); } };
    add("type", e.type + (e.mode ? " / " + e.mode : "") + (e.acled_sub_event_type ? " (ACLED: " + e.acled_sub_event_type + ")" : ""));
    add("date", e.date_start ? e.date_start + (e.date_end && e.date_end !== e.date_start ? " – " + e.date_end : "") +
      (e.date_precision === "reported" ? " (first reported; no report gives a date)" : "") : null);
    add("actor", e.actor1_name);
    add("recipient", e.actor2_name);
    add("place", e.place_name ? e.place_name + (e.place_country ? ", " + e.place_country : "") +
      (e.place_precision && e.place_precision !== "place" ? " (" + e.place_precision + ")" : "") : null);
    add("fatalities", e.fatalities === null ? null : e.fatalities +
      (e.fatalities_min !== e.fatalities_max ? " (reports range " + e.fatalities_min + "–" + e.fatalities_max + ")" : ""));
    add("reported", e.n_mentions + " mention(s) in " + e.n_articles + " article(s) by " + e.n_outlets + " outlet(s), " +
      (e.first_reported || "") + (e.last_reported && e.last_reported !== e.first_reported ? " – " + e.last_reported : ""));
    add("outlets", (e.outlets || []).join(", "));
    const mentions = data.mentions.map((m) => el("article", { class: "mention", "data-mention": m.id },
      el("p", { class: "sentence" }, highlighted(m.sentence, m.highlights, "hl-")),
      el("div", { class: "meta" },
        el("a", { href: "#/article/" + encodeURIComponent(m.article_id), class: "article-link" },
          m.title || m.article_id), " · ", m.outlet || "", " · ", m.published || "", " · ",
        link(m.url, "original")),
      m.rule ? el("div", { class: "meta" }, "merged: " + m.rule) : null,
      m.date_reason ? el("div", { class: "meta" }, "date: " + m.date_reason) : null,
      m.place_reason ? el("div", { class: "meta" }, "place: " + m.place_reason) : null));
    const sources = el("ul", {}, ...data.sources.map((s) =>
      el("li", {}, (s.outlet || "unknown outlet") + " · " + (s.published || "") + " · ", link(s.url, s.url || s.input_id))));
    detail.replaceChildren(
      el("p", {}, el("a", { href: "#/" }, "← all events")),
      el("h2", { class: "event-title" }, [e.actor1_name, e.type, e.actor2_name].filter(Boolean).join(" — ")),
      values, legendRow(),
      el("h3", {}, data.mentions.length + " source sentence(s)"), ...mentions,
      el("h3", {}, data.sources.length + " source(s)"), sources);
    document.body.dataset.ready = "event";
  }

  async function showArticle(id) {
    const detail = document.getElementById("detail");
    const a = await api("/api/articles/" + encodeURIComponent(id));
    const spans = [];
    for (const m of a.mentions) spans.push({ start: m.trigger.span[0], end: m.trigger.span[1], role: "trigger", label: m.type });
    for (const x of a.actors) spans.push({ start: x.span[0], end: x.span[1], role: "actor1", label: x.name || "actor" });
    for (const p of a.places) spans.push({ start: p.span[0], end: p.span[1], role: "place", label: p.name });
    for (const d of a.dates) if (d.span[1] > d.span[0]) spans.push({ start: d.span[0], end: d.span[1], role: "date", label: (d.start || "") + " " + (d.reason || "") });
    detail.replaceChildren(
      el("p", {}, el("a", { href: "#/" }, "← all events")),
      el("h2", { class: "article-title" }, a.title || a.id),
      el("div", { class: "meta" }, [a.outlet, a.published, a.language].filter(Boolean).join(" · "), " · ", link(a.url, "original")),
      legendRow(),
      el("div", { class: "article-body" }, highlighted(a.body, spans, "hl-")),
      el("h3", {}, a.quotes.length + " quote(s)"),
      el("ul", {}, ...a.quotes.map((q) => el("li", {}, "“" + q.text + "” — " + (q.speaker ? q.speaker.name : "unattributed")))));
    document.body.dataset.ready = "article";
  }

  async function route() {
    const hash = location.hash || "#/";
    const overview = document.getElementById("overview");
    const detail = document.getElementById("detail");
    const match = hash.match(/^#\/(event|article)\/(.+)$/);
    if (!match) {
      detail.hidden = true;
      overview.hidden = false;
      state.map.invalidateSize();
      return;
    }
    overview.hidden = true;
    detail.hidden = false;
    detail.replaceChildren(el("p", {}, "loading…"));
    try {
      const id = decodeURIComponent(match[2]);
      if (match[1] === "event") await showEvent(id);
      else await showArticle(id);
    } catch (e) {
      detail.replaceChildren(el("p", { class: "error" }, e.message), el("a", { href: "#/" }, "← all events"));
    }
  }

  async function main() {
    await initMap();
    document.getElementById("filters").addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
    document.getElementById("reset").addEventListener("click", () => { document.getElementById("filters").reset(); refresh(); });
    document.getElementById("bucket").addEventListener("change", () => loadTimeline(filterParams()));
    document.getElementById("more").addEventListener("click", () => loadTable(filterParams(), true));
    window.addEventListener("hashchange", route);
    await refresh();
    await route();
  }

  main();
})();
