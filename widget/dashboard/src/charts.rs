//! Charts drawn as SVG: bars for a choice question, diverging bars for a matrix of agreement, and a
//! small chart of one series across waves. Each is drawn beside its figures in words and a table,
//! and is hidden from screen readers, so colour and shape are never the only way to read a figure.

use leptos::prelude::*;
use pulse_shared::results::QuestionResults;
use pulse_shared::trend::{TrendLine, TrendSeries};

use crate::words::{decimal, number};

/// A choice question's answers: each option's bar, count and share.
pub fn bars(q: &QuestionResults, column: &str) -> impl IntoView {
    let items = q
        .options
        .iter()
        .map(|o| {
            let n = o.counts.get(column);
            let share = o.shares.get(column);
            let value = format!(
                "{}{}",
                n.map(number).unwrap_or_default(),
                share.map(|s| format!(" ({}%)", decimal(s))).unwrap_or_default()
            );
            view! {
                <li class="bar">
                    <span class="bar__label">{o.label.clone()}</span>
                    <span>
                        <svg class="bar__track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                            <rect class="bar__fill" x="0" y="0" height="10" width=decimal(share.unwrap_or(0.0)) />
                        </svg>
                        <span class="bar__value">{value}</span>
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="bars" aria-label=format!("{}: answers", q.prompt)>{items}</ul> }
}

/// A matrix's rows as diverging bars: the neutral point centred on the midline, answers below it
/// to the left and above it to the right, with each row's figures in words.
pub fn diverging(q: &QuestionResults, column: &str) -> impl IntoView {
    let legend = q
        .scale
        .iter()
        .enumerate()
        .map(|(i, s)| view! { <li class=format!("swatch-{}", i + 1)>{s.clone()}</li> })
        .collect_view();
    let rows = q
        .rows
        .iter()
        .map(|r| {
            let shares: Vec<f64> = r.shares.iter().map(|s| s.get(column).unwrap_or(0.0)).collect();
            let half: Vec<f64> = shares.iter().map(|w| w / 2.0).collect();
            let mid = half.get(2).copied().unwrap_or(0.0);
            let mut left = 50.0 - mid / 2.0 - half.get(1).copied().unwrap_or(0.0) - half.first().copied().unwrap_or(0.0);
            let segments = half
                .iter()
                .enumerate()
                .map(|(i, &w)| {
                    let x = left;
                    left += w;
                    view! { <rect class=format!("diverging__seg seg-{}", i + 1) x=decimal(round(x)) y="0" height="10" width=decimal(round(w)) /> }
                })
                .collect_view();
            let text = q
                .scale
                .iter()
                .zip(&r.points)
                .map(|(s, p)| format!("{s} {}", p.get(column).map(number).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(", ");
            let score = r.score.get(column).map(|s| {
                view! { <span class="score">{format!("{}: {}%", q.score_label.clone().unwrap_or_default(), decimal(s))}</span> }
            });
            view! {
                <li class="diverging__row">
                    <span class="bar__label">{r.label.clone()}{score}</span>
                    <span>
                        <svg class="diverging__track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                            {segments}
                            <line class="diverging__mid" x1="50" x2="50" y1="0" y2="10" />
                        </svg>
                        <span class="bar__value">{text}</span>
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="legend" aria-hidden="true">{legend}</ul>
        <ul class="diverging" aria-label=format!("{}: answers per value", q.prompt)>{rows}</ul>
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One series across waves: each wave's point with its 95% interval, a hidden point as a gap.
pub fn trend(line: &TrendLine, series: &TrendSeries, waves: &[String], hidden_label: &str) -> impl IntoView {
    const W: f64 = 260.0;
    const H: f64 = 130.0;
    const PAD: f64 = 24.0;
    let (lo, hi, top) = match line.measure.as_str() {
        "mean" => (1.0, 5.0, "5"),
        "score" => (0.0, 10.0, "10"),
        _ => (0.0, 100.0, "100%"),
    };
    let count = waves.len();
    let x = move |i: usize| {
        if count <= 1 {
            PAD + (W - 2.0 * PAD) / 2.0
        } else {
            PAD + (i as f64 * (W - 2.0 * PAD)) / (count - 1) as f64
        }
    };
    let y = move |v: f64| H - PAD - ((v - lo) / (hi - lo)) * (H - 2.0 * PAD);
    let f = |v: f64| decimal(round(v));
    let mut path = String::new();
    let mut broken = true;
    let mut marks = Vec::new();
    for (i, p) in series.points.iter().enumerate() {
        let label: String = waves.get(i).map(|w| w.chars().take(12).collect()).unwrap_or_default();
        // The first and last wave's names run inwards, so neither is cut at the chart's edge.
        let anchor = match i {
            _ if count <= 1 => "middle",
            0 => "start",
            i if i + 1 == count => "end",
            _ => "middle",
        };
        let at = x(i)
            + if anchor == "start" {
                -PAD / 2.0
            } else if anchor == "end" {
                PAD / 2.0
            } else {
                0.0
            };
        marks.push(view! { <text x=f(at) y=f(H - 4.0) class="tick" text-anchor=anchor>{label}</text> }.into_any());
        let Some(value) = p.value else {
            marks.push(
                view! { <text x=f(x(i)) y=f(y(lo) - 6.0) class="gap" text-anchor="middle">{hidden_label.to_string()}</text> }
                    .into_any(),
            );
            broken = true;
            continue;
        };
        let (low, high) = (p.low.unwrap_or(value), p.high.unwrap_or(value));
        let tone = p.change.as_ref().map_or("neutral", |c| c.tone.name());
        marks.push(view! { <line x1=f(x(i)) x2=f(x(i)) y1=f(y(low)) y2=f(y(high)) class="interval" /> }.into_any());
        marks
            .push(view! { <circle cx=f(x(i)) cy=f(y(value)) r="4" class=format!("point point--{tone}") /> }.into_any());
        path.push_str(&format!("{}{},{} ", if broken { "M" } else { "L" }, f(x(i)), f(y(value))));
        broken = false;
    }
    view! {
        <svg viewBox=format!("0 0 {W} {H}") class="trend-chart" aria-hidden="true" focusable="false">
            <line x1=f(PAD) x2=f(W - PAD) y1=f(y(lo)) y2=f(y(lo)) class="axis" />
            <text x="2" y=f(y(hi) + 4.0) class="tick">{top}</text>
            <text x="2" y=f(y(lo)) class="tick">{decimal(lo)}</text>
            {marks}
            <path d=path.trim().to_string() class="trend-line" />
        </svg>
    }
}
