//! The dashboard's language: chosen from the browser's languages, switchable on every page and
//! remembered in this browser; and the ways it writes numbers. The words themselves sit where they
//! are used, English beside Welsh (`lang.pick("…", "…")`), so a missing Welsh text cannot compile.

use pulse_shared::Lang;

/// Where the chosen language is remembered (in this browser only).
const LANG_KEY: &str = "pulse-admin-lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language chosen before in this browser, else the first of the browser's languages the
/// dashboard speaks, else English.
pub fn initial_lang() -> Lang {
    if let Some(lang) =
        local_storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten()).and_then(|t| Lang::from_tag(&t))
    {
        return lang;
    }
    let navigator = web_sys::window().map(|w| w.navigator());
    let tags: Vec<String> =
        navigator.map(|n| n.languages().iter().filter_map(|t| t.as_string()).collect()).unwrap_or_default();
    tags.iter().find_map(|t| Lang::from_tag(t)).unwrap_or(Lang::En)
}

/// Remembers `lang` for this browser and marks the page as written in it.
pub fn remember(lang: Lang) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", lang.code());
    }
}

/// A whole number as people write it: 1,234.
pub fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A figure as the API gives it: a number, or the results' word for a hidden one.
pub fn figure(n: Option<u64>, hidden: &str) -> String {
    n.map_or_else(|| hidden.to_string(), number)
}

/// A share, score or mean as the API gives it (already rounded), without a needless ".0".
pub fn decimal(x: f64) -> String {
    format!("{x}")
}

/// The page's title in the browser's tab.
pub fn set_title(text: &str) {
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_title(&format!("{text} – Values Pulse"));
    }
}

// Native only: the browser tests run through wasm-bindgen-test (tests/web.rs).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1000), "1,000");
        assert_eq!(number(1234567), "1,234,567");
        assert_eq!(decimal(32.5), "32.5");
        assert_eq!(decimal(40.0), "40");
        assert_eq!(decimal(-2.5), "-2.5");
    }
}
