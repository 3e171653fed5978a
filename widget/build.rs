//! Writes the widget's stylesheet without its comments and spare whitespace into OUT_DIR: the wasm
//! carries it as a string, and every page that shows the widget downloads it. The stylesheet is our
//! own, so a few safe rules do: no string in it holds a comment marker or meaningful runs of spaces.

use std::{env, fs, path::Path};

fn main() {
    let source = "src/style.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).expect("widget/src/style.css is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("style.css");
    fs::write(out, minify(&css)).expect("OUT_DIR is writable");
}

fn minify(css: &str) -> String {
    // Comments out.
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("every comment in style.css is closed");
        rest = &rest[start + end + 2..];
    }
    text.push_str(rest);
    // Whitespace runs become one space, and go entirely next to punctuation that needs none. A colon
    // is left alone: in a selector (`.a :focus`) the space before it means something.
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let tight = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>');
        if space && !out.is_empty() && !tight(c) && !out.ends_with(tight) {
            out.push(' ');
        }
        space = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}
