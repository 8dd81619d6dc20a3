//! The client's layers, checked: which of its modules may import which
//! (lib.rs's tour draws them). Read from the source text of the
//! production code, so that a new import that runs back up fails here
//! rather than in review.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The production files of a top-level module: `name.rs` and everything
/// under `name/`, tests and the test fixture apart.
fn files_of(module: &str) -> Vec<PathBuf> {
    let mut files = vec![src().join(format!("{module}.rs"))];
    let mut dirs = vec![src().join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.retain(|path| {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        path.exists() && name != "tests" && !name.ends_with("_tests") && name != "fixture"
    });
    files
}

/// A file's production text: comments out, and the `mod tests` at its
/// end cut off.
fn production_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a text names through `crate::x` or
/// `crate::{x, y::z}`.
fn imports(text: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let group = group.split('}').next().unwrap_or("");
                for item in group.split(',') {
                    out.insert(ident(item));
                }
            }
            None => {
                out.insert(ident(rest));
            }
        }
    }
    out.remove("");
    out
}

/// Fails naming each file of `module` that imports one of `above`.
fn assert_imports_none_of(module: &str, above: &[&str]) {
    let files = files_of(module);
    assert!(!files.is_empty(), "no files for {module}");
    let mut wrong = Vec::new();
    for path in files {
        for name in imports(&production_text(&path)) {
            if above.contains(&name.as_str()) {
                wrong.push(format!("{} imports {name}", path.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_state_imports_neither_an_interface_nor_the_network() {
    assert_imports_none_of(
        "app",
        &["ui", "line", "tui", "terminal", "interface", "net"],
    );
}

#[test]
fn the_network_task_and_its_events_know_nothing_of_the_state() {
    for module in ["net", "link"] {
        assert_imports_none_of(
            module,
            &["app", "ui", "line", "tui", "terminal", "interface"],
        );
    }
}

#[test]
fn drawing_reaches_neither_the_network_nor_the_loop() {
    assert_imports_none_of("ui", &["net", "line", "tui", "terminal", "interface"]);
}

#[test]
fn the_shared_ground_imports_nothing_above_it() {
    let above = [
        "app",
        "ui",
        "line",
        "tui",
        "terminal",
        "interface",
        "net",
        "fairness",
        "config",
    ];
    for module in [
        "commands", "keys", "input", "bidi", "names", "format", "i18n", "language", "link",
    ] {
        assert_imports_none_of(module, &above);
    }
}

#[test]
fn imports_are_read_in_both_forms() {
    let text = "use crate::app::{App, Effect};\nuse crate::{net, ui::status};\nx(crate::bidi::y);";
    let found: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(found, ["app", "bidi", "net", "ui"]);
}
