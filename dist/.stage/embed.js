// Values Pulse loader. An intranet page includes this one script and one element per survey:
//   <div data-pulse-survey="constitution" data-pulse-context="estates"></div>
// or per showcase of approved stories:
//   <div data-pulse-showcase="constitution" data-pulse-value="compassion"></div>
// or per set of results shared with staff:
//   <div data-pulse-results="constitution" data-pulse-context="estates"></div>
// The widget itself (WebAssembly) is fetched only when a survey element comes near the viewport; a
// showcase or results element fetches only its own small module.
const base = new URL(".", import.meta.url);
let widget;
const load = () =>
  (widget ??= import(new URL("pulse-widget.js", base).href).then(async (m) => {
    await m.default({ module_or_path: new URL("pulse-widget_bg.wasm", base) });
    return m;
  }));
// Each mount runs in a task of its own, apart from compiling the wasm, so no task grows long.
const later = (m) => new Promise((go) => setTimeout(() => go(m)));
const failed = (el, what) => (e) => {
  el.textContent = `The ${what} could not be loaded. Please try again later.`;
  console.error("Values Pulse:", e);
};
const start = (el) =>
  el.hasAttribute("data-pulse-showcase")
    ? import(new URL("showcase.js", base).href).then((m) => m.mount(el, base.origin)).catch(failed(el, "stories"))
    : el.hasAttribute("data-pulse-results")
    ? import(new URL("results.js", base).href).then((m) => m.mount(el, base.origin)).catch(failed(el, "results"))
    : load()
        .then(later)
        .then((m) => m.mount(el, base.origin))
        .catch(failed(el, "survey"));
const near =
  "IntersectionObserver" in window &&
  new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) {
          near.unobserve(e.target);
          start(e.target);
        }
      }
    },
    { rootMargin: "300px" },
  );
// Until the widget arrives, a shadow root with one rule keeps the element laid out (and so
// observable) even on a page whose CSS hides or resets every div.
const placeholder = new CSSStyleSheet();
placeholder.replaceSync(":host{all:initial!important;display:block!important;min-height:1px!important}");
const scan = () => {
  for (const el of document.querySelectorAll(":is([data-pulse-survey], [data-pulse-showcase], [data-pulse-results]):not([data-pulse-seen])")) {
    el.setAttribute("data-pulse-seen", "");
    el.shadowRoot || (el.attachShadow({ mode: "open" }).adoptedStyleSheets = [placeholder]);
    near ? near.observe(el) : start(el);
  }
};
document.readyState === "loading" ? addEventListener("DOMContentLoaded", scan) : scan();
