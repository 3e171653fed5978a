// Waves in Chromium against a real server: outside its waves the widget says the survey is closed and
// when the next opens (English and Welsh); the dashboard follows each answer across the demo's three
// closed waves, shows the open one's participation only, hides a small team's point with the
// reason, records headcounts and names a bad one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startPulse, startHost, launch, widget, axe, artifacts, freePort } from "./harness.mjs";

let browser, pulse, host, demo;
before(async () => {
  browser = await launch();
  const port = await freePort();
  pulse = await startPulse({ embedOrigins: [`http://127.0.0.1:${port}`] });
  host = await startHost(pulse.url, () => ({}), port);
  demo = await startPulse({ demo: true });
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
  await demo?.stop();
  await host?.close();
});

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** A day as staff read it: "6 April 2027", "6 Ebrill 2027". */
const MONTHS = {
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
  cy: ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"],
};
const written = (iso, lang) => {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${MONTHS[lang][m - 1]} ${y}`;
};

test("outside its waves the widget says the survey is closed and when the next opens, in English and Welsh", async () => {
  const token = pulse.token();
  const opens = day(2);
  const res = await fetch(`${pulse.url}/api/v1/surveys/constitution/waves`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ id: "next", label: { en: "Next pulse", cy: "Y pwls nesaf" }, opens, closes: day(30) }),
  });
  assert.equal(res.status, 201, await res.text());

  for (const [page, title, text] of [
    ["plain.html", "Not open just now", `This survey is closed. The next one opens on ${written(opens, "en")}.`],
    ["welsh-section.html", "Ddim ar agor ar hyn o bryd", `Mae'r arolwg hwn ar gau. Mae'r un nesaf yn agor ar ${written(opens, "cy")}.`],
  ]) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const tab = await context.newPage();
    const problems = [];
    tab.on("pageerror", (e) => problems.push(e.message));
    await tab.goto(`${host.url}/${page}`);
    const root = widget(tab);
    await root.getByRole("heading", { name: title }).waitFor();
    assert.equal(await root.getByText(text).count(), 1, page);
    assert.equal(await root.getByRole("button", { name: /Send my answers|Anfon fy atebion/ }).count(), 0, "no form to fill in");
    assert.deepEqual(await axe(tab), [], `${page}: the closed message is accessible`);
    await tab.screenshot({ path: join(artifacts, `widget-closed-${page.replace(".html", "")}.png`) });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("the dashboard's trend follows each answer across waves, hides a small team's point, and takes headcounts", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${demo.url}/admin`);
  await page.getByLabel("Admin token").fill(demo.token());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("row", { name: /Our NHS values/ }).getByRole("link").click();

  // One wave's results, with its response rate.
  await page.getByLabel("Wave").selectOption("w:autumn");
  await page.getByText(/response rate, of \d+ staff in the headcounts given/).waitFor();
  assert.deepEqual(await axe(page, "body"), [], "one wave's results");

  // The wave still open: who is taking part so far, and none of its answers until it closes.
  await page.getByLabel("Wave").selectOption("w:winter");
  await page.getByText("Still open", { exact: true }).waitFor();
  await page.getByText(/response rate so far/).waitFor();
  assert.equal(await page.getByRole("heading", { name: /^Results: / }).count(), 0, "no answers of an open wave");
  assert.match(await page.getByLabel("Wave").locator("option:checked").innerText(), /Winter pulse .*, still open\)$/);
  assert.deepEqual(await axe(page, "body"), [], "an open wave's page");

  await page.getByRole("link", { name: "Trend and response rates across waves" }).click();
  await page.getByRole("heading", { name: /^Trend: / }).waitFor();
  const card = page.getByRole("region", { name: "How much do you know about the NHS Constitution?" });
  const knows = card.getByRole("listitem").filter({ hasText: "I know what's in it" });
  assert.match(await knows.locator(".trend-summary").innerText(), /^All staff: I know what's in it was [\d.]+% in Autumn pulse, (up|down|no clear change) from/);
  assert.equal(await knows.locator("svg circle").count(), 3, "a point per wave");
  await page.screenshot({ path: join(artifacts, "admin-trend.png"), fullPage: true });
  assert.deepEqual(await axe(page, "body"), [], "the trend");

  // Corporate services: fewer than 10 answered in the spring wave, so that point is hidden.
  await page.getByLabel("Show the trend for").selectOption("corporate");
  const rates = page.getByRole("region", { name: /Responses and response rates: Corporate services/ });
  await rates.waitFor();
  assert.match(await rates.getByRole("row", { name: /Spring pulse/ }).innerText(), /hidden\s+\d+\s+fewer than 10 responses/);
  const corporate = page.getByRole("region", { name: "How much do you know about the NHS Constitution?" }).getByRole("listitem").first();
  const gaps = await corporate.locator("svg .gap").count();
  assert.ok(gaps >= 1 && gaps < 3, `a hidden point is drawn as a gap, a shown one as a point: ${gaps} gaps`);
  assert.equal(await corporate.locator("svg circle").count(), 3 - gaps);
  await corporate.getByText("Show as a table").click();
  const spring = corporate.getByRole("row", { name: /Spring pulse/ });
  assert.match(await spring.innerText(), /hidden/);
  assert.match(await spring.innerText(), /fewer than 10 people in Corporate services answered this/);
  assert.match(await corporate.locator(".trend-summary").innerText(), /^Corporate services: /);
  assert.deepEqual(await axe(page, "body"), [], "a trend with a hidden point");

  // Headcounts: a bad one is named, a good one is kept.
  await page.getByRole("link", { name: "Back to the results" }).click();
  await page.getByRole("link", { name: "Waves and headcounts" }).click();
  const autumn = page.getByRole("region", { name: "Autumn pulse" });
  await autumn.getByLabel("Estates and facilities").fill("-4");
  await autumn.getByRole("button", { name: "Save headcounts" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /estates: must be a whole number/);
  assert.deepEqual(await axe(page, "body"), [], "a refused headcount");
  const again = page.getByRole("region", { name: "Autumn pulse" });
  await again.getByLabel("Estates and facilities").fill("95");
  await again.getByRole("button", { name: "Save headcounts" }).click();
  await page.getByRole("status").getByText("Headcounts for autumn recorded.").waitFor();
  assert.equal(await page.getByRole("region", { name: "Autumn pulse" }).getByLabel("Estates and facilities").inputValue(), "95");
  assert.deepEqual(problems, []);
  await context.close();
});
