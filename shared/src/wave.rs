//! Waves: the named windows in which a survey is asked again and again (a quarterly pulse). A survey
//! with waves takes responses only inside one; each response belongs to the wave whose window holds
//! the day it arrived, so nothing new is kept about the person. A survey with none takes responses
//! whenever its own `opens`/`closes` allow.
//!
//! Windows never overlap and never move once responses may have arrived in them, so the day alone
//! always says which wave a stored response is in (see [`Wave::check_new`]).

use serde::{Deserialize, Serialize};

use crate::definition::{is_slug, DefinitionError, SurveyDefinition, SLUG_PATTERN};
use crate::{Date, Text};

/// The most waves a survey may have: a monthly pulse for eight years, a quarterly one for thirty.
/// Every view of results (and each download and trend) holds a column or a row per wave, so this
/// bounds what any one request costs; a survey that needs more is a new survey.
pub const MAX_WAVES: usize = 100;

/// The longest wave label, in characters (it heads a column in the downloads).
pub const MAX_WAVE_LABEL_CHARS: usize = 80;

/// Every reason `label` cannot name a wave.
fn check_label(label: &Text, err: &mut impl FnMut(&str, String)) {
    if label.en.trim().is_empty() || label.cy.as_deref().is_some_and(|cy| cy.trim().is_empty()) {
        err("label", "must not be empty".into());
    }
    for (field, text) in [("label.en", Some(&label.en)), ("label.cy", label.cy.as_ref())] {
        if let Some(Err(problem)) =
            text.map(|t| crate::field::check_field(t, crate::field::Lines::One, MAX_WAVE_LABEL_CHARS))
        {
            err(field, problem.describe());
        }
    }
}

/// The id under which responses from before a survey had waves are counted.
pub const NO_WAVE: &str = "";

/// One window of a survey, both days included.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    /// A slug, e.g. `2026-q3`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9][a-z0-9_-]{0,63}$"))]
    pub id: String,
    /// What the dashboard and the downloads call it, in English and, optionally, Welsh.
    pub label: Text,
    /// The first day responses are taken.
    pub opens: Date,
    /// The last day responses are taken.
    pub closes: Date,
}

impl Wave {
    /// Whether `day` falls in this wave.
    pub fn holds(&self, day: Date) -> bool {
        self.opens <= day && day <= self.closes
    }

    /// Every reason `self` cannot be added to a survey whose waves are `existing`, on `today`.
    ///
    /// A new wave must not close before today (a window in the past would take no responses) and
    /// must not overlap another. `adopt` is for a survey that ran before it had waves: the new wave
    /// takes in every response that has no wave, so its window must reach back to the first of them
    /// and forward to the last of them (`unwaved`: the first and last days a response without a
    /// wave arrived), and it may lie in the past. Without `adopt`, a wave may not hold a day on which
    /// a response without a wave arrived: the last such day must be before it opens. Either way no stored response ever changes wave, except all of them at once.
    pub fn check_new(
        &self,
        existing: &[Wave],
        today: Date,
        adopt: bool,
        unwaved: Option<(Date, Date)>,
    ) -> Vec<DefinitionError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| errors.push(DefinitionError { field: field.into(), message });
        if !is_slug(&self.id) {
            err("id", format!("must match {SLUG_PATTERN}, got {:?}", self.id));
        }
        check_label(&self.label, &mut err);
        if existing.len() >= MAX_WAVES {
            err("waves", format!("a survey can have at most {MAX_WAVES} waves, and this one has {}", existing.len()));
        }
        if self.closes < self.opens {
            err("closes", format!("{} is before opens {}", self.closes, self.opens));
        }
        if self.closes < today && !adopt {
            err("closes", format!("{} is in the past: a wave must close today or later", self.closes));
        }
        if existing.iter().any(|w| w.id == self.id) {
            err("id", format!("the survey already has a wave {:?}", self.id));
        }
        for w in existing.iter().filter(|w| w.opens <= self.closes && self.opens <= w.closes) {
            err("opens", format!("the window overlaps wave {:?} ({} to {})", w.id, w.opens, w.closes));
        }
        match (adopt, unwaved) {
            (true, None) => err("adopt", "the survey has no responses without a wave to take in".into()),
            (true, Some(_)) if !existing.is_empty() => {
                err("adopt", "only a survey's first wave can take in the responses it had before waves".into())
            }
            (true, Some((first, last))) if self.opens > first || self.closes < last => err(
                "opens",
                format!(
                    "must run from {first} or before to {last} or after: the days the responses without a wave \
                     arrived"
                ),
            ),
            (false, Some((_, last))) if self.opens <= last => err(
                "opens",
                format!(
                    "must be after {last}, the last day a response without a wave arrived; or set adopt to take \
                     those responses into this wave"
                ),
            ),
            _ => {}
        }
        errors
    }
}

/// A correction to a wave: a new name, an earlier last day (closing it early), or deleting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaveEdit {
    Rename(Text),
    CloseOn(Date),
    Delete,
}

impl Wave {
    /// Every reason `edit` cannot be made to this wave on `today`, when the last response counted
    /// in it arrived on `last_response`. A wave never loses a response: it may close early, but
    /// not before a day a response arrived in it (those stay in it, as the day alone says), and
    /// only a wave that has not opened, and so holds nothing, may be deleted. A name may change at
    /// any time.
    pub fn check_edit(&self, edit: &WaveEdit, today: Date, last_response: Option<Date>) -> Vec<DefinitionError> {
        let err = |field: &str, message: String| vec![DefinitionError { field: field.into(), message }];
        match edit {
            WaveEdit::Rename(label) => {
                let mut errors = Vec::new();
                check_label(label, &mut |field: &str, message| {
                    errors.push(DefinitionError { field: field.into(), message })
                });
                return errors;
            }
            WaveEdit::CloseOn(day) => {
                if *day > self.closes {
                    return err(
                        "closes",
                        format!("{day} is after {}, its last day: a wave can close early, not late", self.closes),
                    );
                }
                if *day < self.opens {
                    return err(
                        "closes",
                        format!("{day} is before {}, the day it opens: delete it instead", self.opens),
                    );
                }
                if let Some(last) = last_response.filter(|last| last > day) {
                    return err(
                        "closes",
                        format!("a response in it arrived on {last}: it can close on {last} at the earliest"),
                    );
                }
            }
            WaveEdit::Delete => {
                if self.opens <= today || last_response.is_some() {
                    return err(
                        "wave",
                        format!("it opened on {}: only a wave that has not opened can be deleted", self.opens),
                    );
                }
            }
        }
        Vec::new()
    }
}

/// The wave that holds `day`, if any.
pub fn wave_on(waves: &[Wave], day: Date) -> Option<&Wave> {
    waves.iter().find(|w| w.holds(day))
}

/// The id of the wave a response that arrived on `day` is counted in: the one that holds the day, or
/// [`NO_WAVE`]. The writer, `pulse check` and the stories list all decide it by this.
pub fn wave_id_on(waves: &[Wave], day: Date) -> &str {
    wave_on(waves, day).map_or(NO_WAVE, |w| w.id.as_str())
}

/// Whether `def` takes responses on `today`, given its `waves`: inside its own window, and inside a
/// wave when it has any. `None` when open; otherwise why not, in both languages.
pub fn closed_message(def: &SurveyDefinition, waves: &[Wave], today: Date) -> Option<Text> {
    let next = |after: Date| waves.iter().filter(|w| w.opens > after).map(|w| w.opens).min();
    let text = |en: String, cy: String| Some(Text { en, cy: Some(cy) });
    // Days written out in each language ("6 April 2026", "6 Ebrill 2026"), as staff read them.
    let (en, cy) = (|d: Date| d.long(crate::Lang::En), |d: Date| d.long(crate::Lang::Cy));
    match (def.opens, def.closes) {
        (Some(o), _) if today < o => {
            return text(format!("This survey opens on {}.", en(o)), format!("Mae'r arolwg hwn yn agor ar {}.", cy(o)))
        }
        (_, Some(c)) if today > c => {
            return text(format!("This survey closed on {}.", en(c)), format!("Caeodd yr arolwg hwn ar {}.", cy(c)))
        }
        _ => {}
    }
    if waves.is_empty() || wave_on(waves, today).is_some() {
        return None;
    }
    match next(today).filter(|d| def.closes.is_none_or(|c| *d <= c)) {
        Some(d) => text(
            format!("This survey is closed. The next one opens on {}.", en(d)),
            format!("Mae'r arolwg hwn ar gau. Mae'r un nesaf yn agor ar {}.", cy(d)),
        ),
        None => text("This survey is closed.".into(), "Mae'r arolwg hwn ar gau.".into()),
    }
}

/// How many staff a context has in one wave, as an admin recorded it: the denominator of its
/// response rate.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headcount {
    pub wave: String,
    pub context: String,
    pub headcount: u64,
}

/// The largest headcount taken: more staff than any NHS organisation has.
pub const MAX_HEADCOUNT: u64 = 10_000_000;

/// Headcounts as an admin gave them for wave `wave` — (context id, the number as written) pairs,
/// from JSON, a CSV file or the command line — checked against the survey's `contexts`. Every
/// problem is named by its field: the context id.
pub fn parse_headcounts(
    wave: &str,
    contexts: &[crate::ContextTag],
    given: &[(String, String)],
) -> Result<Vec<Headcount>, Vec<DefinitionError>> {
    let mut errors = Vec::new();
    let mut out: Vec<Headcount> = Vec::new();
    for (name, text) in given {
        let mut err = |message: String| errors.push(DefinitionError { field: name.clone(), message });
        // An ESR export names a context by its label; a file written by hand, by its id.
        let Some(context) = crate::draft::context_named(contexts, name).map(str::to_string) else {
            let ids: Vec<&str> = contexts.iter().map(|c| c.id.as_str()).collect();
            err(format!("{name:?} is not a context of this survey (it has {})", ids.join(", ")));
            continue;
        };
        let context = &context;
        if out.iter().any(|h| &h.context == context) {
            err("is given twice".into());
            continue;
        }
        match text.trim().parse::<u64>() {
            Ok(n @ 1..=MAX_HEADCOUNT) => {
                out.push(Headcount { wave: wave.to_string(), context: context.clone(), headcount: n })
            }
            _ => err(format!("must be a whole number from 1 to {MAX_HEADCOUNT}, got {text:?}")),
        }
    }
    if given.is_empty() {
        errors.push(DefinitionError { field: "headcounts".into(), message: "no headcount was given".into() });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn wave(id: &str, opens: &str, closes: &str) -> Wave {
        Wave { id: id.into(), label: Text::from(id), opens: day(opens), closes: day(closes) }
    }

    #[test]
    fn a_wave_holds_both_its_days_and_waves_may_not_overlap() {
        let q1 = wave("q1", "2026-01-05", "2026-01-30");
        assert!(q1.holds(day("2026-01-05")) && q1.holds(day("2026-01-30")));
        assert!(!q1.holds(day("2026-01-04")) && !q1.holds(day("2026-01-31")));
        let today = day("2026-01-01");
        let q2 = wave("q2", "2026-01-30", "2026-02-20");
        let errors = q2.check_new(std::slice::from_ref(&q1), today, false, None);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("overlaps wave \"q1\""));
        assert!(wave("q2", "2026-01-31", "2026-02-20").check_new(&[q1.clone()], today, false, None).is_empty());
        let past = wave("old", "2025-01-01", "2025-02-01").check_new(&[], today, false, None);
        assert!(past[0].message.contains("in the past"), "{past:?}");
    }

    #[test]
    fn responses_from_before_waves_change_wave_all_together_or_not_at_all() {
        let today = day("2026-03-10");
        let unwaved = Some((day("2026-02-01"), day("2026-03-10")));
        // Opening today would put today's earlier responses in a wave they were not counted in.
        let today_on = wave("q1", "2026-03-10", "2026-03-31");
        assert_eq!(today_on.check_new(&[], today, false, unwaved)[0].field, "opens");
        assert!(wave("q1", "2026-03-11", "2026-03-31").check_new(&[], today, false, unwaved).is_empty());
        // Adopting takes them all in, so the window must reach back to the first.
        assert_eq!(wave("b", "2026-02-02", "2026-03-31").check_new(&[], today, true, unwaved)[0].field, "opens");
        assert!(wave("b", "2026-02-01", "2026-03-31").check_new(&[], today, true, unwaved).is_empty());
        assert_eq!(wave("b", "2026-02-01", "2026-03-31").check_new(&[], today, true, None)[0].field, "adopt");
    }

    #[test]
    fn a_wave_closes_early_but_never_loses_a_response_and_only_an_unopened_one_is_deleted() {
        let q1 = wave("q1", "2026-01-05", "2026-01-30");
        let today = day("2026-01-12");
        let close = |d: &str, last: Option<&str>| q1.check_edit(&WaveEdit::CloseOn(day(d)), today, last.map(day));
        assert!(close("2026-01-11", Some("2026-01-10")).is_empty(), "closed from today on");
        assert!(close("2026-01-11", Some("2026-01-12"))[0].message.contains("arrived on 2026-01-12"));
        assert!(close("2026-02-10", None)[0].message.contains("close early, not late"));
        assert!(close("2026-01-01", None)[0].message.contains("delete it instead"));
        assert!(q1.check_edit(&WaveEdit::Delete, today, None)[0].message.contains("has not opened"));
        assert!(q1.check_edit(&WaveEdit::Delete, day("2026-01-04"), None).is_empty());
        assert!(q1.check_edit(&WaveEdit::Rename(Text::from(" ")), today, None)[0].field == "label");
        assert!(q1.check_edit(&WaveEdit::Rename(Text::from("Winter pulse")), today, Some(today)).is_empty());
    }

    #[test]
    fn headcounts_name_each_bad_field() {
        let given = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(c, n)| (c.to_string(), n.to_string())).collect()
        };
        let contexts = crate::default_survey::constitution().contexts;
        let ok =
            parse_headcounts("q1", &contexts, &given(&[("estates", "120"), ("Clinical services ", " 40 ")])).unwrap();
        assert_eq!(ok[1], Headcount { wave: "q1".into(), context: "clinical".into(), headcount: 40 });
        let bad = parse_headcounts("q1", &contexts, &given(&[("estates", "-5"), ("clinical", "many"), ("x", "3")]))
            .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["estates", "clinical", "x"]);
        assert!(bad[0].message.contains("whole number") && bad[2].message.contains("not a context"));
    }

    #[test]
    fn outside_its_waves_a_survey_says_when_the_next_opens() {
        let def = crate::default_survey::constitution();
        assert_eq!(closed_message(&def, &[], day("2026-01-01")), None);
        let waves = [wave("q1", "2026-01-05", "2026-01-30"), wave("q2", "2026-04-06", "2026-04-30")];
        assert_eq!(closed_message(&def, &waves, day("2026-01-10")), None);
        let between = closed_message(&def, &waves, day("2026-02-01")).unwrap();
        assert_eq!(between.en, "This survey is closed. The next one opens on 6 April 2026.");
        assert!(between.cy.unwrap().contains("6 Ebrill 2026"));
        assert_eq!(closed_message(&def, &waves, day("2026-05-01")).unwrap().en, "This survey is closed.");
    }
}
