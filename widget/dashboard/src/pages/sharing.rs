//! What staff see of the results: the questions whose headline figures are shared (only those
//! `pulse-shared` allows), and "you said, we did" notes, in Welsh too when the survey has it.

use leptos::prelude::*;
use pulse_shared::admin::WaveList;
use pulse_shared::headlines::{Note, Sharing, SharingState};
use pulse_shared::{Lang, Text};
use wasm_bindgen::JsCast;

use super::{back_to_results, flash, problems, text_in, title};
use crate::api::{self, survey_path, Fail};
use crate::shell::{App, Flash};

pub struct Data {
    survey: String,
    sharing: SharingState,
    waves: WaveList,
    flash: Flash,
}

pub async fn load(survey: String, flash: Flash) -> Result<Data, Fail> {
    let sharing = api::get(&survey_path(&survey, "/sharing")).await?;
    let waves = api::get(&survey_path(&survey, "/waves")).await?;
    Ok(Data { survey, sharing, waves, flash })
}

pub fn view(app: App, l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let welsh = data.sharing.welsh;
    let refusal = RwSignal::new(None::<Fail>);
    let next_key = StoredValue::new(data.sharing.notes.len());
    let notes = RwSignal::new(data.sharing.notes.iter().cloned().enumerate().collect::<Vec<(usize, Note)>>());
    let boxes = data
        .sharing
        .shareable
        .iter()
        .map(|q| {
            let id = format!("share-{}", q.id);
            view! {
                <li>
                    <input type="checkbox" class="checkbox" id=id.clone() name="questions" value=q.id.clone()
                        checked=data.sharing.questions.contains(&q.id) />" "
                    <label for=id>{text_in(&q.prompt, l)}</label>
                </li>
            }
        })
        .collect_view();
    let waves = data.waves.waves.clone();
    let note_item = move |key: usize, n: Note| {
        let area = move |name: &'static str, label: &'static str, lang: Lang, text: &Text| {
            let id = format!("note-{key}-{name}-{}", lang.code());
            let value = match lang {
                Lang::En => text.en.clone(),
                Lang::Cy => text.cy.clone().unwrap_or_default(),
            };
            view! {
                <label class="label" for=id.clone()>{label}</label>
                <textarea class="input textarea" id=id rows="3" data-name=name data-lang=lang.code()>{value}</textarea>
            }
        };
        let select = format!("note-{key}-wave");
        view! {
            <li class="card note-edit">
                <label class="label" for=select.clone()>{l.pick("About", "Ynghylch")}</label>
                <select class="input" id=select>
                    <option value="">{l.pick("The survey as a whole", "Yr arolwg cyfan")}</option>
                    {waves.iter().map(|w| view! { <option value=w.wave.id.clone() selected=n.wave.as_deref() == Some(w.wave.id.as_str())>{w.wave.label.get(l).to_string()}</option> }).collect_view()}
                </select>
                {area("you_said", l.pick("You said (English)", "Dywedoch chi (Saesneg)"), Lang::En, &n.you_said)}
                {welsh.then(|| area("you_said", l.pick("You said (Welsh)", "Dywedoch chi (Cymraeg)"), Lang::Cy, &n.you_said))}
                {area("we_did", l.pick("We did (English)", "Gwnaethom ni (Saesneg)"), Lang::En, &n.we_did)}
                {welsh.then(|| area("we_did", l.pick("We did (Welsh)", "Gwnaethom ni (Cymraeg)"), Lang::Cy, &n.we_did))}
                <button class="button button--secondary" type="button" on:click=move |_| notes.update(|ns| ns.retain(|(k, _)| *k != key))>
                    {l.pick("Remove this note", "Dileu'r nodyn hwn")}</button>
            </li>
        }
    };
    let path = survey_path(&data.survey, "/sharing");
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let form = super::submitted_form(&e);
        let saved = (
            "Saved. Staff see the change within five minutes.",
            "Wedi'i gadw. Bydd staff yn gweld y newid o fewn pum munud.",
        );
        super::save(app, path.clone(), read(&form, welsh), saved, refusal);
    };
    let k = data.sharing.k;
    view! {
        {back_to_results(l, &data.survey)}
        {title(l.pick("Share results with staff", "Rhannu canlyniadau gyda staff").to_string())}
        <div>{move || refusal.get().map(|f| problems(l, &f))}</div>
        {flash(l, &data.flash)}
        <p>{l.pick("Put the results on any intranet page with the same loader as the survey:",
            "Rhowch y canlyniadau ar unrhyw dudalen fewnrwyd gyda'r un llwythwr â'r arolwg:")}</p>
        <pre class="code">{format!("<div data-pulse-results=\"{}\" data-pulse-context=\"estates\"></div>", data.survey)}</pre>
        <form novalidate on:submit=submit>
            <fieldset class="fieldset">
                <legend><h2>{l.pick("Questions staff see", "Cwestiynau y mae staff yn eu gweld")}</h2></legend>
                <p class="hint">{format!("{} {k} {}",
                    l.pick("Off by default. Staff see the share for everyone and, on a page that names one, for that context, hidden where fewer than",
                        "I ffwrdd yn ddiofyn. Mae staff yn gweld y gyfran i bawb ac, ar dudalen sy'n enwi un, i'r cyd-destun hwnnw, wedi'i chuddio lle atebodd llai na"),
                    l.pick("people answered, as here. For a survey with waves, staff see the latest closed wave and its change since the one before.",
                        "o bobl, fel yma. Ar gyfer arolwg gyda thonnau, mae staff yn gweld y don ddiweddaraf a gaeodd a'i newid ers yr un cynt."))}</p>
                <ul class="plain">{boxes}</ul>
            </fieldset>
            <h2>{l.pick("You said, we did", "Dywedoch chi, gwnaethom ni")}</h2>
            <p class="hint">{l.pick(
                "Short notes on what is being done about the results, shown under the figures. A wave's note appears once that wave has closed.",
                "Nodiadau byr am yr hyn sy'n cael ei wneud am y canlyniadau, a ddangosir o dan y ffigurau. Mae nodyn ton yn ymddangos unwaith y bydd y don honno wedi cau.")}</p>
            <ol class="notes-edit">
                <For each=move || notes.get() key=|(k, _)| *k children=move |(k, n)| note_item(k, n) />
            </ol>
            <p><button class="button button--secondary" type="button" on:click=move |_| {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                notes.update(|ns| ns.push((key, Note { wave: None, you_said: Text::default(), we_did: Text::default() })));
            }>{l.pick("Add a note", "Ychwanegu nodyn")}</button></p>
            <button class="button" type="submit">{l.pick("Save what staff see", "Cadw'r hyn y mae staff yn ei weld")}</button>
        </form>
    }
}

/// What the form says staff should see.
fn read(form: &web_sys::HtmlFormElement, welsh: bool) -> Sharing {
    let all = |selector: &str| -> Vec<web_sys::Element> {
        form.query_selector_all(selector)
            .map(|list| (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect())
            .unwrap_or_default()
    };
    let questions = all("input[name=questions]:checked")
        .into_iter()
        .filter_map(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .collect();
    let notes = all(".note-edit")
        .into_iter()
        .map(|item| {
            let wave = item
                .query_selector("select")
                .ok()
                .flatten()
                .and_then(|s| s.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value())
                .filter(|w| !w.is_empty());
            let text = |name: &str, lang: &str| {
                item.query_selector(&format!("[data-name={name}][data-lang={lang}]"))
                    .ok()
                    .flatten()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                    .map(|t| t.value())
            };
            let both = |name: &str| Text {
                en: text(name, "en").unwrap_or_default(),
                cy: if welsh { Some(text(name, "cy").unwrap_or_default()) } else { None },
            };
            Note { wave, you_said: both("you_said"), we_did: both("we_did") }
        })
        .collect();
    Sharing { questions, notes }
}
