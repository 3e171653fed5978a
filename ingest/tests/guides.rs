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
    for page in ["src/pages/demo/iframe.html", "../tests/e2e/pages/sharepoint.html"] {
        let text = std::fs::read_to_string(format!("{root}/{page}")).unwrap();
        assert!(squash(&text).contains(&squash(script)), "{page} does not run EMBEDDING.md's snippet");
    }
}

/// Splits a shell command line into words: double quotes group, `#` starts a comment, `>` a
/// redirection, and `$(…)` stands for one word.
fn words(line: &str) -> Vec<String> {
    let line = line.split(" #").next().unwrap().split(" > ").next().unwrap();
    let (mut out, mut word, mut quoted, mut depth) = (Vec::new(), String::new(), false, 0);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' | ')' => {
                depth += if c == '(' { 1 } else { -1 };
                word.push(c);
            }
            c if c.is_whitespace() && !quoted && depth == 0 => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Every `pulse` command in ADMIN.md (the Entra ID sign-in, the allowlist, tokens, the audit log,
/// waves, backups) is one this build takes, with its options spelt as the guide spells them.
#[test]
fn every_pulse_command_in_the_admin_guide_parses() {
    use clap::Parser;
    let mut seen = 0;
    for block in blocks(&guide("ADMIN.md"), "sh") {
        for line in block.replace("\\\n", " ").lines().map(str::trim).filter(|l| l.starts_with("pulse ")) {
            let args = words(line);
            if let Err(e) = pulse_ingest::config::Cli::try_parse_from(&args) {
                panic!("ADMIN.md's `{line}` does not parse:\n{e}");
            }
            seen += 1;
        }
    }
    assert!(seen >= 15, "{seen} commands");
    let admin = guide("ADMIN.md");
    assert!(admin.contains("--oidc-issuer https://login.microsoftonline.com/"), "the Entra ID section");
}
