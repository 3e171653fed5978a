//! The NHS Staff Survey's staff engagement scores, on its 0–10 scale, for surveys that ask the
//! engagement questions from the question bank ([`crate::bank`]).
//!
//! As the Staff Survey's technical guidance defines them:
//! - each answer scores 0, 2.5, 5, 7.5 or 10, from the least to the most favourable point of its
//!   five-point scale ("Never" to "Always", "Strongly disagree" to "Strongly agree");
//! - a respondent's sub-theme score (motivation, involvement, advocacy) is the mean of their scores
//!   for the sub-theme's questions they answered;
//! - a respondent's engagement score is the mean of their sub-theme scores;
//! - a group's score is the mean of its respondents' scores.
//!
//! The Staff Survey weights each organisation's respondents by occupational group before taking
//! the last mean; Values Pulse knows no one's occupation, so its means are unweighted.
//!
//! A respondent's score is counted when the response is stored, as a counter like any answer:
//! question `#engagement` (or `#motivation`, …) "answered" by the people who have the score, and
//! "chosen" at the score in [`UNITS`]ths of 10. Every score a respondent can have is a whole number
//! of those (a mean of one to three means of one to three quarters of 10), so nothing is rounded,
//! and the scores are published under the same rule as any question: a group is shown once `k`
//! people in it have the score.

use serde::{Deserialize, Serialize};

use crate::bank::SubTheme;
use crate::definition::{Choice, Protect, Question, QuestionKind, SurveyDefinition};
use crate::lang::Lang;
use crate::response::{Answer, SurveyResponse};
use crate::tally::TallyKey;

/// A score of 10, in the units counters hold: 144 = 4 points × 36, so that every mean of one to
/// three sub-theme means of one to three answers is a whole number of units.
pub const UNITS: u32 = 144;

/// One of the Staff Survey's engagement scores.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Score {
    Engagement,
    Motivation,
    Involvement,
    Advocacy,
}

impl Score {
    /// The theme first, then its sub-themes in the Staff Survey's order.
    pub const ALL: [Score; 4] = [Score::Engagement, Score::Motivation, Score::Involvement, Score::Advocacy];

    pub fn id(self) -> &'static str {
        match self {
            Score::Engagement => "engagement",
            Score::Motivation => "motivation",
            Score::Involvement => "involvement",
            Score::Advocacy => "advocacy",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Score::Engagement => lang.pick("Staff engagement", "Ymgysylltiad staff"),
            Score::Motivation => lang.pick("Motivation", "Cymhelliant"),
            Score::Involvement => lang.pick("Involvement", "Cyfranogiad"),
            Score::Advocacy => lang.pick("Advocacy", "Eiriolaeth"),
        }
    }

    /// Its name with its scale, as a line of a chart or table is labelled.
    pub fn label(self, lang: Lang) -> String {
        format!("{} ({})", self.name(lang), lang.pick("0 to 10", "0 i 10"))
    }

    /// The score results name by `id`.
    pub fn from_id(id: &str) -> Option<Score> {
        Score::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The sub-themes the score is the mean of: itself, or all three for engagement.
    pub fn sub_themes(self) -> &'static [SubTheme] {
        match self {
            Score::Engagement => &SubTheme::ALL,
            Score::Motivation => &[SubTheme::Motivation],
            Score::Involvement => &[SubTheme::Involvement],
            Score::Advocacy => &[SubTheme::Advocacy],
        }
    }

    fn of(sub: SubTheme) -> Score {
        match sub {
            SubTheme::Motivation => Score::Motivation,
            SubTheme::Involvement => Score::Involvement,
            SubTheme::Advocacy => Score::Advocacy,
        }
    }

    /// The id its counters are kept under, as if it were a question: `#engagement`. No question's
    /// id starts with `#` (ids are slugs).
    pub fn counter_id(self) -> String {
        format!("#{}", self.id())
    }

    /// The score a question id of the results names, if it is one.
    pub fn from_counter_id(id: &str) -> Option<Score> {
        Score::ALL.into_iter().find(|s| id.strip_prefix('#') == Some(s.id()))
    }

    /// Whether a survey asks anything this score is made from.
    pub fn asked_in(self, def: &SurveyDefinition) -> bool {
        self.sub_themes().iter().any(|s| question_of(def, *s).is_some())
    }

    /// The scores a survey asks for, in order.
    pub fn of_survey(def: &SurveyDefinition) -> Vec<Score> {
        Score::ALL.into_iter().filter(|s| s.asked_in(def)).collect()
    }

    /// The question standing for the score under the publishing rule: the id its counters are kept
    /// under, and (for `protect: cells`) a choice for each value the score can take.
    pub fn as_question(self, def: &SurveyDefinition) -> Question {
        let cells = self.sub_themes().iter().filter_map(|s| question_of(def, *s)).any(|q| q.protect == Protect::Cells);
        Question {
            id: self.counter_id(),
            prompt: crate::Text::both(self.name(Lang::En), self.name(Lang::Cy)),
            hint: None,
            required: false,
            show_if: None,
            protect: if cells { Protect::Cells } else { Protect::Groups },
            positive: Vec::new(),
            bank: None,
            kind: QuestionKind::SingleChoice {
                options: values().map(|u| Choice::new(&u.to_string(), u.to_string().as_str())).collect(),
            },
        }
    }
}

/// The question of a survey that asks a sub-theme's items: the one carrying its bank id.
pub fn question_of(def: &SurveyDefinition, sub: SubTheme) -> Option<&Question> {
    def.questions.iter().find(|q| q.bank.as_deref() == Some(sub.bank_id()))
}

/// Every value a respondent's score can take, in units. A sub-theme score is 36 × a sum of points
/// over one to three answers, so a multiple of 6 (12 or 18 or 36 …); an engagement score is the
/// mean of one to three of those, so a multiple of 2 or 3.
pub fn values() -> impl Iterator<Item = u32> {
    (0..=UNITS).filter(|u| u % 2 == 0 || u % 3 == 0)
}

/// A respondent's sub-theme scores, in units, from their answers to its questions.
fn sub_scores(def: &SurveyDefinition, response: &SurveyResponse) -> Vec<(SubTheme, u32)> {
    SubTheme::ALL
        .into_iter()
        .filter_map(|sub| {
            let q = question_of(def, sub)?;
            let Some(Answer::Matrix(points)) = response.answers.get(&q.id) else { return None };
            let points: Vec<u32> = points.values().map(|&p| u32::from(p.clamp(1, 5)) - 1).collect();
            // Each answer is (point − 1) quarters of 10, so the mean is 36 × that sum / answers units.
            (!points.is_empty()).then(|| (sub, (UNITS / 4 * points.iter().sum::<u32>()) / points.len() as u32))
        })
        .collect()
}

/// The counters a response's scores add one to: for each score the respondent has, the people
/// who have it and the people at its value.
pub fn score_keys(def: &SurveyDefinition, response: &SurveyResponse) -> Vec<TallyKey> {
    let subs = sub_scores(def, response);
    if subs.is_empty() {
        return vec![];
    }
    let engagement = subs.iter().map(|(_, u)| u).sum::<u32>() / subs.len() as u32;
    subs.into_iter()
        .map(|(sub, units)| (Score::of(sub), units))
        .chain([(Score::Engagement, engagement)])
        .flat_map(|(score, units)| {
            [TallyKey::Answered(score.counter_id()), TallyKey::Chose(score.counter_id(), units.to_string())]
        })
        .collect()
}

/// A mean score with its 95% interval, on the 0–10 scale, and the people it is of.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// The standard deviation of the respondents' scores, for comparing two estimates.
    pub sd: f64,
    pub of: u64,
}

/// The mean of the people at each value (in units), its sample variance (on the 0–10 scale) and
/// their number; `None` for fewer than two people.
pub fn mean_of(counts: impl IntoIterator<Item = (u32, u64)>) -> Option<(f64, f64, u64)> {
    let counts: Vec<(f64, f64)> =
        counts.into_iter().map(|(u, n)| (10.0 * f64::from(u) / f64::from(UNITS), n as f64)).collect();
    crate::trend::weighted_mean(&counts)
}

impl Estimate {
    /// The estimate of a histogram of respondents' scores.
    pub fn of(counts: impl IntoIterator<Item = (u32, u64)>) -> Option<Estimate> {
        let (mean, variance, n) = mean_of(counts)?;
        let half = crate::trend::Z * (variance / n as f64).sqrt();
        let round = |x: f64| (x * 100.0).round() / 100.0;
        Some(Estimate {
            value: round(mean),
            low: round((mean - half).max(0.0)),
            high: round((mean + half).min(10.0)),
            sd: round(variance.sqrt()),
            of: n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Template;

    fn answer(def: &SurveyDefinition, rows: &[(&str, &[(&str, u8)])]) -> SurveyResponse {
        let mut answers = crate::Answers::new();
        for (q, points) in rows {
            let q = def.questions.iter().find(|x| x.id == *q).unwrap();
            answers.insert(q.id.clone(), Answer::Matrix(points.iter().map(|(r, p)| (r.to_string(), *p)).collect()));
        }
        SurveyResponse { submission_id: crate::SubmissionId([0; 16]), survey_version: 1, context: None, answers }
    }

    fn value(keys: &[TallyKey], score: Score) -> Option<f64> {
        keys.iter().find_map(|k| match k {
            TallyKey::Chose(q, u) if *q == score.counter_id() => Some(10.0 * u.parse::<f64>().unwrap() / 144.0),
            _ => None,
        })
    }

    #[test]
    fn a_respondent_scores_as_the_staff_survey_scores_them() {
        let def = Template::Engagement.build("pulse");
        // Motivation: Always, Often, Sometimes → 10, 7.5, 5 → 7.5. Involvement: one answer, Agree
        // → 7.5. Advocacy: not answered. Engagement: the mean of 7.5 and 7.5.
        let r = answer(&def, &[("motivation", &[("q2a", 5), ("q2b", 4), ("q2c", 3)]), ("involvement", &[("q3c", 4)])]);
        let keys = score_keys(&def, &r);
        assert_eq!(value(&keys, Score::Motivation), Some(7.5));
        assert_eq!(value(&keys, Score::Involvement), Some(7.5));
        assert_eq!(value(&keys, Score::Advocacy), None);
        assert_eq!(value(&keys, Score::Engagement), Some(7.5));
        // Two answers, Never and Rarely → 1.25; one Strongly agree → 10; engagement (1.25 + 10) / 2.
        let r = answer(&def, &[("motivation", &[("q2a", 1), ("q2b", 2)]), ("advocacy", &[("q25c", 5)])]);
        let keys = score_keys(&def, &r);
        assert_eq!(value(&keys, Score::Motivation), Some(1.25));
        assert_eq!(value(&keys, Score::Engagement), Some(5.625));
        // Every combination is a whole number of units: the mean of thirds of thirds.
        let r = answer(
            &def,
            &[
                ("motivation", &[("q2a", 2), ("q2b", 2), ("q2c", 1)]),
                ("involvement", &[("q3c", 2), ("q3d", 1)]),
                ("advocacy", &[("q25a", 5)]),
            ],
        );
        let keys = score_keys(&def, &r);
        let m = 2.5 * 2.0 / 3.0;
        let i = 2.5 / 2.0;
        assert!((value(&keys, Score::Engagement).unwrap() - (m + i + 10.0) / 3.0).abs() < 1e-12);
        assert!((value(&keys, Score::Motivation).unwrap() - m).abs() < 1e-12);
    }

    #[test]
    fn every_score_a_respondent_can_have_is_one_of_the_values_counted() {
        let counted: std::collections::HashSet<u32> = values().collect();
        // Every sub-theme score: one to three answers, each 0 to 4 quarters of 10.
        let mut subs = std::collections::BTreeSet::new();
        for n in 1..=3u32 {
            for sum in 0..=4 * n {
                assert_eq!(UNITS / 4 * sum % n, 0);
                subs.insert(UNITS / 4 * sum / n);
            }
        }
        let subs: Vec<u32> = subs.into_iter().collect();
        for &a in &subs {
            assert!(counted.contains(&a));
            for &b in &subs {
                assert!((a + b) % 2 == 0 && counted.contains(&((a + b) / 2)));
                for &c in &subs {
                    assert!((a + b + c) % 3 == 0 && counted.contains(&((a + b + c) / 3)), "{a} {b} {c}");
                }
            }
        }
    }

    #[test]
    fn a_survey_without_the_engagement_questions_has_no_score() {
        let def = crate::default_survey::constitution();
        assert!(Score::of_survey(&def).is_empty());
        assert!(score_keys(&def, &answer(&def, &[])).is_empty());
        assert_eq!(Score::of_survey(&Template::Engagement.build("p")), Score::ALL.to_vec());
    }

    #[test]
    fn an_estimate_is_a_mean_with_its_interval_on_the_0_to_10_scale() {
        // Ten people at 10 and ten at 0: mean 5, sd 5.13, half-width 1.96 × 5.13 / √20 = 2.25.
        let e = Estimate::of([(144, 10), (0, 10)]).unwrap();
        assert_eq!((e.value, e.low, e.high, e.of), (5.0, 2.75, 7.25, 20));
        assert_eq!(Estimate::of([(72, 1)]), None);
        // Everyone at 10: no spread, and the interval never leaves the scale.
        assert_eq!(Estimate::of([(144, 12)]).unwrap().high, 10.0);
    }
}
