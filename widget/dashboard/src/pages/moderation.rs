//! The stories whose writers agreed they may be shown to other staff: approve (after taking out
//! anything identifying, correcting the caption or the values) or reject, and every decision so far.

use leptos::either::Either;
use leptos::prelude::*;
use pulse_shared::admin::{Decide, Queue, QueuedStory, StoryStatus};
use pulse_shared::{Lang, NhsValue, Role};
use wasm_bindgen::JsCast;

use super::{back_to_surveys, flash, title};
use crate::api::{self, survey_path, Fail};
use crate::pages::results::value_name;
use crate::shell::{App, Flash};

pub struct Data {
    survey: String,
    queue: Queue,
    flash: Flash,
}

pub async fn load(survey: String, flash: Flash) -> Result<Data, Fail> {
    let queue = api::get(&survey_path(&survey, "/moderation")).await?;
    Ok(Data { survey, queue, flash })
}

fn status_words(status: StoryStatus, l: Lang) -> &'static str {
    match status {
        StoryStatus::Pending => l.pick("Waiting for review", "Yn aros am adolygiad"),
        StoryStatus::Approved => l.pick("Approved: on the showcase", "Wedi'i chymeradwyo: yn yr arddangosfa"),
        StoryStatus::Rejected => l.pick("Rejected", "Wedi'i gwrthod"),
    }
}

fn short(id: &str) -> &str {
    &id[..id.len().min(6)]
}

/// Sends a decision, then draws the queue again saying what became of the story.
fn decide(app: App, survey: String, story: String, body: Decide) {
    let path = survey_path(&survey, &format!("/moderation/{}", api::enc(&story)));
    let with_edit = body.text.is_some();
    leptos::task::spawn_local(async move {
        let l = app.l();
        let flash = match api::send::<_, QueuedStory>("POST", &path, &body).await {
            Ok(after) => Flash::notice(format!(
                "{} {}: {}{}.",
                l.pick("Story", "Stori"),
                short(&story),
                status_words(after.status, l).to_lowercase(),
                if after.edited && with_edit { l.pick(", with your edit", ", gyda'ch golygiad") } else { "" }
            )),
            Err(Fail::Unauthorised) => Flash::error(Fail::Unauthorised),
            Err(fail) => {
                Flash::notice(format!("{} {}", l.pick("That did not work:", "Ni weithiodd hynny:"), fail.message()))
            }
        };
        app.reload(flash);
    });
}

pub fn view(app: App, l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let q = &data.queue;
    let survey = data.survey.clone();
    let group = |status: StoryStatus, heading: &'static str, empty: &'static str| {
        let stories: Vec<&QueuedStory> = q.stories.iter().filter(|s| s.status == status).collect();
        let id = match status {
            StoryStatus::Pending => "pending-title",
            StoryStatus::Approved => "approved-title",
            StoryStatus::Rejected => "rejected-title",
        };
        view! {
            <section aria-labelledby=id>
                <h2 id=id>{format!("{heading} ({})", stories.len())}</h2>
                {if stories.is_empty() {
                    Either::Left(view! { <p>{empty}</p> })
                } else {
                    Either::Right(view! { <ul class="queue">{stories.into_iter().map(|s| story_card(app, l, &survey, s)).collect_view()}</ul> })
                }}
            </section>
        }
    };
    let back = if app.may(&[Role::Analyst]) {
        Either::Left(super::back_to_results(l, &data.survey))
    } else {
        Either::Right(back_to_surveys(l))
    };
    let decisions = if q.decisions.is_empty() {
        Either::Left(view! { <p>{l.pick("No decisions yet.", "Dim penderfyniadau eto.")}</p> })
    } else {
        Either::Right(view! {
            <table>
                <thead><tr>
                    <th scope="col">{l.pick("Day", "Diwrnod")}</th>
                    <th scope="col">{l.pick("Story", "Stori")}</th>
                    <th scope="col">{l.pick("Decision", "Penderfyniad")}</th>
                    <th scope="col">{l.pick("Edited", "Golygwyd")}</th>
                </tr></thead>
                <tbody>{q.decisions.iter().map(|d| view! {
                    <tr>
                        <td>{d.on.to_string()}</td>
                        <td>{short(&d.story).to_string()}</td>
                        <td>{match d.decision {
                            StoryStatus::Approved => l.pick("approved", "cymeradwywyd"),
                            StoryStatus::Rejected => l.pick("rejected", "gwrthodwyd"),
                            StoryStatus::Pending => l.pick("pending", "yn aros"),
                        }}</td>
                        <td>{if d.edited { l.pick("yes", "do") } else { l.pick("no", "naddo") }}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        })
    };
    view! {
        {back}
        {title(l.pick("Stories for the showcase", "Straeon ar gyfer yr arddangosfa").to_string())}
        {flash(l, &data.flash)}
        <p>{l.pick(
            "These are the stories whose writers agreed that they may be shown to other staff, without their names. Approved stories appear in the showcase on the intranet; rejected ones never do. Stories without that agreement are not listed here and stay in the stories download only.",
            "Dyma'r straeon y cytunodd eu hawduron y gellir eu dangos i staff eraill, heb eu henwau. Mae straeon a gymeradwywyd yn ymddangos yn yr arddangosfa ar y fewnrwyd; nid yw rhai a wrthodwyd byth yn gwneud hynny. Nid yw straeon heb y cytundeb hwnnw wedi'u rhestru yma ac maent yn aros yn y ffeil straeon i'w lawrlwytho yn unig.")}</p>
        {match q.note.clone() {
            Some(note) => Either::Left(view! { <div class="card"><p>{format!("{} {note}{}", l.pick("No stories yet:", "Dim straeon eto:"), l.pick(", so that nobody can be singled out.", ", fel na ellir adnabod neb."))}</p></div> }),
            None => Either::Right(view! {
                {group(StoryStatus::Pending, l.pick("Waiting for review", "Yn aros am adolygiad"), l.pick("Nothing is waiting.", "Does dim yn aros."))}
                {group(StoryStatus::Approved, l.pick("On the showcase", "Yn yr arddangosfa"), l.pick("No story is on the showcase yet.", "Nid oes stori yn yr arddangosfa eto."))}
                {group(StoryStatus::Rejected, l.pick("Rejected", "Wedi'u gwrthod"), l.pick("No story has been rejected.", "Nid oes stori wedi'i gwrthod."))}
            }),
        }}
        <section aria-labelledby="decisions-title">
            <h2 id="decisions-title">{l.pick("Decisions", "Penderfyniadau")}</h2>
            {decisions}
        </section>
    }
}

/// One story in the queue, with what can be done to it.
fn story_card(app: App, l: Lang, survey: &str, story: &QueuedStory) -> impl IntoView {
    let sid = story.id.clone();
    let title_id = format!("story-{sid}");
    let labelled_by = title_id.clone();
    // The link is shown as an address to open and check, not as a picture: the dashboard fetches
    // nothing from another site.
    let media = story.media.as_ref().map(|m| {
        view! {
            <div class="media-check">
                <p><strong>{l.pick("Photo or video link: ", "Dolen llun neu fideo: ")}</strong>
                    <a href=m.link.clone() rel="noopener noreferrer" referrerpolicy="no-referrer" target="_blank">{m.link.clone()}
                        <span class="visually-hidden">{l.pick(" (opens in a new tab)", " (yn agor mewn tab newydd)")}</span></a></p>
                <p><strong>{l.pick("Caption: ", "Capsiwn: ")}</strong>{m.caption.clone()}</p>
            </div>
        }
    });
    // What the scrubber cannot take out, for the moderator to check before approving.
    let mut warnings = Vec::new();
    if !story.likely_names.is_empty() {
        let names = story
            .likely_names
            .iter()
            .enumerate()
            .map(|(i, n)| view! { {(i > 0).then_some(", ")}<mark>{n.clone()}</mark> })
            .collect_view();
        warnings.push(view! { <p>{l.pick("It may name someone: ", "Efallai ei bod yn enwi rhywun: ")}{names}{l.pick(
            ". Check that each is meant to be there (staff often name a colleague on purpose), and take out any patient's name.",
            ". Gwiriwch fod pob un i fod yno (mae staff yn aml yn enwi cydweithiwr yn fwriadol), a thynnwch enw unrhyw glaf allan.")}</p> }.into_any());
    }
    if !story.placeholders.is_empty() {
        warnings.push(view! { <p>{format!("{} {}{}", l.pick("It still reads", "Mae'n dal i ddarllen"), story.placeholders.join(", "), l.pick(
            ", where the writer's details were taken out; the showcase will show that as it is. You can edit it out.",
            ", lle tynnwyd manylion yr awdur allan; bydd yr arddangosfa'n dangos hynny fel y mae. Gallwch ei olygu allan."))}</p> }.into_any());
    }
    // Marked, not a warning to press through: colleagues often write up one event together.
    let twins = (!story.similar.is_empty()).then(|| {
        let others = story.similar.iter().map(|s| format!("{} {}", l.pick("story", "stori"), short(s))).collect::<Vec<_>>().join(", ");
        view! { <p class="hint"><strong>{l.pick("Near-identical: ", "Bron yn union yr un fath: ")}</strong>{format!("{} {others}. {}",
            l.pick("the same as, or nearly the same as,", "yr un fath â, neu bron yr un fath â,"),
            l.pick("The writer may have sent it twice, or colleagues may have written up one event; you may not want to approve more than one.",
                "Efallai fod yr awdur wedi'i hanfon ddwywaith, neu fod cydweithwyr wedi ysgrifennu am un digwyddiad; efallai na fyddwch am gymeradwyo mwy nag un."))}</p> }
    });
    let checks_id = format!("checks-{sid}");
    let has_checks = !warnings.is_empty();
    let checked = RwSignal::new(false);
    let checks = has_checks.then(|| {
        view! {
            <div class="card notice" role=move || if checked.get() { "alert" } else { "note" } id=checks_id.clone()>
                <strong>{l.pick("Check before approving", "Gwiriwch cyn cymeradwyo")}</strong>
                {warnings}
            </div>
        }
    });
    let value_names = story
        .values
        .iter()
        .zip(&story.value_names)
        .map(|(id, name)| view! { <span class="tag">{value_name(id, name, l)}</span> })
        .collect_view();
    let survey = survey.to_string();
    // A decision as it is, with no edit: reject, withdraw, or approve after all.
    let plain = |decision: StoryStatus| {
        let (survey, sid) = (survey.clone(), sid.clone());
        move |_| {
            let unedited = Decide { decision, text: None, remove_link: false, caption: None, values: None };
            decide(app, survey.clone(), sid.clone(), unedited)
        }
    };
    let reject = plain(StoryStatus::Rejected);
    if story.status != StoryStatus::Pending {
        let (decision, words) = if story.status == StoryStatus::Approved {
            (StoryStatus::Rejected, l.pick("Withdraw from the showcase", "Tynnu'n ôl o'r arddangosfa"))
        } else {
            (StoryStatus::Approved, l.pick("Approve after all", "Cymeradwyo wedi'r cyfan"))
        };
        let action =
            view! { <button class="button button--secondary" type="button" on:click=plain(decision)>{words}</button> };
        return Either::Left(view! {
            <li class="card" aria-labelledby=labelled_by>
                <h3 id=title_id>{format!("{} {}", l.pick("Story", "Stori"), short(&sid))}</h3>
                {(!story.text.is_empty()).then(|| view! { <blockquote>{story.text.clone()}</blockquote> })}
                {media}
                <p>{l.pick("Values: ", "Gwerthoedd: ")}{value_names}</p>
                {twins}
                {checks}
                <p class="hint">{status_words(story.status, l)}{story.edited.then(|| l.pick(" (edited)", " (wedi'i golygu)"))}</p>
                {action}
            </li>
        });
    }
    let card = NodeRef::<leptos::html::Li>::new();
    let original = story.clone();
    let approve = move |e: leptos::ev::MouseEvent| {
        // A story with something to check takes a second press, after the warning is read out.
        if has_checks && !checked.get_untracked() {
            checked.set(true);
            if let Some(button) = e.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                button.set_text_content(Some(app.l().pick("Approve anyway", "Cymeradwyo beth bynnag")));
            }
            return;
        }
        let Some(card) = card.get() else { return };
        let find = |selector: &str| card.query_selector(selector).ok().flatten();
        let value_of = |selector: &str| {
            find(selector).and_then(|el| {
                el.dyn_ref::<web_sys::HtmlTextAreaElement>()
                    .map(|t| t.value())
                    .or_else(|| el.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()))
            })
        };
        let text = value_of("textarea").filter(|t| t.trim() != original.text.trim());
        let remove_link = find("input.drop-link")
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.checked());
        let caption = if remove_link {
            None
        } else {
            value_of("input.caption").filter(|c| original.media.as_ref().is_some_and(|m| c.trim() != m.caption.trim()))
        };
        let boxes = card.query_selector_all("fieldset input:checked").ok();
        let chosen: Vec<String> = boxes
            .map(|list| {
                (0..list.length())
                    .filter_map(|i| list.item(i))
                    .filter_map(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .collect()
            })
            .unwrap_or_default();
        let (mut a, mut b) = (chosen.clone(), original.values.clone());
        a.sort();
        b.sort();
        let values = (a != b).then_some(chosen);
        decide(
            app,
            survey.clone(),
            original.id.clone(),
            Decide { decision: StoryStatus::Approved, text, remove_link, caption, values },
        );
    };
    let tags = NhsValue::ALL
        .iter()
        .map(|v| {
            let id = format!("value-{sid}-{}", v.id());
            view! {
                <div>
                    <input type="checkbox" class="checkbox" id=id.clone() value=v.id() checked=story.values.iter().any(|x| x == v.id()) />" "
                    <label for=id>{v.label_in(l)}</label>
                </div>
            }
        })
        .collect_view();
    Either::Right(view! {
        <li class="card" aria-labelledby=labelled_by node_ref=card>
            <h3 id=title_id>{format!("{} {}", l.pick("Story", "Stori"), short(&sid))}</h3>
            <label class="label" for=format!("text-{sid}")>{l.pick("Story text", "Testun y stori")}</label>
            <p class="hint" id=format!("hint-{sid}")>{l.pick(
                "Take out anything that could identify someone before you approve it. Your edit replaces the original, which is not kept.",
                "Tynnwch allan unrhyw beth a allai adnabod rhywun cyn i chi ei chymeradwyo. Mae eich golygiad yn disodli'r gwreiddiol, na chaiff ei gadw.")}</p>
            <textarea class="input textarea" id=format!("text-{sid}") rows="5" aria-describedby=format!("hint-{sid}")>{story.text.clone()}</textarea>
            {media}
            {story.media.as_ref().map(|m| view! {
                <p class="hint">{l.pick(
                    "Open the link and check that the photo or video shows no one who has not agreed, and nothing else that should not be shared. Staff see the link only once you approve the story.",
                    "Agorwch y ddolen a gwiriwch nad yw'r llun na'r fideo yn dangos unrhyw un nad yw wedi cytuno, na dim arall na ddylid ei rannu. Dim ond ar ôl i chi gymeradwyo'r stori y mae staff yn gweld y ddolen.")}</p>
                <label class="label" for=format!("caption-{sid}")>{l.pick("Caption", "Capsiwn")}</label>
                <input class="input caption" id=format!("caption-{sid}") value=m.caption.clone() />
                <p>
                    <input type="checkbox" id=format!("drop-{sid}") class="checkbox drop-link" />" "
                    <label for=format!("drop-{sid}")>{l.pick("Approve without the link and caption", "Cymeradwyo heb y ddolen a'r capsiwn")}</label>
                </p>
            })}
            <fieldset class="values-edit">
                <legend>{l.pick("Values this story shows", "Gwerthoedd y mae'r stori hon yn eu dangos")}</legend>
                {tags}
            </fieldset>
            {twins}
            {checks}
            <button class="button" type="button" aria-describedby=has_checks.then(|| format!("checks-{sid}")) on:click=approve>
                {l.pick("Approve", "Cymeradwyo")}</button>
            <button class="button button--secondary" type="button" on:click=reject>{l.pick("Reject", "Gwrthod")}</button>
        </li>
    })
}
