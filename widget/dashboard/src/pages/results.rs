//! A survey's results: all waves, one wave or one version, for everyone or one context, as charts
//! with their tables, the response rates of a wave, the downloads and the stories.

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use pulse_shared::admin::{Story, SurveySummary, WaveList, WaveState};
use pulse_shared::results::{QuestionResults, SurveyResults};
use pulse_shared::{Lang, Role, Sentence};

use super::title;
use crate::api::{self, survey_path, Fail};
use crate::charts;
use crate::shell::{go, App};
use crate::words::{decimal, figure, number};

pub struct Data {
    survey: String,
    /// What the address chose: `None` for all, a version number, or `w:` and a wave id.
    selection: Option<String>,
    results: SurveyResults,
    summary: Option<SurveySummary>,
    waves: WaveList,
    stories: Vec<Story>,
}

pub async fn load(app: App, survey: String, selection: Option<String>) -> Result<Data, Fail> {
    let wave = selection.as_deref().and_then(|s| s.strip_prefix("w:"));
    // The survey's own words in the dashboard's language; ids and figures are the same in both.
    let query = match (wave, selection.as_deref()) {
        (Some(w), _) => format!("?wave={}&", api::enc(w)),
        (None, Some(v)) if v != "all" => format!("?version={}&", api::enc(v)),
        _ => "?".to_string(),
    } + &format!("lang={}", app.l().code());
    let results: SurveyResults = api::get(&survey_path(&survey, &format!("/results{query}"))).await?;
    let surveys: Vec<SurveySummary> = api::get("/api/v1/surveys").await?;
    let waves: WaveList = api::get(&survey_path(&survey, "/waves")).await?;
    // A viewer reads their contexts' results only, wave by wave too: no stories or trend of everyone.
    let stories =
        if app.may(&[Role::Analyst]) { api::get(&survey_path(&survey, "/stories")).await? } else { Vec::new() };
    let summary = surveys.into_iter().find(|s| s.id == survey);
    Ok(Data { survey, selection, results, summary, waves, stories })
}

pub fn view(app: App, l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let d = &*data;
    let r = &d.results;
    let id = d.survey.clone();
    let wave = d.selection.as_deref().and_then(|s| s.strip_prefix("w:")).map(str::to_string);
    let analyst = app.may(&[Role::Analyst]);
    // Viewers read the trend, rates and evidence pack of their own contexts.
    let reader = app.may(&[Role::Analyst, Role::Viewer]);
    let enc = api::enc(&id);
    let selection = api::enc(d.selection.as_deref().unwrap_or("all"));

    // A viewer has no column for everyone: start on their first context.
    let first = if r.columns.iter().any(|c| c.id == "all") {
        "all".to_string()
    } else {
        r.columns.first().map_or_else(|| "all".to_string(), |c| c.id.clone())
    };
    let column = RwSignal::new(first);

    let wave_select = (!d.waves.waves.is_empty()).then(|| {
        let id = id.clone();
        let before = r.wave.as_ref().filter(|w| w.id == pulse_shared::BEFORE_WAVES).map(|w| w.label.clone());
        let options = d
            .waves
            .waves
            .iter()
            .map(|w| {
                let still = if w.state == WaveState::Open { l.pick(", still open", ", ar agor o hyd") } else { "" };
                let label = format!(
                    "{} ({} {} {}{still})",
                    w.wave.label.get(l),
                    w.wave.opens,
                    l.pick("to", "i"),
                    w.wave.closes
                );
                let selected = wave.as_deref() == Some(w.wave.id.as_str());
                view! { <option value=format!("w:{}", w.wave.id) selected=selected>{label}</option> }
            })
            .collect_view();
        view! {
            <div>
                <label class="label" for="wave">{l.pick("Wave", "Ton")}</label>
                <select class="select" id="wave" on:change=move |e| go(&format!("#/surveys/{}/{}", id, event_target_value(&e)))>
                    <option value="all" selected=wave.is_none()>{l.pick("All waves", "Pob ton")}</option>
                    {before.map(|label| view! { <option value="w:_before" selected=true>{label}</option> })}
                    {options}
                </select>
            </div>
        }
    });
    // One version is chosen only by its own address; a wave, or nothing, means all versions together.
    let chosen_version: Option<u32> =
        if wave.is_none() { d.selection.as_deref().and_then(|v| v.parse().ok()) } else { None };
    let version_select = d.summary.as_ref().filter(|s| s.versions.len() > 1).map(|s| {
        let id = id.clone();
        let options = s
            .versions
            .iter()
            .map(|&v| {
                view! { <option value=v.to_string() selected=chosen_version == Some(v)>{format!("{} {v}", l.pick("Version", "Fersiwn"))}</option> }
            })
            .collect_view();
        view! {
            <div>
                <label class="label" for="version">{l.pick("Version", "Fersiwn")}</label>
                <select class="select" id="version" on:change=move |e| go(&format!("#/surveys/{}/{}", id, event_target_value(&e)))>
                    <option value="all" selected=chosen_version.is_none()>{l.pick("All versions", "Pob fersiwn")}</option>
                    {options}
                </select>
            </div>
        }
    });

    let links = view! {
        <ul class="links">
            {reader.then(|| view! { <li><a href=format!("#/heatmap/{enc}/{selection}")>{l.pick("Heatmap: every context at a glance", "Map gwres: pob cyd-destun ar unwaith")}</a></li> })}
            {reader.then(|| view! { <li><a href=format!("#/pack/{enc}/{selection}")>{l.pick("Board pack to print or save as PDF", "Pecyn y bwrdd i'w argraffu neu ei gadw fel PDF")}</a></li> })}
            {reader.then(|| view! { <li><a href=format!("#/trend/{enc}")>{l.pick("Trend and response rates across waves", "Tuedd a chyfraddau ymateb ar draws tonnau")}</a></li> })}
            {reader.then(|| view! { <li><a href=format!("#/waves/{enc}")>{l.pick("Waves and headcounts", "Tonnau a niferoedd staff")}</a></li> })}
            {app.may(&[Role::Moderator]).then(|| view! { <li><a href=format!("#/moderation/{enc}")>{l.pick("Review stories for the showcase", "Adolygu straeon ar gyfer yr arddangosfa")}</a></li> })}
            {analyst.then(|| view! { <li><a href=format!("#/sharing/{enc}")>{l.pick("Share results with staff", "Rhannu canlyniadau gyda staff")}</a></li> })}
            {reader.then(|| view! { <li><a href=format!("#/evidence/{enc}/compassion")>{l.pick("Values evidence pack", "Pecyn tystiolaeth y gwerthoedd")}</a></li> })}
        </ul>
    };
    let head = view! {
        <p><a href="#/">{l.pick("All surveys", "Pob arolwg")}</a></p>
        {title(d.summary.as_ref().and_then(|s| (l == Lang::Cy).then(|| s.title_cy.clone()).flatten()).unwrap_or_else(|| r.title.clone()))}
        {links}
    };

    let rate = |of: Option<u64>, open: bool| -> String {
        match (of, open) {
            (Some(n), true) => format!(
                "{} {} {}",
                l.pick("response rate so far, of", "cyfradd ymateb hyd yma, o"),
                number(n),
                l.pick("staff in the headcounts given", "o staff yn y niferoedd a roddwyd")
            ),
            (Some(n), false) => format!(
                "{} {} {}",
                l.pick("response rate, of", "cyfradd ymateb, o"),
                number(n),
                l.pick("staff in the headcounts given", "o staff yn y niferoedd a roddwyd")
            ),
            (None, _) => {
                l.pick("response rate: no headcount given", "cyfradd ymateb: dim nifer staff wedi'i rhoi").to_string()
            }
        }
    };
    let rate_value = r.rate.rate.map_or_else(|| "–".to_string(), |x| format!("{}%", decimal(x)));

    // A wave still open: who is taking part, and no answers until it closes.
    if let Some(w) = r.wave.as_ref().filter(|w| w.open) {
        let closes = w.closes.map(|c| c.to_string()).unwrap_or_default();
        return EitherOf3::A(view! {
            {head}
            <p class="status-open"><strong>{l.pick("Still open", "Ar agor o hyd")}</strong>
                {format!(" {} {closes}{}", l.pick("until", "tan"), l.pick(": its answers are released when it closes.", ": caiff ei hatebion eu rhyddhau pan fydd yn cau."))}</p>
            <div class="summary-figures">
                <div class="figure"><span class="figure__value">{figure(r.responses, &r.hidden_label)}</span>{l.pick("responses so far in the groups shown", "ymateb hyd yma yn y grwpiau a ddangosir")}</div>
                <div class="figure"><span class="figure__value">{rate_value.clone()}</span>{rate(r.rate.headcount, true)}</div>
            </div>
            {r.rate.rate_problem.as_deref().map(|p| view! { <p class="hidden-note">{p.to_string()}</p> })}
            <div class="toolbar">{wave_select}{version_select}</div>
            {rate_table(app, l, r)}
            <div class="card"><p>{r.note.to_string()}</p></div>
        });
    }
    // The selectors stay on a selection with nothing to show yet, so the way back is where it was.
    if r.questions.is_empty() {
        return EitherOf3::B(view! {
            {head}
            <div class="toolbar">{wave_select}{version_select}</div>
            <div class="card"><p>{r.note.to_string()}</p></div>
        });
    }

    let versions = if r.versions.len() > 1 {
        (r.versions.iter().map(u32::to_string).collect::<Vec<_>>().join(", "), l.pick("versions", "fersiwn"))
    } else {
        (r.version.to_string(), l.pick("version", "fersiwn"))
    };
    let columns = r.columns.clone();
    let context_select = view! {
        <div>
            <label class="label" for="context">{l.pick("Show results for", "Dangos canlyniadau ar gyfer")}</label>
            <select class="select" id="context" on:change=move |e| column.set(event_target_value(&e))>
                {columns.iter().map(|c| view! { <option value=c.id.clone() selected=c.id == column.get_untracked()>{c.name(l)}</option> }).collect_view()}
            </select>
        </div>
    };
    let downloads = r
        .downloads
        .iter()
        .map(|dl| {
            let (href, filename) = (dl.href.clone(), dl.filename.clone());
            view! {
                <button class="button button--secondary" type="button" on:click=move |_| {
                    let (href, filename) = (href.clone(), filename.clone());
                    leptos::task::spawn_local(async move { let _ = api::download(&href, &filename).await; });
                }>{dl.label.clone()}</button>
            }
        })
        .collect_view();
    let stories = d.stories.clone();
    let shown_data = data.clone();
    let figures = move || {
        let column = column.get();
        let r = &shown_data.results;
        let shown = r.columns.iter().find(|c| c.id == column).map(|c| c.name(l)).unwrap_or_default();
        view! {
            <h2>{format!("{}: {shown}", l.pick("Results", "Canlyniadau"))}</h2>
            {(!r.scores.is_empty()).then(|| scores_card(l, r, &column))}
            {r.questions.iter().map(|q| question_card(l, q, r, &column)).collect_view()}
        }
    };
    EitherOf3::C(view! {
        {head}
        <div class="summary-figures">
            <div class="figure"><span class="figure__value">{figure(r.responses, &r.hidden_label)}</span>{l.pick("responses in the groups shown", "ymateb yn y grwpiau a ddangosir")}</div>
            <div class="figure"><span class="figure__value">{versions.0}</span>{versions.1}</div>
            {r.wave.is_some().then(|| view! { <div class="figure"><span class="figure__value">{rate_value.clone()}</span>{rate(r.rate.headcount, false)}</div> })}
        </div>
        {r.rate.rate_problem.as_deref().map(|p| view! { <p class="hidden-note">{p.to_string()}</p> })}
        <div class="toolbar">{wave_select}{context_select}{version_select}</div>
        {r.wave.is_some().then(|| rate_table(app, l, r))}
        <div>{downloads}</div>
        <p class="hint">{r.note.to_string()}</p>
        {figures}
        <section class="card" aria-labelledby="stories-title">
            <h2 id="stories-title">{l.pick("Values in action stories", "Straeon gwerthoedd ar waith")}</h2>
            {if stories.is_empty() {
                Either::Left(view! { <p>{l.pick("No stories yet.", "Dim straeon eto.")}</p> })
            } else {
                Either::Right(view! {
                    <ul class="stories">
                        {stories.into_iter().map(|s| view! {
                            <li><blockquote>{s.text}</blockquote>
                                {s.values.iter().zip(s.value_names.iter()).map(|(id, name)| view! { <span class="tag">{value_name(id, name, l)}</span> }).collect_view()}
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    })
}

/// An NHS value's name in `l`, from `pulse-shared`; the server's name where the id is not one.
pub fn value_name(id: &str, name: &str, l: Lang) -> String {
    pulse_shared::NhsValue::from_id(id).map_or_else(|| name.to_string(), |v| v.label_in(l).to_string())
}

/// One wave's responses, headcounts and response rates by context.
fn rate_table(app: App, l: Lang, r: &SurveyResults) -> impl IntoView {
    let rate = |rate: Option<f64>, problem: &Option<Sentence>| {
        problem.as_deref().map_or_else(|| rate.map(|x| format!("{}%", decimal(x))).unwrap_or_default(), str::to_string)
    };
    let everyone = if app.is_viewer() {
        l.pick("Your groups together", "Eich grwpiau gyda'i gilydd")
    } else {
        pulse_shared::relabel::everyone(l)
    };
    let hidden = r.hidden_label.to_string();
    let row = move |label: String, responses: Option<u64>, headcount: Option<u64>, shown: String| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td class="num">{figure(responses, &hidden)}</td>
                <td class="num">{headcount.filter(|&h| h > 0).map(number).unwrap_or_default()}</td>
                <td class="num">{if responses.is_none() { hidden.clone() } else { shown }}</td>
            </tr>
        }
    };
    let first = row(everyone.to_string(), r.responses, r.rate.headcount, rate(r.rate.rate, &r.rate.rate_problem));
    let rest = r
        .contexts
        .iter()
        .map(|c| row(c.label.clone(), c.responses, c.rate.headcount, rate(c.rate.rate, &c.rate.rate_problem)))
        .collect_view();
    view! {
        <details class="card">
            <summary>{l.pick("Responses and response rates, by context", "Ymatebion a chyfraddau ymateb, fesul cyd-destun")}</summary>
            <table>
                <caption class="visually-hidden">{l.pick("Responses and response rates", "Ymatebion a chyfraddau ymateb")}</caption>
                <thead><tr>
                    <th scope="col">{l.pick("Context", "Cyd-destun")}</th>
                    <th scope="col" class="num">{l.pick("Responses", "Ymatebion")}</th>
                    <th scope="col" class="num">{l.pick("Headcount", "Nifer staff")}</th>
                    <th scope="col" class="num">{l.pick("Response rate", "Cyfradd ymateb")}</th>
                </tr></thead>
                <tbody>{first}{rest}</tbody>
            </table>
        </details>
    }
}

fn question_card(l: Lang, q: &QuestionResults, r: &SurveyResults, column: &str) -> impl IntoView {
    let answered = q.respondents.get(column);
    let reason = q.hidden.get(column).map(|s| s.to_string());
    let note = q.notes.get(column).map(|lines| lines.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let chart = if let Some(reason) = reason.clone() {
        view! { <p class="hidden-note">{reason}</p> }.into_any()
    } else if q.kind == "likert_matrix" {
        charts::diverging(q, column).into_any()
    } else if q.kind == "free_text" {
        let n = answered.map(number).unwrap_or_default();
        view! { <p>{format!("{n} {}", l.pick("people wrote an answer. Stories are listed below.", "o bobl wedi ysgrifennu ateb. Mae'r straeon wedi'u rhestru isod."))}</p> }.into_any()
    } else {
        charts::bars(q, column).into_any()
    };
    let score = if reason.is_none() { q.score.as_ref().and_then(|s| s.get(column)) } else { None };
    let heading_id = format!("q-{}", q.id);
    let labelled_by = heading_id.clone();
    let hint = format!(
        "{} {}{}{}",
        l.pick("Answered by", "Wedi'i ateb gan"),
        figure(answered, &r.hidden_label),
        q.versions_note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default(),
        if note.is_some() { l.pick("; this figure:", "; y ffigur hwn:") } else { "" },
    );
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h3 id=heading_id>{q.prompt.clone()}</h3>
            <p class="hint">{hint}</p>
            {note.map(|lines| view! { <ul class="hint notes">{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul> })}
            {score.map(|s| view! { <p class="score">{format!("{}: {}%", q.score_label.clone().unwrap_or_default(), decimal(s))}</p> })}
            {chart}
            {(q.kind != "free_text").then(|| data_table(l, q, r))}
        </section>
    }
}

/// The NHS engagement scores of a column, each with its interval, and a table of every column.
fn scores_card(l: Lang, r: &SurveyResults, column: &str) -> impl IntoView {
    let hidden = r.hidden_label.to_string();
    let name = |id: &str, label: &str| {
        pulse_shared::score::Score::from_id(id).map_or(label.to_string(), |s| s.name(l).to_string())
    };
    let cell = move |e: Option<pulse_shared::score::Estimate>| {
        e.map_or_else(|| hidden.clone(), |e| format!("{} ({}–{})", decimal(e.value), decimal(e.low), decimal(e.high)))
    };
    let figures = r
        .scores
        .iter()
        .map(|s| {
            let (value, sub) = match s.get(column) {
                Some(e) => (
                    decimal(e.value),
                    format!(
                        "{} {}–{}, {} {}",
                        l.pick("95% interval", "cyfwng 95%"),
                        decimal(e.low),
                        decimal(e.high),
                        number(e.of),
                        l.pick("people", "o bobl")
                    ),
                ),
                None => (r.hidden_label.to_string(), s.hidden.get(column).map(|w| w.to_string()).unwrap_or_default()),
            };
            view! {
                <div class="figure"><span class="figure__value">{value}</span>{name(&s.id, &s.label)}
                    <span class="score">{sub}</span></div>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="scores-title">
            <h3 id="scores-title">{l.pick("NHS Staff Survey engagement scores (0 to 10)", "Sgoriau ymgysylltu Arolwg Staff y GIG (0 i 10)")}</h3>
            <p class="hint">{l.pick(
                "Worked out as the NHS Staff Survey does: each answer scores 0 to 10, each person's score is the mean of their answers, and the score is the mean of the people's.",
                "Wedi'u cyfrifo fel y mae Arolwg Staff y GIG yn eu cyfrifo: mae pob ateb yn sgorio 0 i 10, sgôr pob person yw cymedr ei atebion, a'r sgôr yw cymedr y bobl.")}</p>
            <div class="summary-figures">{figures}</div>
            <details>
                <summary>{l.pick("Show as a table, by context", "Dangos fel tabl, fesul cyd-destun")}</summary>
                <table>
                    <caption class="visually-hidden">{l.pick("Engagement scores with 95% intervals", "Sgoriau ymgysylltu gyda chyfyngau 95%")}</caption>
                    <thead><tr>
                        <th scope="col">{l.pick("Score", "Sgôr")}</th>
                        {r.columns.iter().map(|c| view! { <th scope="col" class="num">{c.name(l)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {r.scores.iter().map(|s| view! {
                            <tr>
                                <th scope="row">{name(&s.id, &s.label)}</th>
                                {r.columns.iter().map(|c| view! { <td class="num">{cell(s.get(&c.id))}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
}

/// A question's figures for every column, as a table.
fn data_table(l: Lang, q: &QuestionResults, r: &SurveyResults) -> impl IntoView {
    view! {
        <details>
            <summary>{l.pick("Show as a table, by context", "Dangos fel tabl, fesul cyd-destun")}</summary>
            <table>
                <caption class="visually-hidden">{q.prompt.clone()}</caption>
                <thead><tr>
                    <th scope="col">{l.pick("Answer", "Ateb")}</th>
                    {r.columns.iter().map(|c| view! { <th scope="col" class="num">{c.name(l)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {q.table.iter().map(|line| view! {
                        <tr>
                            <th scope="row">{line.label.clone()}</th>
                            {line.counts.iter().map(|&n| view! { <td class="num">{figure(n, &r.hidden_label)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}
