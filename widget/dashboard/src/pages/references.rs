//! Reference figures: an admin types in figures published elsewhere (the NHS Staff Survey's
//! national average, a peer group's), each for one of the heatmap's items, with its source and
//! year. The heatmap and the board pack set them beside the organisation's own, marked as such.

use leptos::prelude::*;
use pulse_shared::heatmap::{heatmap, HeatItem};
use pulse_shared::reference::{Reference, References};
use pulse_shared::Lang;
use wasm_bindgen::JsCast;

use super::{flash, problems, title};
use crate::api::{self, survey_path, Fail};
use crate::shell::{App, Flash};

pub struct Data {
    survey: String,
    title: String,
    /// What a figure may be for: the heatmap's items, with their labels in the admin's language.
    items: Vec<HeatItem>,
    references: References,
    flash: Flash,
}

pub async fn load(app: App, survey: String, flash: Flash) -> Result<Data, Fail> {
    let results = super::heatmap::results(&survey, None, app.l()).await?;
    let references = super::heatmap::references(&survey).await?;
    let items = heatmap(&results, app.l()).items;
    Ok(Data { survey, title: results.title, items, references, flash })
}

pub fn view(app: App, l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let refusal = RwSignal::new(None::<Fail>);
    let next_key = StoredValue::new(data.references.references.len());
    let rows = RwSignal::new(data.references.references.iter().cloned().enumerate().collect::<Vec<_>>());
    let items = data.items.clone();
    let row = move |key: usize, r: Reference| {
        let id = |name: &str| format!("ref-{key}-{name}");
        let options = items
            .iter()
            .map(|i| {
                let unit = if i.measure == "share" { l.pick(" (%)", " (%)") } else { "" };
                view! { <option value=i.id.clone() selected=i.id == r.item>{format!("{}{unit}", i.label)}</option> }
            })
            .collect_view();
        let value = if r.item.is_empty() { String::new() } else { r.value.to_string() };
        view! {
            <li class="card reference-edit">
                <label class="label" for=id("item")>{l.pick("Figure for", "Ffigur ar gyfer")}</label>
                <select class="input" id=id("item") data-name="item">{options}</select>
                <label class="label" for=id("value")>{l.pick("Value (0 to 10 for a score, a percentage for a share)", "Gwerth (0 i 10 ar gyfer sgôr, canran ar gyfer cyfran)")}</label>
                <input class="input input--short" type="text" inputmode="decimal" id=id("value") data-name="value" value=value />
                <label class="label" for=id("source")>{l.pick("Source (who published it, and of whom)", "Ffynhonnell (pwy a'i cyhoeddodd, ac am bwy)")}</label>
                <input class="input" type="text" id=id("source") data-name="source" value=r.source.clone() />
                <label class="label" for=id("year")>{l.pick("Year", "Blwyddyn")}</label>
                <input class="input input--short" type="text" inputmode="numeric" id=id("year") data-name="year"
                    value=if r.year == 0 { String::new() } else { r.year.to_string() } />
                <button class="button button--secondary" type="button" on:click=move |_| rows.update(|rs| rs.retain(|(k, _)| *k != key))>
                    {l.pick("Remove this figure", "Dileu'r ffigur hwn")}</button>
            </li>
        }
    };
    let path = survey_path(&data.survey, "/references");
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let form = super::submitted_form(&e);
        let saved = (
            "Saved. The heatmap and the board pack show them beside your figures.",
            "Wedi'i gadw. Mae'r map gwres a'r adroddiad bwrdd yn eu dangos wrth ymyl eich ffigurau.",
        );
        match read(&form, l) {
            Ok(references) => super::save(app, path.clone(), references, saved, refusal),
            Err(fail) => super::refused(refusal, fail),
        }
    };
    let has_items = !data.items.is_empty();
    let heatmap_link = format!("#/heatmap/{}/all", api::enc(&data.survey));
    view! {
        <p><a href=heatmap_link>{l.pick("Back to the heatmap", "Yn ôl i'r map gwres")}</a></p>
        {title(format!("{}: {}", l.pick("Reference figures", "Ffigurau cyfeirio"), data.title))}
        <div>{move || refusal.get().map(|f| problems(l, &f))}</div>
        {flash(l, &data.flash)}
        <p>{l.pick(
            "Figures published elsewhere, such as the NHS Staff Survey's national average or your peer group's, to read beside your own. They are shown as references, in their own rows, and are never compared with, coloured like or added into your results.",
            "Ffigurau a gyhoeddwyd mewn man arall, fel cyfartaledd cenedlaethol Arolwg Staff y GIG neu un eich grŵp cymheiriaid, i'w darllen wrth ymyl eich rhai chi. Fe'u dangosir fel cyfeirnodau, yn eu rhesi eu hunain, ac ni chânt byth eu cymharu â'ch canlyniadau, eu lliwio fel nhw na'u hadio atynt.")}</p>
        {match has_items {
            false => view! { <p class="card">{l.pick("Reference figures can be set once the survey has results to set them beside.", "Gellir gosod ffigurau cyfeirio unwaith y bydd gan yr arolwg ganlyniadau i'w gosod wrth eu hymyl.")}</p> }.into_any(),
            true => view! {
                <form novalidate on:submit=submit>
                    <ol class="plain">
                        <For each=move || rows.get() key=|(k, _)| *k children=move |(k, r)| row(k, r) />
                    </ol>
                    <p><button class="button button--secondary" type="button" id="add-reference" on:click=move |_| {
                        let key = next_key.get_value();
                        next_key.set_value(key + 1);
                        // Empty, so the admin types each part; the first item is chosen until they pick one.
                        let blank = Reference { item: String::new(), value: 0.0, source: String::new(), year: 0 };
                        rows.update(|rs| rs.push((key, blank)));
                    }>{l.pick("Add a figure", "Ychwanegu ffigur")}</button></p>
                    <button class="button" type="submit">{l.pick("Save reference figures", "Cadw'r ffigurau cyfeirio")}</button>
                </form>
            }.into_any(),
        }}
    }
}

/// The figures the form holds, or what the admin must put right (a value or year that is not a
/// number); the server checks everything else.
fn read(form: &web_sys::HtmlFormElement, l: Lang) -> Result<References, Fail> {
    let items: Vec<web_sys::Element> = form
        .query_selector_all(".reference-edit")
        .map(|list| (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect())
        .unwrap_or_default();
    let mut references = Vec::new();
    let mut details = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = |name: &str| -> String {
            let el = item.query_selector(&format!("[data-name={name}]")).ok().flatten();
            match el {
                Some(el) => match el.dyn_ref::<web_sys::HtmlSelectElement>() {
                    Some(select) => select.value(),
                    None => el.dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default(),
                },
                None => String::new(),
            }
        };
        let n = i + 1;
        let value = field("value").trim().replace(',', ".").trim_end_matches('%').parse::<f64>();
        let year = field("year").trim().parse::<u16>();
        let mut wrong = |words: &str| details.push(format!("{} {n}: {words}", l.pick("Figure", "Ffigur")));
        if value.is_err() {
            wrong(l.pick(
                "the value must be a number, like 6.8 or 71.5",
                "rhaid i'r gwerth fod yn rhif, fel 6.8 neu 71.5",
            ));
        }
        if year.is_err() {
            wrong(l.pick("the year must be a year, like 2025", "rhaid i'r flwyddyn fod yn flwyddyn, fel 2025"));
        }
        if let (Ok(value), Ok(year)) = (value, year) {
            references.push(Reference { item: field("item"), value, source: field("source"), year });
        }
    }
    match details.is_empty() {
        true => Ok(References { references }),
        false => Err(Fail::Refused {
            message: l.pick("Some figures are not numbers.", "Nid yw rhai ffigurau yn rhifau.").into(),
            details,
        }),
    }
}
