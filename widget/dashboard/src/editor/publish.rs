//! Leaving the editor with the draft: what publishing changes for results and publishing it, the
//! definition as a file, and discarding the draft.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pulse_shared::draft::{Changes, DraftPublish};
use pulse_shared::SurveyDefinition;

use super::form::{focus_later, read_file, Ed, Saving};
use crate::api::{self, Fail};

/// Discarding the draft, once asked twice; the published survey, if any, stays as it is.
pub(super) fn discard(ed: Ed) -> impl IntoView {
    let l = ed.l;
    let asked = RwSignal::new(false);
    let go = move |_| {
        spawn_local(async move {
            let path = format!("/api/v1/drafts/{}?revision={}", api::enc(&ed.id()), ed.revision.get_untracked());
            match api::send_only("DELETE", &path, api::Body::Empty).await {
                Ok(()) => crate::shell::go("#/"),
                Err(fail) => {
                    ed.notice.set(Some(format!("{} {}", l.pick("Not discarded:", "Heb ei daflu:"), fail.message())))
                }
            }
        });
    };
    move || {
        (ed.revision.get() > 0).then(|| {
            if asked.get() {
                leptos::either::Either::Left(view! {
                    <p role="alert">{l.pick("Discard every change in this draft? The published survey, if any, stays as it is.",
                        "Taflu pob newid yn y drafft hwn? Mae'r arolwg cyhoeddedig, os oes un, yn aros fel y mae.")}" "
                        <button type="button" class="button button--secondary" id="discard-yes" on:click=go>{l.pick("Discard the draft", "Taflu'r drafft")}</button>" "
                        <button type="button" class="button button--secondary" on:click=move |_| asked.set(false)>{l.pick("Keep it", "Ei gadw")}</button>
                    </p>
                })
            } else {
                leptos::either::Either::Right(view! {
                    <p><button type="button" class="link-button" id="discard" on:click=move |_| { asked.set(true); focus_later("discard-yes".into()); }>
                        {l.pick("Discard this draft", "Taflu'r drafft hwn")}</button></p>
                })
            }
        })
    }
}

/// What publishing changes for results, and the button that publishes.
pub(super) fn publish_part(ed: Ed) -> impl IntoView {
    let l = ed.l;
    let changes = Memo::new(move |_| {
        ed.def.with(|d| ed.published.with(|p| ed.headcounts.with_value(|h| Changes::of(d, p.as_ref(), h))))
    });
    let label = |ids: &[String]| ids.join(", ");
    let list = move || {
        let c = changes.get();
        let mut items: Vec<String> = Vec::new();
        if !c.counted_apart.is_empty() {
            items.push(format!(
                "{} {}",
                l.pick(
                    "Counted apart from older versions (their kind, options, condition or requirement changed):",
                    "Wedi'u cyfrif ar wahân i fersiynau hŷn (newidiodd eu math, opsiynau, amod neu ofyniad):"
                ),
                label(&c.counted_apart)
            ));
        }
        if !c.new_questions.is_empty() {
            items.push(format!("{} {}", l.pick("New questions:", "Cwestiynau newydd:"), label(&c.new_questions)));
        }
        if !c.dropped_questions.is_empty() {
            items.push(format!(
                "{} {}",
                l.pick(
                    "No longer asked (their results so far stay):",
                    "Ddim yn cael eu gofyn mwyach (mae eu canlyniadau hyd yma'n aros):"
                ),
                label(&c.dropped_questions)
            ));
        }
        if !c.new_contexts.is_empty() {
            items.push(format!("{} {}", l.pick("New contexts:", "Cyd-destunau newydd:"), label(&c.new_contexts)));
        }
        if !c.dropped_contexts.is_empty() {
            items.push(format!(
                "{} {}",
                l.pick("Contexts gone:", "Cyd-destunau wedi mynd:"),
                label(&c.dropped_contexts)
            ));
        }
        for (context, n) in &c.too_small {
            items.push(format!(
                "{context}: {} {n}, {}",
                l.pick("headcount", "cyfrif pennau"),
                l.pick(
                    "fewer than k, so its results can never be shown on their own.",
                    "llai na k, felly ni ellir byth ddangos ei ganlyniadau ar eu pen eu hunain."
                )
            ));
        }
        if items.is_empty() {
            items.push(l.pick("Nothing changes for results.", "Does dim yn newid i'r canlyniadau.").to_string());
        }
        items.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()
    };
    let blocked = move || !ed.problems.with(Vec::is_empty) || matches!(ed.saving.get(), Saving::Conflict(_));
    let publish = move |_| {
        spawn_local(async move {
            if ed.save(false).await.is_err() {
                return;
            }
            let path = format!("/api/v1/drafts/{}/publish", api::enc(&ed.id()));
            let body = DraftPublish { revision: ed.revision.get_untracked() };
            match api::send::<_, pulse_shared::admin::SurveySummary>("POST", &path, &body).await {
                Ok(summary) => {
                    ed.notice.set(Some(format!(
                        "{} {}.",
                        l.pick("Published as version", "Wedi'i gyhoeddi fel fersiwn"),
                        summary.version
                    )));
                    ed.reload().await;
                    ed.based_on.set_value(Some(summary.version));
                    let published = ed.def.get_untracked();
                    ed.published.set(Some(published));
                    ed.shape.update(|n| *n += 1);
                    crate::shell::focus_first(&[".notice"]);
                }
                Err(fail) => {
                    let details = match &fail {
                        Fail::Refused { details, .. } => details.join("; "),
                        _ => String::new(),
                    };
                    ed.notice.set(Some(format!(
                        "{} {} {details}",
                        l.pick("Not published:", "Heb ei gyhoeddi:"),
                        fail.message()
                    )));
                    crate::shell::focus_first(&[".notice"]);
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="publish-part">
            <h2 id="publish-part">{move || format!("{} {}", l.pick("Publish as version", "Cyhoeddi fel fersiwn"), changes.get().version)}</h2>
            <h3>{l.pick("What changes for results", "Beth sy'n newid i'r canlyniadau")}</h3>
            <ul id="changes">{list}</ul>
            <p class="hint" hidden=move || !blocked()>{l.pick("Fix the things listed at the top before publishing.", "Cywirwch y pethau a restrir ar y brig cyn cyhoeddi.")}</p>
            <button type="button" class="button" id="publish" disabled=blocked on:click=publish>
                {l.pick("Publish", "Cyhoeddi")}</button>
        </section>
    }
}

/// The definition as a file: downloaded as JSON or TOML, or replaced by an uploaded one.
pub(super) fn files(ed: Ed) -> impl IntoView {
    let l = ed.l;
    let problem = RwSignal::new(None::<String>);
    let download = move |toml: bool| {
        let d = ed.def.get_untracked();
        let (text, kind, ext) = if toml {
            (toml::to_string_pretty(&d).unwrap_or_default(), "application/toml", "toml")
        } else {
            (serde_json::to_string_pretty(&d).unwrap_or_default(), "application/json", "json")
        };
        crate::api::save_text(&text, kind, &format!("{}.{ext}", d.id));
    };
    view! {
        <section class="card" aria-labelledby="files-part">
            <h2 id="files-part">{l.pick("As a file", "Fel ffeil")}</h2>
            <p class="hint">{l.pick("The same format the pulse command imports.", "Yr un fformat ag y mae'r gorchymyn pulse yn ei fewnforio.")}</p>
            <p>
                <button type="button" class="button button--secondary" on:click=move |_| download(false)>{l.pick("Download as JSON", "Lawrlwytho fel JSON")}</button>" "
                <button type="button" class="button button--secondary" on:click=move |_| download(true)>{l.pick("Download as TOML", "Lawrlwytho fel TOML")}</button>
            </p>
            <label class="label" for="upload-definition">{l.pick("Replace the draft with a file (JSON or TOML)", "Disodli'r drafft gyda ffeil (JSON neu TOML)")}</label>
            <input class="input" type="file" id="upload-definition" accept=".json,.toml,application/json,application/toml" on:change=move |e| {
                read_file(&e, move |text| {
                    let parsed: Result<SurveyDefinition, String> = serde_json::from_str(&text)
                        .map_err(|e| e.to_string())
                        .or_else(|_| toml::from_str(&text).map_err(|e| e.to_string()));
                    match parsed {
                        Ok(def) if def.id == ed.id() => { problem.set(None); ed.reshape(|d| *d = def); }
                        Ok(def) => problem.set(Some(format!("{} {:?}", l.pick("That file is for another survey:", "Mae'r ffeil honno ar gyfer arolwg arall:"), def.id))),
                        Err(why) => problem.set(Some(format!("{} {why}", l.pick("That file is not a survey definition:", "Nid diffiniad arolwg yw'r ffeil honno:")))),
                    }
                });
            } />
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </section>
    }
}
