// The dashboard in Welsh: chosen from the browser's language, switchable on every page from the
// header and remembered in the browser; every page in Welsh, the survey's own words too, and each
// accessible (axe-core, WCAG 2.2 AA).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startPulse, launch, axe, artifacts, repo } from "./harness.mjs";

// The README's screenshots of both languages (to tests/screenshots/ when UPDATE_SCREENSHOTS=1).
const shots = process.env.UPDATE_SCREENSHOTS ? join(repo, "tests", "screenshots") : artifacts;

let browser, demo;
before(async () => {
  browser = await launch();
  demo = await startPulse({ demo: true });
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** A page signed in with a token, in a browser whose language is `locale`. */
async function signedIn(locale) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true, locale });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${demo.url}/admin`);
  return { context, page, problems };
}

test("a Welsh browser gets the dashboard in Welsh, every page of it, and each is accessible", async () => {
  const { context, page, problems } = await signedIn("cy-GB");
  await page.getByRole("heading", { name: "Mewngofnodi" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "cy");
  await page.getByLabel("Tocyn gweinyddwr").fill("pulse_not-a-real-token");
  await page.getByRole("button", { name: "Mewngofnodi" }).click();
  await page.getByRole("alert").getByText("Nid yw'r tocyn hwnnw'n ddilys").waitFor();
  assert.deepEqual(await axe(page, "body"), [], "the sign-in page in Welsh");
  await page.getByLabel("Tocyn gweinyddwr").fill(demo.token());
  await page.getByRole("button", { name: "Mewngofnodi" }).click();
  await page.getByRole("heading", { name: "Arolygon" }).waitFor();
  const row = page.getByRole("row", { name: /Ein gwerthoedd GIG/ });
  assert.match(await row.innerText(), /Saesneg, Cymraeg/);
  assert.match(await page.locator("#who").innerText(), /\(perchennog\)/);
  assert.deepEqual(await axe(page, "body"), [], "the surveys in Welsh");

  // Each page: its heading, a word of its own, and axe.
  const pages = [
    ["#/surveys/constitution", /^Ein gwerthoedd GIG$/, "Canlyniadau: Pob aelod o staff"],
    ["#/surveys/constitution/w:winter", /^Ein gwerthoedd GIG$/, "Ar agor o hyd"],
    ["#/trend/constitution", /^Tuedd: Ein gwerthoedd GIG$/, "Dangos y duedd ar gyfer"],
    ["#/waves/constitution", "Tonnau a niferoedd staff", "Cywiro'r don hon"],
    ["#/moderation/constitution", "Straeon ar gyfer yr arddangosfa", "Penderfyniadau"],
    ["#/sharing/constitution", "Rhannu canlyniadau gyda staff", "Dywedoch chi, gwnaethom ni"],
    ["#/evidence/constitution/compassion", "Tosturi: tystiolaeth gwerthoedd", "Argraffu neu gadw fel PDF"],
    ["#/admins", "Pwy all weld canlyniadau", "Gwneud tocyn ar gyfer sgript"],
    ["#/audit", "Cofnod archwilio", "Lawrlwytho CSV"],
  ];
  for (const [hash, heading, words] of pages) {
    await page.goto(`${demo.url}/admin${hash}`);
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
    await page.getByText(words).first().waitFor();
    assert.equal(await page.getByRole("button", { name: /English/ }).count(), 1, `${hash}: the switch to English`);
    assert.deepEqual(await axe(page, "body"), [], `${hash} in Welsh`);
  }
  // The trend's own words come in Welsh too; the figures are the same as in English.
  await page.goto(`${demo.url}/admin#/trend/constitution`);
  await page.getByRole("region", { name: "Faint ydych chi'n ei wybod am Gyfansoddiad y GIG?" }).waitFor();
  await page.screenshot({ path: join(artifacts, "admin-trend-cy.png"), fullPage: true });
  const english = /fewer than|leaves out|answered this|no clear change|hidden in every wave|responses from/;
  assert.doesNotMatch(await page.locator("#app").innerText(), english, "the trend's sentences in Welsh");
  await page.goto(`${demo.url}/admin#/surveys/constitution`);
  await page.getByRole("heading", { name: "Canlyniadau: Pob aelod o staff" }).waitFor();
  await page.screenshot({ path: join(artifacts, "admin-results-cy.png"), fullPage: true });
  // The server's sentences too: how to read the figures, why a group is hidden, what a total
  // leaves out.
  await page.getByText(/^Dangosir grŵp/).first().waitFor();
  await page.getByLabel("Dangos canlyniadau ar gyfer").selectOption("estates");
  await page.getByText(/yng ngrŵp/).first().waitFor();
  assert.doesNotMatch(await page.locator("#app").innerText(), english, "the results' sentences in Welsh");
  // The NHS Constitution is quoted in the language it is written in, and marked so.
  await page.goto(`${demo.url}/admin#/evidence/constitution/compassion`);
  await page.getByRole("heading", { name: "Tosturi: tystiolaeth gwerthoedd", level: 1 }).waitFor();
  assert.equal(await page.locator("q").getAttribute("lang"), "en");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the language switch works on any page, keeps the page, and is remembered", async () => {
  const { context, page, problems } = await signedIn("en-GB");
  await page.getByLabel("Admin token").fill(demo.token());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Surveys" }).waitFor();
  await page.goto(`${demo.url}/admin#/surveys/constitution`);
  await page.getByRole("heading", { name: "Results: All staff" }).waitFor();
  const awareness = page.getByRole("list", { name: "How much do you know about the NHS Constitution?: answers" });
  const english = await awareness.locator(".bar__value").allInnerTexts();
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(shots, "admin-en.png") });

  // Keyboard: the switch is a button in the header, reached and pressed without a mouse.
  await page.getByRole("button", { name: /Cymraeg/ }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Canlyniadau: Pob aelod o staff" }).waitFor();
  assert.equal(await page.evaluate(() => location.hash), "#/surveys/constitution", "the same page");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "cy");
  const welsh = page.getByRole("list", { name: "Faint ydych chi'n ei wybod am Gyfansoddiad y GIG?: answers" });
  assert.deepEqual(await welsh.locator(".bar__value").allInnerTexts(), english, "the same figures");
  await page.getByRole("button", { name: "Lawrlwytho CSV" }).waitFor();
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(shots, "admin-cy.png") });
  await page.getByText("Neidio i'r prif gynnwys").waitFor({ state: "attached" });

  // Remembered in this browser: a reload (and a new tab) stays in Welsh.
  await page.reload();
  await page.getByRole("heading", { name: "Canlyniadau: Pob aelod o staff" }).waitFor();
  const other = await context.newPage();
  await other.goto(`${demo.url}/admin`);
  await other.getByRole("heading", { name: "Mewngofnodi" }).waitFor();
  await other.close();

  // And back.
  await page.getByRole("button", { name: /English/ }).click();
  await page.getByRole("heading", { name: "Results: All staff" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.deepEqual(problems, []);
  await context.close();
});
