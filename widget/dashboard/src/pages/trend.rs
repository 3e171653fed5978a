//! How each answer moved across waves: for everyone or one context, each series as a small chart,
//! a sentence and a table, with each wave's responses and response rate.

use leptos::either::Either;
use leptos::prelude::*;
use pulse_shared::trend::{Change, SurveyTrend, TrendLine, TrendSeries};
use pulse_shared::Lang;

use super::{back_to_results, title};
use crate::api::{self, survey_path, Fail};
use crate::charts;
use crate::words::{decimal, figure, number};

pub struct Data {
    survey: String,
    trend: SurveyTrend,
}

pub async fn load(survey: String, lang: Lang) -> Result<Data, Fail> {
    let trend = api::get(&survey_path(&survey, &format!("/trend?lang={}", lang.code()))).await?;
    Ok(Data { survey, trend })
}

/// A change in words: its direction and, where the question names positive answers, whether it is
/// better or worse.
fn change_words(c: &Change, l: Lang) -> String {
    c.marked_in(l)
}

pub fn view(l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let t = &data.trend;
    let head = view! {
        {back_to_results(l, &data.survey)}
        {title(format!("{}: {}", l.pick("Trend", "Tuedd"), t.title))}
        <p class="hint">{t.note.to_string()}</p>
    };
    if t.waves.is_empty() {
        return Either::Left(view! {
            {head}
            <p><a href=format!("#/waves/{}", api::enc(&data.survey))>{l.pick("Add a wave", "Ychwanegu ton")}</a></p>
        });
    }
    let column = RwSignal::new(t.columns.first().map_or_else(|| "all".to_string(), |c| c.id.clone()));
    let columns = t.columns.clone();
    let shown = data.clone();
    let body = move || {
        let column = column.get();
        let t = &shown.trend;
        let waves: Vec<String> = t.waves.iter().map(|w| w.label.clone()).collect();
        let label = t.columns.iter().find(|c| c.id == column).map(|c| c.name(l)).unwrap_or_default();
        let participation = t.participation.iter().find(|p| p.column == column).map(|p| {
            p.waves
                .iter()
                .zip(&waves)
                .map(|(p, wave)| {
                    let rate = p.hidden.as_deref().or(p.rate.rate_problem.as_deref()).map_or_else(
                        || p.rate.rate.map(|r| format!("{}%", decimal(r))).unwrap_or_default(),
                        str::to_string,
                    );
                    view! {
                        <tr>
                            <th scope="row">{wave.clone()}</th>
                            <td class="num">{figure(p.responses, &t.hidden_label)}</td>
                            <td class="num">{p.rate.headcount.filter(|&h| h > 0).map(number).unwrap_or_default()}</td>
                            <td>{rate}</td>
                        </tr>
                    }
                })
                .collect_view()
        });
        let questions = t
            .questions
            .iter()
            .map(|q| {
                let id = format!("t-{}", q.id);
                let labelled_by = id.clone();
                let lines = q
                    .lines
                    .iter()
                    .filter_map(|line| line.series.iter().find(|s| s.column == column).map(|s| (line, s)))
                    .map(|(line, series)| multiple(l, line, series, &waves, &t.hidden_label))
                    .collect_view();
                view! {
                    <section class="card" aria-labelledby=labelled_by>
                        <h2 id=id>{q.prompt.clone()}</h2>
                        <ul class="multiples">{lines}</ul>
                    </section>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="participation-title">
                <h2 id="participation-title">{format!("{}: {label}", l.pick("Responses and response rates", "Ymatebion a chyfraddau ymateb"))}</h2>
                <table>
                    <thead><tr>
                        <th scope="col">{l.pick("Wave", "Ton")}</th>
                        <th scope="col">{l.pick("Responses", "Ymatebion")}</th>
                        <th scope="col">{l.pick("Headcount", "Nifer staff")}</th>
                        <th scope="col">{l.pick("Response rate", "Cyfradd ymateb")}</th>
                    </tr></thead>
                    <tbody>{participation}</tbody>
                </table>
            </section>
            {(!t.scores.is_empty()).then(|| {
                let lines = t
                    .scores
                    .iter()
                    .filter_map(|line| line.series.iter().find(|s| s.column == column).map(|s| (line, s)))
                    .map(|(line, series)| multiple(l, line, series, &waves, &t.hidden_label))
                    .collect_view();
                view! {
                    <section class="card" aria-labelledby="t-scores">
                        <h2 id="t-scores">{l.pick("NHS Staff Survey engagement scores (0 to 10)", "Sgoriau ymgysylltu Arolwg Staff y GIG (0 i 10)")}</h2>
                        <ul class="multiples">{lines}</ul>
                    </section>
                }
            })}
            {questions}
        }
    };
    Either::Right(view! {
        {head}
        <div class="toolbar">
            <div>
                <label class="label" for="trend-context">{l.pick("Show the trend for", "Dangos y duedd ar gyfer")}</label>
                <select class="select" id="trend-context" on:change=move |e| column.set(event_target_value(&e))>
                    {columns.iter().map(|c| view! { <option value=c.id.clone() selected=c.id == column.get_untracked()>{c.name(l)}</option> }).collect_view()}
                </select>
            </div>
        </div>
        {body}
    })
}

/// One series: its latest change, its chart, its sentence and its table.
fn multiple(l: Lang, line: &TrendLine, series: &TrendSeries, waves: &[String], hidden: &str) -> impl IntoView {
    let last = series.points.iter().rev().find(|p| p.value.is_some());
    let change = last.and_then(|p| p.change.as_ref());
    let tone = change.map_or("neutral", |c| c.tone.name());
    let unit = if line.measure == "share" { "%" } else { "" };
    let rows = series
        .points
        .iter()
        .zip(waves)
        .map(|(p, wave)| {
            let value = p.value.map_or_else(|| hidden.to_string(), |v| format!("{}{unit}", decimal(v)));
            let interval = match (p.low, p.high) {
                (Some(lo), Some(hi)) => format!("{}{unit} {} {}{unit}", decimal(lo), l.pick("to", "i"), decimal(hi)),
                _ => String::new(),
            };
            let count = match (p.count, p.of) {
                (Some(c), Some(of)) => format!("{} {} {}", number(c), l.pick("of", "o"), number(of)),
                (None, Some(of)) => format!("{} {}", number(of), l.pick("people", "o bobl")),
                _ => String::new(),
            };
            let change = p.hidden.as_deref().map(str::to_string).unwrap_or_else(|| {
                p.change
                    .as_ref()
                    .map(|c| {
                        format!(
                            "{} ({}{}, {} {} {} {})",
                            change_words(c, l),
                            if c.difference > 0.0 { "+" } else { "" },
                            decimal(c.difference),
                            l.pick("95% interval", "cyfwng 95%"),
                            decimal(c.low),
                            l.pick("to", "i"),
                            decimal(c.high)
                        )
                    })
                    .unwrap_or_default()
            });
            view! {
                <tr>
                    <th scope="row">{wave.clone()}</th>
                    <td class="num">{value}</td>
                    <td class="num">{interval}</td>
                    <td class="num">{count}</td>
                    <td>{change}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <li class="multiple">
            <h3>{line.label.clone()}</h3>
            <p class=format!("change change--{tone}")>{change.map(|c| change_words(c, l)).unwrap_or_default()}</p>
            {charts::trend(line, series, waves, hidden)}
            <p class="hint trend-summary">{series.summary.clone()}</p>
            <details>
                <summary>{l.pick("Show as a table", "Dangos fel tabl")}</summary>
                <table>
                    <caption class="visually-hidden">{format!("{}: {}", line.label, l.pick("by wave", "fesul ton"))}</caption>
                    <thead><tr>
                        <th scope="col">{l.pick("Wave", "Ton")}</th>
                        <th scope="col">{if line.measure == "mean" { l.pick("Mean", "Cymedr") } else { l.pick("Share", "Cyfran") }}</th>
                        <th scope="col">{l.pick("95% interval", "Cyfwng 95%")}</th>
                        <th scope="col">{l.pick("Count", "Nifer")}</th>
                        <th scope="col">{l.pick("Change since previous wave", "Newid ers y don flaenorol")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </li>
    }
}
