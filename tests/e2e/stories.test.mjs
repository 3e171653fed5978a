// Values in action, end to end in Chromium against a real server: a member of staff submits a story
// with consent on an intranet page, an admin edits and approves it in the dashboard, and it appears in
// a showcase embed on another intranet page, which loads no survey code. A story sent without
// consent never appears. A moderator corrects a caption and value tags, and sees near-identical
// stories marked.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startPulse, startHost, launch, widget, axe, completeWithMouse, postResponses, apiResponse, artifacts, freePort } from "./harness.mjs";

let browser, pulse, host;
before(async () => {
  browser = await launch();
  const port = await freePort();
  pulse = await startPulse({ embedOrigins: [`http://127.0.0.1:${port}`] });
  host = await startHost(pulse.url, () => ({}), port);
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
  await host?.close();
});

const STORY = "Our ward clerk Jo Bloggs stayed after her shift to help a lost family find the children's ward.";
const EDITED = "Our ward clerk stayed after her shift to help a lost family find the children's ward.";
const PRIVATE = "A private story that its writer did not agree to share.";

/** An admin signed in on the moderation queue. (bypassCSP lets the test inject axe-core.) */
async function moderation() {
  const admin = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const dash = await admin.newPage();
  await dash.goto(`${pulse.url}/admin#/moderation/constitution`);
  await dash.getByLabel("Admin token").fill(pulse.token());
  await dash.getByRole("button", { name: "Sign in" }).click();
  return { admin, dash };
}

/** Posts response `n` from `context` with `answers` added to it, and checks it was stored. */
async function postWith(n, context, answers) {
  const response = apiResponse(n, context);
  Object.assign(response.answers, answers);
  const sent = await fetch(`${pulse.url}/api/v1/surveys/constitution/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(response),
  });
  assert.equal(sent.status, 201, await sent.text());
}

test("a consented story goes from the survey through moderation to a showcase on another page", async () => {
  // Nine others in estates answered (with the story below, a group of ten, so its stories may be
  // read), and one in clinical with a story they keep private.
  await postResponses(pulse.url, 5000, 9, "estates");
  const secret = await fetch(`${pulse.url}/api/v1/surveys/constitution/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      submission_id: "5".repeat(32), survey_version: 1, context: "clinical",
      answers: { awareness: "not_heard", values_lived: { working_together: 3, respect_dignity: 3, commitment_to_quality: 3, compassion: 3, improving_lives: 3, everyone_counts: 3 },
        focus_value: "compassion", shared_purpose: "agree", story: PRIVATE, story_values: ["respect_dignity"] },
    }),
  });
  assert.equal(secret.status, 201);

  // A member of staff, on an intranet page.
  const staff = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await staff.newPage();
  await page.goto(`${host.url}/plain.html`);
  const root = widget(page);
  await root.getByRole("heading", { name: "Our NHS values" }).waitFor();
  await completeWithMouse(root, { story: STORY });
  const consent = root.getByLabel("You may show my story, without my name, to other staff");
  assert.equal(await consent.isChecked(), false, "consent is never assumed");
  await consent.check();
  await root.getByRole("group", { name: /Which NHS values does your example show/ }).getByLabel("Respect and dignity").check();
  assert.deepEqual(await axe(page), [], "the consent question is accessible");
  await root.getByRole("button", { name: "Send my answers" }).click();
  await root.getByRole("heading", { name: "Thank you" }).waitFor();
  await staff.close();

  // An admin reviews it. (bypassCSP lets the test inject axe-core into the admin page.)
  const { admin, dash } = await moderation();
  await dash.getByRole("heading", { name: "Stories for the showcase" }).waitFor();
  const waiting = dash.getByRole("region", { name: /Waiting for review/ });
  assert.equal(await waiting.getByRole("listitem").filter({ has: dash.getByRole("textbox") }).count(), 1, "only the consented story waits");
  assert.equal(await dash.getByText(PRIVATE).count(), 0, "an unconsented story is never in the queue");
  assert.deepEqual(await axe(dash, "body"), [], "the moderation page is accessible");
  const box = waiting.getByRole("textbox", { name: "Story text" });
  assert.equal(await box.inputValue(), STORY);
  await box.fill(EDITED);
  await waiting.getByRole("button", { name: "Approve" }).click();
  await dash.getByRole("status").getByText(/approved: on the showcase, with your edit/).waitFor();
  const onShowcase = dash.getByRole("region", { name: /On the showcase \(1\)/ });
  await onShowcase.getByText(EDITED).waitFor();
  assert.equal(await dash.getByText("Jo Bloggs").count(), 0, "the original is not shown again");
  await dash.getByRole("cell", { name: "approved" }).waitFor();
  await dash.screenshot({ path: join(artifacts, "admin-moderation.png"), fullPage: true });
  await admin.close();

  // Another intranet page shows it, with hostile CSS around it, and loads no survey code.
  const reader = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const showcase = await reader.newPage();
  const wasm = [];
  showcase.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  await showcase.goto(`${host.url}/showcase.html`);
  const all = showcase.locator("#all");
  await all.getByRole("heading", { name: "Values in action", exact: true }).waitFor();
  await all.getByText(EDITED).waitFor();
  assert.ok(await all.getByText(EDITED).isVisible(), "the page's CSS cannot hide the story");
  assert.equal(await all.getByRole("listitem").filter({ hasText: EDITED }).getByText("Respect and dignity").count(), 1);
  const respect = showcase.locator("#respect");
  await respect.getByRole("heading", { name: "Values in action: Respect and dignity" }).waitFor();
  await respect.getByText(EDITED).waitFor();
  for (const hidden of [PRIVATE, "Jo Bloggs"]) assert.equal(await showcase.getByText(hidden).count(), 0, hidden);
  assert.deepEqual(wasm, [], "a showcase loads no wasm");
  assert.deepEqual(await axe(showcase, "#all"), [], "the showcase is accessible");
  await showcase.screenshot({ path: join(artifacts, "showcase.png"), fullPage: true });
  await reader.close();
});

test("a story that may still name a patient, or shows where details were taken out, is checked before it is approved", async () => {
  const told = "Mr Patel in bed 4 was frightened, so Sister O'Neill sat with him; his son asked us to ring 07700 900123.";
  await postWith(0x666666, "estates", { story: told, story_values: ["compassion"], story_consent: "yes" });
  // Estates had 10, released; the story waits for nine more, whose step releases it.
  await postResponses(pulse.url, 0x667000, 9, "estates");
  const { admin, dash } = await moderation();
  const card = dash.getByRole("region", { name: /Waiting for review/ }).getByRole("listitem").filter({ hasText: "Check before approving" });
  await card.waitFor();
  assert.deepEqual(await card.locator("mark").allInnerTexts(), ["Patel", "O'Neill"], "likely names are marked, not removed");
  assert.match(await card.getByRole("textbox", { name: "Story text" }).inputValue(), /Mr Patel in bed 4 .*ring \[phone number removed\]\.$/);
  await card.getByText(/still reads \[phone number removed\]/).waitFor();
  assert.deepEqual(await axe(dash, "body"), [], "the checks are accessible");
  // The first press says what to check; only a second approves.
  await card.getByRole("button", { name: "Approve" }).click();
  await card.getByRole("alert").getByText("Check before approving").waitFor();
  await card.getByRole("button", { name: "Approve anyway" }).click();
  await dash.getByRole("status").getByText(/approved: on the showcase/).waitFor();
  await admin.close();
});

test("a long showcase shows six stories at a time, in Welsh on a Welsh page, and keeps the reader's place", async () => {
  const port = await freePort();
  const fresh = await startPulse({ embedOrigins: [`http://127.0.0.1:${port}`] });
  const welshHost = await startHost(fresh.url, () => ({}), port);
  try {
    const token = fresh.token();
    for (let n = 0; n < 10; n++) {
      const r = await fetch(`${fresh.url}/api/v1/surveys/constitution/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          submission_id: (7000 + n).toString(16).padStart(32, "0"), survey_version: 1,
          answers: { awareness: "not_heard", values_lived: { working_together: 4, respect_dignity: 4, commitment_to_quality: 4, compassion: 4, improving_lives: 4, everyone_counts: 4 },
            focus_value: "compassion", shared_purpose: "agree", story: `Story number ${n} of our team's kindness.`, story_values: ["compassion"], story_consent: "yes" },
        }),
      });
      assert.equal(r.status, 201);
    }
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const queue = await (await fetch(`${fresh.url}/api/v1/surveys/constitution/moderation`, { headers: auth })).json();
    assert.equal(queue.stories.length, 10);
    for (const s of queue.stories.slice(0, 8)) {
      const r = await fetch(`${fresh.url}/api/v1/surveys/constitution/moderation/${s.id}`, { method: "POST", headers: auth, body: '{"decision":"approved"}' });
      assert.equal(r.status, 200);
    }
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${welshHost.url}/showcase.html`);
    const all = page.locator("[data-pulse-showcase]").first();
    await all.getByRole("heading", { name: "Values in action" }).waitFor();
    const items = all.locator(".stories > li");
    assert.equal(await items.count(), 6);
    await all.getByText("Showing 6 of 8 stories").waitFor();
    await all.getByRole("button", { name: "Show 2 more stories" }).focus();
    await page.keyboard.press("Enter");
    assert.equal(await items.count(), 8);
    assert.equal(await all.getByRole("button").count(), 0, "no more to show");
    const focused = await page.evaluate(() => document.querySelector("[data-pulse-showcase]").shadowRoot.activeElement?.textContent);
    assert.match(focused, /^Story number \d of our team's kindness\./, "focus moves to the first new story");
    await context.close();

    // The same showcase on a Welsh page speaks Welsh.
    const cy = await browser.newContext();
    const welsh = await cy.newPage();
    await welsh.goto(`${welshHost.url}/showcase-cy.html`);
    const box = welsh.locator("[data-pulse-showcase]");
    await box.getByRole("heading", { name: "Gwerthoedd ar waith: Tosturi" }).waitFor();
    await box.getByRole("button", { name: "Dangos 2 stori arall" }).waitFor();
    assert.equal(await box.getByRole("list", { name: "Gwerthoedd" }).first().getByText("Tosturi").count(), 1);
    await cy.close();
  } finally {
    await fresh.stop();
    await welshHost.close();
  }
});

test("a moderator corrects a story's caption and values, and sees which stories are near-identical", async () => {
  const TEXT = "Our porters walked every family to the new children's unit on its opening day.";
  for (const n of [0, 1]) {
    await postWith(0x777000 + n, "community", {
      story: { text: n ? `${TEXT} ` : TEXT, link: "https://youtu.be/opening-day", caption: n ? "Opening day" : "Opening day, Jo Bloggs's photo" },
      story_values: ["compassion"],
      story_consent: "yes",
    });
  }
  // Eight more from Community make its first release of ten, which holds both stories.
  await postResponses(pulse.url, 0x777100, 8, "community");
  const { admin, dash } = await moderation();
  const waiting = dash.getByRole("region", { name: /Waiting for review/ });
  const twins = waiting.getByRole("listitem").filter({ hasText: "Near-identical" });
  await twins.first().waitFor();
  assert.equal(await twins.count(), 2, "each of the two points at the other");
  const card = waiting.getByRole("listitem").filter({ has: dash.getByRole("textbox", { name: "Caption" }) }).filter({ hasText: "Jo Bloggs" });
  const caption = card.getByRole("textbox", { name: "Caption" });
  assert.equal(await caption.inputValue(), "Opening day, Jo Bloggs's photo");
  const values = card.getByRole("group", { name: "Values this story shows" });
  assert.equal(await values.getByLabel("Compassion").isChecked(), true, "the writer's values to start from");
  assert.deepEqual(await axe(dash, "body"), [], "the caption and values fields are accessible");
  await caption.fill("Opening day of the children's unit");
  await values.getByLabel("Compassion").uncheck();
  await values.getByLabel("Working together for patients").check();
  const approve = card.getByRole("button", { name: "Approve" });
  await approve.click();
  // A story the checks flag takes a second press.
  if (await card.getByRole("button", { name: "Approve anyway" }).count()) await card.getByRole("button", { name: "Approve anyway" }).click();
  await dash.getByRole("status").getByText(/approved: on the showcase/).waitFor();
  await admin.close();
  const showcase = await (await fetch(`${pulse.url}/api/v1/surveys/constitution/showcase`)).json();
  const shown = showcase.stories.find((s) => s.media?.caption === "Opening day of the children's unit");
  assert.ok(shown, JSON.stringify(showcase));
  assert.ok(!JSON.stringify(showcase).includes("Jo Bloggs"), "the old caption is shown nowhere");
  assert.deepEqual(shown.values, ["working_together"], "the values the moderator chose");
});
