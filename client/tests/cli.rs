//! The command line speaks the user's language, `--help` and the messages
//! for a mistyped command line included.

use std::process::{Command, Output};

/// Run the client with only the locale variables of `env`.
fn dais(env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dais"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("run dais: {e}"))
}

fn help(env: &[(&str, &str)], args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.push("--help");
    let output = dais(env, &args);
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What the client says on stderr about a usage error, checking that it
/// stops as clap would (exit code 2) and prints nothing on stdout.
fn usage_error(env: &[(&str, &str)], args: &[&str]) -> String {
    let output = dais(env, args);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    // Fluent's isolation marks are for the bidi step, never for the screen.
    assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
    // Nothing of clap's English.
    for english in ["error:", "Usage", "unexpected", "For more information"] {
        assert!(!text.contains(english), "{text}");
    }
    text
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

#[test]
fn an_unknown_argument_is_told_in_french() {
    let text = usage_error(&[("LANG", "C")], &["--lang", "fr", "--bogus"]);
    assert_eq!(
        text,
        "Argument inconnu : --bogus\nPour en savoir plus, lancez dais --lang fr --help\n"
    );
}

#[test]
fn an_unknown_argument_is_told_in_arabic() {
    let text = usage_error(&[("LANG", "ar_EG.UTF-8")], &["--bogus"]);
    assert!(text.contains("وسيط غير معروف: --bogus"), "{text}");
    assert!(
        text.contains("لمزيد من المعلومات، شغّل dais --help"),
        "{text}"
    );
}

#[test]
fn a_missing_value_is_told_in_chinese() {
    let text = usage_error(&[("LANG", "zh_CN.UTF-8")], &["--server"]);
    assert!(text.contains("缺少 --server <地址> 的值"), "{text}");
    assert!(text.contains("如需更多信息，请运行 dais --help"), "{text}");
}

#[test]
fn a_wrong_value_is_told_with_the_possible_values_in_russian() {
    let text = usage_error(&[("LC_ALL", "ru_RU.UTF-8")], &["--bidi", "sideways"]);
    assert!(
        text.contains("Недопустимое значение для --bidi <РЕЖИМ>: sideways"),
        "{text}"
    );
    assert!(
        text.contains("Допустимые значения: app, terminal, off"),
        "{text}"
    );
}

#[test]
fn help_and_version_still_succeed() {
    let text = help(&[("LANG", "ar_EG.UTF-8")], &[]);
    assert!(text.contains("الخيارات:"), "{text}");
    let output = dais(&[("LANG", "zh_CN.UTF-8")], &["--version"]);
    assert!(output.status.success(), "{output:?}");
    let version = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        version.trim(),
        format!("dais {}", env!("CARGO_PKG_VERSION")),
        "{output:?}"
    );
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_told_not_a_crash() {
    use std::os::unix::ffi::OsStrExt;
    let output = Command::new(env!("CARGO_BIN_EXE_dais"))
        .arg("--server")
        .arg(std::ffi::OsStr::from_bytes(b"ws://\xff"))
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("LC_ALL", "es_ES.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("run dais: {e}"));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.starts_with("Un argumento no es texto UTF-8 válido\n"),
        "{text}"
    );
}

#[test]
fn help_recommends_a_token_file_over_a_token_on_the_command_line() {
    let text = help(&[("LANG", "C")], &[]);
    assert!(text.contains("--token-file <FILE>"), "{text}");
    assert!(text.contains("prefer --token-file"), "{text}");
    let text = help(&[("LANG", "es_ES.UTF-8")], &[]);
    assert!(text.contains("--token-file <ARCHIVO>"), "{text}");
}

#[test]
fn a_token_file_that_cannot_be_read_is_told_in_the_user_s_language() {
    let output = dais(
        &[("LANG", "fr_FR.UTF-8")],
        &[
            "--config",
            "/nonexistent/dais.toml",
            "--token-file",
            "/nonexistent/token",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.starts_with("Fichier de jeton /nonexistent/token illisible"),
        "{text}"
    );
}

#[test]
fn without_any_token_the_client_says_how_to_give_one() {
    let output = Command::new(env!("CARGO_BIN_EXE_dais"))
        .args(["--config", "/nonexistent/dais.toml", "--lang", "en"])
        .env_remove("DAIS_TOKEN")
        .output()
        .unwrap_or_else(|e| panic!("run dais: {e}"));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("--token-file FILE"), "{text}");
}
