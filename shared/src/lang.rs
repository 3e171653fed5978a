//! The languages Values Pulse speaks, and text that a survey carries in each of them.
//!
//! English is always present, so every survey reads in English; Welsh is optional per survey, and a
//! survey that offers Welsh must offer it for every piece of text (see `SurveyDefinition::check`), so
//! no one reads a form that switches language halfway down.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A language of the widget and of survey text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Cy,
}

impl Lang {
    /// The ISO 639-1 code, as `lang` attributes and survey text use it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    /// The language's name in English, as the admins' dashboard lists it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Welsh",
        }
    }

    /// The language's name as a reader of `reader` calls it ("Saesneg" for English, in Welsh).
    pub fn name_in(self, reader: Lang) -> &'static str {
        match (self, reader) {
            (lang, Lang::En) => lang.name(),
            (Lang::En, Lang::Cy) => "Saesneg",
            (Lang::Cy, Lang::Cy) => "Cymraeg",
        }
    }

    /// The language of a BCP 47 tag as a page's `lang` attribute or `data-pulse-lang` holds it
    /// (`cy`, `cy-GB`, `en-gb`); `None` for a language Values Pulse does not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("cy") {
            Some(Lang::Cy)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of an embed on a page: the first of `tags` that Values Pulse speaks (the
    /// element's `data-pulse-lang`, then the nearest `lang` attribute, usually the page's
    /// `<html lang>`), else English. The widget and the showcase both choose by this.
    pub fn for_page<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }

    /// The first language in an `Accept-Language` header that Values Pulse speaks. Browsers list
    /// languages in order of preference, so the order is read and the weights are not.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header.split(',').filter_map(|item| Lang::from_tag(item.split(';').next()?)).next()
    }

    /// English or Welsh wording, whichever this language is.
    pub fn pick<T>(self, en: T, cy: T) -> T {
        match self {
            Lang::En => en,
            Lang::Cy => cy,
        }
    }
}

/// Words a person reads, in English and, when the survey offers it, in Welsh.
///
/// On the wire a plain string is English only (so definitions written before Welsh still load), and
/// `{"en": "…", "cy": "…"}` carries both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub en: String,
    pub cy: Option<String>,
}

impl Text {
    pub fn both(en: &str, cy: &str) -> Text {
        Text { en: en.to_string(), cy: Some(cy.to_string()) }
    }

    /// The text in `lang`, or in English when it has none in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Cy => self.cy.as_deref().unwrap_or(&self.en),
            Lang::En => &self.en,
        }
    }
}

impl From<&str> for Text {
    fn from(en: &str) -> Text {
        Text { en: en.to_string(), cy: None }
    }
}

impl From<String> for Text {
    fn from(en: String) -> Text {
        Text { en, cy: None }
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.cy {
            None => s.serialize_str(&self.en),
            Some(cy) => {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("en", &self.en)?;
                map.serialize_entry("cy", cy)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a string, or an object {"en": "…", "cy": "…"}"#)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::from(v))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::from(v))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let (mut en, mut cy) = (None::<String>, None::<String>);
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "en" => &mut en,
                        "cy" => &mut cy,
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown language {other:?}: text may be given in \"en\" and \"cy\""
                            )))
                        }
                    };
                    if slot.is_some() {
                        return Err(de::Error::custom(format!("language {key:?} is given twice")));
                    }
                    *slot = Some(map.next_value()?);
                }
                Ok(Text { en: en.ok_or_else(|| de::Error::missing_field("en"))?, cy })
            }
        }

        d.deserialize_any(TextVisitor)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Text {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        let string = || ObjectBuilder::new().schema_type(Type::String);
        OneOfBuilder::new()
            .item(string().description(Some("English only.")))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property("en", string())
                    .property("cy", string())
                    .required("en")
                    .description(Some("English and Welsh.")),
            )
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Text {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Text")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embed_takes_the_first_language_it_can_speak_else_english() {
        assert_eq!(Lang::for_page(["cy", "en-GB"]), Lang::Cy);
        assert_eq!(
            Lang::for_page(["fr", "cy-GB"]),
            Lang::Cy,
            "an attribute in a language it cannot speak is passed over"
        );
        assert_eq!(Lang::for_page(["en", "cy"]), Lang::En);
        assert_eq!(Lang::for_page(["fr"]), Lang::En);
        assert_eq!(Lang::for_page([]), Lang::En);
    }

    #[test]
    fn tags_name_their_language() {
        assert_eq!(Lang::from_tag("cy"), Some(Lang::Cy));
        assert_eq!(Lang::from_tag(" CY-gb "), Some(Lang::Cy));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::from_accept_language("fr-FR,cy;q=0.8,en;q=0.5"), Some(Lang::Cy));
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    #[test]
    fn plain_strings_are_english_and_both_languages_round_trip() {
        let plain: Text = serde_json::from_str(r#""Hello""#).unwrap();
        assert_eq!(plain, Text::from("Hello"));
        assert_eq!(plain.get(Lang::Cy), "Hello", "no Welsh falls back to English");
        assert_eq!(serde_json::to_string(&plain).unwrap(), r#""Hello""#);

        let both: Text = serde_json::from_str(r#"{"cy":"Helo","en":"Hello"}"#).unwrap();
        assert_eq!(both.get(Lang::Cy), "Helo");
        assert_eq!(both.get(Lang::En), "Hello");
        assert_eq!(serde_json::from_str::<Text>(&serde_json::to_string(&both).unwrap()).unwrap(), both);
    }

    #[test]
    fn unknown_missing_or_repeated_languages_are_refused() {
        for bad in [r#"{"en":"a","fr":"b"}"#, r#"{"cy":"b"}"#, r#"{"en":"a","en":"b"}"#, "3", "null", "[]"] {
            assert!(serde_json::from_str::<Text>(bad).is_err(), "{bad} was accepted");
        }
    }
}
