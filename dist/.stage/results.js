// Values Pulse results for staff: the headline figures an organisation chose to share, and what it
// is doing about them ("you said, we did"), on any intranet page. The loader (embed.js) imports
// this module, and nothing else, for each
//   <div data-pulse-results="constitution" data-pulse-context="estates"></div>
// so the page never downloads the survey widget. The figures come from the server's public
// headlines endpoint, which holds only shared questions, groups of at least k people and whole
// waves. Every chart is drawn as SVG bars (hidden from assistive technology) and said again as a
// sentence and as a table. Text is always inserted as text, never as HTML.

import { el, fill, openPanel } from "./panel.js";

const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attrs, ...children) => fill(document.createElementNS(SVG, tag), attrs, children);

const WORDS = {
  en: {
    title: "What you told us",
    everyone: "Everyone",
    failed: "The results could not be loaded. Please try again later.",
    unavailable: "This page cannot show these results. Please tell the person who looks after this page.",
    nothing: "No results have been shared here yet.",
    tooFew: (k) => `Not enough people have answered yet: results are shown only for groups of at least ${k} people.`,
    waiting: (date) => `Results are shared once this round of the survey closes${date ? ` on ${date}` : ""}.`,
    contextHidden: (k, label) => `Fewer than ${k} people in ${label} answered, so only the whole organisation's results are shown.`,
    wave: (label, dates) => `Results from ${label} (${dates}).`,
    based: (all, ctx, label) => `Based on ${all} responses` + (ctx ? `, ${ctx} of them in ${label}.` : "."),
    since: (prev) => `Changes are since ${prev}. "Up" or "down" is said only when a change is clear beyond chance; otherwise "no clear change".`,
    answered: (answers) => `Percentage who answered ${answers.join(" or ")}`,
    chose: "Percentage who chose each answer",
    across: "Across the organisation",
    in: (label) => `In ${label}`,
    up: (d, prev) => `up ${d} points since ${prev}`,
    down: (d, prev) => `down ${d} points since ${prev}`,
    same: (prev) => `no clear change since ${prev}`,
    hidden: "not shown",
    of: (count, of) => `${count} of ${of}`,
    answer: "Answer",
    table: "Show the figures as a table",
    notes: "You said, we did",
    youSaid: "You said",
    weDid: "We did",
    forAll: "The survey as a whole",
  },
  cy: {
    title: "Beth ddywedoch chi wrthym",
    everyone: "Pawb",
    failed: "Nid oedd modd llwytho'r canlyniadau. Rhowch gynnig arall arni yn nes ymlaen.",
    unavailable: "Ni all y dudalen hon ddangos y canlyniadau hyn. Rhowch wybod i'r person sy'n gofalu am y dudalen hon.",
    nothing: "Does dim canlyniadau wedi'u rhannu yma eto.",
    tooFew: (k) => `Nid oes digon o bobl wedi ateb eto: dim ond ar gyfer grwpiau o ${k} o bobl o leiaf y caiff canlyniadau eu dangos.`,
    waiting: (date) => `Caiff canlyniadau eu rhannu pan fydd y rownd hon o'r arolwg yn cau${date ? ` ar ${date}` : ""}.`,
    contextHidden: (k, label) => `Atebodd llai na ${k} o bobl yn ${label}, felly dim ond canlyniadau'r sefydliad cyfan sy'n cael eu dangos.`,
    wave: (label, dates) => `Canlyniadau ${label} (${dates}).`,
    based: (all, ctx, label) => `Yn seiliedig ar ${all} ymateb` + (ctx ? `, ${ctx} ohonynt yn ${label}.` : "."),
    since: (prev) => `Mae'r newidiadau ers ${prev}. Dim ond pan fydd newid yn glir y tu hwnt i siawns y dywedir "i fyny" neu "i lawr"; fel arall "dim newid clir".`,
    answered: (answers) => `Canran a atebodd ${answers.join(" neu ")}`,
    chose: "Canran a ddewisodd bob ateb",
    across: "Ar draws y sefydliad",
    in: (label) => `Yn ${label}`,
    up: (d, prev) => `i fyny ${d} pwynt ers ${prev}`,
    down: (d, prev) => `i lawr ${d} pwynt ers ${prev}`,
    same: (prev) => `dim newid clir ers ${prev}`,
    hidden: "heb ei ddangos",
    of: (count, of) => `${count} o ${of}`,
    answer: "Ateb",
    table: "Dangos y ffigurau fel tabl",
    notes: "Dywedoch chi, gwnaethom ni",
    youSaid: "Dywedoch chi",
    weDid: "Gwnaethom ni",
    forAll: "Yr arolwg cyfan",
  },
};

const STYLE = `
:host { all: initial !important; display: block !important; }
.results { font-family: Frutiger, Arial, sans-serif; font-size: 1rem; line-height: 1.5; color: #212b32;
  -webkit-text-size-adjust: 100%; box-sizing: border-box; max-width: 48em; }
.results *, .results *::before, .results *::after { box-sizing: inherit; }
h2 { font-size: 1.5em; font-weight: 700; line-height: 1.33; margin: 0 0 .5em; }
h3 { font-size: 1.1875em; font-weight: 700; line-height: 1.4; margin: 1.5em 0 .25em; }
h4 { font-size: 1em; font-weight: 700; margin: 0 0 .25em; }
p { margin: 0 0 1em; }
.meta, .measure { color: #4c6272; }
.measure { margin-bottom: .5em; }
.chart { display: grid; grid-template-columns: minmax(8em, 1fr) 2fr auto; gap: .25em .75em; align-items: center; margin: 0 0 .75em; }
.chart .label { grid-column: 1; }
.chart svg { grid-column: 2; width: 100%; height: 1.5em; display: block; }
.chart .value { grid-column: 3; font-weight: 600; white-space: nowrap; }
.bar-all { fill: #005eb8; }
.bar-context { fill: #330072; }
.track { fill: #e8edee; }
.key { display: flex; flex-wrap: wrap; gap: 1em; margin: 0 0 .5em; color: #4c6272; font-size: .875em; }
.swatch { display: inline-block; width: .875em; height: .875em; margin-right: .375em; vertical-align: -.0625em; }
.swatch-all { background: #005eb8; }
.swatch-context { background: #330072; }
.summary { margin-bottom: .5em; }
details { margin: 0 0 1em; }
summary { color: #005eb8; text-decoration: underline; cursor: pointer; min-height: 44px; display: inline-flex; align-items: center; }
summary:hover { color: #7c2855; }
summary:focus { outline: 4px solid transparent; color: #212b32; background: #ffeb3b; box-shadow: 0 -2px #ffeb3b, 0 4px #212b32; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin-top: .5em; }
caption { text-align: left; font-weight: 600; margin-bottom: .25em; }
th, td { text-align: left; padding: .5em 1em .5em 0; border-bottom: 1px solid #d8dde0; vertical-align: top; }
.notes { list-style: none; margin: 0; padding: 0; display: grid; gap: 1em; }
.note { background: #fff; border: 1px solid #d8dde0; border-left: 4px solid #007f3b; padding: 1em 1.25em; }
.note p { margin: 0 0 .5em; white-space: pre-line; }
.note p:last-child { margin: 0; }
.notice { border-left: 4px solid #005eb8; padding-left: 1em; }
.hidden { position: absolute !important; width: 1px !important; height: 1px !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; white-space: nowrap !important; }
@media (max-width: 30em) { .chart { grid-template-columns: 1fr auto; } .chart .label { grid-column: 1 / -1; }
  .chart svg { grid-column: 1; } .chart .value { grid-column: 2; } }
@media print { summary { display: none; } details > table { display: table; } }
`;


/// A figure's change since the previous wave, in words; empty when there is none.
const changeWords = (point, words, prev) => {
  const c = point?.change;
  if (!c || !prev) return "";
  const d = Math.abs(c.difference);
  return c.direction === "up" ? words.up(d, prev) : c.direction === "down" ? words.down(d, prev) : words.same(prev);
};

/// One column's figures as a sentence, for those who do not read the chart.
const sentence = (q, column, scope, words, prev) => {
  const items = q.figures
    .map((f) => {
      const p = f[column];
      if (!p) return `${f.label}: ${words.hidden}`;
      const change = changeWords(p, words, prev);
      return `${f.label}: ${p.percent}%${change ? ` (${change})` : ""}`;
    })
    .join("; ");
  return `${scope}: ${items}.`;
};

const arrow = (point) => (point?.change?.direction === "up" ? " ▲" : point?.change?.direction === "down" ? " ▼" : "");

function question(q, data, words, withContext) {
  const prev = data.previous_wave;
  const columns = withContext ? ["all", "context"] : ["all"];
  const chart = el("div", { class: "chart", "aria-hidden": "true" });
  for (const f of q.figures) {
    const bars = svg("svg", { focusable: "false", preserveAspectRatio: "none" });
    columns.forEach((column, i) => {
      const y = withContext ? `${i * 50}%` : "0";
      const height = withContext ? "45%" : "100%";
      bars.append(svg("rect", { class: "track", x: "0", y, width: "100%", height }));
      const p = f[column];
      if (p) bars.append(svg("rect", { class: `bar-${column}`, x: "0", y, width: `${p.percent}%`, height }));
    });
    const value = columns.map((column) => (f[column] ? `${f[column].percent}%${arrow(f[column])}` : "–")).join(" / ");
    chart.append(el("span", { class: "label" }, f.label), bars, el("span", { class: "value" }, value));
  }
  const summaries = [el("p", { class: "summary" }, sentence(q, "all", words.across, words, prev))];
  if (withContext) summaries.push(el("p", { class: "summary" }, sentence(q, "context", words.in(data.context.label), words, prev)));
  const cell = (p) => (p ? `${p.percent}% (${words.of(p.count, p.of)})${changeWords(p, words, prev) ? `, ${changeWords(p, words, prev)}` : ""}` : words.hidden);
  const table = el("table", {},
    el("caption", {}, q.prompt),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col" }, words.answer),
      el("th", { scope: "col" }, words.everyone),
      withContext ? el("th", { scope: "col" }, data.context.label) : null)),
    el("tbody", {}, q.figures.map((f) => el("tr", {},
      el("th", { scope: "row" }, f.label),
      el("td", {}, cell(f.all)),
      withContext ? el("td", {}, cell(f.context)) : null))));
  const measure = q.measure === "answered" ? words.answered(q.answers) : words.chose;
  return el("section", { class: "question", "aria-label": q.prompt },
    el("h3", {}, q.prompt),
    el("p", { class: "measure" }, measure),
    chart,
    summaries,
    el("details", {}, el("summary", {}, words.table), table));
}

function notes(data, words) {
  if (!data.notes.length) return null;
  return el("section", { class: "you-said", "aria-labelledby": "pulse-notes-title" },
    el("h3", { id: "pulse-notes-title" }, words.notes),
    el("ul", { class: "notes", role: "list" }, data.notes.map((n) => el("li", { class: "note" },
      el("h4", {}, n.wave ?? words.forAll),
      el("p", {}, el("strong", {}, `${words.youSaid}: `), n.you_said),
      el("p", {}, el("strong", {}, `${words.weDid}: `), n.we_did)))));
}

export async function mount(host, defaultEndpoint) {
  const context = host.getAttribute("data-pulse-context")?.trim() || null;
  const { survey, section, data } = await openPanel(host, defaultEndpoint, "results", STYLE, WORDS, ["context", context], "headlines");
  const words = WORDS[data.lang] ?? WORDS.en;
  const heading = el("h2", { id: `pulse-results-${survey}-${context ?? "all"}` }, `${words.title}: ${data.title}`);
  section.setAttribute("aria-labelledby", heading.id);
  section.removeAttribute("aria-busy");
  section.append(heading);
  // Dates come written from the server: browsers have no Welsh month names.
  if (data.wave) section.append(el("p", { class: "meta" }, words.wave(data.wave.label, data.wave.dates)));
  const withContext = Boolean(data.context?.shown) && data.status === "shown";
  if (data.status === "waiting_for_wave") {
    section.append(el("p", { class: "notice" }, words.waiting(data.next_closes_text)));
  } else if (data.status === "nothing_shared") {
    section.append(el("p", { class: "notice" }, words.nothing));
  } else if (data.status === "too_few") {
    section.append(el("p", { class: "notice" }, words.tooFew(data.k)));
  } else {
    section.append(el("p", { class: "meta" }, words.based(data.responses, withContext ? data.context_responses : null, data.context?.label)));
    if (data.context && !data.context.shown) section.append(el("p", { class: "notice" }, words.contextHidden(data.k, data.context.label)));
    if (data.previous_wave) section.append(el("p", { class: "meta" }, words.since(data.previous_wave)));
    if (withContext) {
      section.append(el("p", { class: "key", "aria-hidden": "true" },
        el("span", {}, el("span", { class: "swatch swatch-all" }), words.everyone),
        el("span", {}, el("span", { class: "swatch swatch-context" }), data.context.label)));
    }
    for (const q of data.questions) section.append(question(q, data, words, withContext));
  }
  const said = notes(data, words);
  if (said) section.append(said);
}
