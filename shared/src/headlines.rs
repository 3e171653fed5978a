//! Results for staff: the headline figures an admin chose to share (per question, off by default)
//! and the admins' "you said, we did" notes, as the results embed shows them on any intranet page.
//!
//! What staff see is read only from what [`crate::publish`] already publishes to admins (the
//! combined results, or one wave's) and from the trend built on them, so it can hold no figure the
//! dashboard hides. It holds less: only the questions shared, only the organisation and at most one
//! context, and, for a survey with waves, only waves that have closed, so no figure moves while a
//! wave is open and nobody can watch a colleague's answer arrive.

use serde::{Deserialize, Serialize};

use crate::definition::{DefinitionError, Question, QuestionKind, SurveyDefinition};
use crate::lang::{Lang, Text};
use crate::results::{Breakdown, Cell, Shares, SurveyResults, ALL};
use crate::trend::{Direction, SurveyTrend};
use crate::wave::Wave;
use crate::Date;

/// The most characters a "you said" or "we did" may have, in each language.
pub const MAX_NOTE_CHARS: usize = 600;
/// The most notes a survey may have.
pub const MAX_NOTES: usize = 50;

/// What an admin shares with staff: which questions' headline figures, and the notes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sharing {
    /// The ids of the questions whose headline figures staff may see; none until an admin chooses.
    #[serde(default)]
    pub questions: Vec<String>,
    /// "You said, we did", newest first as the admins order them.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// What the sharing page shows: what is shared now, and what may be, by the rules below, so that
/// the dashboard draws the choices without reading the survey's whole definition.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingState {
    /// As in [`Sharing`].
    pub questions: Vec<String>,
    /// As in [`Sharing`].
    pub notes: Vec<Note>,
    /// The questions whose headline figures may be shared ([`can_share`]), in the survey's order.
    pub shareable: Vec<Shareable>,
    /// Whether the survey is offered in Welsh: then every note needs its Welsh too.
    pub welsh: bool,
    /// The survey's `k`: staff see no group smaller.
    pub k: u32,
}

/// A question whose headline figures may be shared.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shareable {
    pub id: String,
    pub prompt: Text,
}

impl SharingState {
    /// What `sharing` shares of `def`, and what it could.
    pub fn of(sharing: Sharing, def: &SurveyDefinition) -> SharingState {
        SharingState {
            questions: sharing.questions,
            notes: sharing.notes,
            shareable: def
                .questions
                .iter()
                .filter(|q| can_share(q))
                .map(|q| Shareable { id: q.id.clone(), prompt: q.prompt.clone() })
                .collect(),
            welsh: def.languages().contains(&Lang::Cy),
            k: def.k,
        }
    }
}

/// One "you said, we did" note: what staff said, and what is being done about it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The wave it answers; absent for the survey as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave: Option<String>,
    pub you_said: Text,
    pub we_did: Text,
}

/// Whether staff may be shown a question's headline figures: choices and matrices, never free text,
/// story tags or consents.
pub fn can_share(q: &Question) -> bool {
    matches!(
        q.kind,
        QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } | QuestionKind::LikertMatrix { .. }
    )
}

impl Sharing {
    /// Every reason these settings cannot be kept for `def` with `waves`; empty when sound.
    pub fn check(&self, def: &SurveyDefinition, waves: &[Wave]) -> Vec<DefinitionError> {
        let mut errors = Vec::new();
        let mut err = |field: String, message: String| errors.push(DefinitionError { field, message });
        for (i, id) in self.questions.iter().enumerate() {
            match def.question(id) {
                None => err("questions".into(), format!("{id:?} is not a question of this survey")),
                Some(q) if !can_share(q) => err(
                    "questions".into(),
                    format!("{id:?} is free text, story tags or a consent, which are never shared"),
                ),
                Some(_) if self.questions[..i].contains(id) => {
                    err("questions".into(), format!("{id:?} is listed twice"))
                }
                Some(_) => {}
            }
        }
        if self.notes.len() > MAX_NOTES {
            err("notes".into(), format!("at most {MAX_NOTES} notes, got {}", self.notes.len()));
        }
        let welsh = def.languages().contains(&Lang::Cy);
        for (i, note) in self.notes.iter().enumerate() {
            if let Some(w) = &note.wave {
                if !waves.iter().any(|x| &x.id == w) {
                    err(format!("notes[{i}].wave"), format!("{w:?} is not a wave of this survey"));
                }
            }
            for (name, text) in [("you_said", &note.you_said), ("we_did", &note.we_did)] {
                let field = format!("notes[{i}].{name}");
                if text.en.trim().is_empty() {
                    err(field.clone(), "must not be empty".into());
                }
                match (&text.cy, welsh) {
                    (None, true) => err(field.clone(), "needs Welsh (\"cy\") text, as the survey has Welsh".into()),
                    (Some(cy), true) if cy.trim().is_empty() => {
                        err(field.clone(), "Welsh (\"cy\") text must not be empty".into())
                    }
                    _ => {}
                }
                let problem = [Some(&text.en), text.cy.as_ref()]
                    .into_iter()
                    .flatten()
                    .find_map(|t| crate::field::check_field(t, crate::field::Lines::Many, MAX_NOTE_CHARS).err());
                if let Some(problem) = problem {
                    err(field, problem.describe());
                }
            }
        }
        errors
    }
}

/// Why the embed shows no figures, or what they cover.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadlineStatus {
    /// Figures are shown (some may still be hidden one by one).
    Shown,
    /// No question is shared yet.
    NothingShared,
    /// Fewer than `k` people answered in the groups shown.
    TooFew,
    /// The survey has waves and none has closed yet: figures come when one does.
    WaitingForWave,
}

/// A wave as staff see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlineWave {
    pub id: String,
    pub label: String,
    pub opens: Date,
    pub closes: Date,
    /// The window in words, in the headlines' language: "2 Medi 2026 i 23 Medi 2026".
    pub dates: String,
}

/// One figure: a share in percent, with the count behind it and its change since the previous wave.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlinePoint {
    pub percent: f64,
    pub count: u64,
    pub of: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<HeadlineChange>,
}

/// The change of a figure since the previous wave, with the trend's rule: "up" or "down" only when
/// its 95% interval leaves out zero.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineChange {
    /// In percentage points.
    pub difference: f64,
    pub direction: Direction,
}

/// A line of a question's chart: an option, a score or a matrix row.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineFigure {
    pub id: String,
    pub label: String,
    /// Everyone; absent when hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<HeadlinePoint>,
    /// The context asked for; absent when hidden or not asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<HeadlinePoint>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineQuestion {
    pub id: String,
    pub prompt: String,
    /// What each figure is the share of: `chose` (each option), or `answered` with `answers`, the
    /// answers that count (e.g. "Often" and "Always").
    pub measure: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    pub figures: Vec<HeadlineFigure>,
}

/// The context the page named.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlineContext {
    pub id: String,
    pub label: String,
    /// Whether its figures are shown: false when fewer than `k` people in it answered.
    pub shown: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlineNote {
    /// The label of the wave it answers, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave: Option<String>,
    pub you_said: String,
    pub we_did: String,
}

/// What the results embed shows: public, so only what staff may read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headlines {
    pub survey: String,
    pub title: String,
    /// The language of every text here: the one asked for, if the survey has it.
    pub lang: String,
    pub k: u32,
    pub status: HeadlineStatus,
    /// The wave the figures come from (the latest closed), for a survey with waves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave: Option<HeadlineWave>,
    /// The wave changes are measured from, when there is one with figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_wave: Option<String>,
    /// For [`HeadlineStatus::WaitingForWave`]: when the wave under way closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_closes: Option<Date>,
    /// `next_closes` in words, in the headlines' language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_closes_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<HeadlineContext>,
    /// Responses in the groups shown: everyone, and the context when it is shown.
    pub responses: Cell,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_responses: Cell,
    pub questions: Vec<HeadlineQuestion>,
    pub notes: Vec<HeadlineNote>,
}

/// What staff may read now: the settings, the definition (for text in `lang`), the survey's waves,
/// the results to show (the combined results, or those of the latest closed wave) and the trend
/// (for changes), for everyone and, when asked, `context` (a context of `def`).
pub struct HeadlineInput<'a> {
    pub def: &'a SurveyDefinition,
    pub sharing: &'a Sharing,
    pub waves: &'a [Wave],
    pub today: Date,
    pub lang: Lang,
    pub context: Option<&'a str>,
}

/// The latest wave that has closed by `today`: the one whose results staff may see.
pub fn latest_closed(waves: &[Wave], today: Date) -> Option<&Wave> {
    waves.iter().filter(|w| w.closes < today).max_by_key(|w| w.closes)
}

/// The headline figures, from the published `combined` results or those of each wave (see
/// [`crate::Publication`]) and the trend built on them.
pub fn headlines(
    input: &HeadlineInput,
    combined: &SurveyResults,
    wave_results: &[SurveyResults],
    trend: Option<&SurveyTrend>,
) -> Headlines {
    let HeadlineInput { def, sharing, waves, today, lang, context } = *input;
    let label = |t: &Text| t.get(lang).to_string();
    let mut out = Headlines {
        survey: def.id.clone(),
        title: label(&def.title),
        lang: lang.code().to_string(),
        k: def.k,
        status: HeadlineStatus::Shown,
        wave: None,
        previous_wave: None,
        next_closes: None,
        next_closes_text: None,
        context: None,
        responses: None,
        context_responses: None,
        questions: Vec::new(),
        notes: Vec::new(),
    };
    let shown_wave = latest_closed(waves, today);
    out.notes = sharing
        .notes
        .iter()
        .filter_map(|n| match &n.wave {
            None => Some(HeadlineNote { wave: None, you_said: label(&n.you_said), we_did: label(&n.we_did) }),
            // A wave's note shows once that wave's figures may (it is about them).
            Some(id) => {
                let w = waves.iter().find(|w| &w.id == id)?;
                (w.closes < today).then(|| HeadlineNote {
                    wave: Some(label(&w.label)),
                    you_said: label(&n.you_said),
                    we_did: label(&n.we_did),
                })
            }
        })
        .collect();
    let results = if waves.is_empty() {
        Some(combined)
    } else {
        match shown_wave {
            Some(w) => {
                out.wave = Some(HeadlineWave {
                    id: w.id.clone(),
                    label: label(&w.label),
                    opens: w.opens,
                    closes: w.closes,
                    dates: w.opens.span(w.closes, lang),
                });
                wave_results.iter().find(|r| r.wave.as_ref().is_some_and(|h| h.id == w.id))
            }
            None => {
                out.status = HeadlineStatus::WaitingForWave;
                out.next_closes = waves.iter().filter(|w| w.closes >= today).map(|w| w.closes).min();
                out.next_closes_text = out.next_closes.map(|d| d.long(lang));
                None
            }
        }
    };
    if let Some(c) = context.and_then(|c| def.contexts.iter().find(|x| x.id == c)) {
        let responses = results.and_then(|r| r.contexts.iter().find(|x| x.id == c.id)).and_then(|x| x.responses);
        out.context = Some(HeadlineContext { id: c.id.clone(), label: label(&c.label), shown: responses.is_some() });
        out.context_responses = responses;
    }
    if out.status == HeadlineStatus::WaitingForWave {
        return out;
    }
    if sharing.questions.is_empty() {
        out.status = HeadlineStatus::NothingShared;
        return out;
    }
    out.responses = results.and_then(|r| r.responses);
    let Some(results) = results.filter(|r| r.responses.is_some()) else {
        out.status = HeadlineStatus::TooFew;
        return out;
    };
    // The wave before the one shown, in the trend's order, for changes.
    let wave_id = out.wave.as_ref().map(|w| w.id.clone());
    let previous = trend.zip(wave_id.as_ref()).and_then(|(t, id)| {
        let i = t.waves.iter().position(|w| &w.id == id)?;
        i.checked_sub(1).map(|p| t.waves[p].clone())
    });
    out.previous_wave = previous.as_ref().map(|w| match waves.iter().find(|x| x.id == w.id) {
        Some(x) => label(&x.label),
        None => w.label.clone(),
    });
    let column = out.context.as_ref().filter(|c| c.shown).map(|c| c.id.clone());
    for q in def.questions.iter().filter(|q| sharing.questions.contains(&q.id) && can_share(q)) {
        let Some(r) = results.questions.iter().find(|x| x.id == q.id) else { continue };
        let change = |line: &str, col: &str| -> Option<HeadlineChange> {
            let (t, id) = (trend?, wave_id.as_ref()?);
            let series = t.questions.iter().find(|x| x.id == q.id)?.lines.iter().find(|l| l.id == line)?;
            let point = series.series.iter().find(|s| s.column == col)?.points.iter().find(|p| &p.wave == id)?;
            point.change.as_ref().map(|c| HeadlineChange { difference: c.difference, direction: c.direction })
        };
        // The share as the results publish it (absent where hidden or nobody answered), with the
        // counts behind it.
        let point = |line: &str, counts: &Breakdown, of: &Breakdown, shares: &Shares, col: &str| {
            Some(HeadlinePoint {
                percent: shares.get(col)?,
                count: counts.get(col)?,
                of: of.get(col)?,
                change: change(line, col),
            })
        };
        let figure = |id: &str, label: String, counts: &Breakdown, of: &Breakdown, shares: &Shares| HeadlineFigure {
            id: id.to_string(),
            label,
            all: point(id, counts, of, shares, ALL),
            context: column.as_deref().and_then(|c| point(id, counts, of, shares, c)),
        };
        let (measure, answers, figures) = match &q.kind {
            QuestionKind::SingleChoice { options } if !q.positive.is_empty() => {
                let answers: Vec<String> =
                    options.iter().filter(|o| q.positive.contains(&o.id)).map(|o| label(&o.label)).collect();
                let (Some(positive), Some(score)) = (&r.positive, &r.score) else { continue };
                let or = lang.pick(" or ", " neu ");
                ("answered", answers.clone(), vec![figure("score", answers.join(or), positive, &r.respondents, score)])
            }
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                let figures = options
                    .iter()
                    .filter_map(|o| {
                        let found = r.options.iter().find(|x| x.id == o.id)?;
                        Some(figure(&o.id, label(&o.label), &found.counts, &r.respondents, &found.shares))
                    })
                    .collect();
                ("chose", Vec::new(), figures)
            }
            QuestionKind::LikertMatrix { rows, scale } => {
                let figures = rows
                    .iter()
                    .filter_map(|row| {
                        let found = r.rows.iter().find(|x| x.id == row.id)?;
                        Some(figure(&row.id, label(&row.label), &found.positive, &found.respondents, &found.score))
                    })
                    .collect();
                ("answered", vec![label(&scale[3]), label(&scale[4])], figures)
            }
            _ => continue,
        };
        out.questions.push(HeadlineQuestion {
            id: q.id.clone(),
            prompt: label(&q.prompt),
            measure: measure.to_string(),
            answers,
            figures,
        });
    }
    out
}
