// Lighthouse's accessibility score on every page of the dashboard, in English and in Welsh. Lighthouse
// runs in a tab already signed in with an owner's token (the token lives in the tab, so a Lighthouse
// of its own could not sign in), with the language chosen as the switch remembers it.
// Prints one PAGE line per page and language, then one RESULT line.
// Usage: node dashboard-a11y.mjs PULSE_URL TOKEN (a server in demo mode, so every page has content).
import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const [pulseUrl, token] = process.argv.slice(2);
const PAGES = [
  "#/", "#/surveys/constitution", "#/surveys/constitution/w:winter", "#/trend/constitution", "#/waves/constitution",
  "#/moderation/constitution", "#/sharing/constitution", "#/evidence/constitution/compassion", "#/admins", "#/audit",
];
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const scores = [];
try {
  for (const lang of ["en", "cy"]) {
    const page = await browser.newPage();
    await page.goto(`${pulseUrl}/admin`);
    await page.evaluate((t, l) => {
      sessionStorage.setItem("pulse-admin-token", t);
      localStorage.setItem("pulse-admin-lang", l);
    }, token, lang);
    for (const hash of PAGES) {
      const result = await lighthouse(`${pulseUrl}/admin${hash}`, { onlyCategories: ["accessibility"], logLevel: "error" }, undefined, page);
      const score = Math.round(result.lhr.categories.accessibility.score * 100);
      const failed = Object.values(result.lhr.audits).filter((a) => a.score === 0 && a.scoreDisplayMode === "binary").map((a) => a.id);
      // What Lighthouse scored: the page signed in, in its language (not the sign-in page).
      const [shown, heading] = await page.evaluate(() => [document.documentElement.lang, document.querySelector("#app h1")?.textContent]);
      if (shown !== lang || !heading || /^(Sign in|Mewngofnodi)$/.test(heading)) throw new Error(`${hash} in ${lang}: drew ${heading} in ${shown}`);
      scores.push(score);
      console.log(`PAGE lang=${lang} hash=${hash} score=${score} failed=${failed.join(",") || "-"} heading=${JSON.stringify(heading)}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`RESULT pages=${scores.length} lowest=${Math.min(...scores)} all_100=${scores.every((s) => s === 100)}`);
