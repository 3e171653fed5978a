// Closing the loop, in Chromium against a real server: an admin shares two questions and a "you
// said, we did" note in the dashboard, and the results embed shows them on an intranet page with
// hostile CSS and a strict CSP, in English and Welsh, hiding a small context; a story's link to an
// unlisted host is refused by the widget and the server in the same words, and an approved link
// shows in the showcase while an unapproved one shows nowhere; the values evidence pack prints.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startPulse, startHost, launch, widget, axe, completeWithMouse, postResponses, artifacts, freePort } from "./harness.mjs";

const STRICT_CSP = (pulse) => `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${pulse}`;
const REFUSED = "Only links to www.youtube.com, youtu.be, vimeo.com can be shared here.";

let browser, pulse, host;
before(async () => {
  browser = await launch();
  const port = await freePort();
  pulse = await startPulse({ embedOrigins: [`http://127.0.0.1:${port}`] });
  host = await startHost(pulse.url, (name) => (name === "results.html" ? { "content-security-policy": STRICT_CSP(pulse.url) } : {}), port);
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
  await host?.close();
});

async function signIn(context, hash) {
  const dash = await context.newPage();
  await dash.goto(`${pulse.url}/admin#${hash}`);
  await dash.getByLabel("Admin token").fill(pulse.token());
  await dash.getByRole("button", { name: "Sign in" }).click();
  return dash;
}

test("the results embed shows only what an admin shared, hides a small context, in English and Welsh, under a strict CSP", async () => {
  await postResponses(pulse.url, 100, 10, "clinical");
  await postResponses(pulse.url, 200, 4, "estates");

  // The admin shares two questions and a note, in the dashboard.
  const admin = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const dash = await signIn(admin, "/sharing/constitution");
  await dash.getByRole("heading", { name: "Share results with staff" }).waitFor();
  await dash.getByLabel("How often does your team live each of the NHS values?").check();
  await dash.getByLabel("I understand how my work contributes to our shared purpose.").check();
  await dash.getByRole("button", { name: "Add a note" }).click();
  await dash.getByLabel("You said (English)").fill("Appraisals rarely mention the values.");
  await dash.getByLabel("We did (English)").fill("Every appraisal now starts with them.");
  await dash.getByRole("button", { name: "Save what staff see" }).click();
  await dash.getByRole("alert").getByText(/Welsh/).first().waitFor();
  await dash.getByLabel("You said (Welsh)").fill("Anaml y mae arfarniadau'n sôn am y gwerthoedd.");
  await dash.getByLabel("We did (Welsh)").fill("Mae pob arfarniad bellach yn dechrau gyda nhw.");
  await dash.getByRole("button", { name: "Save what staff see" }).click();
  await dash.getByRole("status").getByText(/Saved/).waitFor();
  assert.deepEqual(await axe(dash, "body"), [], "the sharing page is accessible");
  await admin.close();

  const staff = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await staff.newPage();
  const wasm = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  await page.goto(`${host.url}/results.html`);
  await page.evaluate(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const en = page.locator("#estates");
  await en.getByRole("heading", { name: "What you told us: Our NHS values" }).waitFor();
  await en.getByText("Fewer than 10 people in Estates and facilities answered, so only the whole organisation's results are shown.").waitFor();
  await en.getByRole("heading", { name: "How often does your team live each of the NHS values?" }).waitFor();
  await en.getByRole("heading", { name: "I understand how my work contributes to our shared purpose." }).waitFor();
  assert.equal(await en.getByText("How much do you know about the NHS Constitution?").count(), 0, "an unshared question is not shown");
  await en.getByText("Based on 10 responses.").waitFor();
  await en.getByText("Across the organisation: Agree or Strongly agree: 100%.").waitFor();
  await en.getByText("Every appraisal now starts with them.").waitFor();
  assert.ok(await en.getByText("Every appraisal now starts with them.").isVisible(), "hostile CSS cannot hide it");
  // Every chart is also a table.
  await en.getByText("Show the figures as a table").first().click();
  await en.getByRole("table", { name: "How often does your team live each of the NHS values?" }).getByRole("cell", { name: /% \(\d+ of 10\)/ }).first().waitFor();

  const cy = page.locator("#cy");
  await cy.getByRole("heading", { name: "Beth ddywedoch chi wrthym: Ein gwerthoedd GIG" }).waitFor();
  await cy.getByText("Yn seiliedig ar 10 ymateb, 10 ohonynt yn Gwasanaethau clinigol.").waitFor();
  await cy.getByRole("heading", { name: "Dywedoch chi, gwnaethom ni" }).waitFor();
  await cy.getByText("Mae pob arfarniad bellach yn dechrau gyda nhw.").waitFor();
  assert.equal(await cy.getByText("Every appraisal now starts with them.").count(), 0, "no English in the Welsh embed's note");

  assert.deepEqual(wasm, [], "the results embed loads no wasm");
  assert.deepEqual(await page.evaluate(() => window.violations), [], "nothing breaks the page's CSP");
  assert.deepEqual(await axe(page, "#estates"), [], "the results embed is accessible");
  assert.deepEqual(await axe(page, "#cy"), [], "the Welsh results embed is accessible");
  await page.screenshot({ path: join(artifacts, "results-embed.png"), fullPage: true });
  await staff.close();
});

test("a story's link to an unlisted host is refused in the widget and by the server alike; an approved link shows in the showcase, an unapproved one nowhere", async () => {
  await postResponses(pulse.url, 300, 6, "estates");
  const staff = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await staff.newPage();
  await page.goto(`${host.url}/plain.html`);
  const root = widget(page);
  await root.getByRole("heading", { name: "Our NHS values" }).waitFor();
  await completeWithMouse(root, { story: "Our open day for families." });
  await root.getByLabel("Link to the photo or video").fill("https://evil.example/photo.jpg");
  await root.getByLabel("Caption: what the photo or video shows").fill("The ward's open day");
  await root.getByLabel("You may show my story, without my name, to other staff").check();
  await root.getByRole("button", { name: "Send my answers" }).click();
  await root.locator(".pulse-error-summary").getByText(REFUSED).waitFor();
  const link = root.getByLabel("Link to the photo or video");
  assert.equal(await link.getAttribute("aria-invalid"), "true");
  assert.deepEqual(await axe(page), [], "the link's error is accessible");

  // The server refuses the same answer with the same words.
  const refused = await fetch(`${pulse.url}/api/v1/surveys/constitution/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      submission_id: "9".repeat(32), survey_version: 1, context: "estates",
      answers: { awareness: "not_heard", values_lived: { working_together: 3, respect_dignity: 3, commitment_to_quality: 3, compassion: 3, improving_lives: 3, everyone_counts: 3 },
        focus_value: "compassion", shared_purpose: "agree", story: { text: "", link: "https://evil.example/photo.jpg", caption: "The ward's open day" }, story_values: ["compassion"] },
    }),
  });
  assert.equal(refused.status, 422);
  const body = await refused.json();
  assert.deepEqual(body.details.map((d) => [d.field, d.message]), [["answers.story.link", REFUSED]]);

  await link.fill("https://youtu.be/open-day");
  await root.getByRole("button", { name: "Send my answers" }).click();
  await root.getByRole("heading", { name: "Thank you" }).waitFor();
  await staff.close();

  // Another story with a link that no admin approves.
  const other = await fetch(`${pulse.url}/api/v1/surveys/constitution/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      submission_id: "8".repeat(32), survey_version: 1, context: "estates",
      answers: { awareness: "not_heard", values_lived: { working_together: 3, respect_dignity: 3, commitment_to_quality: 3, compassion: 3, improving_lives: 3, everyone_counts: 3 },
        focus_value: "compassion", shared_purpose: "agree", story: { text: "", link: "https://vimeo.com/999", caption: "Not approved" }, story_values: ["compassion"], story_consent: "yes" },
    }),
  });
  assert.equal(other.status, 201);
  // Estates now has 12: eight more make the step of ten that releases both stories.
  await postResponses(pulse.url, 400, 8, "estates");

  const showcase = async () => {
    const reader = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const p = await reader.newPage();
    await p.goto(`${host.url}/showcase.html`);
    await p.locator("#all").getByRole("heading", { name: "Values in action", exact: true }).waitFor();
    await p.locator("#all").locator("[aria-busy]").waitFor({ state: "detached" }).catch(() => {});
    return { reader, p };
  };
  let { reader, p } = await showcase();
  assert.equal(await p.getByRole("link").count(), 0, "no link is public before approval");
  await reader.close();

  // The admin sees the link to check it, and approves the story.
  const admin = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const dash = await signIn(admin, "/moderation/constitution");
  await dash.getByRole("heading", { name: "Stories for the showcase" }).waitFor();
  const card = dash.getByRole("listitem").filter({ hasText: "https://youtu.be/open-day" });
  await card.getByRole("link", { name: /https:\/\/youtu\.be\/open-day/ }).waitFor();
  assert.deepEqual(await axe(dash, "body"), [], "the moderation page with links is accessible");
  await card.getByRole("button", { name: "Approve" }).click();
  await dash.getByRole("status").getByText(/approved: on the showcase/).waitFor();
  await admin.close();

  ({ reader, p } = await showcase());
  const shown = p.locator("#all").getByRole("link", { name: "The ward's open day" });
  await shown.waitFor();
  assert.equal(await shown.getAttribute("href"), "https://youtu.be/open-day");
  assert.match(await shown.getAttribute("rel"), /noreferrer/);
  assert.equal(await p.getByText("Not approved").count(), 0, "an unapproved link shows nowhere");
  assert.equal(await p.locator("a[href*='vimeo']").count(), 0);
  assert.deepEqual(await axe(p, "#all"), [], "the showcase with a link is accessible");
  await reader.close();
});

test("the values evidence pack puts a value's figures beside its stories and prints on A4", async () => {
  const admin = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const dash = await signIn(admin, "/evidence/constitution/compassion");
  await dash.getByRole("heading", { name: "Compassion: values evidence" }).waitFor();
  await dash.getByRole("heading", { name: /^Compassion: Often or Always$/i }).waitFor();
  await dash.getByRole("heading", { name: "Chose Compassion" }).waitFor();
  await dash.getByRole("link", { name: "The ward's open day" }).waitFor();
  assert.deepEqual(await axe(dash, "body"), [], "the evidence page is accessible");
  await dash.emulateMedia({ media: "print" });
  assert.equal(await dash.getByRole("button", { name: "Print or save as PDF" }).isVisible(), false, "no buttons on paper");
  await dash.pdf({ path: join(artifacts, "values-evidence-compassion.pdf"), format: "A4" });
  await admin.close();
});
