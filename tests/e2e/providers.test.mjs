// Sign-in with a second, independent OpenID provider: oidc-provider-mock from PyPI (built on
// authlib), besides npm's oidc-provider in signin.test.mjs. Its issuer has no trailing slash, as
// Keycloak's and LemonLDAP::NG's have none: written with one, the server refuses to start and says
// what to write. Then an owner with a verified address signs in, an account whose username is the
// owner's address but whose address is unverified is refused, and signing out ends the session at
// the provider too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { startPulse, launch, freePort } from "./harness.mjs";

let browser, provider, issuer, pulse;

const OWNER = { sub: "olu", email: "olu.owner@example.nhs.uk", email_verified: true, name: "Olu Owner" };
const IMPOSTOR = { sub: "imp", email: "imp@elsewhere.example", email_verified: false, preferred_username: OWNER.email, name: "Ima Impostor" };

before(async () => {
  browser = await launch();
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  provider = spawn("python3", ["-m", "oidc_provider_mock", "--port", String(port),
    "--user-claims", JSON.stringify(OWNER), "--user-claims", JSON.stringify(IMPOSTOR)], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  provider.stderr.on("data", (d) => (log += d));
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${issuer}/.well-known/openid-configuration`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  const doc = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json().catch(() => ({}));
  assert.equal(doc.issuer, issuer, `the provider started: ${log}`);
});

after(async () => {
  await browser?.close();
  await pulse?.stop();
  provider?.kill();
});

const signInArgs = (iss) => (port) => ["--oidc-issuer", iss, "--oidc-client-id", "values-pulse",
  "--oidc-redirect-url", `http://127.0.0.1:${port}/auth/callback`];

test("an issuer written with a trailing slash stops the server at start, saying what to write", async () => {
  const wrong = await startPulse({ args: signInArgs(`${issuer}/`), env: { PULSE_OIDC_CLIENT_SECRET: "a-secret" } });
  const code = await Promise.race([wrong.exited, new Promise((r) => setTimeout(() => r("still running"), 15000))]);
  await wrong.stop();
  assert.notEqual(code, 0, wrong.log());
  assert.notEqual(code, "still running", wrong.log());
  assert.match(wrong.log(), new RegExp(`names itself "${issuer}".*--oidc-issuer ${issuer} exactly`, "s"));
});

test("with a second provider: the verified owner comes in, the unverified look-alike does not, and sign-out ends both sessions", async () => {
  pulse = await startPulse({ args: signInArgs(issuer), env: { PULSE_OIDC_CLIENT_SECRET: "a-secret" } });
  pulse.cli("admin", "allow", "--email", OWNER.email, "--role", "owner");
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const signIn = async (sub) => {
    await page.goto(`${pulse.url}/admin`);
    await page.getByRole("link", { name: "Sign in with your organisation account" }).click();
    await page.locator('input[name="sub"]').first().waitFor();
    await page.locator('input[name="sub"]').first().fill(sub);
    await page.getByRole("button", { name: "Authorize" }).click();
  };

  await signIn(IMPOSTOR.sub);
  await page.getByRole("heading", { name: "You cannot use Values Pulse's results" }).waitFor();
  assert.match(await page.locator("main").innerText(), /Ima Impostor/);

  await signIn(OWNER.sub);
  await page.getByRole("heading", { name: "Surveys" }).waitFor();
  assert.match(await page.locator("#who").innerText(), /Olu Owner <olu\.owner@example\.nhs\.uk> \(owner\)/);
  await page.goto(`${pulse.url}/admin#/audit`);
  await page.getByRole("heading", { name: "Audit log" }).waitFor();
  const log = await page.locator("table").innerText();
  assert.match(log, new RegExp(`Olu Owner.*account olu at ${issuer}.*signed in`));
  assert.match(log, /Ima Impostor.*sign-in refused/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((u) => u.href.startsWith(`${issuer}/oauth2/end_session`));
  const url = new URL(page.url());
  assert.ok(url.searchParams.get("id_token_hint"), "the ID token as the hint");
  assert.equal(url.searchParams.get("post_logout_redirect_uri"), `${pulse.url}/admin`);
  const session = await (await fetch(`${pulse.url}/auth/session`)).json();
  assert.equal(session.signed_in, false);
  await context.close();
});
