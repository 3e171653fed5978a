// Welsh and the iframe embed in real Chromium against a real `pulse serve`: a Welsh page gets the
// Welsh survey and submits it, `data-pulse-lang` beats the page's language, and a SharePoint-style
// iframe submits, resizes with the optional snippet and keeps its height without it. Writes the
// README's screenshots of both languages (to tests/screenshots/ when UPDATE_SCREENSHOTS=1).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { startPulse, startHost, launch, widget, axe, completeWithMouse, postResponses, results, artifacts, freePort, repo } from "./harness.mjs";

const shots = process.env.UPDATE_SCREENSHOTS ? join(repo, "tests", "screenshots") : artifacts;
mkdirSync(shots, { recursive: true });

let browser, pulse, host, stranger;
before(async () => {
  browser = await launch();
  const port = await freePort();
  pulse = await startPulse({ embedOrigins: [`http://127.0.0.1:${port}`], demo: true });
  host = await startHost(pulse.url, () => ({}), port);
  // An intranet the survey does not name: it may not frame the survey.
  stranger = await startHost(pulse.url);
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
  await host?.close();
  await stranger?.close();
});

async function open(url) {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  return { page, context, problems };
}

/// Answers every required question in Welsh, with the mouse.
async function completeInWelsh(root) {
  await root.getByLabel("Rydw i'n gwybod beth sydd ynddo").check();
  await root.getByLabel("Fy nghyfnod sefydlu").check();
  for (const value of ["Cydweithio er budd cleifion", "Parch ac urddas", "Ymrwymiad i ansawdd gofal", "Tosturi", "Gwella bywydau", "Mae pawb yn cyfrif"]) {
    await root.getByRole("group", { name: value, exact: true }).getByLabel("Yn aml").check();
  }
  await root.getByRole("group", { name: /Ar ba un gwerth/ }).getByLabel("Tosturi").check();
  await root.getByLabel("Cytuno", { exact: true }).check();
}

/// The widget's top part, as the README shows it.
async function screenshotTop(page, root, name) {
  await root.scrollIntoViewIfNeeded();
  const box = await root.boundingBox();
  await page.setViewportSize({ width: 900, height: Math.ceil(box.y + 1100) });
  const again = await root.boundingBox();
  await page.screenshot({ path: join(shots, name), clip: { x: again.x, y: again.y, width: again.width, height: 1000 } });
}

test("a Welsh page gets the Welsh survey, accessible and in Welsh throughout, and it submits", async () => {
  const token = pulse.token();
  // The demo's open wave takes the answers: its count of responses from Estates, which shows
  // participation while the wave is open (its answers wait for its close).
  const estates = async () => {
    const wave = await (await fetch(`${pulse.url}/api/v1/surveys/constitution/results?wave=winter`, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(wave.wave.open, true);
    return wave.contexts.find((c) => c.id === "estates").responses;
  };
  const before = await estates();
  const { page, context, problems } = await open(`${pulse.url}/demo/cy`);
  const root = widget(page);
  await root.getByRole("heading", { name: "Ein gwerthoedd GIG" }).waitFor();
  assert.equal(await page.evaluate(() => document.querySelector("[data-pulse-survey]").shadowRoot.querySelector("[lang]").lang), "cy", "screen readers are told the widget is Welsh");
  assert.deepEqual(await axe(page), [], "no WCAG 2.2 AA violations in Welsh");
  await screenshotTop(page, root, "widget-cy.png");

  await root.getByRole("button", { name: "Anfon fy atebion" }).click();
  const summary = root.getByRole("alert").filter({ hasText: "Mae problem" });
  await summary.waitFor();
  assert.equal(await summary.getByRole("link").count(), 4);
  await root.getByText("Gwall: Atebwch y cwestiwn hwn.").first().waitFor();
  assert.deepEqual(await axe(page), [], "no violations in the Welsh error state");

  await completeInWelsh(root);
  await root.getByLabel(/Rhannwch enghraifft/).fill("Arhosodd y porthorion yn hwyr i helpu teulu. Ffoniwch 07700 900123.");
  await root.getByText("Mae'n ymddangos bod eich enghraifft yn cynnwys rhif ffôn").waitFor();
  await root.getByRole("group", { name: /Pa rai o werthoedd y GIG/ }).getByLabel("Tosturi").check();
  await root.getByRole("button", { name: "Anfon fy atebion" }).click();
  await root.getByRole("heading", { name: "Diolch" }).waitFor();
  const text = await root.innerText();
  for (const english of ["Thank you", "Send my answers", "questions answered"]) assert.ok(!text.includes(english), `${english} in ${text}`);
  assert.deepEqual(problems, []);
  await context.close();

  // Counted with the English answers (below k a group's count is hidden).
  await postResponses(pulse.url, 3000, 9, "estates");
  const after = await estates();
  if (before === null) assert.ok(after >= 10, `${after}`);
  else assert.equal(after, before + 10);
  // Results of the closed waves speak one language, under the ids both share.
  const closed = await results(pulse, token);
  const awareness = closed.questions.find((q) => q.id === "awareness").options.find((o) => o.id === "know_whats_in_it");
  assert.equal(awareness.label, "I know what's in it", "results speak one language, with the ids both share");
});

test("the English page's screenshot for the README", async () => {
  const { page, context } = await open(`${pulse.url}/`);
  const root = widget(page);
  await root.getByRole("heading", { name: "Our NHS values" }).waitFor();
  await screenshotTop(page, root, "widget-en.png");
  await context.close();
});

test("data-pulse-lang beats the page's language, and a section's lang counts as the page's", async () => {
  const { page, context, problems } = await open(`${host.url}/welsh-section.html`);
  await page.locator("#follows-page").getByRole("heading", { name: "Ein gwerthoedd GIG" }).waitFor();
  await page.locator("#asks-english").getByRole("heading", { name: "Our NHS values" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("a SharePoint-style iframe submits, and the snippet resizes the frame to fit", async () => {
  const { page, context, problems } = await open(`${host.url}/sharepoint.html`);
  const iframe = page.locator("iframe[data-pulse-frame]");
  const frame = page.frameLocator("iframe[data-pulse-frame]");
  const root = frame.locator("[data-pulse-survey]");
  await root.getByRole("heading", { name: "Ein gwerthoedd GIG" }).waitFor();
  // The frame grows to the survey's full height, so the survey does not scroll inside it.
  await page.waitForFunction(() => parseFloat(document.querySelector("iframe").style.height) > 900);
  const tall = await iframe.evaluate((f) => parseFloat(f.style.height));
  assert.ok(tall > 1500, `the whole survey is taller than 1500 px; the frame is ${tall}`);
  const frameDoc = page.frames().find((f) => f.url().includes("/embed/constitution"));
  const inner = await frameDoc.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  assert.ok(Math.abs(inner - tall) <= 1, `frame ${tall} px fits its page ${inner} px`);
  assert.deepEqual(await axe(frameDoc), [], "no WCAG 2.2 AA violations inside the frame");

  await completeInWelsh(root);
  await root.getByRole("button", { name: "Anfon fy atebion" }).click();
  await root.getByRole("heading", { name: "Diolch" }).waitFor();
  // The thank-you is short: the frame shrinks to it.
  await page.waitForFunction(() => parseFloat(document.querySelector("iframe").style.height) < 600);
  assert.deepEqual(problems, []);
  await context.close();
});

test("without the snippet the frame keeps its fixed height and the survey still submits", async () => {
  const { page, context } = await open(`${host.url}/sharepoint-fixed.html`);
  const root = page.frameLocator("iframe[data-pulse-frame]").locator("[data-pulse-survey]");
  await root.getByRole("heading", { name: "Our NHS values" }).waitFor();
  await completeWithMouse(root);
  await root.getByRole("button", { name: "Send my answers" }).click();
  await root.getByRole("heading", { name: "Thank you" }).waitFor();
  assert.equal(await page.locator("iframe").evaluate((f) => f.getBoundingClientRect().height), 900);
  await context.close();
});

test("an intranet the survey does not name cannot frame it", async () => {
  const { page, context } = await open(`${stranger.url}/sharepoint-fixed.html`);
  await page.waitForTimeout(1500);
  const framed = page.frames().filter((f) => f !== page.mainFrame());
  assert.equal(framed.length, 1);
  assert.equal(await framed[0].locator("[data-pulse-survey]").count(), 0, "the browser refused to show the survey");
  await context.close();
});
