// Values Pulse admin dashboard: sign in with an admin token, list surveys, read each survey's
// results as charts, tables and downloads, and moderate the stories staff agreed to share.
// It only draws: every figure, label, reason a figure is hidden, table line and download name
// comes from the admin API, which decided what may be published. Text from surveys and stories is
// always inserted as text, never as HTML.

const app = document.getElementById("app");
const signOut = document.getElementById("sign-out");
const TOKEN_KEY = "pulse-admin-token";
let token = sessionStorage.getItem(TOKEN_KEY);

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
  const r = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (r.status === 401) throw new Unauthorised();
  if (!r.ok) throw new Error((await r.json().catch(() => ({}))).error ?? `the server answered ${r.status}`);
  return r;
}

async function post(path, body) {
  const r = await fetch(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (r.status === 401) throw new Unauthorised();
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(json.error ?? `the server answered ${r.status}`);
  return json;
}

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
  const input = h("input", { class: "input", id: "token", name: "token", type: "password", autocomplete: "off", spellcheck: "false", "aria-describedby": problem ? "token-hint token-error" : "token-hint" });
  const form = h(
    "form",
    { class: "card", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      token = input.value.trim();
      try {
        await api("/api/v1/surveys");
        sessionStorage.setItem(TOKEN_KEY, token);
        route();
      } catch (err) {
        token = null;
        signInPage(err instanceof Unauthorised ? "That token is not valid. Check it and try again." : err.message);
      }
    } },
    h("label", { class: "label", for: "token" }, "Admin token"),
    h("p", { class: "hint", id: "token-hint" }, "Create one on the server with: pulse admin token create"),
    problem ? h("span", { class: "error-message", id: "token-error" }, h("span", { class: "visually-hidden" }, "Error: "), problem) : null,
    input,
    h("button", { class: "button", type: "submit" }, "Sign in"),
  );
  const summary = problem
    ? h("div", { class: "error-summary", role: "alert", tabindex: "-1" }, h("h2", {}, "There is a problem"), h("a", { href: "#token" }, problem))
    : null;
  show(pageTitle("Sign in"), summary, form);
  (summary ?? input).focus();
}

const number = (n) => n.toLocaleString("en-GB");
/** A figure as the API gives it: a number, or the results' word for a hidden one. */
const fmt = (n, hiddenLabel) => (n === null || n === undefined ? hiddenLabel : number(n));

async function surveysPage() {
  const surveys = await (await api("/api/v1/surveys")).json();
  const rows = surveys.map((s) =>
    h("tr", {},
      h("td", {}, h("a", { href: `#/surveys/${encodeURIComponent(s.id)}` }, s.title)),
      h("td", {}, s.id),
      h("td", { class: "num" }, String(s.version)),
      h("td", {}, s.language_names.join(", ")),
      h("td", { class: "num" }, s.responses === null ? s.responses_note : number(s.responses))),
  );
  show(
    pageTitle("Surveys"),
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
    h("p", { class: "hint" }, `Answered by ${fmt(answered, results.hidden_label)}`, q.versions_note ? ` (${q.versions_note})` : "", note ? `; ${note}` : ""),
    score === null ? null : h("p", { class: "score" }, `${q.score_label}: ${score}%`),
    chart,
    q.type === "free_text" ? null : dataTable(q, results));
}

async function surveyPage(id, version, column = "all") {
  const query = version && version !== "all" ? `?version=${version}` : "";
  const [results, surveys] = await Promise.all([
    api(`/api/v1/surveys/${encodeURIComponent(id)}/results${query}`).then((r) => r.json()),
    api("/api/v1/surveys").then((r) => r.json()),
  ]);
  const summary = surveys.find((s) => s.id === id);
  const stories = await api(`/api/v1/surveys/${encodeURIComponent(id)}/stories`).then((r) => r.json());

  const contextSelect = h("select", { class: "select", id: "context", onchange: (e) => surveyPage(id, version, e.target.value) },
    results.columns.map((c) => h("option", { value: c.id, selected: c.id === column }, c.label)));
  const versionSelect = summary && summary.versions.length > 1
    ? h("div", {}, h("label", { class: "label", for: "version" }, "Version"),
        h("select", { class: "select", id: "version", onchange: (e) => (location.hash = `#/surveys/${id}/${e.target.value}`) },
          h("option", { value: "all", selected: !query }, "All versions"),
          summary.versions.map((v) => h("option", { value: v, selected: query && v === results.version }, `Version ${v}`))))
    : null;
  const downloads = h("div", {},
    (results.downloads ?? []).map((d) => h("button", { class: "button button--secondary", type: "button", onclick: () => download(d.href, d.filename) }, d.label)));

  const nodes = [
    h("p", {}, h("a", { href: "#/" }, "All surveys")),
    pageTitle(results.title),
    h("p", {}, h("a", { href: `#/moderation/${encodeURIComponent(id)}` }, "Review stories for the showcase")),
  ];
  if (results.questions.length === 0) {
    nodes.push(h("div", { class: "card" }, h("p", {}, results.note)));
    return show(...nodes);
  }
  const shown = results.columns.find((c) => c.id === column)?.label;
  nodes.push(
    h("div", { class: "summary-figures" },
      h("div", { class: "figure" }, h("span", { class: "figure__value" }, fmt(results.responses, results.hidden_label)), "responses in the groups shown"),
      h("div", { class: "figure" }, h("span", { class: "figure__value" }, results.versions.length > 1 ? results.versions.join(", ") : String(results.version)), results.versions.length > 1 ? "versions" : "version")),
    h("div", { class: "toolbar" },
      h("div", {}, h("label", { class: "label", for: "context" }, "Show results for"), contextSelect),
      versionSelect),
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

const STATUS_WORDS = { pending: "Waiting for review", approved: "Approved: on the showcase", rejected: "Rejected" };

/** One story in the moderation queue, with what can be done to it. */
function storyCard(story, onDecide) {
  const valueTags = story.value_names.map((v) => h("span", { class: "tag" }, v));
  const title = h("h3", { id: `story-${story.id}` }, `Story ${story.id.slice(0, 6)}`);
  if (story.status === "pending") {
    const box = h("textarea", { class: "input textarea", id: `text-${story.id}`, rows: 5, "aria-describedby": `hint-${story.id}` }, story.text);
    return h("li", { class: "card", "aria-labelledby": title.id },
      title,
      h("label", { class: "label", for: box.id }, "Story text"),
      h("p", { class: "hint", id: `hint-${story.id}` }, "Take out anything that could identify someone before you approve it. Your edit replaces the original, which is not kept."),
      box,
      h("p", {}, "Values: ", valueTags),
      h("button", { class: "button", type: "button", onclick: () => {
        const edited = box.value.trim() !== story.text.trim();
        onDecide(story, edited ? { decision: "approved", text: box.value } : { decision: "approved" });
      } }, "Approve"),
      h("button", { class: "button button--secondary", type: "button", onclick: () => onDecide(story, { decision: "rejected" }) }, "Reject"));
  }
  return h("li", { class: "card", "aria-labelledby": title.id },
    title,
    h("blockquote", {}, story.text),
    h("p", {}, "Values: ", valueTags),
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
    h("p", {}, h("a", { href: `#/surveys/${encodeURIComponent(id)}` }, "Back to the results")),
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

async function route() {
  if (!token) return signInPage();
  signOut.hidden = false;
  const [, page, id, version] = location.hash.split("/");
  try {
    if (page === "moderation" && id) await moderationPage(decodeURIComponent(id));
    else if (page === "surveys" && id) await surveyPage(decodeURIComponent(id), version);
    else await surveysPage();
  } catch (err) {
    if (err instanceof Unauthorised) {
      sessionStorage.removeItem(TOKEN_KEY);
      token = null;
      return signInPage("Your token is no longer valid. Sign in again.");
    }
    show(pageTitle("Something went wrong"), h("div", { class: "card" }, h("p", {}, err.message)));
  }
}

signOut.addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  location.hash = "";
  signInPage();
});
addEventListener("hashchange", route);
route();
