// The survey editor, by keyboard alone (each control is reached by focus and worked with keys;
// no pointer): an OD lead builds a quarterly pulse from the engagement template, adds two contexts
// pasted from a list, fixes a check shown live beside its field, reorders a question, previews it
// in Welsh with the real widget, publishes, lets their intranet page show it, and staff answer it
// there. Drafts survive a reload and reach a second browser; two admins' saves never overwrite each
// other silently; a definition the server would refuse cannot be published. axe on every step, in
// English and Welsh.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startPulse, startHost, launch, axe, artifacts, repo } from "./harness.mjs";

// The guides' screenshots (to tests/screenshots/ when UPDATE_SCREENSHOTS=1).
const shots = process.env.UPDATE_SCREENSHOTS ? join(repo, "tests", "screenshots") : artifacts;

let browser, pulse, host;
before(async () => {
  browser = await launch();
  pulse = await startPulse();
  host = await startHost(pulse.url);
});
after(async () => {
  await browser?.close();
  await pulse?.stop();
  await host?.close();
});

/** A browser signed in with the owner's token on the dashboard, by keyboard. */
async function signedIn() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "en-GB" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${pulse.url}/admin`);
  await page.getByLabel("Admin token").focus();
  await page.keyboard.type(pulse.token());
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Surveys", level: 1 }).waitFor();
  return { context, page, problems };
}

/** Focuses `locator` and presses `key` on it. */
async function press(locator, key = "Enter") {
  await locator.focus();
  await locator.press(key);
}

async function type(locator, text) {
  await locator.focus();
  await locator.press("ControlOrMeta+a");
  await locator.pressSequentially(text);
}

/** Waits until the draft's status says it is saved, at a revision after `after` when given. */
async function saved(page, after = 0) {
  await page.waitForFunction(
    (after) => {
      const m = document.querySelector("#save-status")?.textContent.match(/^Draft saved (\d+)/);
      return m && Number(m[1]) > after;
    },
    after,
    { timeout: 10_000 },
  );
}

const revision = async (page) => Number((await page.locator("#save-status").innerText()).match(/^Draft saved (\d+)/)?.[1] ?? 0);

async function clean(page, what) {
  assert.deepEqual(await axe(page, "body"), [], what);
}

test("an OD lead builds, previews and publishes a quarterly pulse by keyboard, and staff answer it", async () => {
  const { context, page, problems } = await signedIn();
  await press(page.getByRole("link", { name: "Create or edit a survey" }));
  await page.getByRole("heading", { name: "Survey editor", level: 1 }).waitFor();
  await clean(page, "the editor's list");
  await press(page.getByRole("link", { name: "Create a survey" }));
  await page.getByRole("heading", { name: "Create a survey", level: 1 }).waitFor();
  assert.ok(await page.getByLabel("Quarterly engagement pulse").isChecked(), "the engagement template is the first choice");
  await type(page.getByLabel("Title (English)"), "Quarterly pulse");
  assert.equal(await page.getByLabel("Id", { exact: true }).inputValue(), "quarterly-pulse", "the id is made from the title");
  await clean(page, "starting a survey");
  await press(page.getByRole("button", { name: "Create the draft" }));
  await page.getByRole("heading", { name: "Edit survey: Quarterly pulse", level: 1 }).waitFor();
  // The NHS Staff Survey's words, marked as bank items.
  await page.getByText("nhsss-motivation · NHS Staff Survey, questions 2a–2c").waitFor();
  assert.equal(await page.locator("#q-1-o-1-en").inputValue(), "I am able to make suggestions to improve the work of my team / department.");

  // Two contexts pasted from a list; their ids are shown, and their missing Welsh is marked.
  await type(page.getByLabel(/Paste names to add/), "Surgery and Theatres\nWomen's Services\n");
  await page.locator("#contexts-preview").getByText("Surgery and Theatres (surgery_and_theatres), Women's Services (womens_services)").waitFor();
  await press(page.getByRole("button", { name: "Add these contexts" }));
  await page.getByText("Id: womens_services").waitFor();
  assert.equal(await page.locator("#f-contexts").getByText("Welsh missing").count(), 2);
  await page.locator("#check-summary").getByText("contexts.surgery_and_theatres: has no Welsh").waitFor();
  await type(page.locator("#ctx-0-cy"), "Llawfeddygaeth a Theatrau");
  await type(page.locator("#ctx-1-cy"), "Gwasanaethau Menywod");
  assert.equal(await page.locator("#f-contexts").getByText("Welsh missing").count(), 0);
  // A division, named in both languages; the first context is put in it.
  await type(page.locator("#new-division"), "Surgical division");
  await press(page.getByRole("button", { name: "Add this division" }));
  await page.getByText("Id: surgical_division").waitFor();
  assert.equal(await page.locator("#f-divisions").getByText("Welsh missing").count(), 1);
  await type(page.locator("#div-0-cy"), "Is-adran lawfeddygol");
  assert.equal(await page.locator("#f-divisions").getByText("Welsh missing").count(), 0);
  await page.locator("#ctx-0-division").focus();
  await page.locator("#ctx-0-division").selectOption("surgical_division");

  // A check shown live beside its field, by the same code as the server; while it stands the
  // survey cannot be published.
  await type(page.getByLabel("Smallest group shown (k)"), "3");
  await page.locator("#f-k").getByText("must be at least 5, got 3").waitFor();
  assert.ok(await page.locator("#publish").isDisabled(), "a definition the server would refuse cannot be published");
  await clean(page, "the editor with a problem shown");
  await type(page.getByLabel("Smallest group shown (k)"), "10");
  await page.locator("#check-summary").waitFor({ state: "detached" });
  assert.ok(await page.locator("#publish").isEnabled());

  // Reordered by keyboard: the button pressed keeps the focus, on the question it moved.
  await press(page.locator("#q-0-down"));
  await page.locator("#f-q-involvement").locator("#q-0-down").waitFor();
  await page.waitForFunction(() => document.activeElement.id === "q-1-down");
  await press(page.locator("#q-1-up"));
  await page.locator("#f-q-motivation").locator("#q-0-up").waitFor();
  // At the top its "Move up" is off, so the focus stays with the question, on "Move down".
  await page.waitForFunction(() => document.activeElement.id === "q-0-down");
  // A question of their own: its id is made from its words once written, and the focus stays
  // where the Tab key took it.
  await press(page.getByRole("button", { name: "Add question" }));
  await page.waitForFunction(() => document.activeElement.id === "q-3-prompt-en");
  await page.keyboard.type("What would make the biggest difference?");
  await page.keyboard.press("Tab");
  await page.locator("#f-q-what_would_make_the_biggest_difference").waitFor();
  await page.waitForFunction(() => document.activeElement.id === "q-3-prompt-cy");
  await press(page.locator("#q-3-add-option"));
  await page.waitForFunction(() => document.activeElement.id === "q-3-o-0-en");
  await page.keyboard.type("More staff");
  await page.keyboard.press("Tab");
  await page.waitForFunction(() => document.getElementById("q-3-o-0-id")?.value === "more_staff");
  await page.locator("#f-q-what_would_make_the_biggest_difference").getByText("Welsh missing").first().waitFor();
  await press(page.locator("#q-3-remove"));
  await page.locator("#f-q-what_would_make_the_biggest_difference").waitFor({ state: "detached" });
  await saved(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, "editor.png"), fullPage: false });

  // A reload keeps the work, and a second browser sees it.
  await page.reload();
  await page.getByText("Id: womens_services").waitFor();
  const second = await signedIn();
  await second.page.goto(`${pulse.url}/admin/editor#/edit/quarterly-pulse`);
  await second.page.getByText("Id: womens_services").waitFor();
  // The second admin saves first; the first admin's next save is refused and says so.
  const before = await revision(second.page);
  await type(second.page.locator("#f-intro-en"), "Nine questions, every quarter.");
  await saved(second.page, before);
  await type(page.locator("#f-title-en"), "Quarterly pulse (mine)");
  await page.getByRole("alert").getByText("Another admin saved this draft").waitFor();
  await press(page.getByRole("button", { name: "Load their version" }));
  await page.locator("#save-status").getByText(/^Draft saved/).waitFor();
  assert.equal(await page.locator("#f-intro-en").inputValue(), "Nine questions, every quarter.");
  assert.equal(await page.locator("#f-title-en").inputValue(), "Quarterly pulse");
  await second.context.close();

  // The preview in Welsh, with the real widget.
  await press(page.getByLabel("Welsh", { exact: true }), "Space");
  await press(page.getByRole("button", { name: "Show the preview" }));
  const frame = page.frameLocator("#preview-frame");
  await frame.getByRole("heading", { name: "Pwls staff" }).waitFor();
  await frame.getByText("Rydw i'n edrych ymlaen at fynd i'r gwaith.").first().waitFor();
  assert.ok((await page.locator("#preview-frame").boundingBox()).width > 800, "at the page's width");
  await page.locator("section[aria-labelledby=preview-part]").screenshot({ path: join(shots, "editor-preview-cy.png") });
  await clean(page, "the editor with its preview");
  // At a phone's width, closed: the message staff read once it has closed.
  await press(page.getByLabel("Phone", { exact: true }), "Space");
  await press(page.getByLabel("Closed", { exact: true }), "Space");
  await press(page.getByRole("button", { name: "Show the preview" }));
  await page.frameLocator("#preview-frame").getByText(/^Caeodd yr arolwg hwn ar/).waitFor();
  assert.equal(Math.round((await page.locator("#preview-frame").boundingBox()).width), 375);

  // The editor in Welsh, as a Welsh-speaking OD lead reads it.
  await press(page.getByRole("button", { name: /Cymraeg/ }));
  await page.getByRole("heading", { name: "Golygu arolwg: Pwls staff", level: 1 }).waitFor();
  await page.getByText("Mae gan bob testun ei Gymraeg").waitFor();
  await clean(page, "the editor in Welsh");
  await page.goto(`${pulse.url}/admin/editor#/`);
  await page.getByRole("heading", { name: "Golygydd arolygon", level: 1 }).waitFor();
  await clean(page, "the editor's list in Welsh");
  await page.goto(`${pulse.url}/admin/editor#/new`);
  await page.getByRole("heading", { name: "Creu arolwg", level: 1 }).waitFor();
  await clean(page, "starting a survey in Welsh");
  await page.goto(`${pulse.url}/admin/editor#/edit/quarterly-pulse`);
  await page.getByRole("heading", { name: "Golygu arolwg: Pwls staff", level: 1 }).waitFor();
  await press(page.getByRole("button", { name: /English/ }));
  await page.getByRole("heading", { name: "Edit survey: Quarterly pulse", level: 1 }).waitFor();

  // Published, the editor gives the snippets, and checks the intranet page's address.
  await page.locator("#changes").getByText("New contexts: surgery_and_theatres, womens_services").waitFor();
  await press(page.locator("#publish"));
  await page.getByText("Published as version 1.").waitFor();
  const published = await (await fetch(`${pulse.url}/api/v1/surveys/quarterly-pulse`)).json();
  assert.deepEqual(published.divisions, [{ id: "surgical_division", label: { en: "Surgical division", cy: "Is-adran lawfeddygol" } }]);
  assert.deepEqual(published.contexts.map((c) => c.division ?? null), ["surgical_division", null]);
  await page.getByRole("heading", { name: "Put the survey on the intranet" }).waitFor();
  await page.locator("section[aria-labelledby=embed-part]").screenshot({ path: join(shots, "editor-embed.png") });
  assert.match(await page.locator("pre").filter({ hasText: "surgery_and_theatres" }).first().innerText(), /data-pulse-survey="quarterly-pulse" data-pulse-context="surgery_and_theatres"/);
  await type(page.getByLabel("Check an intranet page's address"), `${host.url}/pulse.html`);
  await page.getByText(`${host.url} may not show this survey yet.`).waitFor();
  await press(page.getByRole("button", { name: `Add ${host.url} to the draft` }));
  await type(page.getByLabel("Check an intranet page's address"), `${host.url}/pulse.html`);
  await page.getByText(`${host.url} is in this draft`).waitFor();
  await clean(page, "the editor after publishing");
  await saved(page, await revision(page) - 1);
  await press(page.locator("#publish"));
  await page.getByText("Published as version 2.").waitFor();
  assert.deepEqual(problems, []);

  // Staff answer it on the intranet page.
  const staff = await browser.newContext();
  const intranet = await staff.newPage();
  await intranet.goto(`${host.url}/pulse.html`);
  const root = intranet.locator("[data-pulse-survey]");
  await root.getByRole("heading", { name: "Quarterly pulse" }).waitFor();
  for (const statement of ["I look forward to going to work.", "I am enthusiastic about my job.", "Time passes quickly when I am working."]) {
    await press(root.getByRole("group", { name: statement, exact: true }).getByLabel("Often"), "Space");
  }
  await press(root.getByRole("button", { name: "Send my answers" }));
  await root.getByRole("heading", { name: "Thank you" }).waitFor();
  assert.deepEqual(await axe(intranet), [], "the published pulse on the intranet page");
  await staff.close();

  // A draft of a published survey can be thrown away; the survey stays as it is.
  await page.goto(`${pulse.url}/admin/editor#/edit/constitution`);
  await page.getByText("Published version, no changes yet.").waitFor();
  assert.equal(await page.locator(".header__service").innerText(), "Survey editor");
  await type(page.locator("#f-title-en"), "A title to throw away");
  await saved(page);
  await press(page.getByRole("button", { name: "Discard this draft" }));
  await page.waitForFunction(() => document.activeElement.id === "discard-yes");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Survey editor", level: 1 }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Drafts" }).count(), 0, "no draft is left");

  // Published and audited.
  const token = await page.evaluate(() => sessionStorage.getItem("pulse-admin-token"));
  const answer = await fetch(`${pulse.url}/api/v1/audit`, { headers: { authorization: `Bearer ${token}` } });
  const audit = await answer.json();
  assert.equal(answer.status, 200, JSON.stringify(audit));
  const actions = audit.map((e) => `${e.action} ${e.detail}`);
  assert.ok(actions.some((a) => a.startsWith("definition published quarterly-pulse version 2 from draft revision")), actions.join("\n"));
  await context.close();
});
