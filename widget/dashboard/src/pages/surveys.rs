//! The surveys, with their languages and responses: where every admin starts.

use leptos::prelude::*;
use pulse_shared::admin::SurveySummary;
use pulse_shared::{Lang, Role};

use super::title;
use crate::api::{self, Fail};
use crate::shell::App;
use crate::words::number;

pub struct Data {
    surveys: Vec<SurveySummary>,
}

pub async fn load() -> Result<Data, Fail> {
    Ok(Data { surveys: api::get("/api/v1/surveys").await? })
}

pub fn view(app: App, l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let results = app.may(&[Role::Analyst, Role::Viewer]);
    let rows = data
        .surveys
        .iter()
        .map(|s| {
            let enc = api::enc(&s.id);
            let href = if results { format!("#/surveys/{enc}") } else { format!("#/moderation/{enc}") };
            let name = (l == Lang::Cy).then(|| s.title_cy.clone()).flatten().unwrap_or_else(|| s.title.clone());
            // The server names the languages in English; the reader's names come from `pulse-shared`.
            let languages = s
                .languages
                .iter()
                .zip(&s.language_names)
                .map(|(code, english)| {
                    Lang::from_tag(code).map_or_else(|| english.clone(), |lang| lang.name_in(l).to_string())
                })
                .collect::<Vec<_>>()
                .join(", ");
            let responses = s.responses.map_or_else(|| s.responses_note.clone().unwrap_or_default(), number);
            view! {
                <tr>
                    <td><a href=href>{name}</a></td>
                    <td>{s.id.clone()}</td>
                    <td class="num">{s.version.to_string()}</td>
                    <td>{languages}</td>
                    <td class="num">{responses}</td>
                </tr>
            }
        })
        .collect_view();
    let viewer = app.me.get_untracked().filter(|me| me.role == Role::Viewer);
    view! {
        {title(l.pick("Surveys", "Arolygon").to_string())}
        {viewer.map(|me| view! {
            <p class="hint">{format!("{} {} {}", l.pick("You see the results of", "Rydych chi'n gweld canlyniadau"), me.contexts.join(", "), l.pick("only.", "yn unig."))}</p>
        })}
        {app.may(&[Role::Analyst]).then(|| view! {
            <p><a class="button" href="/admin/editor#/" id="open-editor">{l.pick("Create or edit a survey", "Creu neu olygu arolwg")}</a></p>
        })}
        {app.may(&[]).then(|| view! {
            <ul class="links">
                <li><a href="#/admins">{l.pick("Who can see results", "Pwy all weld canlyniadau")}</a></li>
                <li><a href="#/audit">{l.pick("Audit log", "Cofnod archwilio")}</a></li>
            </ul>
        })}
        <div class="card">
            <table>
                <caption class="visually-hidden">{l.pick("Surveys and their responses", "Arolygon a'u hymatebion")}</caption>
                <thead><tr>
                    <th scope="col">{l.pick("Survey", "Arolwg")}</th>
                    <th scope="col">{l.pick("Id", "Dynodydd")}</th>
                    <th scope="col" class="num">{l.pick("Version", "Fersiwn")}</th>
                    <th scope="col">{l.pick("Languages", "Ieithoedd")}</th>
                    <th scope="col" class="num">{l.pick("Responses", "Ymatebion")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
