//! Near-identical stories: the same story sent twice (a retry on another computer, a writer who
//! answered in two waves), or colleagues who wrote up one event together. The moderation queue
//! marks them so a moderator does not approve the same account twice, and can ask whether a story
//! that is nearly another's names the same people.

use std::collections::{HashMap, HashSet};

/// Above this many stories only identical texts (after [`words`]) are matched: comparing every
/// pair grows with the square of the queue.
pub const MAX_COMPARED: usize = 2000;

/// The share of distinct words two stories must have in common (of the words either has) to be
/// near-identical.
const SHARED_WORDS: f64 = 0.8;

/// A text's words, lower-cased, without punctuation: "Thank you, Sister!" and "thank you sister"
/// are the same.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// For each text, the others that are identical or near-identical to it (by position), in order.
/// Texts of fewer than four words are matched only when identical: short ones share words by
/// chance ("Great team work").
pub fn near_duplicates(texts: &[&str]) -> Vec<Vec<usize>> {
    let all: Vec<Vec<String>> = texts.iter().map(|t| words(t)).collect();
    let mut out = vec![Vec::new(); texts.len()];
    let mut same: HashMap<&[String], Vec<usize>> = HashMap::new();
    for (i, w) in all.iter().enumerate().filter(|(_, w)| !w.is_empty()) {
        same.entry(w.as_slice()).or_default().push(i);
    }
    for group in same.values().filter(|g| g.len() > 1) {
        for &i in group {
            out[i].extend(group.iter().copied().filter(|&j| j != i));
        }
    }
    if texts.len() <= MAX_COMPARED {
        let sets: Vec<HashSet<&str>> = all.iter().map(|w| w.iter().map(String::as_str).collect()).collect();
        for i in 0..texts.len() {
            for j in i + 1..texts.len() {
                let (a, b) = (&sets[i], &sets[j]);
                if all[i] == all[j] || a.len() < 4 || b.len() < 4 {
                    continue;
                }
                let shared = a.intersection(b).count();
                let either = a.len() + b.len() - shared;
                if shared as f64 / either as f64 >= SHARED_WORDS {
                    out[i].push(j);
                    out[j].push(i);
                }
            }
        }
    }
    for similar in &mut out {
        similar.sort_unstable();
        similar.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_story_twice_or_nearly_is_marked_and_different_ones_are_not() {
        let texts = [
            "A porter walked a lost patient all the way to the eye clinic.",
            "A porter walked a lost patient all the way to the eye clinic!",
            "a porter walked a lost patient all the way to the eye clinic today",
            "The pharmacy team stayed late so a child's medicine was ready.",
            "Great team work",
            "great team work.",
            "Great team spirit",
        ];
        let found = near_duplicates(&texts);
        assert_eq!(found[0], [1, 2]);
        assert_eq!(found[2], [0, 1], "one word added");
        assert_eq!(found[3], Vec::<usize>::new());
        assert_eq!(found[4], [5], "short texts only when identical");
        assert_eq!(found[6], Vec::<usize>::new());
    }
}
