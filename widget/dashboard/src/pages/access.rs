//! Owners' pages: who may sign in and as what, the tokens scripts use, and the audit log.

use leptos::prelude::*;
use pulse_shared::admin::{AuditEntry, Grant, GrantLine, Grants, MadeToken, NewToken, TokenRecord, Who};
use pulse_shared::{Lang, Role};

use super::{back_to_surveys, flash, form_value, problems, submitted_form, title};
use crate::api::{self, Body, Fail};
use crate::shell::{go, role_name, App, Flash};

pub struct AdminsData {
    grants: Vec<Grant>,
    tokens: Vec<TokenRecord>,
    flash: Flash,
}

pub async fn load_admins(flash: Flash) -> Result<AdminsData, Fail> {
    let grants = api::get("/api/v1/admins/grants").await?;
    let tokens = api::get("/api/v1/admins/tokens").await?;
    Ok(AdminsData { grants, tokens, flash })
}

fn who(g: &Grant, l: Lang) -> String {
    match &g.who {
        Who::Email(e) => e.clone(),
        Who::Group(id) => format!("{} {id}", l.pick("Group", "Grŵp")),
    }
}

fn words(typed: &str) -> Vec<String> {
    typed.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Saves the allowlist as `grants`; draws the page again saying `done`, or shows the refusal in
/// `refused` and keeps what was typed.
fn save(app: App, grants: Vec<GrantLine>, done: String, refused: RwSignal<Option<Fail>>) {
    leptos::task::spawn_local(async move {
        match api::send::<_, Vec<Grant>>("PUT", "/api/v1/admins/grants", &Grants { grants }).await {
            Ok(_) => app.reload(Flash::notice(done)),
            Err(Fail::Unauthorised) => app.reload(Flash::error(Fail::Unauthorised)),
            Err(fail) => refused.set(Some(fail)),
        }
    });
}

fn role_options(l: Lang, default: Role) -> impl IntoView {
    Role::ALL
        .iter()
        .map(|&r| view! { <option value=r.name() selected=r == default>{role_name(r, l)}</option> })
        .collect_view()
}

pub fn admins_view(app: App, l: Lang, data: std::sync::Arc<AdminsData>) -> impl IntoView {
    let refused = RwSignal::new(None::<Fail>);
    let grants = data.grants.clone();
    let add = {
        let grants = grants.clone();
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let form = submitted_form(&e);
            let (kind, value) = (form_value(&form, "kind"), form_value(&form, "value").trim().to_string());
            let role: Role = form_value(&form, "role").parse().unwrap_or(Role::Viewer);
            let line = GrantLine {
                email: (kind == "email").then(|| value.clone()),
                group: (kind == "group").then(|| value.clone()),
                role,
                contexts: words(&form_value(&form, "contexts")),
            };
            let new_key =
                if kind == "email" { Who::Email(value.clone()).key() } else { Who::Group(value.clone()).key() };
            let mut lines: Vec<GrantLine> =
                grants.iter().filter(|g| g.who.key() != new_key).map(GrantLine::from).collect();
            lines.push(line);
            let l = app.l();
            let shown = if kind == "email" { value } else { format!("{} {value}", l.pick("Group", "Grŵp")) };
            let done =
                format!("{shown} {} {}.", l.pick("may now sign in as", "yn cael mewngofnodi fel"), role_name(role, l));
            save(app, lines, done, refused);
        }
    };
    let add_form = view! {
        <form class="card" novalidate on:submit=add>
            <h2>{l.pick("Let someone sign in", "Gadael i rywun fewngofnodi")}</h2>
            {field("grant-kind", l.pick("Who", "Pwy"), None, view! {
                <select class="select" id="grant-kind" name="kind">
                    <option value="email">{l.pick("E-mail address", "Cyfeiriad e-bost")}</option>
                    <option value="group">{l.pick("Group id", "Dynodydd grŵp")}</option>
                </select>
            })}
            {field("grant-value", l.pick("Address or group id", "Cyfeiriad neu ddynodydd grŵp"),
                Some(l.pick("An e-mail address as the identity provider sends it, or a group's object id (Microsoft Entra ID: Groups, Object ID).",
                    "Cyfeiriad e-bost fel y mae'r darparwr hunaniaeth yn ei anfon, neu ddynodydd gwrthrych grŵp (Microsoft Entra ID: Groups, Object ID).")),
                view! { <input class="input" id="grant-value" name="value" autocomplete="off" aria-describedby="grant-value-hint" /> })}
            {field("grant-role", l.pick("Role", "Rôl"), None, view! { <select class="select" id="grant-role" name="role">{role_options(l, Role::Viewer)}</select> })}
            {field("grant-contexts", l.pick("Contexts (viewers only)", "Cyd-destunau (gwylwyr yn unig)"),
                Some(l.pick("The contexts a viewer sees, e.g. estates, separated by spaces. A viewer sees each on its own, suppressed, and no total.",
                    "Y cyd-destunau y mae gwyliwr yn eu gweld, e.e. estates, wedi'u gwahanu gan fylchau. Mae gwyliwr yn gweld pob un ar ei ben ei hun, wedi'i atal, a dim cyfanswm.")),
                view! { <input class="input" id="grant-contexts" name="contexts" autocomplete="off" aria-describedby="grant-contexts-hint" /> })}
            <button class="button" type="submit">{l.pick("Save", "Cadw")}</button>
        </form>
    };
    let grant_rows = grants
        .iter()
        .map(|g| {
            let name = who(g, l);
            let rest: Vec<GrantLine> = grants.iter().filter(|o| *o != g).map(GrantLine::from).collect();
            let done = format!("{name} {}", l.pick("may no longer sign in.", "ddim yn cael mewngofnodi mwyach."));
            view! {
                <tr>
                    <td>{name.clone()}</td>
                    <td>{role_name(g.role, l)}</td>
                    <td>{g.contexts.join(", ")}</td>
                    <td><button class="link-button" type="button" on:click=move |_| save(app, rest.clone(), done.clone(), refused)>
                        {l.pick("Remove", "Dileu")}<span class="visually-hidden">{format!(" {name}")}</span></button></td>
                </tr>
            }
        })
        .collect_view();
    let make_token = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let form = submitted_form(&e);
        let expires = form_value(&form, "expires");
        let name = form_value(&form, "name");
        let role = form_value(&form, "role");
        let contexts = words(&form_value(&form, "contexts"));
        leptos::task::spawn_local(async move {
            let l = app.l();
            let made = async {
                let new = NewToken {
                    name,
                    role: role.parse().map_err(|e: String| Fail::Refused { message: e, details: Vec::new() })?,
                    contexts,
                    expires: if expires.is_empty() {
                        None
                    } else {
                        Some(expires.parse().map_err(|e: pulse_shared::date::DateError| Fail::Refused {
                            message: format!("expires: {e}"),
                            details: Vec::new(),
                        })?)
                    },
                };
                api::send::<_, MadeToken>("POST", "/api/v1/admins/tokens", &new).await
            }
            .await;
            app.reload(match made {
                Ok(made) => Flash {
                    notice: Some(format!(
                        "{} {} {}",
                        l.pick("Token", "Tocyn"),
                        made.record.name,
                        l.pick(
                            "made. Copy it now; it is not shown again: ",
                            "wedi'i wneud. Copïwch ef nawr; ni chaiff ei ddangos eto: "
                        )
                    )),
                    error: None,
                    code: Some(made.token),
                },
                Err(fail) => Flash::error(fail),
            });
        });
    };
    let token_rows = data
        .tokens
        .iter()
        .map(|t| {
            let name = t.name.clone();
            let revoke = {
                let name = name.clone();
                move |_| {
                    let path = format!("/api/v1/admins/tokens/{}", api::enc(&name));
                    let done = format!("{} {name} {}", app.l().pick("Token", "Tocyn"), app.l().pick("revoked.", "wedi'i ddiddymu."));
                    app.act(async move { api::send_only("DELETE", &path, Body::Empty).await }, done);
                }
            };
            let role = std::iter::once(role_name(t.role, l).to_string()).chain(t.contexts.iter().cloned()).collect::<Vec<_>>().join(" ");
            view! {
                <tr>
                    <td>{name.clone()}</td>
                    <td>{role}</td>
                    <td>{t.expires.map_or_else(|| l.pick("none", "dim").to_string(), |d| d.to_string())}</td>
                    <td>{t.created.chars().take(10).collect::<String>()}</td>
                    <td><button class="link-button" type="button" on:click=revoke>
                        {l.pick("Revoke", "Diddymu")}<span class="visually-hidden">{format!(" {name}")}</span></button></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {back_to_surveys(l)}
        {title(l.pick("Who can see results", "Pwy all weld canlyniadau").to_string())}
        {flash(l, &data.flash)}
        <div>{move || refused.get().map(|f| problems(l, &f))}</div>
        <p>{l.pick(
            "People sign in with your organisation's accounts; this list says who may, and as what. Owners manage this list, tokens and the audit log; analysts read results, download, run waves and publish; moderators review stories; viewers see only their contexts' results.",
            "Mae pobl yn mewngofnodi gyda chyfrifon eich sefydliad; mae'r rhestr hon yn dweud pwy gaiff, ac fel beth. Mae perchnogion yn rheoli'r rhestr hon, tocynnau a'r cofnod archwilio; mae dadansoddwyr yn darllen canlyniadau, yn lawrlwytho, yn rhedeg tonnau ac yn cyhoeddi; mae cymedrolwyr yn adolygu straeon; dim ond canlyniadau eu cyd-destunau y mae gwylwyr yn eu gweld.")}</p>
        <div class="card"><table>
            <caption>{l.pick("May sign in", "Yn cael mewngofnodi")}</caption>
            <thead><tr>
                <th scope="col">{l.pick("Who", "Pwy")}</th>
                <th scope="col">{l.pick("Role", "Rôl")}</th>
                <th scope="col">{l.pick("Contexts", "Cyd-destunau")}</th>
                <th scope="col"><span class="visually-hidden">{l.pick("Action", "Gweithred")}</span></th>
            </tr></thead>
            <tbody>{grant_rows}</tbody>
        </table></div>
        {add_form}
        <div class="card"><table>
            <caption>{l.pick("Tokens", "Tocynnau")}</caption>
            <thead><tr>
                <th scope="col">{l.pick("Name", "Enw")}</th>
                <th scope="col">{l.pick("Role", "Rôl")}</th>
                <th scope="col">{l.pick("Last day", "Diwrnod olaf")}</th>
                <th scope="col">{l.pick("Made", "Gwnaed")}</th>
                <th scope="col"><span class="visually-hidden">{l.pick("Action", "Gweithred")}</span></th>
            </tr></thead>
            <tbody>{token_rows}</tbody>
        </table></div>
        <form class="card" novalidate on:submit=make_token>
            <h2>{l.pick("Make a token for a script", "Gwneud tocyn ar gyfer sgript")}</h2>
            {field("token-name", l.pick("Name", "Enw"), Some(l.pick("Say whose or what it is, e.g. finance-exports.", "Dywedwch pwy neu beth ydyw, e.e. finance-exports.")),
                view! { <input class="input" id="token-name" name="name" autocomplete="off" aria-describedby="token-name-hint" /> })}
            {field("token-role", l.pick("Role", "Rôl"), None, view! { <select class="select" id="token-role" name="role">{role_options(l, Role::Analyst)}</select> })}
            {field("token-contexts", l.pick("Contexts (viewers only)", "Cyd-destunau (gwylwyr yn unig)"), None,
                view! { <input class="input" id="token-contexts" name="contexts" autocomplete="off" /> })}
            {field("token-expires", l.pick("Last day it works (optional)", "Y diwrnod olaf y mae'n gweithio (dewisol)"), None,
                view! { <input class="input" id="token-expires" name="expires" type="date" /> })}
            <button class="button" type="submit">{l.pick("Make token", "Gwneud tocyn")}</button>
        </form>
    }
}

pub struct AuditData {
    since: Option<String>,
    entries: Vec<AuditEntry>,
}

pub async fn load_audit(since: Option<String>) -> Result<AuditData, Fail> {
    let query = since.as_ref().map(|s| format!("?since={}", api::enc(s))).unwrap_or_default();
    let entries = api::get(&format!("/api/v1/audit{query}")).await?;
    Ok(AuditData { since, entries })
}

pub fn audit_view(l: Lang, data: std::sync::Arc<AuditData>) -> impl IntoView {
    let since = data.since.clone();
    let show = |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let day = form_value(&submitted_form(&e), "since");
        go(&if day.is_empty() { "#/audit".to_string() } else { format!("#/audit/{day}") });
    };
    let download = {
        let since = since.clone();
        move |_| {
            let (path, name) = match &since {
                Some(s) => (format!("/api/v1/audit.csv?since={}", api::enc(s)), format!("pulse-audit-since-{s}.csv")),
                None => ("/api/v1/audit.csv".to_string(), "pulse-audit.csv".to_string()),
            };
            leptos::task::spawn_local(async move {
                let _ = api::download(&path, &name).await;
            });
        }
    };
    let rows = data
        .entries
        .iter()
        .rev()
        .map(|e| {
            let ev = &e.event;
            view! {
                <tr>
                    <td>{e.at.replace('T', " ").chars().take(19).collect::<String>()}</td>
                    <td>{ev.admin.clone()}{(!ev.account.is_empty()).then(|| view! {
                        <span class="hint account">{format!(" ({} {})", l.pick("account", "cyfrif"), ev.account)}</span> })}</td>
                    <td>{ev.action.clone()}</td>
                    <td>{ev.target.clone()}</td>
                    <td>{ev.detail.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {back_to_surveys(l)}
        {title(l.pick("Audit log", "Cofnod archwilio").to_string())}
        <p>{l.pick("Every admin action, with who did it and when. It never holds a response or a story's words.",
            "Pob gweithred gweinyddwr, gyda phwy a'i gwnaeth a phryd. Nid yw byth yn cynnwys ymateb na geiriau stori.")}</p>
        <form class="card" on:submit=show>
            <label class="label" for="since">{l.pick("From this day", "O'r diwrnod hwn")}</label>
            <input class="input" id="since" name="since" type="date" value=since.unwrap_or_default() />
            <button class="button button--secondary" type="submit">{l.pick("Show", "Dangos")}</button>
            <button class="button button--secondary" type="button" on:click=download>{l.pick("Download CSV", "Lawrlwytho CSV")}</button>
        </form>
        <div class="card"><table>
            <caption class="visually-hidden">{l.pick("Admin actions, newest first", "Gweithredoedd gweinyddwyr, y diweddaraf yn gyntaf")}</caption>
            <thead><tr>
                <th scope="col">{l.pick("Time (UTC)", "Amser (UTC)")}</th>
                <th scope="col">{l.pick("Who", "Pwy")}</th>
                <th scope="col">{l.pick("Action", "Gweithred")}</th>
                <th scope="col">{l.pick("On", "Ar")}</th>
                <th scope="col">{l.pick("Details", "Manylion")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

/// A labelled form field, with its hint when it has one.
fn field(id: &'static str, label: &'static str, hint: Option<&'static str>, input: impl IntoView) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            {input}
        </div>
    }
}
