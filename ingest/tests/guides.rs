//! The guides' examples are the real thing: the survey definition in ADMIN.md imports cleanly in both
//! languages, and the resizing snippet in EMBEDDING.md is the one the demo page and the browser test run.

use pulse_shared::{Lang, SurveyDefinition};

fn guide(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The contents of every fenced block of `lang` in `markdown`.
fn blocks(markdown: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    markdown.split(&fence).skip(1).map(|rest| rest.split("```").next().unwrap().to_string()).collect()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_admin_guides_definition_imports_in_english_and_welsh() {
    let examples = blocks(&guide("ADMIN.md"), "toml");
    assert_eq!(examples.len(), 1);
    let def: SurveyDefinition = toml::from_str(&examples[0]).unwrap();
    assert_eq!(def.check(), vec![]);
    assert_eq!(def.languages(), vec![Lang::En, Lang::Cy]);
    assert_eq!(def.privacy_url.as_deref(), Some("https://www.example.nhs.uk/privacy"));
}

#[test]
fn the_embedding_guides_resize_snippet_is_the_one_that_is_tested() {
    let html = blocks(&guide("EMBEDDING.md"), "html");
    let snippet = html.iter().find(|b| b.contains("values-pulse:height")).expect("the resizing snippet");
    let script = &snippet[snippet.find("<script>").unwrap()..];
    let root = env!("CARGO_MANIFEST_DIR");
    for page in ["src/demo/iframe.html", "../tests/e2e/pages/sharepoint.html"] {
        let text = std::fs::read_to_string(format!("{root}/{page}")).unwrap();
        assert!(squash(&text).contains(&squash(script)), "{page} does not run EMBEDDING.md's snippet");
    }
}
