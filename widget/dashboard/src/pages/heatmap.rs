//! Contexts by item at a glance: each context's NHS scores and favourable shares beside the whole
//! organisation's, marked better or worse only where the difference is clear
//! ([`pulse_shared::heatmap`]), sortable by any item. The board pack draws the same table.

use leptos::prelude::*;
use pulse_shared::heatmap::{heatmap, HeatCell, Heatmap};
use pulse_shared::reference::References;
use pulse_shared::results::{column_name, SurveyResults};
use pulse_shared::trend::Tone;
use pulse_shared::Lang;

use super::{back_to_results, title};
use crate::api::{self, survey_path, Fail};
use crate::shell::App;
use crate::words::{decimal, figure};

pub struct Data {
    survey: String,
    results: SurveyResults,
    references: References,
    /// The admin may record reference figures.
    may_refer: bool,
}

/// The results a selection names (as the results page reads them): all, one version or one wave.
pub async fn results(survey: &str, selection: Option<&str>, lang: Lang) -> Result<SurveyResults, Fail> {
    let query = match selection {
        Some(s) if s.starts_with("w:") => format!("?wave={}&", api::enc(&s[2..])),
        Some(v) if v != "all" => format!("?version={}&", api::enc(v)),
        _ => "?".to_string(),
    } + &format!("lang={}", lang.code());
    api::get(&survey_path(survey, &format!("/results{query}"))).await
}

/// A survey's reference figures: published elsewhere, set beside its heatmap.
pub async fn references(survey: &str) -> Result<References, Fail> {
    api::get(&survey_path(survey, "/references")).await
}

pub async fn load(app: App, survey: String, selection: Option<String>) -> Result<Data, Fail> {
    let results = results(&survey, selection.as_deref(), app.l()).await?;
    let references = references(&survey).await?;
    Ok(Data { survey, results, references, may_refer: app.may(&[pulse_shared::Role::Analyst]) })
}

pub fn view(l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let r = &data.results;
    let map = std::sync::Arc::new(heatmap(r, l).with_references(&data.references.references));
    let refer = format!("#/references/{}", api::enc(&data.survey));
    view! {
        {back_to_results(l, &data.survey)}
        {title(format!("{}: {}", l.pick("Heatmap", "Map gwres"), r.title))}
        {r.wave.as_ref().map(|w| view! { <p class="lede">{w.label.clone()}</p> })}
        {table(l, map, r.hidden_label.to_string(), true)}
        {data.may_refer.then(|| view! {
            <p><a href=refer>{l.pick("Reference figures: national or peer-group figures to set beside yours", "Ffigurau cyfeirio: ffigurau cenedlaethol neu grŵp cymheiriaid i'w gosod wrth ymyl eich rhai chi")}</a></p>
        })}
    }
}

/// A cell's words: its figure, whether it is better or worse than the organisation's when that is
/// clear (so colour is never the only cue), and the difference with its interval (or why it is
/// hidden).
fn cell_text(cell: &HeatCell, measure: &str, hidden: &str, l: Lang) -> [String; 5] {
    let Some(value) = cell.value else {
        let why = cell.hidden.as_ref().map(|s| s.to_string()).unwrap_or_default();
        // The reason stays in print, as the difference does not.
        return [hidden.to_string(), "heat--hidden".into(), String::new(), why, String::new()];
    };
    let unit = if measure == "share" { "%" } else { "" };
    // In print the arrow stands for the word (the legend says which), to keep each row one line.
    let (class, arrow, word) = match cell.tone {
        Some(Tone::Better) => ("heat--better", "▲", l.pick(" better", " gwell")),
        Some(Tone::Worse) => ("heat--worse", "▼", l.pick(" worse", " gwaeth")),
        _ => ("heat--same", "", ""),
    };
    let detail = match (cell.difference, cell.low, cell.high) {
        (Some(d), Some(lo), Some(hi)) => {
            format!("{d:+} ({} {lo:+} {} {hi:+})", l.pick("95% interval", "cyfwng 95%"), l.pick("to", "i"))
        }
        _ => String::new(),
    };
    [format!("{}{unit}", decimal(value)), class.into(), arrow.into(), word.into(), detail]
}

/// The heatmap as a table: a row per context, a column per item, the organisation's figures first.
/// With `sortable`, each item's heading sorts the contexts by it.
pub fn table(l: Lang, map: std::sync::Arc<Heatmap>, hidden: String, sortable: bool) -> impl IntoView {
    let order = RwSignal::new((0..map.rows.len()).collect::<Vec<usize>>());
    let sorted_by = RwSignal::new(None::<usize>);
    let sort = {
        let map = map.clone();
        move |item: usize| {
            let key = |row: usize| map.rows[row].cells[item].value.unwrap_or(f64::NEG_INFINITY);
            let mut rows: Vec<usize> = (0..map.rows.len()).collect();
            rows.sort_by(|a, b| key(*b).total_cmp(&key(*a)));
            order.set(rows);
            sorted_by.set(Some(item));
        }
    };
    let heads = map
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let sort = sort.clone();
            let aria = move || if sorted_by.get() == Some(i) { "descending" } else { "none" };
            let label = item.label.clone();
            if sortable {
                view! {
                    <th scope="col" aria-sort=aria>
                        <button class="link-button" type="button" on:click=move |_| sort(i)>{label}</button>
                    </th>
                }
                .into_any()
            } else {
                view! { <th scope="col">{label}</th> }.into_any()
            }
        })
        .collect_view();
    let has_all = map.items.iter().any(|item| item.all.is_some());
    // Figures published elsewhere: beside the organisation's, never compared or coloured.
    let references = map
        .references
        .iter()
        .map(|reference| {
            let cells = reference
                .values
                .iter()
                .zip(&map.items)
                .map(|(value, item)| {
                    let unit = if item.measure == "share" { "%" } else { "" };
                    view! { <td class="num">{value.map_or_else(|| "–".to_string(), |v| format!("{}{unit}", decimal(v)))}</td> }
                })
                .collect_view();
            view! {
                <tr class="heat__reference">
                    <th scope="row">{format!("{} {} ({})", l.pick("Reference:", "Cyfeirnod:"), reference.source, reference.year)}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let has_references = !map.references.is_empty();
    let everyone = map
        .items
        .iter()
        .map(|item| {
            let unit = if item.measure == "share" { "%" } else { "" };
            view! { <td class="num">{item.all.map_or_else(|| hidden.clone(), |v| format!("{}{unit}", decimal(v)))}</td> }
        })
        .collect_view();
    let rows = {
        let map = map.clone();
        move || {
            order
                .get()
                .into_iter()
                .map(|i| {
                    let row = &map.rows[i];
                    // A context hidden throughout says so once, across the row.
                    if row.cells.iter().all(|c| c.value.is_none()) {
                        let why = row.cells.first().and_then(|c| c.hidden.as_ref()).map(|s| s.to_string()).unwrap_or_default();
                        return view! {
                            <tr class:heat__division=row.division>
                                <th scope="row">{column_name(&row.label, row.division, l)}</th>
                                <td class="heat heat--hidden" colspan=map.items.len().to_string()>
                                    <span class="heat__value">{hidden.clone()}</span>" "<span class="heat__mark">{why}</span>
                                </td>
                            </tr>
                        }
                        .into_any();
                    }
                    let cells = row
                        .cells
                        .iter()
                        .zip(&map.items)
                        .map(|(cell, item)| {
                            let [text, class, arrow, word, detail] = cell_text(cell, &item.measure, &hidden, l);
                            view! {
                                <td class=format!("num heat {class}")>
                                    <span class="heat__value">{text}</span>
                                    <span class="heat__mark">{arrow}<span class="heat__word">{word}</span></span>
                                    <span class="heat__detail">{detail}</span>
                                </td>
                            }
                        })
                        .collect_view();
                    view! {
                        <tr class:heat__division=row.division>
                            <th scope="row">{column_name(&row.label, row.division, l)}<span class="heat__detail">{figure(row.responses, &hidden)}" "{l.pick("responses", "ymateb")}</span></th>
                            {cells}
                        </tr>
                    }
                    .into_any()
                })
                .collect_view()
        }
    };
    view! {
        <p class="hint">{map.note.clone().into_lang(l)}</p>
        <ul class="legend">
            <li class="heat-key heat--better">{l.pick("▲ better than the organisation: the difference is clear", "▲ gwell na'r sefydliad: mae'r gwahaniaeth yn glir")}</li>
            <li class="heat-key heat--worse">{l.pick("▼ worse than the organisation: the difference is clear", "▼ gwaeth na'r sefydliad: mae'r gwahaniaeth yn glir")}</li>
            <li class="heat-key heat--same">{l.pick("no clear difference", "dim gwahaniaeth clir")}</li>
            {has_references.then(|| view! {
                <li class="heat-key heat-key--reference">{l.pick("Reference: a figure published elsewhere, for comparison only; not one of yours, and never compared or coloured",
                    "Cyfeirnod: ffigur a gyhoeddwyd mewn man arall, er cymhariaeth yn unig; nid un o'ch rhai chi, ac nis cymherir na'i liwio byth")}</li>
            })}
        </ul>
        // Wider than a narrow screen: it scrolls, and so can be reached and scrolled by keyboard.
        <div class="heat-scroll" tabindex="0" role="region" aria-label=l.pick("Heatmap, scrolls sideways", "Map gwres, yn sgrolio i'r ochr")>
            <table class="heatmap">
                <caption class="visually-hidden">{l.pick("Each context against the whole organisation, item by item", "Pob cyd-destun yn erbyn y sefydliad cyfan, eitem wrth eitem")}</caption>
                <thead><tr><th scope="col">{l.pick("Context", "Cyd-destun")}</th>{heads}</tr></thead>
                <tbody>
                    // A viewer has no figure for everyone, and so no row for it.
                    {has_all.then(|| view! { <tr class="heat__all"><th scope="row">{l.pick("Whole organisation", "Y sefydliad cyfan")}</th>{everyone}</tr> })}
                    {references}
                    {rows}
                </tbody>
            </table>
        </div>
    }
}
