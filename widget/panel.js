// What the showcase and the results embed share: their element builder, and opening a panel in its
// own shadow root with the server's JSON for it. build.sh bundles this into each of them, so a page
// still makes one request per embed.

/// `node` with its attributes and children; text is always inserted as text.
export const fill = (node, attrs = {}, children = []) => {
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
};

/// An HTML element with its attributes and children.
export const el = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);

/// The language tags the page declares for `host`, in order: the server chooses among them with the
/// survey widget's rule.
const pageLanguages = (host) =>
  [host.getAttribute("data-pulse-lang"), host.closest("[lang]")?.getAttribute("lang")]
    .map((tag) => tag?.trim())
    .filter(Boolean)
    .join(",");

/// Opens the panel on `host`: a shadow root with `style`, a busy `<section class=name>`, and the
/// JSON of `/api/v1/surveys/{survey}/{name}` (or `path`) for the survey named by `host`'s
/// `data-pulse-{name}`, asked with the page's languages and `param` (a [name, value] pair, left out
/// when the value is empty). When the server does not
/// answer, the panel says `words.en.failed` and `words.cy.failed` (`unavailable` when it refuses
/// this page; the server chooses the
/// language, and it has not answered) and this throws. Arguments are positional: names of an
/// object's keys would survive minifying, in every embed.
export async function openPanel(host, defaultEndpoint, name, style, words, param, path = name) {
  const attribute = `data-pulse-${name}`;
  const survey = host.getAttribute(attribute)?.trim();
  const endpoint = (host.getAttribute("data-pulse-endpoint")?.trim() || defaultEndpoint).replace(/\/+$/, "");
  const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(style);
  root.adoptedStyleSheets = [sheet];
  const section = el("section", { class: name, "aria-busy": "true" });
  root.replaceChildren(section);
  if (!survey) throw new Error(`${attribute} is empty`);

  const query = new URLSearchParams();
  const tags = pageLanguages(host);
  if (tags) query.set("page_lang", tags);
  if (param[1]) query.set(...param);
  let data;
  // A refusal (an unknown survey or context, an origin the survey does not allow) will not pass
  // by trying again: staff read that this page cannot show it, and its editor reads why.
  let key = "failed";
  try {
    const response = await fetch(`${endpoint}/api/v1/surveys/${encodeURIComponent(survey)}/${path}?${query}`, {
      credentials: "omit",
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      if ([400, 403, 404].includes(response.status)) key = "unavailable";
      throw new Error([body.error ?? `status ${response.status}`, ...(body.details ?? [])].join(": "));
    }
    data = await response.json();
  } catch (e) {
    section.removeAttribute("aria-busy");
    section.append(el("p", { role: "alert" }, el("span", { lang: "en" }, words.en[key]), " ", el("span", { lang: "cy" }, words.cy[key])));
    throw e;
  }
  section.setAttribute("lang", data.lang);
  return { survey, section, data };
}
