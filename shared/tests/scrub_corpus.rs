//! The scrubber against a corpus of realistic story sentences (`tests/scrub-corpus.txt`): how many
//! of the details it promises to remove it removes exactly (recall, at least 99%), and how many
//! ordinary sentences it changes (false positives, at most 1%). Prints both, by kind; the test
//! command runs it with `--nocapture` so the figures are in its output.

use std::collections::BTreeMap;

use pulse_shared::{scrub, ScrubKind};

const CORPUS: &str = include_str!("scrub-corpus.txt");

fn kind(name: &str) -> ScrubKind {
    match name {
        "phone" => ScrubKind::Phone,
        "nhs" => ScrubKind::NhsNumber,
        "email" => ScrubKind::Email,
        "postcode" => ScrubKind::Postcode,
        "url" => ScrubKind::Url,
        "dob" => ScrubKind::DateOfBirth,
        "hospital" => ScrubKind::HospitalNumber,
        "address" => ScrubKind::Address,
        other => panic!("unknown kind {other:?} in the corpus"),
    }
}

/// A `+` line: the sentence as written, what it must become, and the kind of its detail.
fn marked(line: &str) -> (String, String, &str) {
    let line = line.replace("\\n", "\n");
    let (before, rest) = line.split_once("[[").expect("a marked detail");
    let (detail, after) = rest.split_once("]]").expect("a closed mark");
    let (name, text) = detail.split_once('|').expect("kind|text");
    let name: &'static str = match name {
        "phone" => "phone",
        "nhs" => "nhs",
        "email" => "email",
        "postcode" => "postcode",
        "url" => "url",
        "dob" => "dob",
        "hospital" => "hospital",
        "address" => "address",
        other => panic!("unknown kind {other:?}"),
    };
    (format!("{before}{text}{after}"), format!("{before}{}{after}", kind(name).placeholder()), name)
}

#[test]
fn the_scrubber_removes_what_it_promises_and_leaves_ordinary_sentences_alone() {
    let mut caught: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let (mut clean, mut changed) = (0usize, Vec::new());
    for line in CORPUS.lines() {
        if let Some(line) = line.strip_prefix("+ ") {
            let (written, expected, name) = marked(line);
            let out = scrub(&written).text;
            let tally = caught.entry(name).or_default();
            tally.1 += 1;
            if out == expected {
                tally.0 += 1;
            } else {
                misses.push(format!("{name}: {written:?} became {out:?}"));
            }
        } else if let Some(line) = line.strip_prefix("- ") {
            clean += 1;
            let out = scrub(line).text;
            if out != line {
                changed.push(format!("{line:?} became {out:?}"));
            }
        }
    }
    let (hits, total) = caught.values().fold((0, 0), |(h, t), (a, b)| (h + a, t + b));
    let recall = 100.0 * hits as f64 / total as f64;
    let false_positives = 100.0 * changed.len() as f64 / clean as f64;
    let by_kind: Vec<String> = caught.iter().map(|(k, (h, t))| format!("{k} {h}/{t}")).collect();
    println!(
        "scrubber corpus: recall {recall:.1}% ({hits} of {total} details: {}); false positives {false_positives:.1}% ({} of {clean} ordinary sentences)",
        by_kind.join(", "),
        changed.len()
    );
    assert!(total >= 80 && clean >= 100, "the corpus is too small to measure: {total} details, {clean} sentences");
    assert!(recall >= 99.0, "recall {recall:.1}% is below 99%: {misses:#?}");
    assert!(false_positives <= 1.0, "false positives {false_positives:.1}% over 1%: {changed:#?}");
}
