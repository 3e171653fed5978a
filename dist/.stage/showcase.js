// Values Pulse showcase: approved "values in action" stories on an intranet page. The loader
// (embed.js) imports this module, and nothing else, for each
//   <div data-pulse-showcase="constitution" data-pulse-value="compassion"></div>
// so a page that only shows stories never downloads the survey widget. The stories come from the
// server's public showcase endpoint, which holds approved stories only: their text, values and
// approved photo or video links with captions.
// Text is always inserted as text, never as HTML.

import { el, openPanel } from "./panel.js";

const WORDS = {
  en: {
    title: "Values in action",
    titleFor: (value) => `Values in action: ${value}`,
    intro: "Stories from staff, shared with their agreement and without their names.",
    values: "Values",
    media: "Photo or video",
    none: "There are no stories to show yet.",
    more: (n) => `Show ${n} more ${n === 1 ? "story" : "stories"}`,
    failed: "The stories could not be loaded. Please try again later.",
    unavailable: "This page cannot show these stories. Please tell the person who looks after this page.",
    count: (shown, total) => `Showing ${shown} of ${total} ${total === 1 ? "story" : "stories"}`,
  },
  cy: {
    title: "Gwerthoedd ar waith",
    titleFor: (value) => `Gwerthoedd ar waith: ${value}`,
    intro: "Straeon gan staff, wedi'u rhannu gyda'u caniatâd a heb eu henwau.",
    values: "Gwerthoedd",
    media: "Llun neu fideo",
    none: "Does dim straeon i'w dangos eto.",
    more: (n) => `Dangos ${n} stori arall`,
    failed: "Nid oedd modd llwytho'r straeon. Rhowch gynnig arall arni yn nes ymlaen.",
    unavailable: "Ni all y dudalen hon ddangos y straeon hyn. Rhowch wybod i'r person sy'n gofalu am y dudalen hon.",
    count: (shown, total) => `Yn dangos ${shown} o ${total} stori`,
  },
};

// How many stories show at first, and with each "show more".
const PAGE = 6;

const STYLE = `
:host { all: initial !important; display: block !important; }
.showcase { font-family: Frutiger, Arial, sans-serif; font-size: 1rem; line-height: 1.5; color: #212b32;
  -webkit-text-size-adjust: 100%; box-sizing: border-box; }
.showcase *, .showcase *::before, .showcase *::after { box-sizing: inherit; }
h2 { font-size: 1.5em; font-weight: 700; line-height: 1.33; margin: 0 0 .5em; }
p { margin: 0 0 1em; }
.intro, .count { color: #4c6272; }
.stories { list-style: none; margin: 0 0 1em; padding: 0; display: grid; gap: 1em;
  grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); }
.story { background: #fff; border: 1px solid #d8dde0; border-top: 4px solid #005eb8; padding: 1em 1.25em; }
.story:focus { outline: 4px solid #ffeb3b; box-shadow: 0 0 0 8px #212b32; }
blockquote { margin: 0 0 .75em; font-size: 1.0625em; }
blockquote p { margin: 0; white-space: pre-line; }
.media { margin: 0 0 .75em; }
.media a { color: #005eb8; text-decoration: underline; word-break: break-word; }
.media a:visited { color: #330072; }
.media a:hover { color: #7c2855; text-decoration-thickness: 3px; }
.media a:focus { outline: 4px solid transparent; color: #212b32; background: #ffeb3b; box-shadow: 0 -2px #ffeb3b, 0 4px #212b32;
  text-decoration: none; }
.host { color: #4c6272; }
.tags { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .375em; }
.tag { background: #e8edee; color: #212b32; border-radius: 1em; padding: .125em .75em; font-size: .875em; }
button { font: inherit; font-weight: 600; color: #fff; background: #007f3b; border: 0; border-radius: 4px;
  box-shadow: 0 4px 0 #00401e; padding: .75em 1em; min-height: 44px; cursor: pointer; margin-bottom: 4px; }
button:hover { background: #00662f; }
button:focus { outline: 4px solid transparent; background: #ffeb3b; color: #212b32; box-shadow: 0 4px 0 #212b32; }
.hidden { position: absolute !important; width: 1px !important; height: 1px !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; white-space: nowrap !important; }
@media (prefers-reduced-motion: no-preference) { .story { transition: box-shadow .1s; } }
`;

/// An approved story's photo or video: a plain link with its caption and where it goes (no embed,
/// so the other site learns nothing until a reader chooses to follow it, and then not which page
/// they came from).
const media = (m, words) => {
  if (!m || typeof m.link !== "string" || !m.link.startsWith("https://")) return null;
  // The server keeps only links a browser parses; one kept before that rule shows its story
  // without the link rather than stopping every story after it.
  let host;
  try {
    host = new URL(m.link).host;
  } catch {
    return null;
  }
  return el("p", { class: "media" },
    `${words.media}: `,
    el("a", { href: m.link, rel: "noopener noreferrer", referrerpolicy: "no-referrer" }, m.caption || host),
    " ", el("span", { class: "host" }, `(${host})`));
};

export async function mount(host, defaultEndpoint) {
  const value = host.getAttribute("data-pulse-value")?.trim() || null;
  const { survey, section, data } = await openPanel(host, defaultEndpoint, "showcase", STYLE, WORDS, ["value", value]);
  // The survey answers in the language it has: English when it has no Welsh.
  const words = WORDS[data.lang] ?? WORDS.en;
  const labels = new Map(data.labels.map((l) => [l.id, l.label]));
  const id = `pulse-showcase-${survey}-${value ?? "all"}`;
  const heading = el("h2", { id: `${id}-title` }, value ? words.titleFor(labels.get(value) ?? value) : words.title);
  section.setAttribute("aria-labelledby", heading.id);
  section.removeAttribute("aria-busy");
  section.append(heading, el("p", { class: "intro" }, words.intro));
  if (!data.stories.length) {
    section.append(el("p", {}, words.none));
    return;
  }
  const list = el("ul", { class: "stories", role: "list" });
  const count = el("p", { class: "count", role: "status" });
  const more = el("button", { type: "button" });
  section.append(list, count, more);
  let shown = 0;
  const showMore = () => {
    const first = shown;
    for (const story of data.stories.slice(shown, shown + PAGE)) {
      // Each story on its own: one the page cannot show is left out, never the ones after it.
      try {
        list.append(
          el("li", { class: "story", tabindex: "-1" },
            story.text ? el("blockquote", {}, el("p", {}, story.text)) : null,
            media(story.media, words),
            el("ul", { class: "tags", "aria-label": words.values },
              (story.values ?? []).map((v) => el("li", { class: "tag" }, labels.get(v) ?? v)))));
      } catch (e) {
        console.error("Values Pulse: a story could not be shown", e);
      }
      shown++;
    }
    count.textContent = words.count(shown, data.stories.length);
    const left = data.stories.length - shown;
    more.hidden = left === 0;
    more.textContent = words.more(Math.min(left, PAGE));
    return list.children[first];
  };
  more.addEventListener("click", () => {
    // The reader goes on from the first new story, not back to the top.
    showMore()?.focus();
  });
  showMore();
}
