// Values Pulse admin dashboard: sign in with the organisation's account (or an admin token), list surveys, read each survey's
// results as charts, tables and downloads (all waves, or one), follow each answer across waves,
// set waves and headcounts, moderate the stories staff agreed to share, choose what staff see of
// the results ("you said, we did"), and print a values evidence pack.
// It only draws: every figure, label, reason a figure is hidden, table line and download name
// comes from the admin API, which decided what may be published. Text from surveys and stories is
// always inserted as text, never as HTML.

const app = document.getElementById("app");
const signOut = document.getElementById("sign-out");
const TOKEN_KEY = "pulse-admin-token";
let token = sessionStorage.getItem(TOKEN_KEY);
// A signed-in session: the cookie goes by itself (HttpOnly); state-changing requests carry its CSRF token.
let session = null;
/** Who is signed in: {name, role, contexts, via}. */
let me = null;
/** Whether the server signs admins in with an identity provider. */
let signInOffered = false;
const may = (...roles) => me && (me.role === "owner" || roles.includes(me.role));

function authHeaders(extra = {}) {
  if (session) return { ...extra, "x-csrf-token": session.csrf };
  return { ...extra, authorization: `Bearer ${token}` };
}

/** Makes an element: h("p", {class: "hint"}, "text", child, …). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

class Unauthorised extends Error {}

async function api(path) {
  const r = await fetch(path, { headers: authHeaders(), credentials: "same-origin" });
  if (r.status === 401) throw new Unauthorised();
  if (!r.ok) throw new Error((await r.json().catch(() => ({}))).error ?? `the server answered ${r.status}`);
  return r;
}

/** A refusal with the server's list of what is wrong, field by field. */
class Refused extends Error {
  constructor(message, details) {
    super(message);
    this.details = details ?? [];
  }
}

async function send(method, path, body, contentType = "application/json") {
  const r = await fetch(path, {
    method,
    headers: authHeaders({ "content-type": contentType }),
    credentials: "same-origin",
    body: contentType === "application/json" ? JSON.stringify(body) : body,
  });
  if (r.status === 401) throw new Unauthorised();
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Refused(json.error ?? `the server answered ${r.status}`, json.details);
  return json;
}

const post = (path, body) => send("POST", path, body);

function show(...nodes) {
  app.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined));
  document.getElementById("main").focus();
}

function pageTitle(text) {
  document.title = `${text} – Values Pulse`;
  return h("h1", {}, text);
}

function signInPage(problem) {
  signOut.hidden = true;
  document.getElementById("who").textContent = "";
  const input = h("input", { class: "input", id: "token", name: "token", type: "password", autocomplete: "off", spellcheck: "false", "aria-describedby": problem ? "token-hint token-error" : "token-hint" });
  const form = h(
    "form",
    { class: "card", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      token = input.value.trim();
      try {
        me = await (await api("/api/v1/me")).json();
        sessionStorage.setItem(TOKEN_KEY, token);
        route();
      } catch (err) {
        token = null;
        signInPage(err instanceof Unauthorised ? "That token is not valid. Check it and try again." : err.message);
      }
    } },
    signInOffered ? h("h2", {}, "Or use an admin token") : null,
    h("label", { class: "label", for: "token" }, "Admin token"),
    h("p", { class: "hint", id: "token-hint" }, "An owner makes one on the dashboard, or on the server with: pulse admin token create --name NAME --role ROLE"),
    problem ? h("span", { class: "error-message", id: "token-error" }, h("span", { class: "visually-hidden" }, "Error: "), problem) : null,
    input,
    h("button", { class: "button", type: "submit" }, "Sign in"),
  );
  const summary = problem
    ? h("div", { class: "error-summary", role: "alert", tabindex: "-1" }, h("h2", {}, "There is a problem"), h("a", { href: "#token" }, problem))
    : null;
  const organisation = signInOffered
    ? h("div", { class: "card" },
        h("p", {}, "Sign in with the account you use for your organisation's other systems."),
        h("a", { class: "button", href: "/auth/login", id: "sign-in-organisation" }, "Sign in with your organisation account"))
    : null;
  show(pageTitle("Sign in"), summary, organisation, form);
  (summary ?? input).focus();
}

const number = (n) => n.toLocaleString("en-GB");
/** A figure as the API gives it: a number, or the results' word for a hidden one. */
const fmt = (n, hiddenLabel) => (n === null || n === undefined ? hiddenLabel : number(n));

async function surveysPage() {
  const surveys = await (await api("/api/v1/surveys")).json();
  const rows = surveys.map((s) =>
    h("tr", {},
      h("td", {}, h("a", { href: may("analyst", "viewer") ? `#/surveys/${encodeURIComponent(s.id)}` : `#/moderation/${encodeURIComponent(s.id)}` }, s.title)),
      h("td", {}, s.id),
      h("td", { class: "num" }, String(s.version)),
      h("td", {}, s.language_names.join(", ")),
      h("td", { class: "num" }, s.responses === null ? s.responses_note : number(s.responses))),
  );
  show(
    pageTitle("Surveys"),
    me.role === "viewer" ? h("p", { class: "hint" }, `You see the results of ${me.contexts.join(", ")} only.`) : null,
    me.role === "owner"
      ? h("ul", { class: "links" },
          h("li", {}, h("a", { href: "#/admins" }, "Who can see results")),
          h("li", {}, h("a", { href: "#/audit" }, "Audit log")))
      : null,
    h("div", { class: "card" },
      h("table", {},
        h("caption", { class: "visually-hidden" }, "Surveys and their responses"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Survey"), h("th", { scope: "col" }, "Id"), h("th", { scope: "col", class: "num" }, "Version"), h("th", { scope: "col" }, "Languages"), h("th", { scope: "col", class: "num" }, "Responses"))),
        h("tbody", {}, rows))),
  );
}

async function download(path, filename) {
  const blob = await (await api(path)).blob();
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The figure of `column` ("all" or a context id) in a breakdown of counts or shares. */
const pick = (breakdown, column) => (column === "all" ? breakdown.all : breakdown.contexts[column]);
const percent = (share) => (share === null || share === undefined ? "" : ` (${share}%)`);

function choiceChart(q, column) {
  const items = q.options.map((o) => {
    const n = pick(o.counts, column);
    const share = pick(o.shares, column);
    const fill = h("div", { class: "bar__fill" });
    fill.style.width = `${share ?? 0}%`;
    return h("li", { class: "bar" },
      h("span", { class: "bar__label" }, o.label),
      h("span", {}, h("span", { class: "bar__track", "aria-hidden": "true" }, fill), h("span", { class: "bar__value" }, `${number(n)}${percent(share)}`)));
  });
  return h("ul", { class: "bars", "aria-label": `${q.prompt}: answers` }, items);
}

function matrixChart(q, column) {
  const legend = h("ul", { class: "legend", "aria-hidden": "true" }, q.scale.map((s, i) => h("li", { class: `swatch-${i + 1}` }, s)));
  const rows = q.rows.map((r) => {
    const points = r.points.map((p) => pick(p, column));
    const shares = r.shares.map((s) => pick(s, column) ?? 0);
    const track = h("div", { class: "diverging__track", "aria-hidden": "true" });
    // Centre the neutral point on the midline: negatives extend left of it, positives right.
    const half = shares.map((w) => w / 2);
    let left = 50 - half[2] / 2 - half[1] - half[0];
    half.forEach((w, i) => {
      const seg = h("div", { class: `diverging__seg seg-${i + 1}` });
      seg.style.left = `${left}%`;
      seg.style.width = `${w}%`;
      track.append(seg);
      left += w;
    });
    const text = q.scale.map((s, i) => `${s} ${number(points[i])}`).join(", ");
    const score = pick(r.score, column);
    return h("li", { class: "diverging__row" },
      h("span", { class: "bar__label" }, r.label, score === null ? null : h("span", { class: "score" }, `${q.score_label}: ${score}%`)),
      h("span", {}, track, h("span", { class: "bar__value" }, text)));
  });
  return [legend, h("ul", { class: "diverging", "aria-label": `${q.prompt}: answers per value` }, rows)];
}

function dataTable(q, results) {
  const head = h("tr", {}, h("th", { scope: "col" }, "Answer"), results.columns.map((c) => h("th", { scope: "col", class: "num" }, c.label)));
  const body = q.table.map((line) =>
    h("tr", {}, h("th", { scope: "row" }, line.label), line.counts.map((n) => h("td", { class: "num" }, fmt(n, results.hidden_label)))));
  return h("details", {}, h("summary", {}, "Show as a table, by context"),
    h("table", {}, h("caption", { class: "visually-hidden" }, q.prompt), h("thead", {}, head), h("tbody", {}, body)));
}

function questionCard(q, results, column) {
  const answered = pick(q.respondents, column);
  const reason = q.hidden?.[column];
  const note = q.notes?.[column];
  let chart;
  if (reason) chart = h("p", { class: "hidden-note" }, reason);
  else if (q.type === "likert_matrix") chart = matrixChart(q, column);
  else if (q.type === "free_text") chart = h("p", {}, `${number(answered)} people wrote an answer. Stories are listed below.`);
  else chart = choiceChart(q, column);
  const score = q.score && !reason ? pick(q.score, column) : null;
  return h("section", { class: "card", "aria-labelledby": `q-${q.id}` },
    h("h3", { id: `q-${q.id}` }, q.prompt),
    h("p", { class: "hint" }, `Answered by ${fmt(answered, results.hidden_label)}`, q.versions_note ? ` (${q.versions_note})` : "", note ? "; this figure:" : ""),
    note ? h("ul", { class: "hint notes" }, note.map((line) => h("li", {}, line))) : null,
    score === null ? null : h("p", { class: "score" }, `${q.score_label}: ${score}%`),
    chart,
    q.type === "free_text" ? null : dataTable(q, results));
}

async function surveyPage(id, version, column = "all") {
  // The selection: "all", a version number, or "w:" and a wave id.
  const wave = version?.startsWith("w:") ? version.slice(2) : null;
  const query = wave ? `?wave=${encodeURIComponent(wave)}` : version && version !== "all" ? `?version=${version}` : "";
  // A viewer reads their contexts' results only, wave by wave too: no stories or trend of everyone.
  const analyst = may("analyst");
  const [results, surveys, waves] = await Promise.all([
    api(`/api/v1/surveys/${encodeURIComponent(id)}/results${query}`).then((r) => r.json()),
    api("/api/v1/surveys").then((r) => r.json()),
    api(`/api/v1/surveys/${encodeURIComponent(id)}/waves`).then((r) => r.json()),
  ]);
  const summary = surveys.find((s) => s.id === id);
  // A viewer has no column for everyone: start on their first context.
  if (!results.columns.some((c) => c.id === column)) column = results.columns[0]?.id ?? "all";
  const stories = analyst ? await api(`/api/v1/surveys/${encodeURIComponent(id)}/stories`).then((r) => r.json()) : [];

  const waveSelect = waves.waves.length
    ? h("div", {}, h("label", { class: "label", for: "wave" }, "Wave"),
        h("select", { class: "select", id: "wave", onchange: (e) => (location.hash = `#/surveys/${id}/${e.target.value}`) },
          h("option", { value: "all", selected: !wave }, "All waves"),
          results.wave?.id === "_before" ? h("option", { value: "w:_before", selected: true }, results.wave.label) : null,
          waves.waves.map((w) => h("option", { value: `w:${w.id}`, selected: w.id === wave }, `${w.label.en ?? w.label} (${w.opens} to ${w.closes}${w.state === "open" ? ", still open" : ""})`))))
    : null;
  const contextSelect = h("select", { class: "select", id: "context", onchange: (e) => surveyPage(id, version, e.target.value) },
    results.columns.map((c) => h("option", { value: c.id, selected: c.id === column }, c.label)));
  // One version is chosen only by its own address; a wave, or nothing, means all versions together.
  const chosenVersion = !wave && version && version !== "all" ? Number(version) : null;
  const versionSelect = summary && summary.versions.length > 1
    ? h("div", {}, h("label", { class: "label", for: "version" }, "Version"),
        h("select", { class: "select", id: "version", onchange: (e) => (location.hash = `#/surveys/${id}/${e.target.value}`) },
          h("option", { value: "all", selected: chosenVersion === null }, "All versions"),
          summary.versions.map((v) => h("option", { value: v, selected: v === chosenVersion }, `Version ${v}`))))
    : null;
  const downloads = h("div", {},
    (results.downloads ?? []).map((d) => h("button", { class: "button button--secondary", type: "button", onclick: () => download(d.href, d.filename) }, d.label)));

  const nodes = [
    h("p", {}, h("a", { href: "#/" }, "All surveys")),
    pageTitle(results.title),
    h("ul", { class: "links" },
      analyst ? h("li", {}, h("a", { href: `#/trend/${encodeURIComponent(id)}` }, "Trend across waves")) : null,
      analyst ? h("li", {}, h("a", { href: `#/waves/${encodeURIComponent(id)}` }, "Waves and headcounts")) : null,
      may("moderator") ? h("li", {}, h("a", { href: `#/moderation/${encodeURIComponent(id)}` }, "Review stories for the showcase")) : null,
      analyst ? h("li", {}, h("a", { href: `#/sharing/${encodeURIComponent(id)}` }, "Share results with staff")) : null,
      analyst ? h("li", {}, h("a", { href: `#/evidence/${encodeURIComponent(id)}/compassion` }, "Values evidence pack")) : null),
  ];
  // A wave still open: who is taking part, and no answers until it closes.
  if (results.wave?.open) {
    nodes.push(
      h("p", { class: "status-open" }, h("strong", {}, "Still open"), ` until ${results.wave.closes}: its answers are released when it closes.`),
      h("div", { class: "summary-figures" },
        h("div", { class: "figure" }, h("span", { class: "figure__value" }, fmt(results.responses, results.hidden_label)), "responses so far in the groups shown"),
        h("div", { class: "figure" }, h("span", { class: "figure__value" }, results.rate === null || results.rate === undefined ? "–" : `${results.rate}%`),
          results.headcount ? `response rate so far, of ${number(results.headcount)} staff in the headcounts given` : "response rate: no headcount given")),
      results.rate_problem ? h("p", { class: "hidden-note" }, results.rate_problem) : null,
      h("div", { class: "toolbar" }, waveSelect, versionSelect),
      rateTable(results),
      h("div", { class: "card" }, h("p", {}, results.note)));
    return show(...nodes);
  }
  // The selectors stay on a selection with nothing to show yet, so the way back is where it was.
  if (results.questions.length === 0) {
    nodes.push(h("div", { class: "toolbar" }, waveSelect, versionSelect), h("div", { class: "card" }, h("p", {}, results.note)));
    return show(...nodes);
  }
  const shown = results.columns.find((c) => c.id === column)?.label;
  nodes.push(
    h("div", { class: "summary-figures" },
      h("div", { class: "figure" }, h("span", { class: "figure__value" }, fmt(results.responses, results.hidden_label)), "responses in the groups shown"),
      h("div", { class: "figure" }, h("span", { class: "figure__value" }, results.versions.length > 1 ? results.versions.join(", ") : String(results.version)), results.versions.length > 1 ? "versions" : "version"),
      results.wave ? h("div", { class: "figure" }, h("span", { class: "figure__value" }, results.rate === null || results.rate === undefined ? "–" : `${results.rate}%`),
        results.headcount ? `response rate, of ${number(results.headcount)} staff in the headcounts given` : "response rate: no headcount given") : null),
    results.rate_problem ? h("p", { class: "hidden-note" }, results.rate_problem) : null,
    h("div", { class: "toolbar" },
      waveSelect,
      h("div", {}, h("label", { class: "label", for: "context" }, "Show results for"), contextSelect),
      versionSelect),
    results.wave ? rateTable(results) : null,
    downloads,
    h("p", { class: "hint" }, results.note),
    h("h2", {}, `Results: ${shown}`),
    results.questions.map((q) => questionCard(q, results, column)),
    h("section", { class: "card", "aria-labelledby": "stories-title" },
      h("h2", { id: "stories-title" }, "Values in action stories"),
      stories.length
        ? h("ul", { class: "stories" }, stories.map((s) => h("li", {}, h("blockquote", {}, s.text), s.value_names.map((v) => h("span", { class: "tag" }, v)))))
        : h("p", {}, "No stories yet.")),
  );
  show(...nodes);
  if (column !== "all") document.getElementById("context").focus();
}

/** One wave's responses, headcounts and response rates by context. */
function rateTable(results) {
  const rate = (c) => (c.rate_problem ? c.rate_problem : c.rate === null || c.rate === undefined ? "" : `${c.rate}%`);
  const rows = [{ label: me.role === "viewer" ? "Your groups together" : "All staff", responses: results.responses, headcount: results.headcount, rate: results.rate, rate_problem: results.rate_problem }, ...results.contexts];
  return h("details", { class: "card" }, h("summary", {}, "Responses and response rates, by context"),
    h("table", {}, h("caption", { class: "visually-hidden" }, "Responses and response rates"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Context"), h("th", { scope: "col", class: "num" }, "Responses"), h("th", { scope: "col", class: "num" }, "Headcount"), h("th", { scope: "col", class: "num" }, "Response rate"))),
      h("tbody", {}, rows.map((c) => h("tr", {}, h("th", { scope: "row" }, c.label),
        h("td", { class: "num" }, fmt(c.responses, results.hidden_label)),
        h("td", { class: "num" }, c.headcount ? number(c.headcount) : ""),
        h("td", { class: "num" }, c.responses === null ? results.hidden_label : rate(c)))))));
}

const DIRECTION = { up: "▲ up", down: "▼ down", no_clear_change: "no clear change" };
/** A change in words: its direction and, where the question names positive answers, whether it is better or worse. */
const TONE = { better: " (better)", worse: " (worse)", neutral: "" };
const changeWords = (c) => `${DIRECTION[c.direction]}${TONE[c.tone] ?? ""}`;

/** A small chart of one series: each wave's point with its 95% interval; a hidden point is a gap. */
function trendChart(line, series, trend) {
  const W = 260, H = 130, pad = 24;
  const [lo, hi] = line.measure === "mean" ? [1, 5] : [0, 100];
  const x = (i) => pad + (trend.waves.length === 1 ? (W - 2 * pad) / 2 : (i * (W - 2 * pad)) / (trend.waves.length - 1));
  const y = (v) => H - pad - ((v - lo) / (hi - lo)) * (H - 2 * pad);
  const ns = "http://www.w3.org/2000/svg";
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "trend-chart", "aria-hidden": "true", focusable: "false" });
  svg.append(el("line", { x1: pad, x2: W - pad, y1: y(lo), y2: y(lo), class: "axis" }));
  svg.append(el("text", { x: 2, y: y(hi) + 4, class: "tick" }, line.measure === "mean" ? "5" : "100%"));
  svg.append(el("text", { x: 2, y: y(lo), class: "tick" }, line.measure === "mean" ? "1" : "0"));
  let path = "";
  series.points.forEach((p, i) => {
    svg.append(el("text", { x: x(i), y: H - 4, class: "tick", "text-anchor": "middle" }, trend.waves[i].label.slice(0, 12)));
    if (p.value === null || p.value === undefined) {
      svg.append(el("text", { x: x(i), y: y(lo) - 6, class: "gap", "text-anchor": "middle" }, trend.hidden_label));
      path += " ";
      return;
    }
    svg.append(el("line", { x1: x(i), x2: x(i), y1: y(p.low), y2: y(p.high), class: "interval" }));
    svg.append(el("circle", { cx: x(i), cy: y(p.value), r: 4, class: `point point--${p.change?.tone ?? "neutral"}` }));
    path += `${path.endsWith(" ") || !path ? "M" : "L"}${x(i)},${y(p.value)}`;
  });
  svg.append(el("path", { d: path.trim().replace(/ M/g, " M"), class: "trend-line" }));
  return svg;
}

/** The series as a table: each wave's value, interval, count and change. */
function trendTable(line, series, trend) {
  const unit = line.measure === "mean" ? "" : "%";
  return h("table", {},
    h("caption", { class: "visually-hidden" }, `${line.label}: by wave`),
    h("thead", {}, h("tr", {}, ["Wave", line.measure === "mean" ? "Mean" : "Share", "95% interval", "Count", "Change since previous wave"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, series.points.map((p, i) => h("tr", {},
      h("th", { scope: "row" }, trend.waves[i].label),
      h("td", { class: "num" }, p.value === null || p.value === undefined ? trend.hidden_label : `${p.value}${unit}`),
      h("td", { class: "num" }, p.low === undefined ? "" : `${p.low}${unit} to ${p.high}${unit}`),
      h("td", { class: "num" }, p.count === undefined ? (p.of === undefined ? "" : `${number(p.of)} people`) : `${number(p.count)} of ${number(p.of)}`),
      h("td", {}, p.hidden ?? (p.change ? `${changeWords(p.change)} (${p.change.difference > 0 ? "+" : ""}${p.change.difference}, 95% interval ${p.change.low} to ${p.change.high})` : ""))))));
}

async function trendPage(id, column = "all") {
  const trend = await api(`/api/v1/surveys/${encodeURIComponent(id)}/trend`).then((r) => r.json());
  const nodes = [h("p", {}, h("a", { href: `#/surveys/${encodeURIComponent(id)}` }, "Back to the results")), pageTitle(`Trend: ${trend.title}`), h("p", { class: "hint" }, trend.note)];
  if (!trend.waves.length) return show(...nodes, h("p", {}, h("a", { href: `#/waves/${encodeURIComponent(id)}` }, "Add a wave")));
  const columnSelect = h("select", { class: "select", id: "trend-context", onchange: (e) => trendPage(id, e.target.value) },
    trend.columns.map((c) => h("option", { value: c.id, selected: c.id === column }, c.label)));
  const label = trend.columns.find((c) => c.id === column)?.label;
  const participation = trend.participation.find((p) => p.column === column);
  nodes.push(
    h("div", { class: "toolbar" }, h("div", {}, h("label", { class: "label", for: "trend-context" }, "Show the trend for"), columnSelect)),
    h("section", { class: "card", "aria-labelledby": "participation-title" },
      h("h2", { id: "participation-title" }, `Responses and response rates: ${label}`),
      h("table", {}, h("thead", {}, h("tr", {}, ["Wave", "Responses", "Headcount", "Response rate"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, participation.waves.map((p, i) => h("tr", {}, h("th", { scope: "row" }, trend.waves[i].label),
          h("td", { class: "num" }, fmt(p.responses, trend.hidden_label)),
          h("td", { class: "num" }, p.headcount ? number(p.headcount) : ""),
          h("td", {}, p.hidden ?? p.rate_problem ?? (p.rate === undefined || p.rate === null ? "" : `${p.rate}%`))))))),
    trend.questions.map((q) => h("section", { class: "card", "aria-labelledby": `t-${q.id}` },
      h("h2", { id: `t-${q.id}` }, q.prompt),
      h("ul", { class: "multiples" }, q.lines.map((line) => {
        const series = line.series.find((s) => s.column === column);
        const last = [...series.points].reverse().find((p) => p.value !== undefined && p.value !== null);
        return h("li", { class: "multiple" },
          h("h3", {}, line.label),
          h("p", { class: `change change--${last?.change?.tone ?? "neutral"}` }, last?.change ? changeWords(last.change) : ""),
          trendChart(line, series, trend),
          h("p", { class: "hint trend-summary" }, series.summary),
          h("details", {}, h("summary", {}, "Show as a table"), trendTable(line, series, trend)));
      })))));
  show(...nodes);
  if (column !== "all") document.getElementById("trend-context").focus();
}

/** The field errors of a refusal, as a list. */
function problems(err) {
  return h("div", { class: "error-summary", role: "alert", tabindex: "-1" }, h("h2", {}, "There is a problem"), h("p", {}, err.message),
    err.details?.length ? h("ul", {}, err.details.map((d) => h("li", {}, d.field ? `${d.field}: ${d.message}` : String(d)))) : null);
}

async function wavesPage(id, notice, error) {
  const base = `/api/v1/surveys/${encodeURIComponent(id)}`;
  const list = await api(`${base}/waves`).then((r) => r.json());
  const act = async (what, done) => {
    try {
      await what();
      await wavesPage(id, done);
    } catch (err) {
      if (err instanceof Unauthorised) throw err;
      await wavesPage(id, null, err);
    }
  };
  const field = (name, label, attrs = {}) => [h("label", { class: "label", for: `wave-${name}` }, label), h("input", { class: "input", id: `wave-${name}`, name, ...attrs })];
  const addForm = h("form", { class: "card", novalidate: true, "aria-labelledby": "add-wave-title", onsubmit: (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const label = f.get("label_cy") ? { en: f.get("label"), cy: f.get("label_cy") } : f.get("label");
    act(() => post(`${base}/waves`, { id: f.get("id"), label, opens: f.get("opens"), closes: f.get("closes"), adopt: f.get("adopt") === "on" }), `Wave ${f.get("id")} added.`);
  } },
    h("h2", { id: "add-wave-title" }, "Add a wave"),
    field("id", "Id (for example 2026-q3)", { autocomplete: "off" }),
    field("label", "Name"),
    field("label_cy", "Name in Welsh (optional)"),
    field("opens", "First day", { type: "date" }),
    field("closes", "Last day", { type: "date" }),
    h("p", {}, h("input", { type: "checkbox", id: "wave-adopt", name: "adopt" }), " ", h("label", { for: "wave-adopt" }, "Take in the responses from before this survey had waves (its first wave only)")),
    h("button", { class: "button", type: "submit" }, "Add wave"));
  const headcountForm = (w) => h("form", { novalidate: true, "aria-label": `Headcounts for ${w.label.en ?? w.label}`, onsubmit: (e) => {
    e.preventDefault();
    const body = {};
    // A headcount travels as a JSON number; what is not one goes as typed, for the server to name.
    for (const [k, v] of new FormData(e.target)) {
      const typed = String(v).trim();
      if (typed !== "" && k !== "file") body[k] = /^-?\d{1,15}$/.test(typed) ? Number(typed) : typed;
    }
    act(() => send("PUT", `${base}/waves/${encodeURIComponent(w.id)}/headcounts`, body), `Headcounts for ${w.id} recorded.`);
  } },
    h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Context"), h("th", { scope: "col" }, "Headcount"))),
      h("tbody", {}, list.contexts.map((c) => h("tr", {}, h("th", { scope: "row" }, h("label", { for: `hc-${w.id}-${c.id}` }, c.label)),
        h("td", {}, h("input", { class: "input input--short", id: `hc-${w.id}-${c.id}`, name: c.id, inputmode: "numeric", value: w.headcounts[c.id] ?? "" })))))),
    h("button", { class: "button", type: "submit" }, "Save headcounts"),
    h("label", { class: "label", for: `csv-${w.id}` }, "Or upload a CSV file of context,headcount lines"),
    h("input", { type: "file", id: `csv-${w.id}`, name: "file", accept: ".csv,text/csv", onchange: async (e) => {
      const text = await e.target.files[0].text();
      act(() => send("PUT", `${base}/waves/${encodeURIComponent(w.id)}/headcounts`, text, "text/csv"), `Headcounts for ${w.id} recorded from the file.`);
    } }));
  // Rename at any time; close early (no earlier than the last day a response arrived, which the
  // server checks); delete only before it opens.
  const correctForm = (w) => {
    const wid = encodeURIComponent(w.id);
    const yesterday = new Date(Date.parse(`${list.today}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
    const rename = h("form", { novalidate: true, "aria-label": `Rename ${w.label.en ?? w.label}`, onsubmit: (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      const label = f.get("label_cy") ? { en: f.get("label"), cy: f.get("label_cy") } : f.get("label");
      act(() => send("PATCH", `${base}/waves/${wid}`, { label }), `Wave ${w.id} renamed.`);
    } },
      h("label", { class: "label", for: `rename-${w.id}` }, "Name"),
      h("input", { class: "input", id: `rename-${w.id}`, name: "label", value: w.label.en ?? w.label }),
      h("label", { class: "label", for: `rename-cy-${w.id}` }, "Name in Welsh (optional)"),
      h("input", { class: "input", id: `rename-cy-${w.id}`, name: "label_cy", value: w.label.cy ?? "" }),
      h("button", { class: "button button--secondary", type: "submit" }, "Rename wave"));
    const close = w.state === "upcoming" ? null : h("form", { novalidate: true, "aria-label": `Close ${w.label.en ?? w.label} early`, onsubmit: (e) => {
      e.preventDefault();
      const closes = new FormData(e.target).get("closes");
      act(() => send("PATCH", `${base}/waves/${wid}`, { closes }), `Wave ${w.id} now closes on ${closes}.`);
    } },
      h("label", { class: "label", for: `close-${w.id}` }, "New last day"),
      h("p", { class: "hint", id: `close-hint-${w.id}` }, `Yesterday (${yesterday}) closes it now. It cannot close before a day a response arrived in it.`),
      h("input", { class: "input input--short", id: `close-${w.id}`, name: "closes", type: "date", value: w.state === "open" ? yesterday : w.closes, "aria-describedby": `close-hint-${w.id}` }),
      h("button", { class: "button button--secondary", type: "submit" }, "Close early"));
    // Nothing can be lost: a wave that has not opened holds no responses.
    const remove = w.state !== "upcoming" ? null : h("button", { class: "button button--warning", type: "button", onclick: () =>
      act(() => send("DELETE", `${base}/waves/${wid}`), `Wave ${w.id} deleted.`) }, "Delete wave");
    return h("details", {}, h("summary", {}, "Correct this wave"), rename, close, remove);
  };
  const STATE = { upcoming: "Upcoming", open: "Open now", closed: "Closed" };
  const nodes = [
    h("p", {}, h("a", { href: `#/surveys/${encodeURIComponent(id)}` }, "Back to the results")),
    pageTitle("Waves and headcounts"),
    error ? problems(error) : null,
    notice ? h("div", { class: "card notice", role: "status" }, notice) : null,
    h("p", {}, `While a survey has waves it takes responses only inside one; outside them the survey tells staff when the next opens. Today is ${list.today}.`),
    list.waves.length ? null : h("p", {}, "This survey has no waves: it takes responses whenever its own dates allow."),
    list.waves.map((w) => h("section", { class: "card", "aria-labelledby": `wave-${w.id}-title` },
      h("h2", { id: `wave-${w.id}-title` }, `${w.label.en ?? w.label}`),
      h("p", { class: "hint" }, `${w.id}: ${w.opens} to ${w.closes}. ${STATE[w.state]}.`),
      headcountForm(w),
      correctForm(w))),
    addForm,
  ];
  show(...nodes);
  if (error) app.querySelector(".error-summary").focus();
}

const STATUS_WORDS = { pending: "Waiting for review", approved: "Approved: on the showcase", rejected: "Rejected" };

/** One story in the moderation queue, with what can be done to it. */
function storyCard(story, onDecide) {
  const valueTags = story.value_names.map((v) => h("span", { class: "tag" }, v));
  const title = h("h3", { id: `story-${story.id}` }, `Story ${story.id.slice(0, 6)}`);
  // The link is shown as an address to open and check, not as a picture: the dashboard fetches
  // nothing from another site.
  const media = story.media
    ? h("div", { class: "media-check" },
        h("p", {}, h("strong", {}, "Photo or video link: "), h("a", { href: story.media.link, rel: "noopener noreferrer", referrerpolicy: "no-referrer", target: "_blank" }, story.media.link, h("span", { class: "visually-hidden" }, " (opens in a new tab)"))),
        h("p", {}, h("strong", {}, "Caption: "), story.media.caption))
    : null;
  // What the scrubber cannot take out, for the moderator to check before approving.
  const warnings = [];
  story.likely_names ??= [];
  story.placeholders ??= [];
  story.similar ??= [];
  if (story.likely_names.length) warnings.push(h("p", {}, "It may name someone: ", story.likely_names.flatMap((n, i) => [i ? ", " : "", h("mark", {}, n)]), ". Check that each is meant to be there (staff often name a colleague on purpose), and take out any patient's name."));
  if (story.placeholders.length) warnings.push(h("p", {}, `It still reads ${story.placeholders.join(", ")}, where the writer's details were taken out; the showcase will show that as it is. You can edit it out.`));
  // Marked, not a warning to press through: colleagues often write up one event together.
  const twins = story.similar.length
    ? h("p", { class: "hint" }, h("strong", {}, "Near-identical: "), `the same as, or nearly the same as, ${story.similar.map((s) => `story ${s.slice(0, 6)}`).join(", ")}. The writer may have sent it twice, or colleagues may have written up one event; you may not want to approve more than one.`)
    : null;
  const checks = warnings.length ? h("div", { class: "card notice", role: "note", id: `checks-${story.id}` }, h("strong", {}, "Check before approving"), warnings) : null;
  if (story.status === "pending") {
    const box = h("textarea", { class: "input textarea", id: `text-${story.id}`, rows: 5, "aria-describedby": `hint-${story.id}` }, story.text);
    const drop = story.media ? h("input", { type: "checkbox", id: `drop-${story.id}`, class: "checkbox" }) : null;
    const caption = story.media ? h("input", { class: "input", id: `caption-${story.id}`, value: story.media.caption }) : null;
    const tags = VALUES.map(([v, label]) => [h("input", { type: "checkbox", class: "checkbox", id: `value-${story.id}-${v}`, value: v, checked: story.values.includes(v) || null }), " ", h("label", { for: `value-${story.id}-${v}` }, label)]);
    const values = h("fieldset", { class: "values-edit" }, h("legend", {}, "Values this story shows"), tags.map((t) => h("div", {}, t)));
    return h("li", { class: "card", "aria-labelledby": title.id },
      title,
      h("label", { class: "label", for: box.id }, "Story text"),
      h("p", { class: "hint", id: `hint-${story.id}` }, "Take out anything that could identify someone before you approve it. Your edit replaces the original, which is not kept."),
      box,
      media,
      story.media ? h("p", { class: "hint" }, "Open the link and check that the photo or video shows no one who has not agreed, and nothing else that should not be shared. Staff see the link only once you approve the story.") : null,
      caption ? h("label", { class: "label", for: caption.id }, "Caption") : null,
      caption,
      drop ? h("p", {}, drop, " ", h("label", { for: drop.id }, "Approve without the link and caption")) : null,
      values,
      twins,
      checks,
      h("button", { class: "button", type: "button", "aria-describedby": checks ? checks.id : null, onclick: (e) => {
        // A story with something to check takes a second press, after the warning is read out.
        if (checks && !e.currentTarget.dataset.checked) {
          e.currentTarget.dataset.checked = "yes";
          e.currentTarget.textContent = "Approve anyway";
          checks.setAttribute("role", "alert");
          return;
        }
        const body = { decision: "approved" };
        if (box.value.trim() !== story.text.trim()) body.text = box.value;
        if (drop?.checked) body.remove_link = true;
        else if (caption && caption.value.trim() !== story.media.caption.trim()) body.caption = caption.value;
        const chosen = [...values.querySelectorAll("input:checked")].map((i) => i.value);
        if ([...chosen].sort().join() !== [...story.values].sort().join()) body.values = chosen;
        onDecide(story, body);
      } }, "Approve"),
      h("button", { class: "button button--secondary", type: "button", onclick: () => onDecide(story, { decision: "rejected" }) }, "Reject"));
  }
  return h("li", { class: "card", "aria-labelledby": title.id },
    title,
    story.text ? h("blockquote", {}, story.text) : null,
    media,
    h("p", {}, "Values: ", valueTags),
    twins,
    checks,
    h("p", { class: "hint" }, STATUS_WORDS[story.status], story.edited ? " (edited)" : ""),
    story.status === "approved"
      ? h("button", { class: "button button--secondary", type: "button", onclick: () => onDecide(story, { decision: "rejected" }) }, "Withdraw from the showcase")
      : h("button", { class: "button button--secondary", type: "button", onclick: () => onDecide(story, { decision: "approved" }) }, "Approve after all"));
}

async function moderationPage(id, notice) {
  const base = `/api/v1/surveys/${encodeURIComponent(id)}`;
  const queue = await api(`${base}/moderation`).then((r) => r.json());
  const decide = async (story, body) => {
    try {
      const after = await post(`${base}/moderation/${story.id}`, body);
      await moderationPage(id, `Story ${story.id.slice(0, 6)}: ${STATUS_WORDS[after.status].toLowerCase()}${after.edited && body.text ? ", with your edit" : ""}.`);
    } catch (err) {
      if (err instanceof Unauthorised) throw err;
      await moderationPage(id, `That did not work: ${err.message}`);
    }
  };
  const group = (status, heading, empty) => {
    const stories = queue.stories.filter((s) => s.status === status);
    return h("section", { "aria-labelledby": `${status}-title` },
      h("h2", { id: `${status}-title` }, `${heading} (${stories.length})`),
      stories.length ? h("ul", { class: "queue" }, stories.map((s) => storyCard(s, decide))) : h("p", {}, empty));
  };
  const nodes = [
    h("p", {}, may("analyst") ? h("a", { href: `#/surveys/${encodeURIComponent(id)}` }, "Back to the results") : h("a", { href: "#/" }, "All surveys")),
    pageTitle("Stories for the showcase"),
    notice ? h("div", { class: "card notice", role: "status" }, notice) : null,
    h("p", {}, "These are the stories whose writers agreed that they may be shown to other staff, without their names. Approved stories appear in the showcase on the intranet; rejected ones never do. Stories without that agreement are not listed here and stay in the stories download only."),
  ];
  if (queue.note) nodes.push(h("div", { class: "card" }, h("p", {}, `No stories yet: ${queue.note}, so that nobody can be singled out.`)));
  else nodes.push(
    group("pending", "Waiting for review", "Nothing is waiting."),
    group("approved", "On the showcase", "No story is on the showcase yet."),
    group("rejected", "Rejected", "No story has been rejected."));
  nodes.push(h("section", { "aria-labelledby": "decisions-title" },
    h("h2", { id: "decisions-title" }, "Decisions"),
    queue.decisions.length
      ? h("table", {},
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Day"), h("th", { scope: "col" }, "Story"), h("th", { scope: "col" }, "Decision"), h("th", { scope: "col" }, "Edited"))),
          h("tbody", {}, queue.decisions.map((d) => h("tr", {}, h("td", {}, d.on), h("td", {}, d.story.slice(0, 6)), h("td", {}, d.decision), h("td", {}, d.edited ? "yes" : "no")))))
      : h("p", {}, "No decisions yet.")));
  show(...nodes);
}

const put = (path, body) => send("PUT", path, body);

/** What staff see: the questions whose headline figures are shared, and "you said, we did". */
async function sharingPage(id, notice) {
  const base = `/api/v1/surveys/${encodeURIComponent(id)}`;
  const [def, sharing, waves] = await Promise.all([
    api(base).then((r) => r.json()),
    api(`${base}/sharing`).then((r) => r.json()),
    api(`${base}/waves`).then((r) => r.json()),
  ]);
  const welsh = typeof def.title === "object" && def.title.cy !== undefined;
  const shareable = def.questions.filter((q) => ["single_choice", "multiple_choice", "likert_matrix"].includes(q.type));
  const text = (t) => (typeof t === "string" ? t : t.en);
  const boxes = shareable.map((q) => {
    const box = h("input", { type: "checkbox", class: "checkbox", id: `share-${q.id}`, name: "questions", value: q.id, checked: sharing.questions.includes(q.id) });
    return h("li", {}, box, " ", h("label", { for: box.id }, text(q.prompt)));
  });
  const list = h("ol", { class: "notes-edit" });
  const addNote = (n = {}) => {
    const i = list.children.length + Math.floor(Math.random() * 1e6);
    const area = (name, label, lang) => {
      const fieldId = `note-${i}-${name}-${lang}`;
      const value = n[name] ? (typeof n[name] === "string" ? (lang === "en" ? n[name] : "") : n[name][lang] ?? "") : "";
      return [h("label", { class: "label", for: fieldId }, label), h("textarea", { class: "input textarea", id: fieldId, rows: 3, "data-name": name, "data-lang": lang }, value)];
    };
    const waveSelect = h("select", { class: "input", id: `note-${i}-wave` },
      h("option", { value: "" }, "The survey as a whole"),
      waves.waves.map((w) => h("option", { value: w.id, selected: n.wave === w.id }, text(w.label))));
    const item = h("li", { class: "card note-edit" },
      h("label", { class: "label", for: waveSelect.id }, "About"), waveSelect,
      area("you_said", "You said (English)", "en"), welsh ? area("you_said", "You said (Welsh)", "cy") : null,
      area("we_did", "We did (English)", "en"), welsh ? area("we_did", "We did (Welsh)", "cy") : null,
      h("button", { class: "button button--secondary", type: "button", onclick: () => item.remove() }, "Remove this note"));
    list.append(item);
  };
  sharing.notes.forEach(addNote);
  const read = () => ({
    questions: boxes.map((li) => li.querySelector("input")).filter((b) => b.checked).map((b) => b.value),
    notes: [...list.children].map((item) => {
      const note = {};
      const wave = item.querySelector("select").value;
      if (wave) note.wave = wave;
      for (const name of ["you_said", "we_did"]) {
        const en = item.querySelector(`[data-name=${name}][data-lang=en]`).value;
        const cy = item.querySelector(`[data-name=${name}][data-lang=cy]`)?.value;
        note[name] = welsh ? { en, cy } : en;
      }
      return note;
    }),
  });
  // A refusal is shown above the form, which keeps what was typed.
  const refusal = h("div", {});
  const form = h("form", { novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    try {
      await put(`${base}/sharing`, read());
      await sharingPage(id, "Saved. Staff see the change within five minutes.");
    } catch (err) {
      if (err instanceof Unauthorised) throw err;
      refusal.replaceChildren(problems(err));
      refusal.querySelector(".error-summary").focus();
    }
  } },
    h("fieldset", { class: "fieldset" },
      h("legend", {}, h("h2", {}, "Questions staff see")),
      h("p", { class: "hint" }, "Off by default. Staff see the share for everyone and, on a page that names one, for that context, hidden where fewer than ", String(def.k ?? 10), " people answered, as here. For a survey with waves, staff see the latest closed wave and its change since the one before."),
      h("ul", { class: "plain" }, boxes)),
    h("h2", {}, "You said, we did"),
    h("p", { class: "hint" }, "Short notes on what is being done about the results, shown under the figures. A wave's note appears once that wave has closed."),
    list,
    h("p", {}, h("button", { class: "button button--secondary", type: "button", onclick: () => addNote() }, "Add a note")),
    h("button", { class: "button", type: "submit" }, "Save what staff see"));
  show(
    h("p", {}, h("a", { href: `#/surveys/${encodeURIComponent(id)}` }, "Back to the results")),
    pageTitle("Share results with staff"),
    refusal,
    notice ? h("div", { class: "card notice", role: "status" }, notice) : null,
    h("p", {}, "Put the results on any intranet page with the same loader as the survey:"),
    h("pre", { class: "code" }, `<div data-pulse-results="${id}" data-pulse-context="estates"></div>`),
    form);
}

const VALUES = [
  ["working_together", "Working together for patients"], ["respect_dignity", "Respect and dignity"],
  ["commitment_to_quality", "Commitment to quality of care"], ["compassion", "Compassion"],
  ["improving_lives", "Improving lives"], ["everyone_counts", "Everyone counts"],
];

/** One NHS value's evidence: its figures by context, their trend and its approved stories; printable on A4. */
async function evidencePage(id, value) {
  const base = `/api/v1/surveys/${encodeURIComponent(id)}`;
  const pack = await api(`${base}/evidence/${encodeURIComponent(value)}`).then((r) => r.json());
  const column = (c) => pack.columns.find((x) => x.id === c)?.label ?? c;
  const waveLabel = (w) => pack.waves.find((x) => x.id === w)?.label ?? w;
  const figure = (f) => {
    const nodes = [h("h3", {}, f.label), h("p", { class: "hint" }, f.prompt),
      h("table", {},
        h("caption", { class: "visually-hidden" }, `${f.label}, by context`),
        h("thead", {}, h("tr", {}, ["Context", "Percent", "Count", "Hidden because"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, f.cells.map((c) => h("tr", {},
          h("th", { scope: "row" }, column(c.column)),
          h("td", {}, c.percent === undefined ? "hidden" : `${c.percent}%`),
          h("td", {}, c.count === undefined ? "" : `${number(c.count)} of ${number(c.of)}`),
          h("td", {}, c.hidden ?? "")))))];
    if (f.trend) {
      const all = f.trend.series.find((s) => s.column === "all");
      nodes.push(h("p", {}, all.summary),
        h("table", {},
          h("caption", {}, `${f.label}: by wave`),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Context"), pack.waves.map((w) => h("th", { scope: "col" }, w.label)))),
          h("tbody", {}, f.trend.series.map((s) => h("tr", {},
            h("th", { scope: "row" }, column(s.column)),
            s.points.map((p) => h("td", {}, p.value === undefined ? "hidden" : `${p.value}%${p.change ? ` (${p.change.direction.replaceAll("_", " ")} since ${waveLabel(p.change.since)})` : ""}`)))))));
    }
    return h("section", { class: "card evidence-figure" }, nodes);
  };
  show(
    h("p", { class: "no-print" }, h("a", { href: `#/surveys/${encodeURIComponent(id)}` }, "Back to the results")),
    h("nav", { class: "no-print", "aria-label": "NHS values" }, h("ul", { class: "links" }, VALUES.map(([v, label]) =>
      h("li", {}, v === value ? h("a", { href: `#/evidence/${encodeURIComponent(id)}/${v}`, "aria-current": "page" }, h("strong", {}, label)) : h("a", { href: `#/evidence/${encodeURIComponent(id)}/${v}` }, label))))),
    pageTitle(`${pack.label}: values evidence`),
    h("p", { class: "lede" }, `${pack.title}. `, h("q", {}, pack.description), " (NHS Constitution)"),
    h("p", {}, `Responses in the groups shown: ${fmt(pack.responses, "fewer than " + pack.k)}. ${pack.note}`),
    h("p", { class: "no-print" },
      h("button", { class: "button", type: "button", onclick: () => print() }, "Print or save as PDF"),
      " ",
      h("button", { class: "button button--secondary", type: "button", onclick: () => download(`${base}/evidence.xlsx`, `${id}-values-evidence.xlsx`) }, "Download XLSX (a sheet per value)")),
    h("h2", {}, "What the survey says"),
    pack.figures.length ? pack.figures.map(figure) : h("p", {}, "No question of this survey asks about this value."),
    h("h2", {}, `Values in action: approved stories (${pack.stories.length})`),
    pack.stories.length
      ? h("ul", { class: "queue" }, pack.stories.map((s) => h("li", { class: "card" },
          s.text ? h("blockquote", {}, s.text) : null,
          s.media ? h("p", {}, "Photo or video: ", h("a", { href: s.media.link, rel: "noopener noreferrer" }, s.media.caption || s.media.link), h("span", { class: "print-only" }, ` (${s.media.link})`)) : null)))
      : h("p", {}, "No approved story is tagged with this value yet."));
}

/** Who may see results, and the named tokens: owners only. */
async function adminsPage(notice, error, kept) {
  const [grants, tokens] = await Promise.all([api("/api/v1/admins/grants").then((r) => r.json()), api("/api/v1/admins/tokens").then((r) => r.json())]);
  const save = async (next, message) => {
    try {
      await put("/api/v1/admins/grants", { grants: next });
      await adminsPage(message);
    } catch (err) {
      if (err instanceof Unauthorised) throw err;
      await adminsPage(null, err, form);
    }
  };
  const who = (g) => (g.email ? g.email : `Group ${g.group}`);
  const field = (id, label, hint, input) => h("div", { class: "field" }, h("label", { class: "label", for: id }, label), hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, input);
  const form = kept ?? {};
  const kind = h("select", { class: "select", id: "grant-kind" }, h("option", { value: "email" }, "E-mail address"), h("option", { value: "group" }, "Group id"));
  const value = h("input", { class: "input", id: "grant-value", autocomplete: "off", "aria-describedby": "grant-value-hint" });
  const role = h("select", { class: "select", id: "grant-role" }, ["viewer", "moderator", "analyst", "owner"].map((r) => h("option", { value: r }, r)));
  const contexts = h("input", { class: "input", id: "grant-contexts", autocomplete: "off", "aria-describedby": "grant-contexts-hint" });
  if (form.kind) kind.value = form.kind;
  if (form.value) value.value = form.value;
  if (form.role) role.value = form.role;
  if (form.contexts) contexts.value = form.contexts;
  const add = h("form", { class: "card", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const keep = { kind: kind.value, value: value.value, role: role.value, contexts: contexts.value };
      Object.assign(form, keep);
      const grant = { [kind.value]: value.value.trim(), role: role.value, contexts: contexts.value.split(/[\s,]+/).filter(Boolean) };
      const key = (g) => (g.email ? `e:${g.email.toLowerCase()}` : `g:${g.group}`);
      await save([...grants.filter((g) => key(g) !== key(grant)), grant], `${who(grant)} may now sign in as ${grant.role}.`);
    } },
    h("h2", {}, "Let someone sign in"),
    field("grant-kind", "Who", null, kind),
    field("grant-value", "Address or group id", "An e-mail address as the identity provider sends it, or a group's object id (Microsoft Entra ID: Groups, Object ID).", value),
    field("grant-role", "Role", null, role),
    field("grant-contexts", "Contexts (viewers only)", "The contexts a viewer sees, e.g. estates, separated by spaces. A viewer sees each on its own, suppressed, and no total.", contexts),
    h("button", { class: "button", type: "submit" }, "Save"));
  const newToken = h("form", { class: "card", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const data = new FormData(e.target);
      try {
        const made = await post("/api/v1/admins/tokens", { name: data.get("name"), role: data.get("role"), contexts: String(data.get("contexts")).split(/[\s,]+/).filter(Boolean), expires: data.get("expires") || null });
        await adminsPage(h("span", {}, `Token ${made.name} made. Copy it now; it is not shown again: `, h("code", { id: "new-token" }, made.token)));
      } catch (err) {
        if (err instanceof Unauthorised) throw err;
        await adminsPage(null, err);
      }
    } },
    h("h2", {}, "Make a token for a script"),
    field("token-name", "Name", "Say whose or what it is, e.g. finance-exports.", h("input", { class: "input", id: "token-name", name: "name", autocomplete: "off" })),
    field("token-role", "Role", null, h("select", { class: "select", id: "token-role", name: "role" }, ["analyst", "viewer", "moderator", "owner"].map((r) => h("option", { value: r }, r)))),
    field("token-contexts", "Contexts (viewers only)", null, h("input", { class: "input", id: "token-contexts", name: "contexts", autocomplete: "off" })),
    field("token-expires", "Last day it works (optional)", null, h("input", { class: "input", id: "token-expires", name: "expires", type: "date" })),
    h("button", { class: "button", type: "submit" }, "Make token"));
  show(
    h("p", {}, h("a", { href: "#/" }, "All surveys")),
    pageTitle("Who can see results"),
    notice ? h("div", { class: "card notice", role: "status" }, notice) : null,
    error ? problems(error) : null,
    h("p", {}, "People sign in with your organisation's accounts; this list says who may, and as what. Owners manage this list, tokens and the audit log; analysts read results, download, run waves and publish; moderators review stories; viewers see only their contexts' results."),
    h("div", { class: "card" }, h("table", {},
      h("caption", {}, "May sign in"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Who"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "Contexts"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Action")))),
      h("tbody", {}, grants.map((g) => h("tr", {}, h("td", {}, who(g)), h("td", {}, g.role), h("td", {}, (g.contexts ?? []).join(", ")),
        h("td", {}, h("button", { class: "link-button", type: "button", onclick: () => save(grants.filter((o) => o !== g), `${who(g)} may no longer sign in.`) }, "Remove", h("span", { class: "visually-hidden" }, ` ${who(g)}`)))))))),
    add,
    h("div", { class: "card" }, h("table", {},
      h("caption", {}, "Tokens"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "Last day"), h("th", { scope: "col" }, "Made"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Action")))),
      h("tbody", {}, tokens.map((t) => h("tr", {}, h("td", {}, t.name), h("td", {}, [t.role, ...(t.contexts ?? [])].join(" ")), h("td", {}, t.expires ?? "none"), h("td", {}, t.created.slice(0, 10)),
        h("td", {}, h("button", { class: "link-button", type: "button", onclick: async () => {
          try {
            await send("DELETE", `/api/v1/admins/tokens/${encodeURIComponent(t.name)}`);
            await adminsPage(`Token ${t.name} revoked.`);
          } catch (err) {
            if (err instanceof Unauthorised) throw err;
            await adminsPage(null, err);
          }
        } }, "Revoke", h("span", { class: "visually-hidden" }, ` ${t.name}`)))))))),
    newToken,
  );
}

/** Who did what: owners only. */
async function auditPage(since) {
  const query = since ? `?since=${encodeURIComponent(since)}` : "";
  const entries = await api(`/api/v1/audit${query}`).then((r) => r.json());
  const day = h("input", { class: "input", id: "since", type: "date", value: since ?? "" });
  show(
    h("p", {}, h("a", { href: "#/" }, "All surveys")),
    pageTitle("Audit log"),
    h("p", {}, "Every admin action, with who did it and when. It never holds a response or a story's words."),
    h("form", { class: "card", onsubmit: (e) => { e.preventDefault(); location.hash = day.value ? `#/audit/${day.value}` : "#/audit"; } },
      h("label", { class: "label", for: "since" }, "From this day"), day,
      h("button", { class: "button button--secondary", type: "submit" }, "Show"),
      h("button", { class: "button button--secondary", type: "button", onclick: () => download(`/api/v1/audit.csv${query}`, since ? `pulse-audit-since-${since}.csv` : "pulse-audit.csv") }, "Download CSV")),
    h("div", { class: "card" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "Admin actions, newest first"),
      h("thead", {}, h("tr", {}, ["Time (UTC)", "Who", "Action", "On", "Details"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, [...entries].reverse().map((e) => h("tr", {}, h("td", {}, e.at.replace("T", " ").slice(0, 19)), h("td", {}, e.admin, e.account ? h("span", { class: "hint account" }, ` (account ${e.account})`) : null), h("td", {}, e.action), h("td", {}, e.target), h("td", {}, e.detail ?? "")))))),
  );
}

/** Whether this browser is signed in (a session, else a token), and as whom. */
async function whoAmI() {
  if (!session && !token) {
    const state = await fetch("/auth/session", { credentials: "same-origin" }).then((r) => r.json()).catch(() => ({}));
    signInOffered = Boolean(state.sign_in);
    if (state.signed_in) session = { csrf: state.csrf };
  }
  if (!session && !token) return false;
  if (!me) me = await (await api("/api/v1/me")).json();
  document.getElementById("who").textContent = `${me.name} (${me.role})`;
  return true;
}

function signedOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  session = null;
  me = null;
  return signInPage(message);
}

// One page is drawn at a time, in the order the addresses came: a slow page asked for before the
// address changed (the survey list, while sign-in finishes) must not be drawn over the page the admin
// went to.
let routing = Promise.resolve();
function route() {
  routing = routing.then(drawPage).catch((err) => console.error(err));
  return routing;
}

async function drawPage() {
  const [, page, id, version] = location.hash.split("/").map((part) => part && decodeURIComponent(part));
  try {
    if (!(await whoAmI())) return signInPage();
    signOut.hidden = false;
    if (page === "admins") await adminsPage();
    else if (page === "audit") await auditPage(id);
    else if (page === "moderation" && id) await moderationPage(id);
    else if (page === "sharing" && id) await sharingPage(id);
    else if (page === "evidence" && id) await evidencePage(id, version ?? "compassion");
    else if (page === "trend" && id) await trendPage(id);
    else if (page === "waves" && id) await wavesPage(id);
    else if (page === "surveys" && id) await surveyPage(id, version);
    else await surveysPage();
  } catch (err) {
    if (err instanceof Unauthorised) {
      return signedOut(session ? "Your session has ended. Sign in again." : "Your token is no longer valid. Sign in again.");
    }
    show(pageTitle("Something went wrong"), h("div", { class: "card" }, h("p", {}, err.message)));
  }
}

signOut.addEventListener("click", async () => {
  // A session ends on the server, not only in this browser.
  let endSession = null;
  if (session) {
    const answer = await fetch("/auth/logout", { method: "POST", headers: authHeaders(), credentials: "same-origin" }).catch(() => null);
    endSession = (await answer?.json().catch(() => null))?.end_session ?? null;
  }
  // And at the identity provider, when it offers that: otherwise the next person at this PC who
  // clicks "Sign in" would be let straight back in as this admin.
  if (endSession && /^https?:\/\//.test(endSession)) {
    location.assign(endSession);
    return;
  }
  location.hash = "";
  signedOut();
});
addEventListener("hashchange", route);
route();
