//! The board pack: one selection of results (all waves, or one wave) as a report an OD lead can
//! send to their board as it is, printed to A4 from the browser (each page numbered by the print
//! stylesheet). Its first page names the organisation, the survey, the wave and the date, with a
//! one-page summary: responses and response rate, the headline scores and their change, the clear
//! changes, and what was shared with staff. Then the heatmap, every question's chart with its
//! sentence, the trend, "you said, we did" and the approved stories. A section with nothing in it
//! is left out, so no page is blank. Every figure is the published one.

use leptos::prelude::*;
use pulse_shared::headlines::SharingState;
use pulse_shared::heatmap::heatmap;
use pulse_shared::results::{QuestionResults, SurveyResults, ALL};
use pulse_shared::trend::{Direction, SurveyTrend, TrendLine};
use pulse_shared::{Lang, Role};
use serde::Deserialize;

use super::heatmap::{results, table};
use super::title;
use crate::api::{self, survey_path, Fail};
use crate::charts;
use crate::shell::App;
use crate::words::{decimal, figure, number};

#[derive(Deserialize)]
struct Organisation {
    name: String,
}

/// An approved story, as the showcase gives it.
#[derive(Deserialize)]
struct Story {
    text: String,
}

#[derive(Deserialize)]
struct Showcase {
    stories: Vec<Story>,
}

pub struct Data {
    survey: String,
    organisation: String,
    results: SurveyResults,
    /// Figures published elsewhere, beside the heatmap.
    references: Vec<pulse_shared::reference::Reference>,
    trend: Option<SurveyTrend>,
    /// "You said, we did" (analysts and owners read it).
    sharing: Option<SharingState>,
    stories: Vec<String>,
    today: String,
}

/// The organisation's name, for a report's first page.
pub async fn organisation() -> Result<String, Fail> {
    Ok(api::get::<Organisation>("/api/v1/organisation").await?.name)
}

/// Today, as a report is dated: 2026-12-06.
pub fn today() -> String {
    js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default().chars().take(10).collect()
}

pub async fn load(app: App, survey: String, selection: Option<String>) -> Result<Data, Fail> {
    let l = app.l();
    let organisation = organisation().await?;
    let results = results(&survey, selection.as_deref(), l).await?;
    let references = super::heatmap::references(&survey).await?.references;
    let trend: SurveyTrend = api::get(&survey_path(&survey, &format!("/trend?lang={}", l.code()))).await?;
    let trend = (!trend.waves.is_empty()).then_some(trend);
    let sharing =
        if app.may(&[Role::Analyst]) { Some(api::get(&survey_path(&survey, "/sharing")).await?) } else { None };
    // The showcase's stories are those staff agreed to share and a moderator approved: public.
    let stories = api::get::<Showcase>(&survey_path(&survey, &format!("/showcase?lang={}", l.code())))
        .await
        .map(|s| s.stories.into_iter().map(|s| s.text).collect())
        .unwrap_or_default();
    Ok(Data { survey, organisation, results, references, trend, sharing, stories, today: today() })
}

/// The column the pack reports on: everyone, or a viewer's first context.
fn column(r: &SurveyResults) -> String {
    if r.columns.iter().any(|c| c.id == ALL) {
        ALL.to_string()
    } else {
        r.columns.first().map_or_else(|| ALL.to_string(), |c| c.id.clone())
    }
}

/// The last shown point of a line's series in `column`, with its change in words.
fn latest(line: &TrendLine, column: &str, l: Lang) -> Option<(f64, String, Option<Direction>)> {
    let series = line.series.iter().find(|s| s.column == column)?;
    let point = series.points.iter().rev().find(|p| p.value.is_some())?;
    let change = point.change.as_ref().map(|c| c.marked_in(l));
    Some((point.value?, change.unwrap_or_default(), point.change.as_ref().map(|c| c.direction)))
}

pub fn view(l: Lang, data: std::sync::Arc<Data>) -> impl IntoView {
    let r = &data.results;
    let column = column(r);
    let hidden = r.hidden_label.to_string();
    let wave = r.wave.as_ref().map_or_else(|| l.pick("All waves", "Pob ton").to_string(), |w| w.label.clone());
    let shown = r.columns.iter().find(|c| c.id == column).map(|c| c.name(l)).unwrap_or_default();

    // The headline scores: the NHS scores, else each question's favourable share.
    let score_lines: Vec<(String, String, String)> = if r.scores.is_empty() {
        r.questions
            .iter()
            .filter_map(|q| {
                let share = q.score.as_ref()?.get(&column)?;
                Some((q.prompt.clone(), format!("{}%", decimal(share)), q.score_label.clone().unwrap_or_default()))
            })
            .take(6)
            .collect()
    } else {
        r.scores
            .iter()
            .map(|s| {
                let name =
                    pulse_shared::score::Score::from_id(&s.id).map_or(s.label.clone(), |x| x.name(l).to_string());
                let value = s.get(&column).map_or_else(|| hidden.clone(), |e| decimal(e.value));
                // After the interval's full stop, a sentence of its own.
                let change = data
                    .trend
                    .as_ref()
                    .and_then(|t| t.scores.iter().find(|x| x.id == s.id))
                    .and_then(|line| latest(line, &column, l))
                    .map(|(_, words, _)| {
                        let mut chars = words.chars();
                        chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
                    })
                    .unwrap_or_default();
                let interval = s
                    .get(&column)
                    .map(|e| {
                        format!(
                            "{} {}–{}. {change}",
                            l.pick("95% interval", "cyfwng 95%"),
                            decimal(e.low),
                            decimal(e.high)
                        )
                    })
                    .unwrap_or_default();
                (name, value, interval)
            })
            .collect()
    };
    let headline = score_lines
        .into_iter()
        .map(|(name, value, detail)| {
            view! { <div class="figure"><span class="figure__value">{value}</span>{name}<span class="score">{detail}</span></div> }
        })
        .collect_view();

    // Every clear change since the wave before, in words.
    let changes: Vec<String> = data
        .trend
        .iter()
        .flat_map(|t| {
            let questions = t.questions.iter().flat_map(|q| q.lines.iter().map(move |line| (q.prompt.as_str(), line)));
            t.scores.iter().map(|line| ("", line)).chain(questions).collect::<Vec<_>>()
        })
        .filter(|(_, line)| line.measure != "mean")
        .filter_map(|(prompt, line)| {
            let (_, words, direction) = latest(line, &column, l)?;
            matches!(direction, Some(Direction::Up | Direction::Down)).then(|| {
                let about = if prompt.is_empty() { line.label.clone() } else { format!("{prompt} – {}", line.label) };
                format!("{about}: {words}")
            })
        })
        .collect();
    let notes = data.sharing.as_ref().map(|s| s.notes.clone()).unwrap_or_default();
    let wave_id = r.wave.as_ref().map(|w| w.id.clone());
    let notes: Vec<_> = notes.into_iter().filter(|n| n.wave.is_none() || n.wave == wave_id).collect();

    let rate = r.rate.rate.map(|x| format!("{}%", decimal(x)));
    let summary = view! {
        <section class="pack-page pack-cover" aria-labelledby="pack-title">
            <p class="pack-org">{data.organisation.clone()}</p>
            {title(format!("{}: {}", l.pick("Board report", "Adroddiad i'r bwrdd"), r.title))}
            <p class="lede">{format!("{wave} · {} {} · {}", l.pick("prepared on", "paratowyd ar"), data.today, shown)}</p>
            <h2>{l.pick("Summary", "Crynodeb")}</h2>
            <div class="summary-figures">
                <div class="figure"><span class="figure__value">{figure(r.responses, &hidden)}</span>{l.pick("responses in the groups shown", "ymateb yn y grwpiau a ddangosir")}</div>
                {rate.map(|rate| view! { <div class="figure"><span class="figure__value">{rate}</span>{l.pick("response rate", "cyfradd ymateb")}</div> })}
                {headline}
            </div>
            <h3>{l.pick("Clear changes since the wave before", "Newidiadau clir ers y don flaenorol")}</h3>
            {if changes.is_empty() {
                view! { <p>{l.pick("No figure changed clearly: every difference is within its 95% interval.", "Ni newidiodd unrhyw ffigur yn glir: mae pob gwahaniaeth o fewn ei gyfwng 95%.")}</p> }.into_any()
            } else {
                view! { <ul class="pack-list">{changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }.into_any()
            }}
            {(!notes.is_empty()).then(|| view! {
                <h3>{l.pick("What we shared with staff", "Yr hyn a rannwyd gyda staff")}</h3>
                <ul class="pack-list">{notes.iter().map(|n| view! {
                    <li><strong>{l.pick("You said: ", "Dywedoch chi: ")}</strong>{n.you_said.get(l).to_string()}" "
                        <strong>{l.pick("We did: ", "Gwnaethom ni: ")}</strong>{n.we_did.get(l).to_string()}</li>
                }).collect_view()}</ul>
            })}
            <p class="hint">{r.note.to_string()}</p>
        </section>
    };

    let map = std::sync::Arc::new(heatmap(r, l).with_references(&data.references));
    let has_heatmap = !map.items.is_empty() && map.rows.len() > 1;
    let heat = has_heatmap.then(|| {
        view! {
            <section class="pack-page pack-heat" aria-labelledby="pack-heatmap">
                <h2 id="pack-heatmap">{l.pick("Heatmap: each context against the organisation", "Map gwres: pob cyd-destun yn erbyn y sefydliad")}</h2>
                {table(l, map.clone(), hidden.clone(), false)}
            </section>
        }
    });

    let questions = r
        .questions
        .iter()
        .filter(|q| q.kind != "free_text" && q.kind != "consent" && q.kind != "value_tags")
        .map(|q| question(l, q, &column, data.trend.as_ref()))
        .collect_view();

    let trend = data.trend.as_ref().map(|t| {
        let waves: Vec<String> = t.waves.iter().map(|w| w.label.clone()).collect();
        let lines = t
            .scores
            .iter()
            .chain(
                t.questions
                    .iter()
                    .flat_map(|q| q.lines.iter())
                    .filter(|l| l.measure == "share" && (l.id == "score" || l.label.contains(':'))),
            )
            .filter_map(|line| line.series.iter().find(|s| s.column == column).map(|s| (line, s)))
            .map(|(line, series)| {
                view! {
                    <li class="multiple">
                        <h3>{line.label.clone()}</h3>
                        {charts::trend(line, series, &waves, &t.hidden_label)}
                        <p class="hint">{series.summary.clone()}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="pack-page" aria-labelledby="pack-trend">
                <h2 id="pack-trend">{l.pick("Trend across waves", "Tuedd ar draws tonnau")}</h2>
                <ul class="multiples">{lines}</ul>
            </section>
        }
    });

    let stories = (!data.stories.is_empty()).then(|| {
        view! {
            <section class="pack-page" aria-labelledby="pack-stories">
                <h2 id="pack-stories">{l.pick("Values in action: stories staff shared", "Gwerthoedd ar waith: straeon a rannodd staff")}</h2>
                <ul class="stories">{data.stories.iter().take(12).map(|s| view! { <li><blockquote>{s.clone()}</blockquote></li> }).collect_view()}</ul>
            </section>
        }
    });

    view! {
        <div class="pack">
            <p class="no-print"><a href=format!("#/surveys/{}", api::enc(&data.survey))>{l.pick("Back to the results", "Yn ôl i'r canlyniadau")}</a>" "
                <button class="button" type="button" on:click=|_| { let _ = web_sys::window().map(|w| w.print()); }>{l.pick("Print or save as PDF", "Argraffu neu gadw fel PDF")}</button></p>
            {summary}
            {heat}
            <section class="pack-page" aria-labelledby="pack-questions">
                <h2 id="pack-questions">{format!("{}: {shown}", l.pick("Every question", "Pob cwestiwn"))}</h2>
                {questions}
            </section>
            {trend}
            {stories}
        </div>
    }
}

/// A question's chart with its sentence: how many answered, its favourable share, and how that
/// moved since the wave before.
fn question(l: Lang, q: &QuestionResults, column: &str, trend: Option<&SurveyTrend>) -> impl IntoView {
    let answered = q.respondents.get(column);
    let reason = q.hidden.get(column).map(|s| s.to_string());
    let mut sentence = match answered {
        Some(n) => format!("{} {}.", number(n), l.pick("people answered", "o bobl a atebodd")),
        None => reason.clone().unwrap_or_default(),
    };
    if let Some(share) = q.score.as_ref().and_then(|s| s.get(column)) {
        sentence += &format!(" {}: {}%.", q.score_label.clone().unwrap_or_default(), decimal(share));
    }
    if let Some(summary) = trend
        .and_then(|t| t.questions.iter().find(|x| x.id == q.id))
        .and_then(|t| t.lines.iter().find(|line| line.id == "score"))
        .and_then(|line| line.series.iter().find(|s| s.column == column))
    {
        sentence += &format!(" {}", summary.summary);
    }
    let chart = match (&reason, q.kind.as_str()) {
        (Some(_), _) => None,
        (None, "likert_matrix") => Some(charts::diverging(q, column).into_any()),
        (None, _) => Some(charts::bars(q, column).into_any()),
    };
    view! {
        <div class="card pack-question">
            <h3>{q.prompt.clone()}</h3>
            <p>{sentence}</p>
            {chart}
        </div>
    }
}
