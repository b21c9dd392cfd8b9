//! The module layers, read from the source: which top-level module of `src/` uses which
//! (`crate::x` paths outside comments and test code). The core knows no screen, `i18n` knows
//! only the domain, and no modules depend on each other in a circle. A new cycle fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The core: what a server or another front end builds on. None of it may use [`APP`].
const CORE: &[&str] = &[
    "domain",
    "i18n",
    "command",
    "model",
    "search",
    "indicators",
    "store",
    "backend",
    "io",
    "ops",
];

/// The front ends and the programs around the core.
const APP: &[&str] = &["tui", "cli", "server"];

/// What `i18n` may use: the domain's vocabularies it puts words to. Every other layer maps
/// its own values to i18n's message keys.
const I18N_USES: &[&str] = &["domain"];

/// Dependencies known to close a cycle, each to be removed by its owner. When one is gone,
/// this test fails until its line here is deleted too, so the list only shrinks.
const KNOWN: &[(&str, &str, &str)] = &[];

type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// module -> used module -> files that use it.
fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut g = Graph::new();
    for file in files {
        let rel = file.strip_prefix(&src).expect("under src");
        let Some(module) = top_module(rel) else { continue };
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for used in uses(&code_only(&text)) {
            if used != module && is_module(&src, &used) {
                let shown = rel.display().to_string();
                g.entry(module.clone())
                    .or_default()
                    .entry(used)
                    .or_default()
                    .insert(shown);
            }
        }
    }
    g
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to; `None` for the crate root, `main.rs` and files
/// that are test modules (`tests.rs`, anything under a `tests/` folder).
fn top_module(rel: &Path) -> Option<String> {
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.iter().any(|p| p == "tests" || p == "tests.rs") {
        return None;
    }
    let first = parts.first()?.trim_end_matches(".rs").to_string();
    (first != "lib" && first != "main").then_some(first)
}

fn is_module(src: &Path, name: &str) -> bool {
    src.join(format!("{name}.rs")).exists() || src.join(name).join("mod.rs").exists()
}

/// The text without comments and without `#[cfg(test)]` items.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with("#[cfg(test)]") {
            // Skip the item that follows (attributes, then one line or a braced block).
            let mut depth = 0i32;
            let mut opened = false;
            for next in lines.by_ref() {
                let t = next.trim_start();
                if t.starts_with("#[") && !opened {
                    continue;
                }
                depth += next.matches('{').count() as i32 - next.matches('}').count() as i32;
                opened |= next.contains('{');
                if (opened && depth <= 0) || (!opened && t.ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        let code = line.find(" //").map_or(line, |i| &line[..i]);
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The top-level modules named by `crate::name` and `crate::{a::.., b}` paths.
fn uses(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // e.g. `$crate::` or `other_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.insert(ident(item.trim()));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            found.insert(ident(item.trim()));
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|s| !s.is_empty() && s != "self");
    found
}

fn ident(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

fn edge_list(g: &Graph, from: &str) -> Vec<String> {
    g.get(from)
        .into_iter()
        .flatten()
        .map(|(to, files)| {
            format!(
                "{from} -> {to} ({})",
                files.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect()
}

fn is_known(from: &str, to: &str) -> bool {
    KNOWN.iter().any(|(a, b, _)| *a == from && *b == to)
}

#[test]
fn the_reader_sees_module_uses() {
    // The reader itself: comments, test items and other crates' paths do not count.
    let code = code_only(
        "use crate::domain::X;\n/// [`crate::store::S`]\nlet a = crate::model::f(); // crate::io\n\
         use crate::{search::fold, indicators::{A, B}};\nlet b = $crate::log::x;\n\
         #[cfg(test)]\nmod tests {\n    use crate::cli::run;\n}\n#[cfg(test)]\nuse crate::tui::App;\n",
    );
    let found: Vec<String> = uses(&code).into_iter().collect();
    assert_eq!(found, ["domain", "indicators", "model", "search"]);
}

#[test]
fn the_core_uses_no_front_end() {
    let g = graph();
    let bad: Vec<String> = CORE
        .iter()
        .flat_map(|m| edge_list(&g, m))
        .filter(|e| APP.iter().any(|a| e.contains(&format!(" -> {a} "))))
        .filter(|e| !KNOWN.iter().any(|(a, b, _)| e.starts_with(&format!("{a} -> {b} "))))
        .collect();
    assert!(
        bad.is_empty(),
        "the core must not use tui, cli or server:\n{}",
        bad.join("\n")
    );
}

#[test]
fn i18n_uses_only_the_domain() {
    let g = graph();
    let bad: Vec<String> = edge_list(&g, "i18n")
        .into_iter()
        .filter(|e| !I18N_USES.iter().any(|ok| e.starts_with(&format!("i18n -> {ok} "))))
        .filter(|e| !KNOWN.iter().any(|(a, b, _)| e.starts_with(&format!("{a} -> {b} "))))
        .collect();
    assert!(
        bad.is_empty(),
        "i18n must use only {I18N_USES:?}; map the value to a message key in its own module instead:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_modules_depend_on_each_other_in_a_circle() {
    let g = graph();
    // Every cycle shows up as a strongly connected set of more than one module.
    let nodes: Vec<&String> = g.keys().collect();
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for to in g.get(&m).into_iter().flat_map(|t| t.keys()) {
                if !is_known(&m, to) && seen.insert(to.clone()) {
                    todo.push(to.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut cycles = Vec::new();
    for a in &nodes {
        for (b, files) in g.get(*a).into_iter().flatten() {
            let back = reaches.get(b).is_some_and(|r| r.contains(*a));
            if back && !is_known(a, b) {
                let f: Vec<&str> = files.iter().map(String::as_str).collect();
                cycles.push(format!("{a} -> {b} ({}), and {b} leads back to {a}", f.join(", ")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "module cycles (move the shared piece down to the lower module, or map values to keys in the \
         higher one):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn every_known_cycle_edge_still_exists() {
    let g = graph();
    let gone: Vec<String> = KNOWN
        .iter()
        .filter(|(a, b, _)| !g.get(*a).is_some_and(|t| t.contains_key(*b)))
        .map(|(a, b, why)| format!("{a} -> {b} ({why})"))
        .collect();
    assert!(
        gone.is_empty(),
        "these are gone: delete them from KNOWN in tests/layers.rs:\n{}",
        gone.join("\n")
    );
}
