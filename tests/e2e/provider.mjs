// A real OpenID provider for the sign-in tests: npm's oidc-provider, configured here with a client
// for Values Pulse, a few people (one shaped like a Microsoft Entra ID account: no `email`, a
// `preferred_username` and group object ids), its dev login form, and PKCE required. `forgeIssuer`
// makes its token endpoint hand back an ID token re-signed with its own key but naming another
// issuer, as a mixed-up or malicious provider would; `reshape` re-signs every ID token with its
// claims changed (a clock that is off, a second audience).
import { createServer } from "node:http";
import Provider from "oidc-provider";
import { generateKeyPair, exportJWK, decodeJwt, SignJWT } from "jose";
import { freePort } from "./harness.mjs";

export const CLIENT_ID = "values-pulse";
export const CLIENT_SECRET = "a-test-client-secret-that-is-long-enough-1234567890";

export const PEOPLE = {
  owner: { email: "olu.owner@example.nhs.uk", name: "Olu Owner" },
  analyst: { email: "ana.analyst@example.nhs.uk", name: "Ana Analyst" },
  moderator: { email: "mo.moderator@example.nhs.uk", name: "Mo Moderator" },
  // Entra ID sends the UPN as preferred_username and group object ids, often no email.
  lead: { preferred_username: "lee.lead@example.nhs.uk", name: "Lee Lead", groups: ["6f1b3c2a-8d4e-4f5a-9b6c-7d8e9f0a1b2c"] },
  stranger: { email: "sam.stranger@example.nhs.uk", name: "Sam Stranger" },
  // An account whose username is the owner's address and whose e-mail the provider has not
  // verified (as LemonLDAP::NG can send): it must match nothing.
  impostor: { email: "imp@elsewhere.example", email_verified: false, preferred_username: "olu.owner@example.nhs.uk", name: "Ima Impostor" },
  // In the lead's group but in more than 200 in all: Entra ID then leaves `groups` out and names it
  // as a distributed claim instead.
  crowded: {
    preferred_username: "cal.crowded@example.nhs.uk",
    name: "Cal Crowded",
    _claim_names: { groups: "src1" },
    _claim_sources: { src1: { endpoint: "https://graph.microsoft.com/v1.0/users/cal/getMemberObjects" } },
  },
};

export async function startProvider(redirectUris) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const state = { forgeIssuer: false, reshape: null };
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: redirectUris,
      // Where the provider's sign-out sends the browser back: each server's dashboard.
      post_logout_redirect_uris: redirectUris.map((u) => u.replace("/auth/callback", "/admin")),
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    }],
    jwks: { keys: [jwk] },
    cookies: { keys: ["a-cookie-signing-key-for-tests"] },
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username", "groups"] },
    // As Entra ID does: the claims are in the ID token itself.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => {
      const person = PEOPLE[id];
      if (!person) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...person }) };
    },
    // No consent screen: an organisation's own app is consented for everyone.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    if ((state.forgeIssuer || state.reshape) && ctx.path === "/token" && ctx.body?.id_token) {
      let claims = decodeJwt(ctx.body.id_token);
      if (state.forgeIssuer) claims = { ...claims, iss: `http://127.0.0.1:${port + 1}` };
      if (state.reshape) claims = state.reshape(claims);
      ctx.body = {
        ...ctx.body,
        id_token: await new SignJWT(claims)
          .setProtectedHeader({ alg: "RS256", kid: "test-key" })
          .sign(privateKey),
      };
    }
  });
  const server = createServer(provider.callback());
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { issuer, state, close: () => new Promise((r) => server.close(r)) };
}

/// Signs in at the provider's login form as `who`, from a page on it.
export async function signInAtProvider(page, who) {
  await page.locator('input[name="login"]').waitFor();
  await page.locator('input[name="login"]').fill(who);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}
