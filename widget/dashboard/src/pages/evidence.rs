//! One NHS value's evidence: its figures by context, their trend and its approved stories, laid out
//! as the board pack is (a first page with the organisation, the date and a summary, then a page
//! per section, numbered in print) to print on A4.

use leptos::either::Either;
use leptos::prelude::*;
use pulse_shared::evidence::{EvidenceFigure, ValueEvidence};
use pulse_shared::{Lang, NhsValue};

use super::title;
use crate::api::{self, survey_path, Fail};
use crate::words::{decimal, number};

pub struct Data {
    survey: String,
    organisation: String,
    pack: ValueEvidence,
}

pub async fn load(survey: String, value: String, lang: Lang) -> Result<Data, Fail> {
    let path = format!("/evidence/{}?lang={}", api::enc(&value), lang.code());
    let pack = api::get(&survey_path(&survey, &path)).await?;
    let organisation = super::pack::organisation().await?;
    Ok(Data { survey, organisation, pack })
}

pub fn view(l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let p = &data.pack;
    let enc = api::enc(&data.survey);
    let nav = NhsValue::ALL
        .iter()
        .map(|v| {
            let href = format!("#/evidence/{enc}/{}", v.id());
            let label = v.label_in(l);
            if v.id() == p.value {
                Either::Left(view! { <li><a href=href aria-current="page"><strong>{label}</strong></a></li> })
            } else {
                Either::Right(view! { <li><a href=href>{label}</a></li> })
            }
        })
        .collect_view();
    let value = NhsValue::from_id(&p.value);
    let label = value.map_or_else(|| p.label.clone(), |v| v.label_in(l).to_string());
    let survey = data.survey.clone();
    let download = move |_| {
        let path = survey_path(&survey, "/evidence.xlsx");
        let name = format!("{survey}-values-evidence.xlsx");
        leptos::task::spawn_local(async move {
            let _ = api::download(&path, &name).await;
        });
    };
    // As in the board pack, a section with nothing in it is left out (so no page is near blank),
    // and the first page says so.
    let missing: Vec<&str> = [
        (
            p.figures.is_empty(),
            l.pick(
                "No question of this survey asks about this value.",
                "Nid oes cwestiwn yn yr arolwg hwn yn holi am y gwerth hwn.",
            ),
        ),
        (
            p.stories.is_empty(),
            l.pick(
                "No approved story is tagged with this value yet.",
                "Nid oes stori wedi'i chymeradwyo wedi'i thagio â'r gwerth hwn eto.",
            ),
        ),
    ]
    .into_iter()
    .filter_map(|(empty, words)| empty.then_some(words))
    .collect();
    let figures = (!p.figures.is_empty()).then(|| {
        view! {
            <section class="pack-page" aria-labelledby="evidence-figures">
                <h2 id="evidence-figures">{l.pick("What the survey says", "Beth mae'r arolwg yn ei ddweud")}</h2>
                {p.figures.iter().map(|f| figure(l, p, f)).collect_view()}
            </section>
        }
    });
    let stories = (!p.stories.is_empty()).then(|| {
        view! {
            <section class="pack-page" aria-labelledby="evidence-stories">
                <h2 id="evidence-stories">{format!("{} ({})", l.pick("Values in action: approved stories", "Gwerthoedd ar waith: straeon wedi'u cymeradwyo"), p.stories.len())}</h2>
                <ul class="queue">
                    {p.stories.iter().map(|s| view! {
                        <li class="card">
                            {(!s.text.is_empty()).then(|| view! { <blockquote>{s.text.clone()}</blockquote> })}
                            {s.media.as_ref().map(|m| view! {
                                <p>{l.pick("Photo or video: ", "Llun neu fideo: ")}
                                    <a href=m.link.clone() rel="noopener noreferrer">{if m.caption.is_empty() { m.link.clone() } else { m.caption.clone() }}</a>
                                    <span class="print-only">{format!(" ({})", m.link)}</span></p>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let responses = p.responses.map_or_else(|| format!("{} {}", l.pick("fewer than", "llai na"), p.k), number);
    // The first page's summary: each figure for everyone (or a viewer's first context), and how
    // many stories there are.
    let hidden = pulse_shared::publish::hidden_label().into_lang(l);
    let headline = p
        .figures
        .iter()
        .filter_map(|f| {
            let cell = f.cells.first()?;
            let value = cell.percent.map_or_else(|| hidden.to_string(), |x| format!("{}%", decimal(x)));
            let whose = p.columns.iter().find(|c| c.id == cell.column).map(|c| c.name(l)).unwrap_or_default();
            Some(view! { <div class="figure"><span class="figure__value">{value}</span>{f.label.clone()}<span class="score">{whose}</span></div> })
        })
        .collect_view();
    view! {
        <div class="pack">
            <p class="no-print"><a href=format!("#/surveys/{enc}")>{l.pick("Back to the results", "Yn ôl i'r canlyniadau")}</a></p>
            <nav class="no-print" aria-label=l.pick("NHS values", "Gwerthoedd y GIG")><ul class="links">{nav}</ul></nav>
            <p class="no-print">
                <button class="button" type="button" on:click=|_| { let _ = web_sys::window().expect("a window").print(); }>
                    {l.pick("Print or save as PDF", "Argraffu neu gadw fel PDF")}</button>" "
                <button class="button button--secondary" type="button" on:click=download>
                    {l.pick("Download XLSX (a sheet per value)", "Lawrlwytho XLSX (dalen i bob gwerth)")}</button>
            </p>
            <section class="pack-page pack-cover" aria-labelledby="evidence-summary">
                <p class="pack-org">{data.organisation.clone()}</p>
                {title(format!("{label}: {}", l.pick("values evidence", "tystiolaeth gwerthoedd")))}
                <p class="lede">{format!("{} · {} {}", p.title, l.pick("prepared on", "paratowyd ar"), super::pack::today())}</p>
                <p><q lang="en">{p.description.clone()}</q>{l.pick(" (NHS Constitution)", " (Cyfansoddiad y GIG, yn Saesneg)")}</p>
                <h2 id="evidence-summary">{l.pick("Summary", "Crynodeb")}</h2>
                <div class="summary-figures">
                    <div class="figure"><span class="figure__value">{responses}</span>{l.pick("responses in the groups shown", "ymateb yn y grwpiau a ddangosir")}</div>
                    {headline}
                    <div class="figure"><span class="figure__value">{number(p.stories.len() as u64)}</span>{l.pick("approved stories tagged with this value", "stori wedi'u cymeradwyo wedi'u tagio â'r gwerth hwn")}</div>
                </div>
                {missing.into_iter().map(|words| view! { <p>{words}</p> }).collect_view()}
                <p class="hint">{p.note.clone()}</p>
            </section>
            {figures}
            {stories}
        </div>
    }
}

fn figure(l: Lang, p: &ValueEvidence, f: &EvidenceFigure) -> impl IntoView {
    let column = |c: &str| p.columns.iter().find(|x| x.id == c).map_or_else(|| c.to_string(), |x| x.name(l));
    let wave_label = |w: &str| p.waves.iter().find(|x| x.id == w).map_or_else(|| w.to_string(), |x| x.label.clone());
    let hidden = pulse_shared::publish::hidden_label().into_lang(l);
    let cells = f
        .cells
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{column(&c.column)}</th>
                    <td>{c.percent.map_or_else(|| hidden.to_string(), |x| format!("{}%", decimal(x)))}</td>
                    <td>{match (c.count, c.of) { (Some(n), Some(of)) => format!("{} {} {}", number(n), l.pick("of", "o"), number(of)), _ => String::new() }}</td>
                    <td>{c.hidden.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let trend = f.trend.as_ref().map(|t| {
        let summary = t.series.iter().find(|s| s.column == "all").map(|s| s.summary.clone()).unwrap_or_default();
        view! {
            <p>{summary}</p>
            <table>
                <caption>{format!("{}: {}", f.label, l.pick("by wave", "fesul ton"))}</caption>
                <thead><tr>
                    <th scope="col">{l.pick("Context", "Cyd-destun")}</th>
                    {p.waves.iter().map(|w| view! { <th scope="col">{w.label.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>{t.series.iter().map(|s| view! {
                    <tr>
                        <th scope="row">{column(&s.column)}</th>
                        {s.points.iter().map(|pt| view! {
                            <td>{pt.value.map_or_else(|| hidden.to_string(), |v| format!("{}%{}", decimal(v),
                                pt.change.as_ref().map(|c| format!(" ({} {} {})", c.direction.words_in(l), l.pick("since", "ers"), wave_label(&c.since))).unwrap_or_default()))}</td>
                        }).collect_view()}
                    </tr>
                }).collect_view()}</tbody>
            </table>
        }
    });
    view! {
        <section class="card evidence-figure">
            <h3>{f.label.clone()}</h3>
            <p class="hint">{f.prompt.clone()}</p>
            <table>
                <caption class="visually-hidden">{format!("{}, {}", f.label, l.pick("by context", "fesul cyd-destun"))}</caption>
                <thead><tr>
                    <th scope="col">{l.pick("Context", "Cyd-destun")}</th>
                    <th scope="col">{l.pick("Percent", "Canran")}</th>
                    <th scope="col">{l.pick("Count", "Nifer")}</th>
                    <th scope="col">{l.pick("Hidden because", "Wedi'i guddio oherwydd")}</th>
                </tr></thead>
                <tbody>{cells}</tbody>
            </table>
            {trend}
        </section>
    }
}
