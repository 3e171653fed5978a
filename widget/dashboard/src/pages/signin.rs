//! Signing in: with the organisation's account where the server offers it, or with an admin token.

use leptos::prelude::*;
use pulse_shared::Lang;

use super::title;
use crate::shell::App;

pub fn view(app: App, l: Lang, problem: Option<String>) -> impl IntoView {
    let token = NodeRef::<leptos::html::Input>::new();
    let described = if problem.is_some() { "token-hint token-error" } else { "token-hint" };
    let offered = app.offered.get_untracked();
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let typed = token.get().map(|i| i.value().trim().to_string()).unwrap_or_default();
        app.sign_in_with_token(typed);
    };
    view! {
        {title(l.pick("Sign in", "Mewngofnodi").to_string())}
        {problem.clone().map(|p| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{l.pick("There is a problem", "Mae problem")}</h2>
                <a href="#token">{p}</a>
            </div>
        })}
        {offered.then(|| view! {
            <div class="card">
                <p>{l.pick("Sign in with the account you use for your organisation's other systems.",
                    "Mewngofnodwch gyda'r cyfrif rydych chi'n ei ddefnyddio ar gyfer systemau eraill eich sefydliad.")}</p>
                <a class="button" href="/auth/login" id="sign-in-organisation">
                    {l.pick("Sign in with your organisation account", "Mewngofnodi gyda chyfrif eich sefydliad")}</a>
            </div>
        })}
        <form class="card" novalidate on:submit=submit>
            {offered.then(|| view! { <h2>{l.pick("Or use an admin token", "Neu defnyddiwch docyn gweinyddwr")}</h2> })}
            <label class="label" for="token">{l.pick("Admin token", "Tocyn gweinyddwr")}</label>
            <p class="hint" id="token-hint">{l.pick(
                "An owner makes one on the dashboard, or on the server with: pulse admin token create --name NAME --role ROLE",
                "Mae perchennog yn gwneud un ar y dangosfwrdd, neu ar y gweinydd gyda: pulse admin token create --name ENW --role RÔL")}</p>
            {problem.map(|p| view! {
                <span class="error-message" id="token-error"><span class="visually-hidden">{l.pick("Error: ", "Gwall: ")}</span>{p}</span>
            })}
            <input class="input" id="token" name="token" type="password" autocomplete="off" spellcheck="false"
                aria-describedby=described node_ref=token />
            <button class="button" type="submit">{l.pick("Sign in", "Mewngofnodi")}</button>
        </form>
    }
}
