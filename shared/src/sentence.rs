//! Sentences written about results: why a figure is hidden, what a total leaves out, how to read
//! the figures. A publication is worked out once for every reader, so each sentence is written then
//! in both languages, and goes out as one string: English, unless [`crate::relabel`] chose Welsh.
//! The JSON keeps its shape (a string), and a reader of it gets back the words it was sent.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Lang;

#[derive(Debug, Clone, Eq, Default)]
pub struct Sentence {
    /// What is sent.
    text: String,
    /// The Welsh, until a reader asks for it; `None` once chosen, or when read back from JSON.
    cy: Option<Box<str>>,
}

impl Sentence {
    /// The sentence `write` writes in each language.
    pub fn new(write: impl Fn(Lang) -> String) -> Sentence {
        Sentence { text: write(Lang::En), cy: Some(write(Lang::Cy).into()) }
    }

    /// The same words in both languages (or words read back from JSON).
    pub fn same(text: impl Into<String>) -> Sentence {
        Sentence { text: text.into(), cy: None }
    }

    /// Sends it in `lang` from now on.
    pub fn choose(&mut self, lang: Lang) {
        if let Some(cy) = self.cy.take() {
            if lang == Lang::Cy {
                self.text = cy.into();
            }
        }
    }

    /// Its words in `lang`.
    pub fn into_lang(mut self, lang: Lang) -> String {
        self.choose(lang);
        self.text
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::ops::Deref for Sentence {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for Sentence {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Sentence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Equal when they send the same words.
impl PartialEq for Sentence {
    fn eq(&self, other: &Sentence) -> bool {
        self.text == other.text
    }
}

impl PartialEq<str> for Sentence {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Sentence {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl From<&str> for Sentence {
    fn from(text: &str) -> Sentence {
        Sentence::same(text)
    }
}

impl From<Sentence> for String {
    fn from(s: Sentence) -> String {
        s.text
    }
}

impl Serialize for Sentence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Sentence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sentence, D::Error> {
        String::deserialize(d).map(Sentence::same)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Sentence {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        String::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Sentence {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goes_out_in_english_until_welsh_is_chosen() {
        let write = |l: Lang| l.pick("hidden", "cudd").to_string();
        let s = Sentence::new(write);
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"hidden\"");
        let mut cy = s.clone();
        cy.choose(Lang::Cy);
        assert_eq!(serde_json::to_string(&cy).unwrap(), "\"cudd\"");
        // Chosen once: a second choice changes nothing.
        cy.choose(Lang::En);
        assert_eq!(cy, "cudd");
        let mut en = s;
        en.choose(Lang::En);
        assert_eq!(en, "hidden");
        let back: Sentence = serde_json::from_str("\"cudd\"").unwrap();
        assert_eq!(back, Sentence::same("cudd"));
    }
}
