// The admins' dashboard in Chromium against a real server: sign in, read a survey's charts, switch
// context, download the CSV, and pass axe-core's WCAG 2.2 AA checks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startPulse, launch, axe, apiResponse, artifacts } from "./harness.mjs";

let browser, pulse;
before(async () => {
  browser = await launch();
  pulse = await startPulse();
  // 46 varied responses: 20 estates, 20 clinical (each released whole, in two steps of 10), 6 corporate
  // (a group below k).
  const awareness = ["not_heard", "heard_not_content", "know_whats_in_it"];
  const agree = ["disagree", "neither", "agree", "strongly_agree"];
  for (let n = 0; n < 46; n++) {
    const context = n < 20 ? "estates" : n < 40 ? "clinical" : "corporate";
    const r = apiResponse(n, context);
    r.answers.awareness = awareness[n % 3];
    r.answers.shared_purpose = agree[n % 4];
    for (const [i, row] of Object.keys(r.answers.values_lived).entries()) r.answers.values_lived[row] = ((n + i) % 5) + 1;
    if (n % 2 === 0) {
      r.answers.story = `Story ${n}: the team stayed late so a family could say goodbye.`;
      r.answers.story_values = ["compassion"];
    }
    const res = await fetch(`${pulse.url}/api/v1/surveys/constitution/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(r),
    });
    assert.equal(res.status, 201);
  }
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
});

test("an admin signs in, reads the charts, switches context and downloads the CSV", async () => {
  const token = pulse.token();
  // bypassCSP lets the test inject axe-core; the page's CSP itself is checked in ingest/tests/admin.rs.
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true, bypassCSP: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${pulse.url}/admin`);

  await page.getByLabel("Admin token").fill("pulse_not-a-real-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").getByText("That token is not valid").waitFor();
  assert.deepEqual(await axe(page, "body"), [], "sign-in error state");

  await page.getByLabel("Admin token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  const row = page.getByRole("row", { name: /Our NHS values/ });
  await row.waitFor();
  assert.match(await row.innerText(), /\b40\b/, "responses in the groups shown: corporate's 6 are left out");
  assert.match(await row.innerText(), /English, Welsh/);
  await row.getByRole("link").click();

  await page.getByRole("heading", { name: "Results: All staff" }).waitFor();
  const awareness = page.getByRole("list", { name: "How much do you know about the NHS Constitution?: answers" });
  assert.equal(await awareness.getByRole("listitem").count(), 3);
  assert.match(await awareness.getByRole("listitem").nth(2).innerText(), /I know what's in it\s+13 \(32.5%\)/);
  const matrix = page.getByRole("list", { name: /How often does your team live/ });
  assert.equal(await matrix.getByRole("listitem").count(), 6, "every row of the values matrix is drawn");
  assert.equal(await matrix.locator(".diverging__seg").count(), 30);
  assert.match(await matrix.getByRole("listitem").first().innerText(), /Often or always: \d+(\.\d)?%/);
  assert.match(await page.getByText(/^Agree or strongly agree: /).innerText(), /\d+(\.\d)?%/);
  assert.equal(await page.locator(".stories li").count(), 20, "the stories of the groups shown");
  assert.match(await page.locator(".stories li .tag").first().innerText(), /^Compassion$/);
  assert.deepEqual(await axe(page, "body"), [], "results page");
  await page.screenshot({ path: join(artifacts, "admin-results.png"), fullPage: true });

  // Corporate has 6 responses: no figure is drawn for it, and each question says why.
  await page.getByLabel("Show results for").selectOption("corporate");
  await page.getByRole("heading", { name: "Results: Corporate services" }).waitFor();
  assert.equal(await page.locator(".bar__value").count(), 0);
  const notes = await page.locator(".hidden-note").allInnerTexts();
  assert.equal(notes.length, 8, JSON.stringify(notes));
  assert.ok(notes.slice(0, 5).every((n) => /^fewer than 10 people in Corporate services answered this$/i.test(n)), JSON.stringify(notes));
  assert.deepEqual(await axe(page, "body"), [], "a hidden context");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  assert.equal(download.suggestedFilename(), "constitution-v1-results.csv");
  const saved = join(artifacts, "admin-download.csv");
  await download.saveAs(saved);
  const fromApi = Buffer.from(await (await fetch(`${pulse.url}/api/v1/surveys/constitution/results.csv`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
  assert.ok(readFileSync(saved).equals(fromApi), "the download is the API's CSV");
  assert.match(fromApi.toString("utf8"), /^\uFEFFwave,wave_label,question_id,question,row_id,row,option_id,option,context,count,share_percent,hidden_reason,headcount,response_rate_percent,score_0_to_10,score_low_95,score_high_95\r\nall,All waves,/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Admin token").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("on the demo data every question of the default survey is drawn, the values matrix in full", async () => {
  const demo = await startPulse({ demo: true });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(`${demo.url}/admin#/surveys/constitution`);
    await page.getByLabel("Admin token").fill(demo.token());
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Results: All staff" }).waitFor();
    const matrix = page.getByRole("list", { name: /How often does your team live/ });
    assert.equal(await matrix.getByRole("listitem").count(), 6);
    assert.equal(await matrix.locator(".diverging__seg").count(), 30, "all six rows drawn, five points each");
    assert.equal(await matrix.getByText(/^Often or always: /).count(), 6, "each row has its score");
    assert.equal(await page.locator(".hidden-note").count(), 0, "no question is hidden for All staff");
    assert.deepEqual(await axe(page, "body"), [], "demo results");
    await page.screenshot({ path: join(artifacts, "admin-demo-results.png"), fullPage: true });
  } finally {
    await context.close();
    await demo.stop();
  }
});
