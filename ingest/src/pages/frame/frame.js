// A page that cannot show the survey says why to its editor in the console (and on the page).
const refused = document.body?.getAttribute("data-pulse-error");
if (refused) console.error(`Values Pulse: ${refused}`);
// Values Pulse in an iframe: tells the page that frames it how tall the survey is, so a small
// optional snippet on that page can size the frame to fit (see EMBEDDING.md). Only the height is
// sent, so it goes to whichever page is the parent.
if (window.parent !== window) {
  const survey = document.querySelector("[data-pulse-survey]")?.getAttribute("data-pulse-survey");
  let last = 0;
  const report = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "values-pulse:height", survey, height }, "*");
    }
  };
  new ResizeObserver(report).observe(document.documentElement);
  addEventListener("load", report);
}
