//! The source keeps one home per concern: `ingest/src` holds six files and a folder per kind of
//! code, the folders form layers (each imports only those below it), no module outside `store/`
//! names a redb table, and no handler takes an authentication argument (the admin routes' layer in
//! `router.rs` is the one check).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each file of `ingest/src` by its top-level module (`store/writer.rs` → `store`), without its tests.
fn modules() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).unwrap().to_string_lossy().to_string();
            let module = relative.trim_end_matches(".rs").split('/').next().unwrap().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap().to_string();
            (module, code)
        })
        .collect()
}

/// The `crate::name` paths in `code`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    code.match_indices("crate::")
        .map(|(at, _)| code[at + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
        .collect()
}

#[test]
fn the_modules_import_one_another_without_a_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let files = modules();
    let names: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    for (module, code) in &files {
        let uses = graph.entry(module.clone()).or_default();
        // `lib` is the crate's root (it holds AppState), not a module others depend on in a cycle.
        uses.extend(crate_paths(code).into_iter().filter(|d| d != module && names.contains(d) && d != "lib"));
    }
    graph.remove("lib");
    graph.remove("main");
    // Depth-first search for a path that comes back to where it started.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|p| p == node) {
            panic!("an import cycle: {}", path[at..].join(" → ") + " → " + node);
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn only_the_store_names_a_table_and_no_handler_takes_an_auth_argument() {
    for (module, code) in modules() {
        if module != "store" {
            assert!(!code.contains("TableDefinition"), "{module} names a redb table");
            assert!(!code.contains("begin_write") && !code.contains("begin_read"), "{module} opens a transaction");
        }
        assert!(!code.contains("_: Admin"), "{module} has a handler that takes an auth argument");
    }
}

/// The layers, lowest first: a module may import only modules of a lower layer. The store knows
/// nothing of HTTP; `http` knows nothing of surveys' rules or admins; `admin` may read what `public`
/// serves (a survey's definition), never the other way round; the command line sits on top of the
/// operations, and the API document and the route table on top of everything.
const LAYERS: &[&[&str]] = &[
    &["config"],
    &["store"],
    &["error"],
    &["http", "export"],
    &["auth"],
    &["public"],
    &["admin", "pages"],
    &["cli"],
    &["openapi"],
    &["router"],
];

#[test]
fn ingest_src_holds_six_files_and_a_folder_per_kind_of_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeSet::new();
    let mut folders = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            folders.insert(name);
        } else {
            files.insert(name);
        }
    }
    let want: BTreeSet<String> =
        ["main.rs", "lib.rs", "config.rs", "error.rs", "router.rs", "openapi.rs"].map(String::from).into();
    assert_eq!(files, want, "only these files sit directly in ingest/src");
    let layered: BTreeSet<String> = LAYERS.iter().flat_map(|l| l.iter()).map(|m| m.to_string()).collect();
    for folder in &folders {
        assert!(layered.contains(folder), "ingest/src/{folder}/ is in no layer");
    }
}

#[test]
fn the_folders_form_layers() {
    let layer = |m: &str| LAYERS.iter().position(|l| l.contains(&m));
    let mut crossings = Vec::new();
    for (module, code) in modules() {
        let Some(own) = layer(&module) else { continue };
        for used in crate_paths(&code) {
            if let Some(theirs) = layer(&used).filter(|_| used != module) {
                if theirs >= own {
                    crossings.push(format!("{module} imports {used}"));
                }
            }
        }
    }
    crossings.sort();
    crossings.dedup();
    assert!(crossings.is_empty(), "imports against the layers: {crossings:?}");
}
