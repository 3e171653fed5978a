//! A survey being written in the editor: drafts as the admin API keeps them, ids made from labels,
//! contexts from a pasted list, and what publishing a draft would change for results. The editor
//! runs all of it in the browser as the admin types; the server runs the same on save and publish.

use serde::{Deserialize, Serialize};

use crate::definition::{is_slug, ContextTag, Division, SurveyDefinition};
use crate::lang::Text;

/// A draft as the server keeps it (`GET /api/v1/drafts/{id}`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// The definition as last saved; its `version` is set when it is published.
    pub definition: SurveyDefinition,
    /// Goes up by one at each save; 0 for a draft not saved yet (a published survey opened for
    /// editing).
    pub revision: u64,
    /// The published version the draft was started from; `None` for a new survey.
    #[serde(default)]
    pub based_on: Option<u32>,
    /// Who saved it last, and when (`YYYY-MM-DD HH:MM` UTC): admins, never staff.
    #[serde(default)]
    pub saved_by: String,
    #[serde(default)]
    pub saved_at: String,
}

/// What the editor sends to save a draft (`PUT /api/v1/drafts/{id}`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftSave {
    /// The revision this edit started from (0 for a draft not saved yet): a save on top of another
    /// admin's later save is refused with 409, never applied over it.
    pub revision: u64,
    /// The published version this draft starts from, for a draft not saved yet; `None` for a new
    /// survey, whose id must then be free.
    #[serde(default)]
    pub based_on: Option<u32>,
    pub definition: SurveyDefinition,
}

/// What the editor sends to publish a draft (`POST /api/v1/drafts/{id}/publish`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftPublish {
    /// The revision the admin reviewed: publishing anything else is refused with 409.
    pub revision: u64,
}

/// A draft with what the editor needs beside it: the published survey it would replace and the
/// latest headcounts, so the editor can say what publishing changes for results.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftState {
    pub draft: Draft,
    /// The survey's current version, if it has been published.
    #[serde(default)]
    pub published: Option<SurveyDefinition>,
    /// Each context's headcount in the survey's latest wave with headcounts.
    #[serde(default)]
    pub headcounts: Vec<(String, u64)>,
}

/// A draft in the list (`GET /api/v1/drafts`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub id: String,
    pub title: Text,
    pub revision: u64,
    pub based_on: Option<u32>,
    pub saved_by: String,
    pub saved_at: String,
}

/// What publishing a draft changes for results.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// The version it will be published as.
    pub version: u32,
    /// Questions asked before whose answers will be counted apart from the older versions' (a
    /// changed kind, options, rows, limit, condition or requirement), by id.
    pub counted_apart: Vec<String>,
    /// Questions the published version did not ask.
    pub new_questions: Vec<String>,
    /// Questions the published version asked and the draft does not.
    pub dropped_questions: Vec<String>,
    pub new_contexts: Vec<String>,
    pub dropped_contexts: Vec<String>,
    /// Contexts whose headcount is below `k`: their results can never be shown on their own.
    pub too_small: Vec<(String, u64)>,
}

impl Changes {
    /// What publishing `draft` over `published` (its current version, if any) changes, with each
    /// context's latest `headcounts`.
    pub fn of(draft: &SurveyDefinition, published: Option<&SurveyDefinition>, headcounts: &[(String, u64)]) -> Changes {
        let mut changes = Changes { version: published.map_or(1, |p| p.version + 1), ..Changes::default() };
        if let Some(old) = published {
            for q in &draft.questions {
                match old.question(&q.id) {
                    None => changes.new_questions.push(q.id.clone()),
                    Some(before) if !crate::publish::same_question(before, q) => {
                        changes.counted_apart.push(q.id.clone())
                    }
                    Some(_) => {}
                }
            }
            changes.dropped_questions =
                old.questions.iter().filter(|q| draft.question(&q.id).is_none()).map(|q| q.id.clone()).collect();
            changes.new_contexts =
                draft.contexts.iter().filter(|c| !old.has_context(&c.id)).map(|c| c.id.clone()).collect();
            changes.dropped_contexts =
                old.contexts.iter().filter(|c| !draft.has_context(&c.id)).map(|c| c.id.clone()).collect();
        } else {
            changes.new_contexts = draft.contexts.iter().map(|c| c.id.clone()).collect();
        }
        changes.too_small =
            headcounts.iter().filter(|(c, n)| draft.has_context(c) && *n < u64::from(draft.k)).cloned().collect();
        changes
    }
}

/// An id made from a label: lowercase ASCII letters and digits joined by `_`, accents dropped
/// (`Gwasanaethau â Phobl` → `gwasanaethau_a_phobl`), at most 48 characters; `item` when nothing is
/// left.
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        let c = plain_letter(c);
        if c == '\'' || c == '’' {
            // "Women's Services" → `womens_services`.
            continue;
        } else if c.is_ascii_alphanumeric() {
            if out.len() >= 48 {
                break;
            }
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "item".into()
    } else {
        out
    }
}

/// The letter without its accent, for the accented letters of Welsh and English names.
fn plain_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ŵ' | 'ẁ' | 'ẃ' | 'ẅ' => 'w',
        'ŷ' | 'ỳ' | 'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        '&' => '_',
        c => c,
    }
}

/// [`slug`] of `label`, with `_2`, `_3`… added when `taken` already has it.
pub fn unique_slug(label: &str, taken: &[&str]) -> String {
    let base = slug(label);
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id.as_str()) {
        n += 1;
        id = format!("{base}_{n}");
    }
    debug_assert!(is_slug(&id));
    id
}

/// The names in a pasted or uploaded list: one per line, or one column of a CSV file (an ESR
/// export) whose first line names its columns. `column` picks it; `None` takes the first column
/// whose heading says it holds names (organisation, department, directorate, team, division,
/// name), else the first. Blank lines, repeats and the heading itself are left out.
pub fn names_in_list(text: &str, column: Option<usize>) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let is_csv = lines.first().is_some_and(|l| l.contains(',') || l.contains('\t'));
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let name = name.trim();
        if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.to_string());
        }
    };
    if !is_csv {
        lines.iter().for_each(|l| add(l));
        return names;
    }
    let header = csv_fields(lines[0]);
    let column = column.unwrap_or_else(|| {
        header
            .iter()
            .position(|h| {
                let h = h.to_lowercase();
                ["organisation", "department", "directorate", "team", "division", "name"].iter().any(|w| h.contains(w))
            })
            .unwrap_or(0)
    });
    for line in &lines[1..] {
        if let Some(name) = csv_fields(line).get(column) {
            add(name);
        }
    }
    names
}

/// The columns' headings of a CSV list, or none for a plain list.
pub fn list_columns(text: &str) -> Vec<String> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if first.contains(',') || first.contains('\t') {
        csv_fields(first)
    } else {
        Vec::new()
    }
}

/// One line of CSV (commas or tabs; double quotes around a field, `""` inside one).
fn csv_fields(line: &str) -> Vec<String> {
    let sep = if line.contains('\t') { '\t' } else { ',' };
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("one field").push('"');
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields.into_iter().map(|f| f.trim().to_string()).collect()
}

/// Contexts for `names` that `existing` does not have yet (matched by label, ignoring case), each
/// with an id made from its name.
pub fn contexts_from_names(names: &[String], existing: &[ContextTag]) -> Vec<ContextTag> {
    let mut taken: Vec<String> = existing.iter().map(|c| c.id.clone()).collect();
    let mut out = Vec::new();
    for name in names {
        if existing.iter().any(|c| c.label.en.eq_ignore_ascii_case(name) || c.id == *name) {
            continue;
        }
        let refs: Vec<&str> = taken.iter().map(String::as_str).collect();
        let id = unique_slug(name, &refs);
        taken.push(id.clone());
        out.push(ContextTag { id, label: Text::from(name.as_str()), division: None });
    }
    out
}

/// A division named `name`, with an id made from it; `None` when the name is empty or a division
/// has it already.
pub fn division_from_name(name: &str, existing: &[Division]) -> Option<Division> {
    let name = name.trim();
    if name.is_empty() || existing.iter().any(|d| d.label.en.eq_ignore_ascii_case(name)) {
        return None;
    }
    let taken: Vec<&str> = existing.iter().map(|d| d.id.as_str()).collect();
    Some(Division { id: unique_slug(name, &taken), label: Text::from(name) })
}

/// Removes division `i`, and with it each context's place in it.
pub fn remove_division(def: &mut SurveyDefinition, i: usize) {
    if i < def.divisions.len() {
        let gone = def.divisions.remove(i);
        for c in def.contexts.iter_mut().filter(|c| c.division.as_deref() == Some(gone.id.as_str())) {
            c.division = None;
        }
    }
}

/// The id of the context `given` names: its id, or its English or Welsh label (ignoring case and
/// spaces at either end), as a headcount file from ESR gives it.
pub fn context_named<'a>(contexts: &'a [ContextTag], given: &str) -> Option<&'a str> {
    let given = given.trim();
    contexts
        .iter()
        .find(|c| c.id == given)
        .or_else(|| {
            contexts.iter().find(|c| {
                c.label.en.trim().eq_ignore_ascii_case(given)
                    || c.label.cy.as_deref().is_some_and(|cy| cy.trim().eq_ignore_ascii_case(given))
            })
        })
        .map(|c| c.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Template;

    #[test]
    fn ids_are_made_from_labels() {
        assert_eq!(slug("Estates & Facilities"), "estates_facilities");
        assert_eq!(slug("  Gwasanaethau â Phobl (Ŵyr) "), "gwasanaethau_a_phobl_wyr");
        assert_eq!(slug("***"), "item");
        assert_eq!(slug(&"a".repeat(100)).len(), 48);
        assert_eq!(unique_slug("Estates", &["estates", "estates_2"]), "estates_3");
        for label in ["Ward 7B", "Médecine", "123", "—"] {
            assert!(is_slug(&unique_slug(label, &[])), "{label}");
        }
    }

    #[test]
    fn names_come_from_lines_or_a_csv_column() {
        assert_eq!(slug("Women’s Services"), "womens_services");
        let lines = "Estates and Facilities\n\n  Women's Services \nestates and facilities\n";
        assert_eq!(names_in_list(lines, None), vec!["Estates and Facilities", "Women's Services"]);
        let esr = "Assignment Number,Organisation,Headcount\n1,\"Surgery, Theatres\",12\n2,Medicine,30\n3,Medicine,4\n";
        assert_eq!(list_columns(esr), vec!["Assignment Number", "Organisation", "Headcount"]);
        assert_eq!(names_in_list(esr, None), vec!["Surgery, Theatres", "Medicine"]);
        assert_eq!(names_in_list(esr, Some(2)), vec!["12", "30", "4"]);
        let contexts = contexts_from_names(&names_in_list(esr, None), &[]);
        assert_eq!(contexts.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec!["surgery_theatres", "medicine"]);
        assert_eq!(contexts_from_names(&["MEDICINE".into(), "Estates".into()], &contexts).len(), 1);
        assert_eq!(context_named(&contexts, " surgery, theatres"), Some("surgery_theatres"));
        assert_eq!(context_named(&contexts, "medicine"), Some("medicine"));
        assert_eq!(context_named(&contexts, "Pharmacy"), None);
    }

    #[test]
    fn changes_say_what_is_counted_apart_and_which_contexts_are_small() {
        let mut old = Template::Values.build("s");
        old.contexts = contexts_from_names(&["Estates".into(), "Surgery".into()], &[]);
        let mut new = old.clone();
        new.questions[0].required = false;
        new.questions[1].prompt.en = "Reworded, still counted together".into();
        new.questions.pop();
        new.contexts.remove(0);
        new.contexts.push(ContextTag { id: "pharmacy".into(), label: "Pharmacy".into(), division: None });
        let heads = [("surgery".to_string(), 7), ("pharmacy".to_string(), 40), ("estates".to_string(), 3)];
        let c = Changes::of(&new, Some(&old), &heads);
        assert_eq!(c.version, 2);
        assert_eq!(c.counted_apart, vec!["awareness"]);
        assert_eq!(c.dropped_questions, vec!["story_consent"]);
        assert_eq!(c.new_contexts, vec!["pharmacy"]);
        assert_eq!(c.dropped_contexts, vec!["estates"]);
        assert_eq!(c.too_small, vec![("surgery".to_string(), 7)]);
        assert_eq!(Changes::of(&new, None, &[]).version, 1);
    }

    #[test]
    fn a_division_is_named_once_and_its_removal_frees_its_contexts() {
        let mut def = crate::default_survey::constitution();
        let care = division_from_name(" Patient care ", &def.divisions).unwrap();
        assert_eq!((care.id.as_str(), care.label.en.as_str()), ("patient_care", "Patient care"));
        def.divisions.push(care);
        // The survey is in Welsh too, so the division needs its Welsh name.
        assert!(def.check().iter().any(|e| e.field == "divisions.patient_care"));
        def.divisions[0].label.cy = Some("Gofal cleifion".into());
        assert_eq!(division_from_name("patient CARE", &def.divisions), None);
        assert_eq!(division_from_name("  ", &def.divisions), None);
        def.contexts[0].division = Some("patient_care".into());
        assert_eq!(def.check(), vec![]);
        remove_division(&mut def, 0);
        assert!(def.divisions.is_empty() && def.contexts.iter().all(|c| c.division.is_none()));
        def.contexts[0].division = Some("gone".into());
        assert!(def.check().iter().any(|e| e.field == "contexts" && e.message.contains("\"gone\"")));
    }
}
