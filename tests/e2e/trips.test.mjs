// What staff, editors and admins tripped over, in Chromium against real servers: the "already
// answered" note lasts one wave and gives way to the next person on a shared computer; a question an
// answer reveals is not marked wrong before anyone touches it; a page with a context the survey does
// not list, or on an origin it does not allow, says so to staff and tells its editor why in the
// console, as the framed page does; the results embed writes Welsh dates in Welsh; the dashboard's
// version selector says what the figures are, and its waves can be corrected.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startPulse, startHost, launch, widget, axe, artifacts, freePort, completeWithMouse, postResponses } from "./harness.mjs";

let browser, pulse, host, stranger, demo, demoHost;
before(async () => {
  browser = await launch();
  const port = await freePort();
  const demoPort = await freePort();
  // A server whose clock stands in the spring wave; it moves to summer below.
  pulse = await startPulse({ embedOrigins: [`http://127.0.0.1:${port}`], clock: "2027-03-02 12:00:00" });
  host = await startHost(pulse.url, () => ({}), port);
  // An intranet on an origin no survey allows.
  stranger = await startHost(pulse.url);
  demo = await startPulse({ demo: true, embedOrigins: [`http://127.0.0.1:${demoPort}`] });
  demoHost = await startHost(demo.url, () => ({}), demoPort);
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
  await demo?.stop();
  await host?.close();
  await stranger?.close();
  await demoHost?.close();
});

const api = (server, token, method, path, body) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Messages the page wrote to the console as errors. */
const consoleErrors = (page) => {
  const seen = [];
  page.on("console", (m) => m.type() === "error" && seen.push(m.text()));
  return seen;
};

test("the already-answered note lasts one wave, and on a shared computer the next person answers anyway", async () => {
  const token = pulse.token();
  for (const wave of [
    { id: "spring", label: "Spring 2027", opens: "2027-03-01", closes: "2027-03-31" },
    { id: "summer", label: "Summer 2027", opens: "2027-06-01", closes: "2027-06-30" },
  ]) {
    const r = await api(pulse, token, "POST", "/api/v1/surveys/constitution/waves", wave);
    assert.equal(r.status, 201, await r.text());
  }
  // One browser profile throughout, as one ward PC.
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${host.url}/plain.html`);
  let root = widget(page);
  await completeWithMouse(root);
  await root.getByRole("button", { name: "Send my answers" }).click();
  await root.getByRole("heading", { name: "Thank you" }).waitFor();

  await page.reload();
  root = widget(page);
  await root.getByRole("heading", { name: "Thank you, you've already responded" }).waitFor();
  const notYou = root.getByRole("button", { name: "Not you? Answer the survey" });
  assert.deepEqual(await axe(page), [], "the note and its button are accessible");
  await notYou.focus();
  await page.keyboard.press("Enter");
  await root.getByRole("button", { name: "Send my answers" }).waitFor();
  assert.equal(await root.locator("input:checked").count(), 0, "an empty form, not the last person's answers");
  assert.equal(await root.evaluate((host) => host.shadowRoot.activeElement?.className), "pulse-title", "focus moves to the survey");
  await completeWithMouse(root);
  await root.getByRole("button", { name: "Send my answers" }).click();
  await root.getByRole("heading", { name: "Thank you" }).waitFor();

  // The next wave: the same browser is asked again.
  pulse = await pulse.restart({ clock: "2027-06-02 12:00:00" });
  await page.reload();
  root = widget(page);
  await root.getByRole("button", { name: "Send my answers" }).waitFor();
  assert.equal(await root.getByText("you've already responded").count(), 0);
  assert.equal(await root.getByRole("heading", { name: "Our NHS values" }).count(), 1);
  await context.close();

  // Both spring answers and none lost: the server holds what the widget sent.
  const waves = await (await api(pulse, token, "GET", "/api/v1/surveys/constitution/waves")).json();
  assert.deepEqual(waves.waves.map((w) => w.id), ["spring", "summer"]);
});

test("a question an answer reveals is not marked wrong until it is touched or sent", async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${host.url}/plain.html`);
  const root = widget(page);
  await root.getByRole("button", { name: "Send my answers" }).click();
  await root.getByRole("heading", { name: "There is a problem" }).waitFor();
  // Writing a story reveals the story's values question, which is required.
  await root.getByLabel(/Share an example/).fill("A porter stayed late to help a lost visitor find the ward.");
  const values = root.getByRole("group", { name: /Which NHS values does your example show/ });
  await values.waitFor();
  const marked = () => root.locator(".pulse-group--error").filter({ hasText: "Which NHS values does your example show" }).count();
  assert.equal(await marked(), 0, "not marked invalid yet");
  assert.equal(await root.locator(".pulse-error-summary").getByText(/Which NHS values/).count(), 0);
  await root.getByRole("button", { name: "Send my answers" }).click();
  await root.locator(".pulse-error-summary").getByText(/Which NHS values/).waitFor();
  assert.equal(await marked(), 1, "after sending, it is");
  await context.close();
});

test("a context the survey does not list, or an origin it does not allow, tells staff and the editor", async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const errors = consoleErrors(page);
  await page.goto(`${host.url}/bad-context.html`);
  const root = widget(page);
  await root.getByText("This page cannot take answers to the survey.").waitFor();
  assert.equal(await root.getByRole("button", { name: "Send my answers" }).count(), 0, "no form that can never send");
  await page.locator("#results").getByText("This page cannot show these results.").waitFor();
  assert.ok(errors.some((e) => e.includes('data-pulse-context="Estates"') && e.includes("use one of:") && e.includes("estates")), JSON.stringify(errors));
  assert.ok(errors.some((e) => e.includes('context "Estates" is not one of') && e.includes("estates")), JSON.stringify(errors));
  assert.deepEqual(await axe(page), [], "the message is accessible");

  const other = await context.newPage();
  const refused = consoleErrors(other);
  await other.goto(`${stranger.url}/plain.html`);
  await widget(other).getByText("This page cannot take answers to the survey.").waitFor();
  const origin = stranger.url;
  assert.ok(
    refused.some((e) => e.includes(`may not be embedded on ${origin}`) && e.includes("allowed_origins") && e.includes(`--embed-origin ${origin}`)),
    JSON.stringify(refused),
  );

  // The framed page: an unknown survey or context is a page in both languages, and the console says why.
  for (const path of ["/embed/nope", "/embed/constitution?context=Estates"]) {
    const framed = await context.newPage();
    const said = consoleErrors(framed);
    const response = await framed.goto(`${pulse.url}${path}`);
    assert.equal(response.status(), path.includes("nope") ? 404 : 400);
    await framed.getByText("This page cannot take answers to the survey.").waitFor();
    await framed.getByText("Ni all y dudalen hon dderbyn atebion i'r arolwg.").waitFor();
    await framed.waitForTimeout(100);
    assert.ok(said.some((e) => e.startsWith("Values Pulse:") && (e.includes("no survey") || e.includes("Estates"))), JSON.stringify(said));
  }
  await context.close();
});

test("the results embed on a Welsh page writes its dates in Welsh", async () => {
  const token = demo.token();
  const r = await api(demo, token, "PUT", "/api/v1/surveys/constitution/sharing", { questions: ["shared_purpose"], notes: [] });
  assert.equal(r.status, 200, await r.text());
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demoHost.url}/results-cy.html`);
  const months = "Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr";
  const meta = page.locator("#cy").getByText(/^Canlyniadau /);
  await meta.waitFor();
  const text = await meta.innerText();
  assert.match(text, new RegExp(`\\(\\d{1,2} (${months}) \\d{4} i \\d{1,2} (${months}) \\d{4}\\)\\.$`), text);
  assert.doesNotMatch(text, /January|February|March|April|May|June|July|August|September|October|November|December/);
  await context.close();
});

test("the dashboard says which versions its figures are from, and corrects a wave", async () => {
  const token = pulse.token();
  await postResponses(pulse.url, 1000, 10, "clinical");
  // They are in the summer wave, open on the server's day: its figures come when it closes.
  pulse = await pulse.restart({ clock: "2027-07-01 12:00:00" });
  const def = await (await fetch(`${pulse.url}/api/v1/surveys/constitution`)).json();
  delete def.wave;
  delete def.closed;
  const r = await api(pulse, token, "POST", "/api/v1/surveys", { ...def, version: 2 });
  assert.equal(r.status, 201, await r.text());
  const autumn = { id: "autumn", label: "Autumn 2027", opens: "2027-09-01", closes: "2027-09-30" };
  assert.equal((await api(pulse, token, "POST", "/api/v1/surveys/constitution/waves", autumn)).status, 201);

  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${pulse.url}/admin`);
  await page.getByLabel("Admin token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("row", { name: /Our NHS values/ }).getByRole("link").click();
  const version = page.getByLabel("Version");
  await version.waitFor();
  assert.equal(await version.evaluate((s) => s.selectedOptions[0].textContent), "All versions");
  await version.selectOption("2");
  await page.waitForFunction(() => location.hash.endsWith("/2"));
  // Version 2 has no responses yet: the page says so, and keeps the selector to go back.
  await page.getByText("No group has 10 or more responses yet").waitFor();
  assert.equal(await page.getByLabel("Version").evaluate((s) => s.selectedOptions[0].textContent), "Version 2");
  await page.getByLabel("Version").selectOption("all");
  await page.getByText("responses in the groups shown").waitFor();

  await page.goto(`${pulse.url}/admin#/waves/constitution`);
  const card = page.getByRole("region", { name: "Autumn 2027" });
  await card.getByText("Correct this wave").click();
  await card.getByLabel("Name", { exact: true }).fill("Autumn pulse 2027");
  await card.getByRole("button", { name: "Rename wave" }).click();
  await page.getByRole("status").getByText("Wave autumn renamed.").waitFor();
  const renamed = page.getByRole("region", { name: "Autumn pulse 2027" });
  await renamed.getByText("Correct this wave").click();
  assert.deepEqual(await axe(page, "body"), [], "the wave corrections are accessible");
  await renamed.getByRole("button", { name: "Delete wave" }).click();
  await page.getByRole("status").getByText("Wave autumn deleted.").waitFor();
  assert.equal(await page.getByRole("region", { name: "Autumn pulse 2027" }).count(), 0);
  // The open wave closes early, but not before the day a response arrived in it.
  const summer = page.getByRole("region", { name: "Summer 2027" });
  await summer.getByText("Correct this wave").click();
  await summer.getByLabel("New last day").fill("2027-06-01");
  await summer.getByRole("button", { name: "Close early" }).click();
  await page.getByRole("alert").getByText(/arrived on 2027-06-02/).waitFor();
  const again = page.getByRole("region", { name: "Summer 2027" });
  await again.getByText("Correct this wave").click();
  await again.getByLabel("New last day").fill("2027-06-02");
  await again.getByRole("button", { name: "Close early" }).click();
  await page.getByRole("status").getByText("Wave summer now closes on 2027-06-02.").waitFor();
  const audit = await (await api(pulse, token, "GET", "/api/v1/audit")).text();
  assert.ok(audit.includes("wave corrected") && audit.includes("wave deleted"), audit);
  await page.screenshot({ path: join(artifacts, "admin-wave-correction.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a page still loading when the admin goes to another is not drawn over it", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${demo.url}/admin`);
  // Every page heading drawn, in order.
  await page.evaluate(() => {
    window.drawn = [];
    new MutationObserver(() => window.drawn.push(document.querySelector("#app h1")?.textContent)).observe(document.getElementById("app"), { childList: true });
  });
  // The survey list, drawn once sign-in finishes, is held back until the admin has gone to the waves.
  let release, asked;
  const held = new Promise((r) => (release = r));
  const listAsked = new Promise((r) => (asked = r));
  await page.route("**/api/v1/surveys", async (route) => { asked(); await held; await route.continue(); });
  await page.getByLabel("Admin token").fill(demo.token());
  await page.getByRole("button", { name: "Sign in" }).click();
  await listAsked;
  await page.goto(`${demo.url}/admin#/waves/constitution`);
  // Drawn at once, the waves page would be drawn over by the list when that arrives; queued behind
  // the list, it is not drawn until the list is: give it three seconds, then let the list through.
  await page.waitForFunction(() => window.drawn.some((t) => t === "Waves and headcounts"), null, { timeout: 3000 }).catch(() => null);
  release();
  // Both pages are drawn, the list first: the page the admin asked for last is what stays.
  const pages = await page.waitForFunction(() => {
    const both = window.drawn.filter((t) => t === "Surveys" || t === "Waves and headcounts");
    return both.length >= 2 && both;
  });
  assert.deepEqual(await pages.jsonValue(), ["Surveys", "Waves and headcounts"]);
  await page.getByRole("heading", { name: "Add a wave" }).waitFor();
  await context.close();
});

test("on the trend a fall in 'not heard of it' is not marked as bad news", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${demo.url}/admin`);
  await page.getByLabel("Admin token").fill(demo.token());
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.goto(`${demo.url}/admin#/trend/constitution`);
  const awareness = page.getByRole("region", { name: "How much do you know about the NHS Constitution?" });
  await awareness.getByRole("listitem").first().waitFor();
  // The question names no positive answer: no change on it is coloured good or bad.
  const all = await awareness.locator(".change").count();
  assert.ok(all > 0);
  assert.equal(await awareness.locator(".change.change--neutral").count(), all, "every change there is in neither colour");
  assert.equal(await awareness.locator(".point--worse, .point--better").count(), 0);
  // Shared purpose names "agree" and "strongly agree": a change there is worded better or worse.
  const purpose = page.getByRole("region", { name: "I understand how my work contributes to our shared purpose." });
  const changes = await purpose.locator(".change").allInnerTexts();
  assert.ok(changes.filter(Boolean).every((c) => /\((better|worse)\)$|no clear change/.test(c)), JSON.stringify(changes));
  await context.close();
});
