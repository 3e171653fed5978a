// The built widget in real Chromium against a real `pulse serve`: an intranet page, keyboard-only use,
// accessibility in every state, hostile CSS, a strict CSP, the offline path and two widgets on a page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startPulse, startHost, launch, widget, axe, completeWithMouse, postResponses, results, artifacts, freePort } from "./harness.mjs";

const STRICT_CSP = (pulse) =>
  `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ${pulse}`;

let browser, pulse, intranet, host, hostPulse;
before(async () => {
  browser = await launch();
  const port = await freePort();
  pulse = await startPulse({ embedOrigins: [`http://127.0.0.1:${port}`] });
  intranet = await startHost(pulse.url, () => ({}), port);
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
  await intranet?.close();
  await host?.close();
  await hostPulse?.stop();
});

/// A page in a fresh browser context (its own localStorage), failing the test on any page error.
async function open(url, { viewport = { width: 1000, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().includes("favicon") && !m.text().includes("Failed to load resource")) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  await page.goto(url);
  return { page, context, problems };
}

const title = (root) => root.getByRole("heading", { name: "Our NHS values" });
const submit = (root) => root.getByRole("button", { name: "Send my answers" });

async function assertNoViolations(page, state) {
  const violations = await axe(page);
  assert.deepEqual(violations, [], `axe found WCAG 2.2 AA violations in the ${state} state:\n${JSON.stringify(violations, null, 2)}`);
}

test("an intranet page with the snippet: empty, error and thank-you states are accessible, and the answer reaches the results", async () => {
  await postResponses(pulse.url, 1000, 9, "estates");
  const token = pulse.token();
  assert.equal((await results(pulse, token)).responses, null, "9 responses: below k");

  const { page, context, problems } = await open(`${intranet.url}/plain.html`);
  const root = widget(page);
  await title(root).waitFor();
  await assertNoViolations(page, "empty");
  await page.screenshot({ path: join(artifacts, "widget-empty.png"), fullPage: true });

  await submit(root).click();
  const summary = root.getByRole("alert").filter({ hasText: "There is a problem" });
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.querySelector("[data-pulse-survey]").shadowRoot.activeElement?.className), "pulse-error-summary", "the error summary takes focus");
  assert.equal(await summary.getByRole("link").count(), 4, "four required questions unanswered");
  await root.getByText("Error: Answer this question.").first().waitFor();
  await assertNoViolations(page, "error");
  await page.screenshot({ path: join(artifacts, "widget-errors.png"), fullPage: true });

  // A link in the summary takes focus to the question.
  await summary.getByRole("link").first().click();
  assert.equal(await page.evaluate(() => document.querySelector("[data-pulse-survey]").shadowRoot.activeElement?.id), "awareness-not_heard");

  await completeWithMouse(root, { story: "Our porters stayed late to help a family find the ward. Call me on 07700 900123." });
  await root.getByText("Your example seems to include a phone number").waitFor();
  assert.equal(await summary.count(), 0, "errors clear as they are fixed");
  assert.match(await root.getByText(/questions answered/).innerText(), /^7 of 8 questions answered$/);
  await root.screenshot({ path: join(artifacts, "widget-completed.png") });
  await submit(root).click();
  await root.getByRole("heading", { name: "Thank you" }).waitFor();
  await assertNoViolations(page, "thank-you");
  await page.screenshot({ path: join(artifacts, "widget-thanks.png"), fullPage: true });

  const after = await results(pulse, token);
  assert.equal(after.responses, 10, "the widget's response brings the survey to k");
  const story = after.questions.find((q) => q.id === "story");
  assert.equal(story.respondents.all, null, "1 story is below k: hidden");

  await page.reload();
  await widget(page).getByRole("heading", { name: "Thank you, you've already responded" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("a keyboard alone completes the survey", async () => {
  const { page, context, problems } = await open(`${intranet.url}/plain.html`);
  const root = widget(page);
  await title(root).waitFor();
  const focused = () => page.evaluate(() => document.querySelector("[data-pulse-survey]").shadowRoot.activeElement?.id ?? "");
  async function tabTo(id) {
    for (let i = 0; i < 40; i++) {
      if ((await focused()) === id) return;
      await page.keyboard.press("Tab");
    }
    assert.fail(`Tab never reached #${id} (stuck at #${await focused()})`);
  }
  await tabTo("awareness-not_heard");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await tabTo("where_met-induction");
  await page.keyboard.press("Space");
  for (const row of ["working_together", "respect_dignity", "commitment_to_quality", "compassion", "improving_lives", "everyone_counts"]) {
    await tabTo(`values_lived-${row}-1`);
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  }
  await tabTo("focus_value-working_together");
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowDown");
  await tabTo("shared_purpose-strongly_disagree");
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowDown");
  await tabTo("story-input");
  await page.keyboard.type("A nurse sat with a frightened patient through the night.");
  await tabTo("story_values-working_together");
  for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
  assert.equal(await focused(), "story_values-compassion");
  await page.keyboard.press("Space");
  // Then the consent to share the story, ticked with the space bar.
  await tabTo("story_consent-yes");
  await page.keyboard.press("Space");
  assert.equal(await page.evaluate(() => document.querySelector("[data-pulse-survey]").shadowRoot.activeElement?.checked), true);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.querySelector("[data-pulse-survey]").shadowRoot.activeElement?.textContent), "Send my answers");
  await page.keyboard.press("Enter");
  const thanks = root.getByRole("heading", { name: "Thank you" });
  await thanks.waitFor();
  // Focus moves to the thank-you message on the next animation frame.
  await page.waitForFunction(() => document.querySelector("[data-pulse-survey]").shadowRoot.activeElement?.getAttribute("role") === "status", null, { timeout: 2000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test("'How your answers are used' opens from the keyboard, says what is kept, and is accessible open", async () => {
  const { page, context, problems } = await open(`${intranet.url}/plain.html`);
  const root = widget(page);
  await title(root).waitFor();
  await root.getByText("we keep the day they arrive, but never your name, your device or the time you answered").waitFor();
  // The disclosure is the widget's first stop for the keyboard, before the first question.
  await page.keyboard.press("Tab");
  const active = () => page.evaluate(() => document.querySelector("[data-pulse-survey]").shadowRoot.activeElement?.textContent);
  assert.equal(await active(), "How your answers are used");
  const kept = root.getByText(/What is kept: your answers/);
  assert.equal(await kept.isVisible(), false, "closed until asked for");
  await page.keyboard.press("Enter");
  await kept.waitFor();
  await root.getByText(/cannot be withdrawn or changed once sent/).waitFor();
  await root.getByText(/groups of at least 10 people/).waitFor();
  await assertNoViolations(page, "privacy disclosure open");
  await page.keyboard.press("Enter");
  assert.equal(await kept.isVisible(), false, "Enter closes it again");
  assert.deepEqual(problems, []);
  await context.close();
});

async function hostFor(headers) {
  // A pulse that lets the test's intranet origin embed its surveys, and that intranet's web server.
  await host?.close();
  await hostPulse?.stop();
  const port = await import("./harness.mjs").then((h) => h.freePort());
  hostPulse = await startPulse({ embedOrigins: [`http://127.0.0.1:${port}`] });
  host = await startHost(hostPulse.url, headers, port);
  return { hostPulse, host };
}

test("hostile page CSS cannot break the widget, and the widget's CSS does not leak out", async () => {
  const { host } = await hostFor();
  const { page, context, problems } = await open(`${host.url}/hostile.html`);
  const root = widget(page);
  // The page's 40px text pushes the survey below the fold; it loads as the reader scrolls to it.
  await root.scrollIntoViewIfNeeded();
  await title(root).waitFor();
  const box = await page.locator("[data-pulse-survey]").boundingBox();
  assert.ok(box && box.width > 300 && box.height > 500, `the widget is laid out: ${JSON.stringify(box)}`);
  const style = await title(root).evaluate((el) => {
    const s = getComputedStyle(el);
    return { font: s.fontFamily, color: s.color, size: s.fontSize, spacing: s.letterSpacing, transform: s.textTransform };
  });
  assert.match(style.font, /Arial/);
  assert.equal(style.color, "rgb(33, 43, 50)");
  assert.equal(style.size, "24px");
  assert.equal(style.spacing, "normal");
  assert.equal(style.transform, "none");
  const radio = await root.getByLabel("I know what's in it").boundingBox();
  assert.ok(radio.width >= 24 && radio.height >= 24, `radio targets keep their size: ${JSON.stringify(radio)}`);
  const decoy = await page.locator("#decoy").evaluate((el) => getComputedStyle(el).fontWeight);
  assert.equal(decoy, "400", "the widget's .pulse-title rule does not reach the page");
  await page.screenshot({ path: join(artifacts, "widget-hostile-page.png"), fullPage: true });
  await completeWithMouse(root);
  await submit(root).click();
  await root.getByRole("heading", { name: "Thank you" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("the widget works under a strict Content-Security-Policy", async () => {
  const { host, hostPulse } = await hostFor((name) => (name === "strict-csp.html" ? { "content-security-policy": STRICT_CSP(hostPulse.url) } : {}));
  const { page, context, problems } = await open(`${host.url}/strict-csp.html`);
  await page.evaluate(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const root = widget(page);
  await title(root).waitFor();
  await completeWithMouse(root, { story: "We worked together to open the new ward." });
  await submit(root).click();
  await root.getByRole("heading", { name: "Thank you" }).waitFor();
  const violations = (await page.evaluate(() => window.violations)).filter((v) => !v.includes("nothing.css"));
  assert.deepEqual(violations, [], "no CSP violations");
  assert.deepEqual(problems.filter((p) => !p.includes("nothing.css")), []);
  await context.close();
});

test("offline: an answer that cannot be sent is kept, then delivered exactly once", async () => {
  let { host, hostPulse: server } = await hostFor();
  await postResponses(server.url, 2000, 9, "estates");
  const token = server.token();
  const { page, context } = await open(`${host.url}/plain.html`);
  const root = widget(page);
  await title(root).waitFor();
  await completeWithMouse(root);
  await server.stop();
  await submit(root).click();
  await root.getByRole("heading", { name: "Your answers are saved" }).waitFor();
  const saved = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("pulse:pending:")).length);
  assert.equal(saved, 1, "the answer waits in localStorage");
  await page.screenshot({ path: join(artifacts, "widget-saved-offline.png"), fullPage: true });

  server = await server.restart();
  hostPulse = server;
  await root.getByRole("heading", { name: "Thank you" }).waitFor({ timeout: 45_000 });
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("pulse:pending:")).length), 0);
  // A later visit finds nothing left to send and says so.
  await page.reload();
  await widget(page).getByRole("heading", { name: "Thank you, you've already responded" }).waitFor();
  const r = await results(server, token);
  assert.equal(r.responses, 10, "9 seeded + the widget's one, stored exactly once");
  await context.close();
});

test("two widgets on one page each work on their own, and the wasm loads only when one comes near", async () => {
  const { host } = await hostFor();
  const { page, context, problems } = await open(`${host.url}/two-widgets.html`);
  const [first, second] = [widget(page, 0), widget(page, 1)];
  await title(first).waitFor();
  await title(second).waitFor();
  assert.equal(await page.evaluate(() => [...document.querySelectorAll("[data-pulse-survey]")].filter((e) => e.shadowRoot).length), 2);
  await completeWithMouse(first);
  await submit(first).click();
  await first.getByRole("heading", { name: "Thank you" }).waitFor();
  assert.equal(await submit(second).count(), 1, "the second widget still shows its form");
  assert.deepEqual(problems, []);
  await context.close();

  const lazy = await open(`${host.url}/lazy.html`);
  const wasmRequests = [];
  lazy.page.on("request", (r) => r.url().endsWith(".wasm") && wasmRequests.push(r.url()));
  await lazy.page.waitForTimeout(1000);
  assert.equal(wasmRequests.length, 0, "no wasm before the survey comes near the viewport");
  await lazy.page.locator("#far").scrollIntoViewIfNeeded();
  await title(widget(lazy.page)).waitFor();
  assert.equal(wasmRequests.length, 1, "the wasm loads once it does");
  await lazy.context.close();
});
