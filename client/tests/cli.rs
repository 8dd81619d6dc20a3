//! The command line speaks the user's language, `--help` included.

use std::process::Command;

fn help(env: &[(&str, &str)], args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_dais"))
        .args(args)
        .arg("--help")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("run dais: {e}"));
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn help_follows_lang_from_the_environment() {
    let text = help(&[("LANG", "fr_FR.UTF-8")], &[]);
    assert!(text.contains("Utilisation :"), "{text}");
    assert!(text.contains("Adresse du serveur"), "{text}");
    assert!(text.contains("Afficher cette aide"), "{text}");
    assert!(!text.contains("Usage"), "{text}");
    assert!(!text.contains("Print help"), "{text}");
}

#[test]
fn lang_on_the_command_line_wins_over_the_environment() {
    let text = help(&[("LANG", "fr_FR.UTF-8")], &["--lang", "zh-CN"]);
    assert!(text.contains("用法："), "{text}");
    assert!(text.contains("服务器地址"), "{text}");
}

#[test]
fn help_without_a_locale_is_english() {
    let text = help(&[("LANG", "C")], &[]);
    assert!(text.contains("Usage: dais [OPTIONS]"), "{text}");
    assert!(text.contains("Show this help"), "{text}");
}
