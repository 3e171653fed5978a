// Signing admins in through a real OpenID provider (npm's oidc-provider, started here), in Chromium:
// an owner gives a directorate lead (Entra-style: a group id, no e-mail) a scoped view and a
// moderator the story queue; an analyst, the moderator and the lead each see what their role allows;
// a person on no list is refused with a clear page; an idle session ends; a forged or replayed
// state, an ID token naming another issuer, and a request from another origin are all refused; and
// the owner reads who did what in the audit log.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPulse, startHost, launch, axe, apiResponse, freePort } from "./harness.mjs";
import { startProvider, signInAtProvider, CLIENT_ID, CLIENT_SECRET, PEOPLE } from "./provider.mjs";

let browser, pulse, shortPulse, provider, elsewhere;

function signInArgs(port, secretFile) {
  // This provider stands in for Entra ID (the lead's and Cal's accounts carry a UPN as their
  // preferred_username), so the username is trusted as Entra's is.
  return ["--oidc-issuer", provider.issuer, "--oidc-client-id", CLIENT_ID, "--oidc-client-secret-file", secretFile,
    "--oidc-redirect-url", `http://127.0.0.1:${port}/auth/callback`, "--oidc-trust-username", "true"];
}

before(async () => {
  browser = await launch();
  const [port, shortPort] = [await freePort(), await freePort()];
  provider = await startProvider([`http://127.0.0.1:${port}/auth/callback`, `http://127.0.0.1:${shortPort}/auth/callback`]);
  // The client secret from a file (mode 0600), never a flag that would show in `ps`.
  const secret = join(mkdtempSync(join(tmpdir(), "pulse-oidc-")), "client-secret");
  writeFileSync(secret, `${CLIENT_SECRET}\n`, { mode: 0o600 });
  pulse = await startPulse({ port, args: (p) => signInArgs(p, secret) });
  // The client secret comes from the environment here, as it may in production; never a flag.
  shortPulse = await startPulse({
    port: shortPort,
    args: ["--oidc-issuer", provider.issuer, "--oidc-client-id", CLIENT_ID, "--oidc-redirect-url", `http://127.0.0.1:${shortPort}/auth/callback`, "--session-idle", "2",
      "--oidc-extra-audience", "https://api.example.nhs.uk"],
    env: { PULSE_OIDC_CLIENT_SECRET: CLIENT_SECRET },
  });
  for (let n = 0; n < 30; n++) {
    const r = apiResponse(n, n < 12 ? "estates" : n < 26 ? "clinical" : "corporate");
    r.answers.story = `Story ${n}: the porters stayed late to help a family.`;
    r.answers.story_values = ["compassion"];
    r.answers.story_consent = "yes";
    const res = await fetch(`${pulse.url}/api/v1/surveys/constitution/responses`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(r) });
    assert.equal(res.status, 201);
  }
  // The first owner is let in from the server's command line (through the running server).
  pulse.cli("admin", "allow", "--email", PEOPLE.owner.email, "--role", "owner");
  pulse.cli("admin", "allow", "--email", PEOPLE.analyst.email, "--role", "analyst");
  shortPulse.cli("admin", "allow", "--email", PEOPLE.analyst.email, "--role", "analyst");
  elsewhere = await startHost(pulse.url);
});

after(async () => {
  await browser?.close();
  await pulse?.stop();
  await shortPulse?.stop();
  await provider?.close();
  await elsewhere?.close();
});

/** A fresh browser that signs in as `who` at `server`'s dashboard; returns its page once back. */
async function signIn(who, server = pulse) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByRole("link", { name: "Sign in with your organisation account" }).click();
  await signInAtProvider(page, who);
  return page;
}

test("an owner signs in, gives a lead a scoped view and a moderator the queue, and the session cookie is locked down", async () => {
  const page = await signIn("owner");
  await page.getByRole("heading", { name: "Surveys" }).waitFor();
  assert.match(await page.locator("#who").innerText(), /Olu Owner <olu\.owner@example\.nhs\.uk> \(owner\)/);
  const cookies = await page.context().cookies(pulse.url);
  const session = cookies.find((c) => c.name === "pulse_admin");
  assert.ok(session, "a session cookie");
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, "Strict");
  assert.ok(!cookies.some((c) => c.name === "pulse_sign_in"), "the sign-in's own cookie is gone");
  assert.equal(await page.evaluate(() => document.cookie), "", "no script can read the session");

  await page.getByRole("link", { name: "Who can see results" }).click();
  await page.getByRole("heading", { name: "Who can see results" }).waitFor();
  // A viewer without contexts is refused and what was typed stays.
  await page.getByLabel("Who").selectOption("group");
  await page.getByLabel("Address or group id").fill(PEOPLE.lead.groups[0]);
  await page.getByLabel("Role").first().selectOption("viewer");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("alert").getByText(/name at least one/).waitFor();
  assert.equal(await page.getByLabel("Address or group id").inputValue(), PEOPLE.lead.groups[0]);
  await page.getByLabel("Contexts (viewers only)").first().fill("estates");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").getByText(/may now sign in as viewer/).waitFor();
  await page.getByLabel("Who").selectOption("email");
  await page.getByLabel("Address or group id").fill(PEOPLE.moderator.email);
  await page.getByLabel("Role").first().selectOption("moderator");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").getByText(/may now sign in as moderator/).waitFor();
  assert.deepEqual(await axe(page, "body"), [], "the admins page");
  await page.context().close();
});

test("the analyst, the moderator and the Entra-style lead each see what their role allows", async () => {
  const analyst = await signIn("analyst");
  await analyst.getByRole("link", { name: "Our NHS values" }).click();
  await analyst.getByRole("link", { name: "Trend and response rates across waves" }).waitFor();
  assert.equal(await analyst.getByRole("link", { name: "Review stories for the showcase" }).count(), 0);
  assert.equal(await analyst.getByRole("link", { name: "Who can see results" }).count(), 0);
  await analyst.goto(`${pulse.url}/admin#/audit`);
  await analyst.getByText(/this needs the role owner; you are signed in as analyst/).waitFor();
  // Signed in with the organisation's account, the analyst edits a survey: the editor's saves carry
  // the session's CSRF token as the dashboard's do.
  await analyst.goto(`${pulse.url}/admin/editor#/edit/constitution`);
  await analyst.getByText("Published version, no changes yet.").waitFor();
  await analyst.locator("#f-title-en").fill("Our NHS values, this spring");
  await analyst.locator("#save-status").getByText(/^Draft saved 1 \(Ana Analyst/).waitFor();
  await analyst.getByRole("button", { name: "Discard this draft" }).click();
  await analyst.getByRole("button", { name: "Discard the draft" }).click();
  await analyst.getByRole("heading", { name: "Survey editor", level: 1 }).waitFor();
  await analyst.context().close();

  const moderator = await signIn("moderator");
  await moderator.getByRole("link", { name: "Our NHS values" }).click();
  await moderator.getByRole("heading", { name: "Stories for the showcase" }).waitFor();
  const approve = moderator.getByRole("button", { name: /^Approve/ }).first();
  await approve.click();
  await moderator.getByRole("status").getByText(/approved/i).waitFor();
  await moderator.goto(`${pulse.url}/admin/editor`);
  await moderator.getByText("Only analysts and owners can edit surveys.").waitFor();
  const refused = await moderator.evaluate(async (u) => (await fetch(`${u}/api/v1/surveys/constitution/results`)).status, pulse.url);
  assert.equal(refused, 403, "a moderator reads no results");
  await moderator.context().close();

  const lead = await signIn("lead");
  await lead.getByRole("heading", { name: "Surveys" }).waitFor();
  assert.match(await lead.locator("#who").innerText(), /Lee Lead <lee\.lead@example\.nhs\.uk> \(viewer\)/);
  await lead.getByText("You see the results of estates only.").waitFor();
  await lead.getByRole("link", { name: "Our NHS values" }).click();
  await lead.getByRole("heading", { name: /Our NHS values/ }).waitFor();
  const columns = await lead.locator("#context option").allInnerTexts();
  assert.deepEqual(columns, ["Estates and facilities"], "the lead's context only: no total, no other group");
  // The lead reads the trend and rates of their own contexts (made from their results alone).
  await lead.getByRole("link", { name: "Trend and response rates across waves" }).waitFor();
  // A first wave may not take in responses already released with some still waiting (estates'
  // twelve were released at the tenth): the wave would show the two apart. A wave from tomorrow may.
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const wave = (adopt, opens) => fetch(`${pulse.url}/api/v1/surveys/constitution/waves`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${pulse.token()}` },
    body: JSON.stringify({ id: "q1", label: { en: "First quarter" }, opens, closes: day(30), adopt }),
  });
  const adopting = await wave(true, day(-1));
  assert.equal(adopting.status, 422);
  assert.deepEqual((await adopting.json()).details.map((d) => d.field), ["adopt"]);
  const added = await wave(false, day(1));
  assert.equal(added.status, 201, await added.clone().text());
  // The lead chooses it and reads their group's figures for it: none yet, and still their group only.
  await lead.reload();
  await lead.locator("#wave").selectOption({ label: `First quarter (${day(1)} to ${day(30)})` });
  await lead.waitForURL(/w:q1$/);
  await lead.getByText(/You see the groups you are responsible for \(Estates and facilities\)/).waitFor();
  const inWave = await lead.evaluate(async (u) => (await fetch(`${u}/api/v1/surveys/constitution/results?wave=q1`)).json(), pulse.url);
  assert.equal(inWave.wave.id, "q1");
  assert.equal(inWave.responses, null, "nobody has answered in it");
  const figures = await lead.evaluate(async (u) => (await fetch(`${u}/api/v1/surveys/constitution/results`)).json(), pulse.url);
  assert.equal(figures.responses, 10, "the lead's group as released: ten of its twelve");
  assert.ok(figures.questions.every((q) => q.respondents.all === null), "no figure for everyone");
  assert.deepEqual(await axe(lead, "body"), [], "the lead's results");
  await lead.context().close();
});

test("a person on no list is refused with a clear page, and cannot reach the API", async () => {
  const page = await signIn("stranger");
  await page.getByRole("heading", { name: "You cannot use Values Pulse's results" }).waitFor();
  assert.match(await page.locator("main").innerText(), /You signed in as Sam Stranger <sam\.stranger@example\.nhs\.uk>.*ask one of your organisation's Values Pulse owners/s);
  assert.ok(!(await page.context().cookies(pulse.url)).some((c) => c.name === "pulse_admin"), "no session");
  const status = await page.evaluate(async (u) => (await fetch(`${u}/api/v1/surveys`)).status, pulse.url);
  assert.equal(status, 401);
  assert.deepEqual(await axe(page, "body"), [], "the refusal page");
  // Someone whose groups the provider withheld (too many) is told that this is why.
  const crowded = await signIn("crowded");
  await crowded.getByRole("heading", { name: "You cannot use Values Pulse's results" }).waitFor();
  assert.match(await crowded.locator("main").innerText(), /Cal Crowded.*more groups than your organisation's sign-in lists/s);
  await crowded.context().close();
  await page.context().close();
});

test("an idle session ends on the server and the dashboard says so", async () => {
  const page = await signIn("analyst", shortPulse);
  await page.getByRole("heading", { name: "Surveys" }).waitFor();
  await new Promise((r) => setTimeout(r, 2500));
  await page.getByRole("link", { name: "Our NHS values" }).click();
  await page.getByRole("alert").getByText("Your session has ended. Sign in again.").waitFor();
  await page.context().close();
});

test("a forged state, a replayed one, and an ID token from another issuer are refused", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const forged = await page.goto(`${pulse.url}/auth/callback?code=made-up&state=forged-state`);
  assert.equal(forged.status(), 400);
  await page.getByText(/was not started in this browser, has been used already/).waitFor();

  // Replay: the provider's answer, sent again after it was used.
  let callback;
  page.on("request", (r) => {
    if (r.url().startsWith(`${pulse.url}/auth/callback?`)) callback ??= r.url();
  });
  await page.goto(`${pulse.url}/admin`);
  await page.getByRole("link", { name: "Sign in with your organisation account" }).click();
  await signInAtProvider(page, "analyst");
  await page.getByRole("heading", { name: "Surveys" }).waitFor();
  const replayed = await page.goto(callback);
  assert.equal(replayed.status(), 400);
  await page.getByText(/has been used already/).waitFor();
  await context.close();

  provider.state.forgeIssuer = true;
  try {
    const other = await signIn("owner");
    await other.getByRole("heading", { name: "Sign-in did not work" }).waitFor();
    assert.match(await other.locator("main").innerText(), /ID token was refused.*[Ii]ssuer/s);
    assert.ok(!(await other.context().cookies(pulse.url)).some((c) => c.name === "pulse_admin"), "no session");
    await other.context().close();
  } finally {
    provider.state.forgeIssuer = false;
  }
});

test("an account named like the owner, with an address its provider has not verified, is refused", async () => {
  const page = await signIn("impostor");
  await page.getByRole("heading", { name: "You cannot use Values Pulse's results" }).waitFor();
  assert.ok(!(await page.context().cookies(pulse.url)).some((c) => c.name === "pulse_admin"), "no session");
  await page.context().close();
});

test("a provider clock a little behind is allowed for; an expired token, or a second audience not listed, is refused and audited", async () => {
  const now = Math.floor(Date.now() / 1000);
  // The provider's clock 40 s behind ours and a short-lived token: inside the 60 s leeway.
  provider.state.reshape = (c) => ({ ...c, iat: now - 100, exp: now - 40 });
  try {
    const late = await signIn("analyst");
    await late.getByRole("heading", { name: "Surveys" }).waitFor();
    await late.context().close();
    provider.state.reshape = (c) => ({ ...c, iat: now - 400, exp: now - 300 });
    const expired = await signIn("analyst");
    await expired.getByRole("heading", { name: "Sign-in did not work" }).waitFor();
    assert.match(await expired.locator("main").innerText(), /ID token was refused.*expired/is);
    await expired.context().close();

    // A second audience: refused where it is not listed, taken where it is, with azp naming us.
    provider.state.reshape = (c) => ({ ...c, aud: [CLIENT_ID, "https://api.example.nhs.uk"], azp: CLIENT_ID });
    const unlisted = await signIn("analyst");
    await unlisted.getByRole("heading", { name: "Sign-in did not work" }).waitFor();
    assert.match(await unlisted.locator("main").innerText(), /audience/i);
    await unlisted.context().close();
    const listed = await signIn("analyst", shortPulse);
    await listed.getByRole("heading", { name: "Surveys" }).waitFor();
    await listed.context().close();
    provider.state.reshape = (c) => ({ ...c, aud: [CLIENT_ID, "https://api.example.nhs.uk"], azp: "someone-else" });
    const otherParty = await signIn("analyst", shortPulse);
    await otherParty.getByRole("heading", { name: "Sign-in did not work" }).waitFor();
    assert.match(await otherParty.locator("main").innerText(), /authorized party/);
    await otherParty.context().close();
  } finally {
    provider.state.reshape = null;
  }
});

test("a request from another origin, with the owner's cookie, changes nothing", async () => {
  const page = await signIn("owner");
  await page.getByRole("heading", { name: "Surveys" }).waitFor();
  // A page on another origin (pages/attack.html; same site, as only the port differs, so the cookie
  // goes with it) sends the simple requests any page may send: one to make a token, one to sign out.
  const responses = [];
  page.context().on("response", (r) => {
    if (r.url().startsWith(pulse.url) && r.request().method() === "POST") responses.push(r.status());
  });
  await page.goto(`${elsewhere.url}/attack.html`);
  await page.evaluate(() => window.attack());
  for (let i = 0; i < 50 && responses.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(responses.length, 2, `both forms were sent: ${responses}`);
  assert.ok(responses.every((s) => s === 403 || s === 401), `both refused: ${responses}`);
  // Still signed in, and no token was made.
  await page.goto(`${pulse.url}/admin#/admins`);
  await page.getByRole("heading", { name: "Who can see results" }).waitFor();
  assert.equal(await page.getByRole("cell", { name: "stolen" }).count(), 0);

  // The owner reads who did what.
  await page.goto(`${pulse.url}/admin#/audit`);
  await page.getByRole("heading", { name: "Audit log" }).waitFor();
  const log = await page.locator("table").innerText();
  for (const [who, action] of [
    ["Olu Owner", "signed in"],
    ["Olu Owner", "roles changed"],
    ["Mo Moderator", "story decided"],
    ["Lee Lead", "results viewed"],
    ["Sam Stranger", "sign-in refused"],
    ["Cal Crowded", "the provider withheld their groups"],
    ["Ana Analyst", "signed in"],
    ["Ima Impostor", "sign-in refused"],
    ["unknown (ID token refused)", "sign-in refused"],
    [`account owner at ${provider.issuer}`, "signed in"],
  ]) {
    assert.ok(log.split("\n").some((line) => line.includes(who) && line.includes(action)), `${who} ${action} in:\n${log}`);
  }
  assert.ok(!log.includes("porters"), "no staff words in the audit log");
  assert.deepEqual(await axe(page, "body"), [], "the audit log page");
  // Signing out ends the provider's session too (RP-initiated logout): the provider asks, then
  // sends the browser back to the dashboard, and the next "Sign in" asks for a password again.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((u) => u.href.startsWith(provider.issuer));
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await page.waitForURL(`${pulse.url}/admin`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  const after = await page.evaluate(async (u) => (await fetch(`${u}/auth/session`)).json(), pulse.url);
  assert.equal(after.signed_in, false, "signed out on the server");
  await page.getByRole("link", { name: "Sign in with your organisation account" }).click();
  await page.locator('input[name="login"]').waitFor();
  await page.context().close();
});
