//! The source keeps one home per concern: the modules of `ingest/src` import one another without a
//! cycle, no module outside `store/` names a redb table, and no handler takes an authentication
//! argument (the admin routes' layer in `router.rs` is the one check).

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
