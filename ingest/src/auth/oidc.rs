//! Signing admins in with the organisation's identity provider (OpenID Connect: the authorization
//! code flow with PKCE). The `openidconnect` crate reads the discovery document and checks the ID
//! token's signature against the provider's published keys, its issuer, audience, expiry and our
//! nonce. Who may come in, and as what, is decided here from its claims and the allowlist.
//!
//! The provider's document and keys are read at each sign-in, so a provider's key rotation needs
//! nothing from us, and a provider that is down stops sign-in only, never the surveys.

use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndSessionUrl, IssuerUrl, LogoutRequest, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope,
};
use serde::Deserialize;

use crate::auth::access::{cookie, Admin, Role, Via};
use crate::auth::sessions::{same_secret, session_cookie, sign_in_cookie, COOKIE, LOGIN_COOKIE};
use crate::error::ApiError;
use crate::http::language::accept_language;
use crate::store::{AuditEvent, Grant, Who};
use crate::AppState;
use pulse_shared::admin::{SessionState, SignedOut};
use pulse_shared::Lang;

/// How the server signs admins in: set by `--oidc-issuer`, `--oidc-client-id`, the secret's file
/// or environment variable, `--oidc-redirect-url` and the options after them.
#[derive(Clone)]
pub struct SignIn {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Where the provider sends the browser back: this server's `/auth/callback`.
    pub redirect_url: String,
    /// How far behind ours the provider's clock may be when the ID token's expiry is checked.
    pub leeway: std::time::Duration,
    /// Audiences besides our client id an ID token may name (with `azp` then our client id).
    pub extra_audiences: Vec<String>,
    /// Whether `preferred_username` is an address the allowlist may match (see [`Claims::addresses`]).
    pub trust_username: bool,
    http: openidconnect::reqwest::Client,
}

/// Whether `issuer` is Microsoft Entra ID's, whose `preferred_username` is the account's UPN: a
/// name the organisation sets, not the account holder.
pub fn is_entra(issuer: &str) -> bool {
    let host = issuer.strip_prefix("https://").and_then(|r| r.split('/').next()).unwrap_or_default();
    ["login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn", "sts.windows.net"]
        .contains(&host)
        || host.ends_with(".ciamlogin.com")
}

/// The client as discovery makes it: authorization endpoint set, token and user-info endpoints
/// as the provider says.
type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// What reading the provider's discovery document at start found wrong.
#[derive(Debug)]
pub enum IssuerProblem {
    /// The provider could not be reached or answered with no document: try again later.
    Unreachable(String),
    /// The document names another issuer (or is not a discovery document): the configuration is wrong.
    Mismatch(String),
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("SignIn").field("issuer", &self.issuer).field("client_id", &self.client_id).finish()
    }
}

impl SignIn {
    pub fn new(
        issuer: String,
        client_id: String,
        client_secret: Option<String>,
        redirect_url: String,
    ) -> Result<SignIn, String> {
        IssuerUrl::new(issuer.clone()).map_err(|e| format!("--oidc-issuer {issuer:?}: {e}"))?;
        RedirectUrl::new(redirect_url.clone()).map_err(|e| format!("--oidc-redirect-url {redirect_url:?}: {e}"))?;
        if !redirect_url.ends_with("/auth/callback") {
            return Err(format!("--oidc-redirect-url must be this server's /auth/callback, not {redirect_url:?}"));
        }
        // A provider's redirect is never followed: the answers we need come straight from it.
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        let trust_username = is_entra(&issuer);
        Ok(SignIn {
            issuer,
            client_id,
            client_secret,
            redirect_url,
            leeway: std::time::Duration::from_secs(crate::config::OIDC_CLOCK_LEEWAY_SECONDS),
            extra_audiences: Vec::new(),
            trust_username,
            http,
        })
    }

    /// Where the provider sends the browser after signing out there: the dashboard, at the same
    /// address as the callback. It must be registered with the provider as a post-logout redirect.
    pub fn post_logout_url(&self) -> String {
        format!("{}/admin", self.redirect_url.trim_end_matches("/auth/callback"))
    }

    /// Reads the provider's discovery document and checks that it names exactly the issuer we were
    /// given: every ID token is checked against it, so an issuer written with a trailing slash too
    /// many (or too few) would refuse every sign-in. Run at start.
    pub async fn check_issuer(&self) -> Result<(), IssuerProblem> {
        let url = format!("{}/.well-known/openid-configuration", self.issuer.trim_end_matches('/'));
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .map_err(|e| IssuerProblem::Unreachable(format!("{url}: {}", chain(&e))))?;
        if response.status().is_server_error() {
            return Err(IssuerProblem::Unreachable(format!("{url}: {}", response.status())));
        }
        if !response.status().is_success() {
            return Err(IssuerProblem::Mismatch(format!(
                "{url} answered {}: is --oidc-issuer {:?} the provider's issuer?",
                response.status(),
                self.issuer
            )));
        }
        let body = response.bytes().await.map_err(|e| IssuerProblem::Unreachable(format!("{url}: {e}")))?;
        let doc: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| IssuerProblem::Mismatch(format!("{url} is not a discovery document: {e}")))?;
        match doc.get("issuer").and_then(|i| i.as_str()) {
            Some(named) if named == self.issuer => Ok(()),
            Some(named) => Err(IssuerProblem::Mismatch(format!(
                "the identity provider names itself {named:?} in {url}, not {:?}: give --oidc-issuer {named} \
                 exactly (ID tokens carry it character for character, a trailing slash included)",
                self.issuer
            ))),
            None => Err(IssuerProblem::Mismatch(format!("{url} names no issuer"))),
        }
    }

    async fn client(&self) -> Result<Client, String> {
        let (client, _) = self.client_and_logout().await?;
        Ok(client)
    }

    /// The client, and the provider's `end_session_endpoint` when it advertises one.
    async fn client_and_logout(&self) -> Result<(Client, Option<EndSessionUrl>), String> {
        let issuer = IssuerUrl::new(self.issuer.clone()).map_err(|e| e.to_string())?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| format!("the identity provider's discovery document could not be read: {}", chain(&e)))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        // client_secret_basic unless the provider takes the secret in the body only.
        let methods = metadata.token_endpoint_auth_methods_supported().cloned().unwrap_or_default();
        let post_only = !methods.is_empty()
            && !methods.contains(&CoreClientAuthMethod::ClientSecretBasic)
            && methods.contains(&CoreClientAuthMethod::ClientSecretPost);
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.client_id.clone()),
            self.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(RedirectUrl::new(self.redirect_url.clone()).map_err(|e| e.to_string())?)
        .set_auth_type(if post_only { AuthType::RequestBody } else { AuthType::BasicAuth });
        Ok((client, end_session))
    }

    /// Where to send the browser to end the provider's session too (RP-initiated logout), with the
    /// ID token of the sign-in as its hint; `None` when the provider has no such endpoint.
    pub async fn end_session_url(&self, id_token: Option<&str>) -> Option<String> {
        let (_, endpoint) = match self.client_and_logout().await {
            Ok(found) => found,
            Err(why) => {
                tracing::warn!(error = %why, "the provider's sign-out address could not be read");
                return None;
            }
        };
        let mut request = LogoutRequest::from(endpoint?).set_client_id(ClientId::new(self.client_id.clone()));
        if let Ok(back) = PostLogoutRedirectUrl::new(self.post_logout_url()) {
            request = request.set_post_logout_redirect_uri(back);
        }
        let mut url = request.http_get_url();
        if let Some(hint) = id_token {
            url.query_pairs_mut().append_pair("id_token_hint", hint);
        }
        Some(url.to_string())
    }
}

impl SignIn {
    /// Sign-in as `args` configure it, with the client secret from its file or the environment.
    pub fn from_args(args: &crate::config::ServeArgs) -> Result<Option<crate::auth::oidc::SignIn>, String> {
        let Some(issuer) = args.oidc_issuer.clone() else { return Ok(None) };
        let secret = match &args.oidc_client_secret_file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("the client secret file {}: {e}", path.display()))?
                    .trim()
                    .to_string(),
            ),
            None => std::env::var("PULSE_OIDC_CLIENT_SECRET").ok().map(|s| s.trim().to_string()),
        };
        let client_id = args.oidc_client_id.clone().ok_or("--oidc-client-id is needed with --oidc-issuer")?;
        let redirect = args.oidc_redirect_url.clone().ok_or("--oidc-redirect-url is needed with --oidc-issuer")?;
        let mut sign_in = SignIn::new(issuer, client_id, secret.filter(|s| !s.is_empty()), redirect)?;
        sign_in.leeway = std::time::Duration::from_secs(args.oidc_clock_leeway);
        sign_in.extra_audiences = args.oidc_extra_audiences.clone();
        if let Some(trust) = args.oidc_trust_username {
            sign_in.trust_username = trust;
        }
        Ok(Some(sign_in))
    }
}

/// The start's check of the issuer (see [`SignIn::check_issuer`]): a provider that names another
/// issuer stops the server from starting, with the exact value to give. One that cannot be reached
/// is asked again for about ten seconds; if it is still away the server starts (surveys do not
/// wait for the admins' sign-in) and keeps asking in the background, saying in the log what it finds.
pub async fn check_at_start(sign_in: &SignIn) -> Result<(), String> {
    for wait in [1, 2, 3, 4] {
        match sign_in.check_issuer().await {
            Ok(()) => return Ok(()),
            Err(IssuerProblem::Mismatch(why)) => return Err(format!("sign-in is misconfigured: {why}")),
            Err(IssuerProblem::Unreachable(why)) => {
                tracing::warn!(error = %why, "the identity provider cannot be reached; asking again in {wait} s");
                tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
            }
        }
    }
    let sign_in = sign_in.clone();
    tokio::spawn(async move {
        loop {
            match sign_in.check_issuer().await {
                Ok(()) => {
                    tracing::info!(issuer = %sign_in.issuer, "the identity provider is reachable");
                    return;
                }
                Err(IssuerProblem::Mismatch(why)) => {
                    tracing::error!("sign-in is misconfigured, and every sign-in will fail: {why}");
                    return;
                }
                Err(IssuerProblem::Unreachable(why)) => {
                    tracing::warn!(error = %why, "the identity provider still cannot be reached");
                    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                }
            }
        }
    });
    Ok(())
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The claims of a verified ID token that say who someone is.
#[derive(Debug, Default, Deserialize)]
pub struct Claims {
    /// The account's id at the provider: with the issuer, what tells two accounts with one address apart.
    #[serde(default)]
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the provider checked `email` belongs to this person. Entra ID sends none; a provider
    /// that says `false` (or `"false"`) has not, so that address lets no one in.
    #[serde(default)]
    pub email_verified: Option<serde_json::Value>,
    /// Microsoft Entra ID's sign-in name (the UPN), often the only address it sends.
    #[serde(default)]
    pub preferred_username: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// Group object ids, when the app registration is set to send them.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Claims the provider left out of the token and names here instead, to be fetched elsewhere
    /// (OpenID Connect's distributed claims). Entra ID does this with `groups` for someone in more
    /// than 200 groups.
    #[serde(default, rename = "_claim_names")]
    pub claim_names: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Claims {
    /// The addresses the allowlist may match. A provider that says it has not verified the
    /// account's address (`email_verified: false`) gets none, whichever claim carries an address:
    /// an account named like an owner's address is not the owner. `preferred_username` counts only
    /// where it is set by the organisation (`trust_username`: Entra ID's UPN), never where the
    /// account holder may choose it.
    fn addresses(&self, trust_username: bool) -> Vec<String> {
        let unverified = matches!(&self.email_verified, Some(v) if v == false || v == "false");
        if unverified {
            return Vec::new();
        }
        let username = if trust_username { &self.preferred_username } else { &None };
        [&self.email, username].into_iter().flatten().map(|a| a.trim().to_lowercase()).collect()
    }

    /// Whether the provider withheld this person's groups (too many to list): a group on the
    /// allowlist cannot then be matched, and the refusal should say so.
    pub fn groups_withheld(&self) -> bool {
        self.groups.is_empty() && self.claim_names.contains_key("groups")
    }

    /// How the audit log and the dashboard name this person.
    pub fn display_name(&self) -> String {
        let address = self.email.as_deref().or(self.preferred_username.as_deref()).unwrap_or("unknown");
        match self.name.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(name) => format!("{} <{address}>", name.trim()),
            None => address.to_string(),
        }
    }
}

/// The role someone with `claims` signs in as: the strongest any of their grants gives (owner,
/// analyst, moderator, viewer), and for a viewer every context their viewer grants name. `None`
/// when no grant names their address or any of their groups.
pub fn admit(grants: &[Grant], claims: &Claims, trust_username: bool) -> Option<(Role, Vec<String>)> {
    let addresses = claims.addresses(trust_username);
    let matching: Vec<&Grant> = grants
        .iter()
        .filter(|g| match &g.who {
            Who::Email(e) => addresses.contains(&e.trim().to_lowercase()),
            Who::Group(id) => claims.groups.iter().any(|mine| mine == id.trim()),
        })
        .collect();
    let role = matching.iter().map(|g| g.role).min()?;
    let mut contexts: Vec<String> = if role == Role::Viewer {
        matching.iter().flat_map(|g| g.contexts.iter().cloned()).collect()
    } else {
        Vec::new()
    };
    contexts.sort();
    contexts.dedup();
    Some((role, contexts))
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(CACHE_CONTROL, "no-store".parse().expect("a header value"));
    response
}

/// A page of the sign-in's own, for what goes wrong where the dashboard cannot say it, in the
/// language the browser asks for first (`Accept-Language`), as the dashboard starts in it.
fn page(status: StatusCode, lang: Lang, title: &str, message: &str) -> Response {
    let escape = crate::http::responses::escape;
    let html = format!(
        "<!doctype html><html lang=\"{l}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{t} – Values Pulse</title><link rel=\"stylesheet\" \
         href=\"/admin/admin.css\"></head><body><header class=\"header\"><div class=\"width\"><span \
         class=\"header__name\">Values Pulse</span><span class=\"header__service\">{service}</span></div>\
         </header><main class=\"width\" id=\"main\"><h1>{t}</h1><p>{m}</p><p><a class=\"button\" \
         href=\"/admin\">{back}</a></p></main></body></html>",
        l = lang.code(),
        service = lang.pick("Results for admins", "Canlyniadau i weinyddwyr"),
        back = lang.pick("Back to the sign-in page", "Yn ôl i'r dudalen fewngofnodi"),
        t = escape(title),
        m = escape(message)
    );
    let mut response = (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    response.headers_mut().append(SET_COOKIE, sign_in_cookie(None).parse().expect("a cookie"));
    no_store(response)
}

fn not_configured(lang: Lang) -> Response {
    page(
        StatusCode::NOT_FOUND,
        lang,
        lang.pick("Sign-in is not set up", "Nid yw mewngofnodi wedi'i osod"),
        lang.pick(
            "This server has no identity provider configured. Sign in with an admin token instead.",
            "Nid oes darparwr hunaniaeth wedi'i osod ar y gweinydd hwn. Mewngofnodwch gyda thocyn gweinyddwr yn lle hynny.",
        ),
    )
}

/// `GET /auth/login`: off to the identity provider, with a fresh state, nonce and PKCE challenge.
pub async fn login(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = accept_language(&headers);
    let Some(sign_in) = state.sign_in.clone() else { return not_configured(lang) };
    let client = match sign_in.client().await {
        Ok(c) => c,
        Err(why) => {
            tracing::warn!(error = %why, "sign-in could not start");
            return page(
                StatusCode::BAD_GATEWAY,
                lang,
                lang.pick("Sign-in is not available", "Nid yw mewngofnodi ar gael"),
                &why,
            );
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    state.sessions.begin_sign_in(csrf.secret(), verifier.secret().clone(), nonce.secret().clone());
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, url.to_string())]).into_response();
    response.headers_mut().append(SET_COOKIE, sign_in_cookie(Some(csrf.secret())).parse().expect("a cookie"));
    no_store(response)
}

/// Why a sign-in stopped after the provider answered.
enum Refusal {
    /// The provider could not be asked (down, or it would not exchange the code).
    Provider(String),
    /// The ID token itself was refused: signature, issuer, audience, expiry, nonce. Audited.
    Token(String),
}

impl Refusal {
    fn why(&self) -> &str {
        match self {
            Refusal::Provider(why) | Refusal::Token(why) => why,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /auth/callback`: the provider's answer. The state must be the one this browser started
/// with and is used once; the code is exchanged with the PKCE verifier; the ID token's signature,
/// issuer, audience, expiry and nonce are checked; then the allowlist decides.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Callback>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let lang = accept_language(&headers);
    let Some(sign_in) = state.sign_in.clone() else { return not_configured(lang) };
    let refused = |why: &str| {
        page(StatusCode::BAD_REQUEST, lang, lang.pick("Sign-in did not work", "Ni weithiodd mewngofnodi"), why)
    };
    let Ok(Query(answer)) = query else {
        return refused(lang.pick(
            "The identity provider's answer was not readable.",
            "Nid oedd modd darllen ateb y darparwr hunaniaeth.",
        ));
    };
    if let Some(error) = answer.error {
        let why = answer.error_description.unwrap_or(error);
        return refused(&format!(
            "{} {why}",
            lang.pick("The identity provider said:", "Dywedodd y darparwr hunaniaeth:")
        ));
    }
    let (Some(code), Some(returned)) = (answer.code, answer.state) else {
        return refused(lang.pick(
            "The identity provider's answer had no code or state.",
            "Nid oedd cod na chyflwr yn ateb y darparwr hunaniaeth.",
        ));
    };
    // The state must be the one this browser was given, and one still waiting: a forged state, one
    // from another browser, or one used already is refused.
    let started_here = cookie(&headers, LOGIN_COOKIE).is_some_and(|mine| same_secret(mine, &returned));
    let pending = if started_here { state.sessions.take_sign_in(&returned) } else { None };
    let Some(pending) = pending else {
        return refused(lang.pick(
            "This sign-in was not started in this browser, has been used already, or took more than ten minutes. \
             Start again.",
            "Ni ddechreuwyd y mewngofnodi hwn yn y porwr hwn, mae wedi'i ddefnyddio eisoes, neu cymerodd fwy na deg \
             munud. Dechreuwch eto.",
        ));
    };
    let verified = async {
        let client = sign_in.client().await.map_err(Refusal::Provider)?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| Refusal::Provider(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(&sign_in.http)
            .await
            .map_err(|e| {
                Refusal::Provider(format!("the identity provider would not exchange the code: {}", chain(&e)))
            })?;
        let id_token = openidconnect::TokenResponse::id_token(&tokens)
            .ok_or_else(|| Refusal::Provider("the identity provider sent no ID token".to_string()))?;
        // The provider's clock may be behind ours by the leeway: the expiry is checked against a
        // clock set back by it.
        let leeway = chrono::Duration::from_std(sign_in.leeway).unwrap_or_default();
        let extra = sign_in.extra_audiences.clone();
        let verifier = client
            .id_token_verifier()
            .set_time_fn(move || chrono::Utc::now() - leeway)
            .set_other_audience_verifier_fn(move |aud| extra.iter().any(|a| a == aud.as_str()));
        let verified = id_token
            .claims(&verifier, &Nonce::new(pending.nonce))
            .map_err(|e| Refusal::Token(format!("the ID token was refused: {}", chain(&e))))?;
        // With more than one audience, the token must say it was issued to us (OpenID Connect
        // Core 3.1.3.7, steps 4 and 5); openidconnect leaves this to its caller.
        let azp = verified.authorized_party().map(|a| a.as_str().to_string());
        if (verified.audiences().len() > 1 || azp.is_some()) && azp.as_deref() != Some(sign_in.client_id.as_str()) {
            return Err(Refusal::Token(format!(
                "the ID token was refused: it names several audiences, and its authorized party (azp) is {}, not \
                 this client",
                azp.as_deref().map_or("missing".to_string(), |a| format!("{a:?}"))
            )));
        }
        // Verified above; its other claims (Entra's groups among them) are read from the same token.
        let jwt = id_token.to_string();
        let payload = jwt.split('.').nth(1).unwrap_or_default();
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|e| Refusal::Token(e.to_string()))?;
        let claims = serde_json::from_slice::<Claims>(&bytes).map_err(|e| Refusal::Token(e.to_string()))?;
        Ok((claims, jwt))
    }
    .await;
    let (claims, id_token) = match verified {
        Ok(c) => c,
        Err(refusal) => {
            let why = refusal.why().to_string();
            tracing::warn!(error = %why, "a sign-in was refused");
            // A refused ID token is a sign-in attempt an owner should see, as an allowlist refusal
            // is; who it claimed to be is not known, as nothing in it could be trusted.
            if let Refusal::Token(_) = refusal {
                let event = AuditEvent {
                    admin: "unknown (ID token refused)".into(),
                    via: "sign-in".into(),
                    action: "sign-in refused".into(),
                    target: "dashboard".into(),
                    detail: why.chars().take(300).collect(),
                    account: String::new(),
                };
                if let Err(e) = state.store.record(event).await {
                    return ApiError::from(e).into_response();
                }
            }
            return refused(&format!(
                "{} {why}.",
                lang.pick(
                    "Values Pulse could not confirm who you are:",
                    "Ni allai Values Pulse gadarnhau pwy ydych chi:"
                )
            ));
        }
    };
    let account = format!("{} at {}", claims.sub, sign_in.issuer);
    let grants = match state.store.read(|store| store.grants()).await {
        Ok(g) => g,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let name = claims.display_name();
    let Some((role, contexts)) = admit(&grants, &claims, sign_in.trust_username) else {
        // Entra ID's "groups overage": a group on the list cannot be matched, and the person and the
        // owners should know that this, not the list, is why.
        let (detail, message) = if claims.groups_withheld() {
            (
                "not on the allowlist; the provider withheld their groups",
                match lang {
                    Lang::En => format!(
                        "You signed in as {name}, and your address is not on the list of people who may see results. \
                         Your account is in more groups than your organisation's sign-in lists (Microsoft Entra ID \
                         lists at most 200), so Values Pulse cannot tell whether one of them is on the list. Ask \
                         your IT team to send only the groups assigned to Values Pulse, or ask one of your \
                         organisation's Values Pulse owners to add your address."
                    ),
                    Lang::Cy => format!(
                        "Fe wnaethoch fewngofnodi fel {name}, ac nid yw eich cyfeiriad ar y rhestr o bobl sy'n cael gweld \
                         canlyniadau. Mae eich cyfrif mewn mwy o grwpiau nag y mae mewngofnodi eich sefydliad yn eu \
                         rhestru (mae Microsoft Entra ID yn rhestru 200 ar y mwyaf), felly ni all Values Pulse ddweud \
                         a yw un ohonynt ar y rhestr. Gofynnwch i'ch tîm TG anfon dim ond y grwpiau a neilltuwyd i \
                         Values Pulse, neu gofynnwch i un o berchnogion Values Pulse eich sefydliad ychwanegu eich \
                         cyfeiriad."
                    ),
                },
            )
        } else {
            (
                "not on the allowlist",
                match lang {
                    Lang::En => format!(
                        "You signed in as {name}, but neither your address nor any of your groups is on the list of \
                         people who may see results. If you need access, ask one of your organisation's Values \
                         Pulse owners to add you."
                    ),
                    Lang::Cy => format!(
                        "Fe wnaethoch fewngofnodi fel {name}, ond nid yw eich cyfeiriad nac unrhyw un o'ch grwpiau ar y \
                         rhestr o bobl sy'n cael gweld canlyniadau. Os oes angen mynediad arnoch, gofynnwch i un o \
                         berchnogion Values Pulse eich sefydliad eich ychwanegu."
                    ),
                },
            )
        };
        let event = AuditEvent {
            admin: name.clone(),
            via: "sign-in".into(),
            action: "sign-in refused".into(),
            target: "dashboard".into(),
            detail: detail.into(),
            account: account.clone(),
        };
        if let Err(e) = state.store.record(event).await {
            return ApiError::from(e).into_response();
        }
        let title = lang.pick("You cannot use Values Pulse's results", "Ni allwch ddefnyddio canlyniadau Values Pulse");
        return page(StatusCode::FORBIDDEN, lang, title, &message);
    };
    let admin = Admin { name, role, contexts, via: Via::SignIn, account: Some(account) };
    let detail = format!("as {}", role.name());
    if let Err(e) = state.store.record(admin.event("signed in", "dashboard", detail)).await {
        return ApiError::from(e).into_response();
    }
    let (id, _) = state.sessions.start(admin, Some(id_token));
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, "/admin")]).into_response();
    let headers = response.headers_mut();
    headers.append(SET_COOKIE, session_cookie(Some(&id)).parse().expect("a cookie"));
    headers.append(SET_COOKIE, sign_in_cookie(None).parse().expect("a cookie"));
    no_store(response)
}

/// `GET /auth/session`: whether this browser is signed in, as whom, the CSRF token its
/// state-changing requests carry, and whether sign-in is set up at all.
pub async fn session(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let live = cookie(&headers, COOKIE).and_then(|id| state.sessions.get(id));
    let sign_in = state.sign_in.is_some();
    let body = match live {
        Some((admin, csrf)) => SessionState { signed_in: true, admin: Some(admin), csrf: Some(csrf), sign_in },
        None => SessionState { signed_in: false, admin: None, csrf: None, sign_in },
    };
    no_store(Json(body).into_response())
}

/// `POST /auth/logout`: ends the session on the server (with the session's CSRF token). When the
/// provider advertises an `end_session_endpoint`, the answer names it (`end_session`) with this
/// sign-in's ID token as the hint, and the dashboard sends the browser there, so the provider's
/// session ends too and the next person at a shared PC must sign in again.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(id) = cookie(&headers, COOKIE) else { return ApiError::Unauthorized.into_response() };
    let Some((_, csrf)) = state.sessions.get(id) else { return ApiError::Unauthorized.into_response() };
    let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !same_secret(sent, &csrf) {
        return ApiError::Forbidden("sign out from the dashboard (its CSRF token is missing or wrong)".into())
            .into_response();
    }
    let mut end_session = None;
    if let Some((admin, id_token)) = state.sessions.end(id) {
        if let Err(e) = state.store.record(admin.event("signed out", "dashboard", "")).await {
            return ApiError::from(e).into_response();
        }
        if let (Some(sign_in), Via::SignIn) = (&state.sign_in, &admin.via) {
            end_session = sign_in.end_session_url(id_token.as_deref()).await;
        }
    }
    let mut response = Json(SignedOut { signed_out: true, end_session }).into_response();
    response.headers_mut().append(SET_COOKIE, session_cookie(None).parse().expect("a cookie"));
    no_store(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(who: Who, role: Role, contexts: &[&str]) -> Grant {
        Grant { who, role, contexts: contexts.iter().map(|c| c.to_string()).collect() }
    }

    #[test]
    fn the_strongest_grant_wins_and_a_viewer_gets_every_context_named() {
        let grants = vec![
            grant(Who::Email("Lead@Example.nhs.uk".into()), Role::Viewer, &["estates"]),
            grant(Who::Group("g-1".into()), Role::Viewer, &["nursing"]),
            grant(Who::Group("g-2".into()), Role::Moderator, &[]),
        ];
        let lead = Claims {
            preferred_username: Some("lead@example.nhs.uk".into()),
            groups: vec!["g-1".into()],
            ..Default::default()
        };
        assert_eq!(admit(&grants, &lead, true), Some((Role::Viewer, vec!["estates".into(), "nursing".into()])));
        let both = Claims { email: Some("x@y".into()), groups: vec!["g-1".into(), "g-2".into()], ..Default::default() };
        assert_eq!(admit(&grants, &both, true), Some((Role::Moderator, vec![])));
        let nobody = Claims { email: Some("someone@else".into()), groups: vec!["g-3".into()], ..Default::default() };
        assert_eq!(admit(&grants, &nobody, true), None);
    }

    #[test]
    fn an_address_the_provider_has_not_verified_lets_no_one_in() {
        let grants = vec![grant(Who::Email("olu@example.nhs.uk".into()), Role::Owner, &[])];
        let claims = |verified: serde_json::Value| -> Claims {
            serde_json::from_value(serde_json::json!({ "email": "olu@example.nhs.uk", "email_verified": verified }))
                .unwrap()
        };
        assert_eq!(admit(&grants, &claims(false.into()), true), None);
        assert_eq!(admit(&grants, &claims("false".into()), true), None, "some providers send it as a string");
        assert_eq!(admit(&grants, &claims(true.into()), false), Some((Role::Owner, vec![])));
        // The address in the username, unverified (seen with LemonLDAP::NG): nothing matches.
        let named_like_owner: Claims = serde_json::from_value(serde_json::json!({
            "email": "someone@example.org", "email_verified": false, "preferred_username": "olu@example.nhs.uk"
        }))
        .unwrap();
        assert_eq!(admit(&grants, &named_like_owner, true), None);
        // A username only counts where the organisation sets it.
        let username_only = Claims { preferred_username: Some("olu@example.nhs.uk".into()), ..Default::default() };
        assert_eq!(admit(&grants, &username_only, false), None);
        assert_eq!(admit(&grants, &username_only, true), Some((Role::Owner, vec![])));
        let unsaid: Claims = serde_json::from_value(serde_json::json!({ "email": "olu@example.nhs.uk" })).unwrap();
        assert_eq!(admit(&grants, &unsaid, false), Some((Role::Owner, vec![])), "Entra ID sends no email_verified");
    }

    #[test]
    fn entra_is_known_by_its_issuer() {
        assert!(is_entra("https://login.microsoftonline.com/0b1c-tenant/v2.0"));
        assert!(is_entra("https://sts.windows.net/0b1c-tenant/"));
        assert!(!is_entra("https://login.microsoftonline.com.evil.example/v2.0"));
        assert!(!is_entra("https://sso.example.nhs.uk/realms/staff"));
    }

    #[test]
    fn entra_withholding_groups_is_seen() {
        // The shape of an Entra ID token for someone in more than 200 groups.
        let crowded: Claims = serde_json::from_value(serde_json::json!({
            "preferred_username": "crowded@example.nhs.uk",
            "_claim_names": { "groups": "src1" },
            "_claim_sources": { "src1": { "endpoint": "https://graph.microsoft.com/v1.0/users/1/getMemberObjects" } }
        }))
        .unwrap();
        assert!(crowded.groups_withheld());
        let listed = Claims { groups: vec!["g-1".into()], ..Default::default() };
        assert!(!listed.groups_withheld());
        assert!(!Claims::default().groups_withheld());
    }
}
