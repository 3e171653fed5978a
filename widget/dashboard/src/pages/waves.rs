//! A survey's waves: add one, record each context's headcount (typed, or from a CSV file), rename,
//! close early, or delete one that has not opened. A viewer reads them, and the headcounts of
//! their own contexts, without the forms.

use leptos::either::Either;
use leptos::prelude::*;
use pulse_shared::admin::{WaveCorrection, WaveList, WaveRequest, WaveState, WaveSummary};
use pulse_shared::{Date, Lang, Role, Text};
use wasm_bindgen::JsCast;

use super::{back_to_results, flash, form_value, submitted_form, title};
use crate::api::{self, survey_path, Body, Fail};
use crate::shell::{App, Flash};

pub struct Data {
    survey: String,
    list: WaveList,
    flash: Flash,
}

pub async fn load(survey: String, flash: Flash) -> Result<Data, Fail> {
    let list = api::get(&survey_path(&survey, "/waves")).await?;
    Ok(Data { survey, list, flash })
}

/// A name typed in English and, optionally, in Welsh.
fn label_of(en: String, cy: String) -> Text {
    if cy.trim().is_empty() {
        Text { en, cy: None }
    } else {
        Text { en, cy: Some(cy) }
    }
}

/// A typed day, or a refusal naming the field, for the server's words to stay the only rules.
fn day(field: &str, typed: &str) -> Result<Date, Fail> {
    typed.parse().map_err(|e: pulse_shared::date::DateError| Fail::Refused {
        message: format!("{field}: {e}"),
        details: Vec::new(),
    })
}

pub fn view(app: App, l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let base = survey_path(&data.survey, "");
    let list = &data.list;
    let add = {
        let base = base.clone();
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let form = submitted_form(&e);
            let id = form_value(&form, "id");
            let label = label_of(form_value(&form, "label"), form_value(&form, "label_cy"));
            let (opens, closes) = (form_value(&form, "opens"), form_value(&form, "closes"));
            let adopt = form_value(&form, "adopt") == "on";
            let path = format!("{base}/waves");
            let done = format!("{} {id} {}", app.l().pick("Wave", "Ton"), app.l().pick("added.", "wedi'i hychwanegu."));
            app.act(
                async move {
                    let request =
                        WaveRequest { id, label, opens: day("opens", &opens)?, closes: day("closes", &closes)?, adopt };
                    api::send::<_, pulse_shared::Wave>("POST", &path, &request).await.map(|_| ())
                },
                done,
            );
        }
    };
    let field = |name: &'static str, label: &'static str, kind: &'static str| {
        let id = format!("wave-{name}");
        view! {
            <label class="label" for=id.clone()>{label}</label>
            <input class="input" id=id name=name type=kind autocomplete="off" />
        }
    };
    let add_form = view! {
        <form class="card" novalidate aria-labelledby="add-wave-title" on:submit=add>
            <h2 id="add-wave-title">{l.pick("Add a wave", "Ychwanegu ton")}</h2>
            {field("id", l.pick("Id (for example 2026-q3)", "Dynodydd (er enghraifft 2026-q3)"), "text")}
            {field("label", l.pick("Name", "Enw"), "text")}
            {field("label_cy", l.pick("Name in Welsh (optional)", "Enw yn Gymraeg (dewisol)"), "text")}
            {field("opens", l.pick("First day", "Diwrnod cyntaf"), "date")}
            {field("closes", l.pick("Last day", "Diwrnod olaf"), "date")}
            <p>
                <input type="checkbox" id="wave-adopt" name="adopt" />" "
                <label for="wave-adopt">{l.pick("Take in the responses from before this survey had waves (its first wave only)",
                    "Cynnwys yr ymatebion o'r cyfnod cyn i'r arolwg hwn gael tonnau (ei don gyntaf yn unig)")}</label>
            </p>
            <button class="button" type="submit">{l.pick("Add wave", "Ychwanegu ton")}</button>
        </form>
    };
    let today = list.today;
    // A viewer reads the waves and their own contexts' headcounts; only analysts change them.
    let edit = app.may(&[Role::Analyst]);
    let cards = list.waves.iter().map(|w| wave_card(app, l, &base, list, w, edit)).collect_view();
    view! {
        {back_to_results(l, &data.survey)}
        {title(l.pick("Waves and headcounts", "Tonnau a niferoedd staff").to_string())}
        {flash(l, &data.flash)}
        <p>{format!("{} {today}.", l.pick(
            "While a survey has waves it takes responses only inside one; outside them the survey tells staff when the next opens. Today is",
            "Tra bo gan arolwg donnau, dim ond o fewn un y mae'n derbyn ymatebion; y tu allan iddynt mae'r arolwg yn dweud wrth staff pryd mae'r nesaf yn agor. Heddiw yw"))}</p>
        {list.waves.is_empty().then(|| view! { <p>{l.pick(
            "This survey has no waves: it takes responses whenever its own dates allow.",
            "Nid oes gan yr arolwg hwn donnau: mae'n derbyn ymatebion pryd bynnag y mae ei ddyddiadau ei hun yn caniatáu.")}</p> })}
        {cards}
        {edit.then_some(add_form)}
    }
}

fn wave_card(app: App, l: Lang, base: &str, list: &WaveList, w: &WaveSummary, edit: bool) -> impl IntoView {
    let wid = w.wave.id.clone();
    let path = format!("{base}/waves/{}", api::enc(&wid));
    let name = w.wave.label.get(l).to_string();
    let state = match w.state {
        WaveState::Upcoming => l.pick("Upcoming", "I ddod"),
        WaveState::Open => l.pick("Open now", "Ar agor nawr"),
        WaveState::Closed => l.pick("Closed", "Wedi cau"),
    };
    let heading = format!("wave-{wid}-title");
    let heading_id = heading.clone();

    // A headcount travels as a JSON number; what is not one goes as typed, for the server to name.
    let save = {
        let (path, wid) = (path.clone(), wid.clone());
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let form = submitted_form(&e);
            let data = web_sys::FormData::new_with_form(&form).expect("a form");
            let mut body = serde_json::Map::new();
            for entry in data.entries() {
                let Ok(pair) = entry else { continue };
                let pair: js_sys::Array = pair.unchecked_into();
                let (key, value) =
                    (pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default());
                let typed = value.trim();
                if typed.is_empty() || key == "file" {
                    continue;
                }
                let number = typed.parse::<i64>().ok().filter(|_| typed.trim_start_matches('-').len() <= 15);
                body.insert(key, number.map_or_else(|| typed.into(), serde_json::Value::from));
            }
            let path = format!("{path}/headcounts");
            let done = format!(
                "{} {wid} {}",
                app.l().pick("Headcounts for", "Niferoedd staff ar gyfer"),
                app.l().pick("recorded.", "wedi'u cofnodi.")
            );
            app.act(
                async move { api::send::<_, Vec<pulse_shared::Headcount>>("PUT", &path, &body).await.map(|_| ()) },
                done,
            );
        }
    };
    let upload = {
        let (path, wid) = (path.clone(), wid.clone());
        move |e: leptos::ev::Event| {
            let input: web_sys::HtmlInputElement = event_target(&e);
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let path = format!("{path}/headcounts");
            let done = format!(
                "{} {wid} {}",
                app.l().pick("Headcounts for", "Niferoedd staff ar gyfer"),
                app.l().pick("recorded from the file.", "wedi'u cofnodi o'r ffeil.")
            );
            app.act(
                async move {
                    let text = wasm_bindgen_futures::JsFuture::from(file.text())
                        .await
                        .ok()
                        .and_then(|t| t.as_string())
                        .unwrap_or_default();
                    api::send_only("PUT", &path, Body::Text("text/csv", text)).await
                },
                done,
            );
        }
    };
    if !edit {
        let rows = list
            .contexts
            .iter()
            .map(|c| {
                let value = w.headcounts.get(&c.id).map(|&h| crate::words::number(h)).unwrap_or_default();
                view! { <tr><th scope="row">{c.label.clone()}</th><td class="num">{value}</td></tr> }
            })
            .collect_view();
        return Either::Left(view! {
            <section class="card" aria-labelledby=heading>
                <h2 id=heading_id>{name}</h2>
                <p class="hint">{format!("{wid}: {} {} {}. {state}.", w.wave.opens, l.pick("to", "i"), w.wave.closes)}</p>
                <table>
                    <thead><tr><th scope="col">{l.pick("Context", "Cyd-destun")}</th><th scope="col" class="num">{l.pick("Headcount", "Nifer staff")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        });
    }
    let rows = list
        .contexts
        .iter()
        .map(|c| {
            let input = format!("hc-{wid}-{}", c.id);
            let value = w.headcounts.get(&c.id).map(u64::to_string).unwrap_or_default();
            view! {
                <tr>
                    <th scope="row"><label for=input.clone()>{c.label.clone()}</label></th>
                    <td><input class="input input--short" id=input name=c.id.clone() inputmode="numeric" value=value /></td>
                </tr>
            }
        })
        .collect_view();
    let headcounts = view! {
        <form novalidate aria-label=format!("{} {}", l.pick("Headcounts for", "Niferoedd staff ar gyfer"), name) on:submit=save>
            <table>
                <thead><tr><th scope="col">{l.pick("Context", "Cyd-destun")}</th><th scope="col">{l.pick("Headcount", "Nifer staff")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <button class="button" type="submit">{l.pick("Save headcounts", "Cadw niferoedd staff")}</button>
            <label class="label" for=format!("csv-{wid}")>{l.pick("Or upload a CSV file of context,headcount lines", "Neu lanlwytho ffeil CSV o linellau cyd-destun,nifer")}</label>
            <input type="file" id=format!("csv-{wid}") name="file" accept=".csv,text/csv" on:change=upload />
        </form>
    };
    Either::Right(view! {
        <section class="card" aria-labelledby=heading>
            <h2 id=heading_id>{name.clone()}</h2>
            <p class="hint">{format!("{wid}: {} {} {}. {state}.", w.wave.opens, l.pick("to", "i"), w.wave.closes)}</p>
            {headcounts}
            {correct_form(app, l, &path, list.today, w)}
        </section>
    })
}

/// Rename at any time; close early (no earlier than the last day a response arrived, which the
/// server checks); delete only before it opens.
fn correct_form(app: App, l: Lang, path: &str, today: Date, w: &WaveSummary) -> impl IntoView {
    let wid = w.wave.id.clone();
    let name = w.wave.label.get(l).to_string();
    let yesterday = Date::from_days_since_epoch(today.days_since_epoch() - 1);
    let rename = {
        let (path, wid) = (path.to_string(), wid.clone());
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let form = submitted_form(&e);
            let label = label_of(form_value(&form, "label"), form_value(&form, "label_cy"));
            let correction = WaveCorrection { label: Some(label), closes: None };
            let done =
                format!("{} {wid} {}", app.l().pick("Wave", "Ton"), app.l().pick("renamed.", "wedi'i hailenwi."));
            let path = path.clone();
            app.act(
                async move { api::send::<_, pulse_shared::Wave>("PATCH", &path, &correction).await.map(|_| ()) },
                done,
            );
        }
    };
    let close = {
        let (path, wid) = (path.to_string(), wid.clone());
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let closes = form_value(&submitted_form(&e), "closes");
            let done = format!(
                "{} {wid} {} {closes}.",
                app.l().pick("Wave", "Ton"),
                app.l().pick("now closes on", "bellach yn cau ar")
            );
            let path = path.clone();
            app.act(
                async move {
                    let correction = WaveCorrection { label: None, closes: Some(day("closes", &closes)?) };
                    api::send::<_, pulse_shared::Wave>("PATCH", &path, &correction).await.map(|_| ())
                },
                done,
            );
        }
    };
    let remove = {
        let (path, wid) = (path.to_string(), wid.clone());
        move |_| {
            let done = format!("{} {wid} {}", app.l().pick("Wave", "Ton"), app.l().pick("deleted.", "wedi'i dileu."));
            let path = path.clone();
            app.act(async move { api::send_only("DELETE", &path, Body::Empty).await }, done);
        }
    };
    let close_value = if w.state == WaveState::Open { yesterday.to_string() } else { w.wave.closes.to_string() };
    view! {
        <details>
            <summary>{l.pick("Correct this wave", "Cywiro'r don hon")}</summary>
            <form novalidate aria-label=format!("{} {name}", l.pick("Rename", "Ailenwi")) on:submit=rename>
                <label class="label" for=format!("rename-{wid}")>{l.pick("Name", "Enw")}</label>
                <input class="input" id=format!("rename-{wid}") name="label" value=w.wave.label.en.clone() />
                <label class="label" for=format!("rename-cy-{wid}")>{l.pick("Name in Welsh (optional)", "Enw yn Gymraeg (dewisol)")}</label>
                <input class="input" id=format!("rename-cy-{wid}") name="label_cy" value=w.wave.label.cy.clone().unwrap_or_default() />
                <button class="button button--secondary" type="submit">{l.pick("Rename wave", "Ailenwi'r don")}</button>
            </form>
            {(w.state != WaveState::Upcoming).then(|| view! {
                <form novalidate aria-label=format!("{} {name} {}", l.pick("Close", "Cau"), l.pick("early", "yn gynnar")) on:submit=close>
                    <label class="label" for=format!("close-{wid}")>{l.pick("New last day", "Diwrnod olaf newydd")}</label>
                    <p class="hint" id=format!("close-hint-{wid}")>{format!("{} ({yesterday}) {}",
                        l.pick("Yesterday", "Mae ddoe"),
                        l.pick("closes it now. It cannot close before a day a response arrived in it.",
                            "yn ei chau nawr. Ni all gau cyn diwrnod y cyrhaeddodd ymateb ynddi."))}</p>
                    <input class="input input--short" id=format!("close-{wid}") name="closes" type="date" value=close_value
                        aria-describedby=format!("close-hint-{wid}") />
                    <button class="button button--secondary" type="submit">{l.pick("Close early", "Cau'n gynnar")}</button>
                </form>
            })}
            // Nothing can be lost: a wave that has not opened holds no responses.
            {(w.state == WaveState::Upcoming).then(|| view! {
                <button class="button button--warning" type="button" on:click=remove>{l.pick("Delete wave", "Dileu'r don")}</button>
            })}
        </details>
    }
}
