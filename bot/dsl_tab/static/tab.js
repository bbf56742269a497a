/* ShareSafe DSL tab: signs in (Teams SSO, or the development sign-in), asks the API, draws tables
   and accessible SVG charts. No data is kept in the page beyond the session's token. */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = "sharesafe-tab-token";
  const THEMES = { default: "default", light: "default", dark: "dark", contrast: "contrast" };
  let token = null;
  let lastOpener = null;

  // ---- theme ---------------------------------------------------------------------------------
  function setTheme(name) {
    document.documentElement.dataset.theme = THEMES[name] || "default";
  }
  function initialTheme() {
    const asked = new URLSearchParams(location.search).get("theme");
    if (asked && THEMES[asked]) return asked;
    if (matchMedia("(forced-colors: active)").matches || matchMedia("(prefers-contrast: more)").matches) return "contrast";
    return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "default";
  }
  setTheme(initialTheme());

  // ---- small DOM helpers ---------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("data-")) node.setAttribute(k, v);
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }
  function say(text) { $("status").textContent = text; }

  // ---- API -----------------------------------------------------------------------------------
  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: "Bearer " + token } });
    if (!response.ok) {
      let message = "Something went wrong (" + response.status + "). Try again.";
      try { message = (await response.json()).error || message; } catch (e) { /* keep the default */ }
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return response;
  }
  function rangeQuery() {
    const q = new URLSearchParams();
    if ($("from").value) q.set("from", $("from").value);
    if ($("to").value) q.set("to", $("to").value);
    return q;
  }

  // ---- tables ----------------------------------------------------------------------------------
  function table(caption, columns, rows, rowClass) {
    if (!rows.length) return el("p", { class: "empty", text: "None in this period." });
    const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col", class: c.num ? "num" : "", text: c.title })));
    const body = rows.map((row) => {
      const tr = el("tr", { class: rowClass ? rowClass(row) : "" });
      for (const c of columns) {
        const cell = el("td", { "data-label": c.title, class: c.num ? "num" : "" });
        const value = c.render ? c.render(row) : row[c.key];
        cell.append(value === undefined || value === null ? "" : value);
        tr.append(cell);
      }
      return tr;
    });
    return el("table", { class: "stack" }, el("caption", { class: "sr", text: caption }), el("thead", {}, head), el("tbody", {}, ...body));
  }
  function opener(label, kind, id) {
    const b = el("button", { type: "button", class: "link", "data-open": kind, "data-id": id, text: id });
    b.setAttribute("aria-label", label + " " + id);
    return b;
  }
  function badges(row) {
    const span = el("span");
    if (row.overdue) span.append(el("span", { class: "badge overdue", text: "Overdue" }));
    if (row.urgent) span.append(el("span", { class: "badge urgent", text: "Urgent" }));
    span.append(row.status_label);
    return span;
  }
  const requestColumns = [
    { title: "Request", render: (r) => opener("Open request", "request", r.id) },
    { title: "Status", render: badges },
    { title: "Waiting", key: "age_text" },
    { title: "Asked at", key: "created_text" },
    { title: "Acknowledged by", render: (r) => r.acknowledged_by || "Nobody yet" },
    { title: "Asked by", key: "practitioner" },
  ];
  const handoffColumns = [
    { title: "Consultation", render: (r) => opener("Open MASH consultation", "request", r.id) },
    { title: "Status", render: badges },
    { title: "Asked at", key: "created_text" },
    { title: "MASH to call back by", render: (r) => r.callback_text || "Not given" },
    { title: "Asked by", key: "practitioner" },
  ];
  const recordColumns = [
    { title: "Record", render: (r) => opener("Open record", "record", r.reference) },
    { title: "Decided at", key: "decided_text" },
    { title: "Decision", key: "decision" },
    { title: "Guidance", key: "pack" },
    { title: "Consent", key: "consent" },
    { title: "Decided by", key: "by" },
  ];
  const correctionColumns = [
    { title: "Correction", render: (r) => opener("Open record", "record", r.reference) },
    { title: "Corrects", render: (r) => opener("Open corrected record", "record", r.corrects) },
    { title: "Decided at", key: "decided_text" },
    { title: "Decision", key: "decision" },
    { title: "By", key: "by" },
  ];

  // ---- charts: stacked weekly bars, with a legend and the same numbers as a table -------------
  function chart(figure, title, weeks, series) {
    figure.replaceChildren();
    const id = figure.id + "-title";
    figure.append(el("figcaption", { id: id, text: title }));
    const total = series.reduce((n, s) => n + s.total, 0);
    if (!total) {
      figure.append(el("p", { class: "empty", text: "No decisions recorded in this period." }));
      return;
    }
    const sums = weeks.map((_, i) => series.reduce((n, s) => n + s.counts[i], 0));
    const max = Math.max(1, ...sums);
    const width = 340, height = 180, left = 28, bottom = 34, top = 8;
    const step = (width - left - 4) / weeks.length;
    const barWidth = Math.max(3, step * 0.7);
    const summary = series.map((s) => s.label + " " + s.total).join(", ");
    const chartSvg = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": id + " " + figure.id + "-desc" });
    const desc = svg("desc", { id: figure.id + "-desc" });
    desc.textContent = `${total} records over ${weeks.length} weeks: ${summary}. The table below gives each week.`;
    chartSvg.append(desc);
    const plot = height - bottom - top;
    chartSvg.append(svg("line", { class: "axis", x1: left, y1: top + plot, x2: width, y2: top + plot }));
    for (const tick of [0, max]) {
      const t = svg("text", { x: left - 4, y: top + plot - (tick / max) * plot + 4, "text-anchor": "end" });
      t.textContent = String(tick);
      chartSvg.append(t);
    }
    const labelEvery = Math.ceil(weeks.length / 6);
    weeks.forEach((week, i) => {
      let y = top + plot;
      const x = left + i * step + (step - barWidth) / 2;
      series.forEach((s, k) => {
        const h = (s.counts[i] / max) * plot;
        if (h > 0) {
          y -= h;
          chartSvg.append(svg("rect", { class: "bar s" + (k % 6), x: x, y: y, width: barWidth, height: h }));
        }
      });
      if (i % labelEvery === 0) {
        const t = svg("text", { x: x + barWidth / 2, y: height - bottom + 14, "text-anchor": "middle" });
        t.textContent = week.label.replace("w/c ", "");
        chartSvg.append(t);
      }
    });
    figure.append(chartSvg);
    figure.append(el("ul", { class: "legend", "aria-hidden": "true" }, ...series.map((s, k) =>
      el("li", {}, el("span", { class: "swatch s" + (k % 6) }), `${s.label} (${s.total})`))));
    const rows = weeks.map((w, i) => Object.assign({ week: w.label, total: sums[i] },
      Object.fromEntries(series.map((s, k) => ["s" + k, s.counts[i]]))));
    const columns = [{ title: "Week", key: "week" }]
      .concat(series.map((s, k) => ({ title: s.label, key: "s" + k, num: true })))
      .concat([{ title: "Total", key: "total", num: true }]);
    const details = el("details", {}, el("summary", { text: "Show as a table" }), el("div", { class: "scroll" }, table(title, columns, rows)));
    figure.append(details);
  }

  // ---- the page --------------------------------------------------------------------------------
  function render(view) {
    $("org-name").textContent = view.organisation ? ": " + view.organisation.name : "";
    $("generated").textContent = "As of " + view.generated_text + (view.viewer ? " · signed in as " + view.viewer : "");
    $("from").value = view.range.from;
    $("to").value = view.range.to;
    $("requests").replaceChildren(table("Open requests to the DSLs, overdue first", requestColumns, view.requests, (r) => r.overdue ? "overdue" : ""));
    $("requests-count").textContent = "(" + view.requests.length + ")";
    $("handoffs").replaceChildren(table("MASH consultations", handoffColumns, view.handoffs, (r) => r.overdue ? "overdue" : ""));
    $("handoffs-count").textContent = "(" + view.handoffs.length + ")";
    const t = view.totals;
    $("totals").textContent = `${t.records} records: ${t["Share"]} share, ${t["Do not share"]} do not share, ${t["Seek advice"]} seek advice.`;
    const c = view.charts;
    chart($("chart-outcome"), "By outcome", c.weeks, c.by_outcome);
    chart($("chart-pack"), "By guidance", c.weeks, c.by_pack);
    chart($("chart-consent"), "By consent", c.weeks, c.by_consent);
    $("corrections").replaceChildren(table("Recent corrections", correctionColumns, view.corrections));
    $("corrections-count").textContent = "(" + view.corrections.length + ")";
    $("records").replaceChildren(table("Decision records, newest first", recordColumns, view.records));
    $("records-count").textContent = view.records_total > view.records.length
      ? `(newest ${view.records.length} of ${view.records_total}; the CSV has them all)` : "(" + view.records_total + ")";
    // Wide tables scroll sideways: each scrolling box is reachable and named for keyboard users.
    for (const box of document.querySelectorAll(".scroll")) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent : "Table");
    }
    $("content").hidden = false;
  }

  async function load() {
    say("Loading…");
    try {
      const response = await api("/tab/api/overview?" + rangeQuery());
      render(await response.json());
      say("");
    } catch (error) {
      $("content").hidden = true;
      if (error.status === 401) { sessionStorage.removeItem(TOKEN_KEY); }
      say(error.message);
    }
  }

  async function download(what) {
    const q = rangeQuery();
    q.set("what", what);
    try {
      const response = await api("/tab/api/export.csv?" + q);
      const name = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
      const url = URL.createObjectURL(await response.blob());
      const a = el("a", { href: url, download: name ? name[1] : "sharesafe.csv" });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      say("CSV downloaded.");
    } catch (error) { say(error.message); }
  }

  function facts(pairs) {
    return el("dl", {}, ...pairs.filter((p) => p[1]).flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  }

  async function openDetail(kind, id, button) {
    lastOpener = button;
    try {
      const data = await (await api(`/tab/api/${kind === "record" ? "records" : "requests"}/${encodeURIComponent(id)}`)).json();
      const body = $("detail-body");
      if (kind === "record") {
        $("detail-title").textContent = "Record " + data.reference;
        body.replaceChildren(facts([["Decided at", data.decided_text], ["Filed at", data.filed_text], ["Decision", data.decision],
          ["Outcome", data.outcome], ["Guidance", data.pack], ["Consent", data.consent], ["Lawful basis", data.lawful_basis],
          ["Decided by", data.by], ["Corrects", data.corrects], ["Requests", data.requests.join(", ")]]));
        if (data.answers.length) {
          body.append(el("h3", { text: "Answers" }), table("Answers", [{ title: "Question", key: "question" }, { title: "Answer", key: "answer" }], data.answers));
        }
      } else {
        $("detail-title").textContent = data.kind_label + " " + data.id;
        body.replaceChildren(facts([["Status", data.status_label + (data.overdue ? " (overdue)" : "")], ["Urgent", data.urgent ? "Yes" : "No"],
          ["Asked at", data.created_text], ["Waiting", data.age_text], ["Asked by", data.practitioner], ["MASH to call back by", data.callback_text],
          ["Question", data.summary], ["Note", data.note]]));
        if (data.history.length) {
          body.append(el("h3", { text: "What happened" }), table("What happened", [{ title: "When", key: "at" }, { title: "Status", key: "status" }, { title: "By", key: "by" }], data.history));
        }
      }
      $("detail").showModal();
      $("detail-close").focus();
    } catch (error) { say(error.message); }
  }

  // ---- sign-in -------------------------------------------------------------------------------
  async function devSignIn(userId) {
    const response = await fetch("/tab/api/dev-signin", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user_id: userId }) });
    if (response.status === 404) throw new Error("Open this tab in Microsoft Teams to sign in.");
    if (!response.ok) throw new Error((await response.json()).error || "Sign-in failed.");
    return (await response.json()).token;
  }

  function loadTeamsSdk() {
    // Loaded only inside Teams: outside it the SDK would reach out to Microsoft's CDN for nothing.
    return new Promise((resolve, reject) => {
      const script = el("script", { src: "/tab/static/vendor/MicrosoftTeams.min.js" });
      script.onload = () => resolve(window.microsoftTeams);
      script.onerror = reject;
      document.head.append(script);
    });
  }

  async function teamsSignIn() {
    const teams = await loadTeamsSdk();
    await teams.app.initialize();
    const context = await teams.app.getContext();
    if (!new URLSearchParams(location.search).get("theme")) setTheme(context.app && context.app.theme);
    teams.app.registerOnThemeChangeHandler(setTheme);
    return teams.authentication.getAuthToken();
  }

  async function start() {
    $("range").addEventListener("submit", (e) => { e.preventDefault(); load(); });
    for (const b of document.querySelectorAll("button.csv")) b.addEventListener("click", () => download(b.dataset.what));
    document.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-open]");
      if (b) openDetail(b.dataset.open, b.dataset.id, b);
    });
    $("detail-close").addEventListener("click", () => $("detail").close());
    $("detail").addEventListener("close", () => { if (lastOpener) lastOpener.focus(); });
    $("signin-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        token = await devSignIn($("signin-user").value.trim());
        sessionStorage.setItem(TOKEN_KEY, token);
        $("signin").hidden = true;
        await load();
      } catch (error) { say(error.message); }
    });
    const inTeams = window.parent !== window;
    if (inTeams) {
      try { token = await teamsSignIn(); } catch (error) { say("Teams could not sign you in. Close the tab and open it again."); return; }
      await load();
      return;
    }
    token = sessionStorage.getItem(TOKEN_KEY);
    if (token) { await load(); if (!$("content").hidden) return; }
    $("signin").hidden = false;
  }
  document.addEventListener("DOMContentLoaded", start);
})();
