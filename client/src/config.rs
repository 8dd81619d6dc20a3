//! Settings from the command line, the environment and the config file, in
//! that order of precedence.

use std::path::{Path, PathBuf};

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser};
use serde::Deserialize;

use crate::args;
use crate::bidi::{strip_isolates, visual_line, width, BidiMode};
use crate::i18n::Localizer;

/// The Dais terminal client.
#[derive(Debug, Parser)]
#[command(name = "dais", version, about)]
pub struct Cli {
    /// The server's websocket address. Given more than once (or as a
    /// comma-separated DAIS_SERVER), the servers of one cluster: the client
    /// moves to the next when one fails.
    #[arg(long, env = "DAIS_SERVER", value_delimiter = ',', action = ArgAction::Append)]
    pub server: Vec<String>,
    /// A file that holds your participant token (and nothing else): the
    /// way to give a token, listed first.
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// Your participant token. A token on the command line shows in `ps`
    /// and in the shell's history: prefer --token-file.
    #[arg(long, env = "DAIS_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Come in as a guest under this name, where the server admits guests.
    #[arg(long)]
    pub guest: Option<String>,
    /// `token` came from DAIS_TOKEN rather than --token (set by [`parse`]):
    /// the environment ranks below --token-file and --guest.
    #[arg(skip)]
    pub token_from_env: bool,
    /// The interface language (en, fr, es, ru, zh-CN, ar); default: the system locale.
    #[arg(long)]
    pub lang: Option<String>,
    /// Who puts right-to-left text in visual order.
    #[arg(long, value_enum)]
    pub bidi: Option<BidiMode>,
    /// The room to open first.
    #[arg(long)]
    pub room: Option<String>,
    /// The language of what you say (a BCP 47 tag); default: the interface language.
    #[arg(long)]
    pub speak: Option<String>,
    /// The config file; default: config.toml in the platform's config directory.
    #[arg(long, env = "DAIS_CONFIG")]
    pub config: Option<PathBuf>,
    /// For wss://: trust only the CA certificates in this PEM file, not the system's.
    #[arg(long, env = "DAIS_CA")]
    pub ca: Option<PathBuf>,
    /// Line mode for screen readers: one line per event, a prompt to type
    /// at. The default when TERM=dumb or the output is not a terminal.
    #[arg(long)]
    pub line: bool,
    /// Show a turn's time left only at thresholds, not every second.
    #[arg(long)]
    pub quiet_clock: bool,
    /// Leave the mouse to the terminal (no wheel scrolling in the client).
    #[arg(long)]
    pub no_mouse: bool,
}

/// The config file: every field optional.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub server: Option<String>,
    /// The servers of one cluster, tried in turn (with `server`, first).
    pub servers: Option<Vec<String>>,
    /// `true`: line mode always; `false`: never, even on TERM=dumb.
    pub line: Option<bool>,
    pub quiet_clock: Option<bool>,
    pub mouse: Option<bool>,
    pub token: Option<String>,
    /// Relative to the config file's folder.
    pub token_file: Option<PathBuf>,
    pub guest: Option<String>,
    pub lang: Option<String>,
    pub bidi: Option<BidiMode>,
    pub room: Option<String>,
    pub speak: Option<String>,
    pub ca: Option<PathBuf>,
}

/// Who the client signs in as, as the settings name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Token(String),
    /// A token to read from this file ([`load`] reads it).
    TokenFile(PathBuf),
    /// A new guest, by name.
    Guest(String),
}

/// Something wrong that does not stop the client, told before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The token file can be read by others than its owner (`mode`, e.g. 0o644).
    TokenFileReadable { path: PathBuf, mode: u32 },
}

/// The settings the client runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The servers to try, in order; never empty.
    pub servers: Vec<String>,
    /// Line mode: `Some` when asked for (or refused in the file), `None` to
    /// decide from the terminal.
    pub line: Option<bool>,
    pub quiet_clock: bool,
    pub mouse: bool,
    /// Who to sign in as; `None` when nothing says (an error in main).
    pub login: Option<Login>,
    pub lang: Option<String>,
    pub bidi: BidiMode,
    pub room: Option<String>,
    pub speak: Option<String>,
    /// The only CA to trust for wss://; `None`: the system's roots.
    pub ca: Option<PathBuf>,
    /// Where the config file is (or would be).
    pub config_path: Option<PathBuf>,
    /// What [`load`] found wrong but not fatal.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    /// The token file could not be read.
    #[error("{path}: {source}")]
    TokenFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The token file holds nothing but white space.
    #[error("{path}: empty")]
    TokenFileEmpty { path: PathBuf },
}

/// The default config file: `~/.config/dais/config.toml` on Linux.
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "dais").map(|d| d.config_dir().join("config.toml"))
}

/// Read a config file; a missing file is an empty config.
pub fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_owned(),
            source,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(source) => Err(ConfigError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Who to sign in as: the command line (--token, then --token-file, then
/// --guest), then DAIS_TOKEN, then the file (`token`, `token_file`, `guest`).
fn login(cli: &Cli, file: &FileConfig, config_path: Option<&Path>) -> Option<Login> {
    let text = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
    let from_cli = text(&cli.token).filter(|_| !cli.token_from_env);
    let from_env = text(&cli.token).filter(|_| cli.token_from_env);
    // A relative token_file in the config file is read from the file's folder.
    let file_token_file =
        file.token_file
            .as_ref()
            .map(|path| match config_path.and_then(Path::parent) {
                Some(folder) if path.is_relative() => folder.join(path),
                _ => path.clone(),
            });
    from_cli
        .map(Login::Token)
        .or_else(|| cli.token_file.clone().map(Login::TokenFile))
        .or_else(|| text(&cli.guest).map(Login::Guest))
        .or_else(|| from_env.map(Login::Token))
        .or_else(|| text(&file.token).map(Login::Token))
        .or_else(|| file_token_file.map(Login::TokenFile))
        .or_else(|| text(&file.guest).map(Login::Guest))
}

/// Merge the command line (and environment, which clap has read) over the file.
pub fn merge(cli: Cli, file: FileConfig, config_path: Option<PathBuf>) -> Settings {
    let default_server = format!("ws://127.0.0.1:{}", dais_protocol::DEFAULT_PORT);
    let login = login(&cli, &file, config_path.as_deref());
    let servers = if cli.server.is_empty() {
        let mut servers: Vec<String> = file.server.into_iter().collect();
        servers.extend(file.servers.unwrap_or_default());
        servers
    } else {
        cli.server
    };
    let mut servers: Vec<String> = servers
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if servers.is_empty() {
        servers.push(default_server);
    }
    Settings {
        servers,
        line: if cli.line { Some(true) } else { file.line },
        quiet_clock: cli.quiet_clock || file.quiet_clock.unwrap_or(false),
        mouse: !cli.no_mouse && file.mouse.unwrap_or(true),
        login,
        lang: cli.lang.or(file.lang),
        bidi: cli.bidi.or(file.bidi).unwrap_or_default(),
        room: cli.room.or(file.room),
        speak: cli.speak.or(file.speak),
        ca: cli.ca.or(file.ca),
        config_path,
        warnings: Vec::new(),
    }
}

/// The token in a token file: its text, trimmed. A file others may read
/// is used all the same, with a warning: refusing it would lock a
/// delegate out at the start of a session over a setting they may not
/// control (a shared laptop's umask).
pub fn read_token_file(path: &Path) -> Result<(String, Option<Warning>), ConfigError> {
    let error = |source| ConfigError::TokenFile {
        path: path.to_owned(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(error)?;
    let token = text.trim().to_owned();
    if token.is_empty() {
        return Err(ConfigError::TokenFileEmpty {
            path: path.to_owned(),
        });
    }
    let warning = readable_by_others(path).map(|mode| Warning::TokenFileReadable {
        path: path.to_owned(),
        mode,
    });
    Ok((token, warning))
}

/// The file's permission bits, when its group or others may read it.
#[cfg(unix)]
fn readable_by_others(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> Option<u32> {
    None
}

/// Settings for this run: the config file read, and a token file too.
pub fn load(cli: Cli) -> Result<Settings, ConfigError> {
    let path = cli.config.clone().or_else(default_config_path);
    let file = match &path {
        Some(path) => read_file(path)?,
        None => FileConfig::default(),
    };
    let mut settings = merge(cli, file, path);
    if let Some(Login::TokenFile(path)) = &settings.login {
        let (token, warning) = read_token_file(path)?;
        settings.warnings.extend(warning);
        settings.login = Some(Login::Token(token));
    }
    Ok(settings)
}

/// The Fluent ids of each argument's help and value name, by argument id.
const ARG_TEXTS: &[(&str, &str, &str)] = &[
    ("server", "cli-server", "cli-value-address"),
    ("token_file", "cli-token-file", "cli-value-file"),
    ("token", "cli-token", "cli-value-token"),
    ("guest", "cli-guest", "cli-value-name"),
    ("lang", "cli-lang", "cli-value-lang"),
    ("bidi", "cli-bidi", "cli-value-who"),
    ("room", "cli-room", "cli-value-room"),
    ("speak", "cli-speak", "cli-value-lang"),
    ("config", "cli-config", "cli-value-file"),
    ("ca", "cli-ca", "cli-value-file"),
];

/// The Fluent ids of each flag's help (flags take no value).
const FLAG_TEXTS: &[(&str, &str)] = &[
    ("line", "cli-line"),
    ("quiet_clock", "cli-quiet-clock"),
    ("no_mouse", "cli-no-mouse"),
];

/// The value that follows `--name` (or `--name=value`) in `args`, looked at
/// before parsing so that `--help` can already speak the chosen language.
pub fn prescan(args: &[String], name: &str) -> Option<String> {
    let flag = format!("--{name}");
    let with_value = format!("--{name}=");
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if *arg == flag {
            return iter.next().cloned();
        }
        if let Some(value) = arg.strip_prefix(&with_value) {
            return Some(value.to_owned());
        }
    }
    None
}

/// The command line with every text a user sees taken from `l10n`: the
/// description, each argument's help and value name, the headings, and the
/// help and version flags. Environment variables and possible values are
/// named in the localized help itself, so clap adds no English of its own.
pub fn command(l10n: &Localizer) -> clap::Command {
    let t = |id: &str| strip_isolates(&l10n.t(id)).into_owned();
    let template = format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{}\n{{options}}{{after-help}}",
        t("cli-usage"),
        t("cli-options"),
    );
    let mut cmd = Cli::command()
        .about(t("cli-about"))
        .long_about(None)
        .help_template(template)
        .override_usage(format!("dais [{}]", t("cli-options-placeholder")))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t("cli-help")),
        )
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t("cli-version")),
        );
    for (id, help, value) in ARG_TEXTS {
        cmd = cmd.mut_arg(*id, |arg| {
            arg.help(t(help))
                .long_help(None)
                .value_name(t(value))
                .hide_env(true)
                .hide_possible_values(true)
        });
    }
    for (id, help) in FLAG_TEXTS {
        cmd = cmd.mut_arg(*id, |arg| arg.help(t(help)).long_help(None));
    }
    cmd
}

/// Parse the command line with localized help. `Err` carries clap's answer:
/// help or version to print as they are, or a usage error to tell with
/// [`usage_error`].
///
/// The arguments may be any OS strings: a path need not be UTF-8, and
/// anything else that is not is a usage error like the others.
pub fn parse<I, T>(l10n: &Localizer, args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = command(l10n).try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    cli.token_from_env = matches.value_source("token") == Some(ValueSource::EnvVariable);
    Ok(cli)
}

/// A usage error in the user's language: what is wrong, then clap's
/// suggestion or the values it accepts when it has them, then how to get
/// help. clap's own wording is English, so only the facts it found (the
/// argument, the value, the suggestion) are taken from the error. The text
/// keeps Fluent's isolation marks for [`answer_for_terminal`].
pub fn usage_error(l10n: &Localizer, error: &clap::Error, argv: &[String]) -> String {
    let separator = strip_isolates(&l10n.t("cli-error-list-separator")).into_owned();
    let get = |kind| context(error, kind, &separator);
    let mut lines =
        vec![what_went_wrong(l10n, error, &separator).unwrap_or_else(|| l10n.t("cli-error-other"))];
    let suggestion = get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedValue));
    if let Some(suggestion) = suggestion {
        lines.push(l10n.ta("cli-error-did-you-mean", &args!["suggestion" => suggestion]));
    }
    if let Some(values) = get(ContextKind::ValidValue) {
        lines.push(l10n.ta("cli-error-possible-values", &args!["values" => values]));
    }
    // Help in the language of this message, also when only --lang chose it.
    let help = if prescan(argv, "lang").is_some() {
        format!("dais --lang {} --help", l10n.tag())
    } else {
        "dais --help".to_owned()
    };
    lines.push(l10n.ta("cli-error-try-help", &args!["command" => help]));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The first line of a usage error, or `None` when clap did not say enough
/// (a kind this command line cannot produce, or an error without context).
fn what_went_wrong(l10n: &Localizer, error: &clap::Error, separator: &str) -> Option<String> {
    let get = |kind| context(error, kind, separator);
    let arg = get(ContextKind::InvalidArg);
    let text = match error.kind() {
        ErrorKind::UnknownArgument => l10n.ta("cli-error-unknown-argument", &args!["arg" => arg?]),
        // A value parser's own explanation of a `ValueValidation` is
        // English, so only the argument and the value are told. A missing
        // value (`--server` last, or `--server=`) is an empty one to clap.
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            match get(ContextKind::InvalidValue) {
                Some(value) => l10n.ta(
                    "cli-error-invalid-value",
                    &args!["arg" => arg?, "value" => value],
                ),
                None => l10n.ta("cli-error-value-required", &args!["arg" => arg?]),
            }
        }
        ErrorKind::NoEquals => l10n.ta("cli-error-no-equals", &args!["arg" => arg?]),
        ErrorKind::TooManyValues => l10n.ta(
            "cli-error-unexpected-value",
            &args!["arg" => arg?, "value" => get(ContextKind::InvalidValue)?],
        ),
        // An argument given twice is, to clap, in conflict with itself.
        ErrorKind::ArgumentConflict => {
            let arg = arg?;
            match get(ContextKind::PriorArg) {
                Some(other) if other != arg => {
                    l10n.ta("cli-error-conflict", &args!["arg" => arg, "other" => other])
                }
                _ => l10n.ta("cli-error-repeated", &args!["arg" => arg]),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            l10n.ta("cli-error-missing-required", &args!["args" => arg?])
        }
        ErrorKind::InvalidUtf8 => l10n.t("cli-error-invalid-utf8"),
        _ => return None,
    };
    Some(text)
}

/// One piece of an error's context as text: a list joined the locale's
/// way. Empty strings and lists count as absent.
fn context(error: &clap::Error, kind: ContextKind, separator: &str) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(text) if !text.is_empty() => Some(text.clone()),
        ContextValue::Strings(list) if !list.is_empty() => Some(list.join(separator)),
        _ => None,
    }
}

/// Help or a usage error as a terminal must receive it. In a right-to-left
/// language with `bidi = app` each line is put in visual order and
/// right-aligned, so the layout mirrors as the interface does; an option's
/// name is isolated so that its dashes stay in front of it.
pub fn answer_for_terminal(text: &str, rtl: bool, mode: BidiMode) -> String {
    if !rtl || mode != BidiMode::App {
        return strip_isolates(text).into_owned();
    }
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let logical = if trimmed.starts_with('-') {
                // clap separates the option from its help by two spaces.
                let (spec, rest) = trimmed.split_once("  ").unwrap_or((trimmed, ""));
                format!("{indent}\u{2066}{spec}\u{2069}  {rest}")
            } else {
                line.to_owned()
            };
            visual_line(logical.trim_end(), true, mode)
        })
        .collect();
    let widest = lines.iter().map(|l| width(l)).max().unwrap_or(0);
    let mut out = String::new();
    for line in lines {
        out.push_str(&" ".repeat(widest - width(&line)));
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_wins_over_the_file() {
        let cli = Cli::parse_from(["dais", "--token", "from-cli", "--bidi", "off"]);
        let file: FileConfig = toml::from_str(
            "server = \"ws://example.test:1\"\ntoken = \"from-file\"\nbidi = \"terminal\"\n",
        )
        .expect("valid config");
        let settings = merge(cli, file, None);
        assert_eq!(settings.login, Some(Login::Token("from-cli".into())));
        assert_eq!(settings.servers, vec!["ws://example.test:1".to_owned()]);
        assert_eq!(settings.bidi, BidiMode::Off);
    }

    #[test]
    fn a_typo_in_the_config_file_is_an_error() {
        assert!(toml::from_str::<FileConfig>("tokn = \"x\"").is_err());
    }

    #[test]
    fn the_language_is_found_before_parsing() {
        let argv = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            prescan(&argv(&["dais", "--help", "--lang", "ar"]), "lang").as_deref(),
            Some("ar")
        );
        assert_eq!(
            prescan(&argv(&["dais", "--lang=zh-CN"]), "lang").as_deref(),
            Some("zh-CN")
        );
        assert_eq!(
            prescan(&argv(&["dais", "--", "--lang", "ar"]), "lang"),
            None
        );
        assert_eq!(prescan(&argv(&["dais", "--lang"]), "lang"), None);
    }

    #[test]
    fn the_localized_command_parses_like_the_plain_one() {
        let args: Vec<String> = [
            "dais", "--token", "t", "--bidi", "terminal", "--ca", "ca.pem",
        ]
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
        let cli = parse(&Localizer::for_tag("ar"), &args).expect("parses");
        assert_eq!(cli.token.as_deref(), Some("t"));
        assert_eq!(cli.bidi, Some(BidiMode::Terminal));
        assert_eq!(cli.ca, Some(PathBuf::from("ca.pem")));
    }

    #[test]
    fn help_in_arabic_mirrors_on_a_terminal_that_does_no_bidi() {
        let text = "الخيارات:\n      --server <عنوان>  عنوان الخادم\n";
        let shown = answer_for_terminal(text, true, BidiMode::App);
        let lines: Vec<&str> = shown.lines().collect();
        // The option keeps its dashes in front and moves to the right edge.
        assert!(lines[1].ends_with("--server <ﻥﺍﻮﻨﻋ>      "), "{shown}");
        assert_eq!(width(lines[0]), width(lines[1]));
        assert_eq!(answer_for_terminal(text, true, BidiMode::Off), text);
    }

    /// The usage error `args` lead to in `tag`, without isolation marks.
    fn told(tag: &str, args: &[&str]) -> String {
        let argv: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let l10n = Localizer::for_tag(tag);
        let error = parse(&l10n, &argv).expect_err("a usage error");
        strip_isolates(&usage_error(&l10n, &error, &argv)).into_owned()
    }

    #[test]
    fn an_unknown_argument_is_told_with_clap_s_suggestion() {
        let text = told("fr", &["dais", "--sever", "x"]);
        assert_eq!(
            text,
            "Argument inconnu : --sever\n\
             Vouliez-vous dire --server ?\n\
             Pour en savoir plus, lancez dais --help\n"
        );
    }

    #[test]
    fn a_missing_value_is_not_told_as_a_wrong_one() {
        let text = told("zh-CN", &["dais", "--server"]);
        assert!(text.starts_with("缺少 --server <地址> 的值\n"), "{text}");
        let text = told("en", &["dais", "--config="]);
        assert!(
            text.starts_with("Missing value for --config <FILE>\n"),
            "{text}"
        );
    }

    #[test]
    fn a_wrong_value_is_told_with_the_values_clap_accepts() {
        let text = told("ar", &["dais", "--bidi", "ap"]);
        assert!(
            text.contains("قيمة غير صالحة للخيار --bidi <نمط>: ap"),
            "{text}"
        );
        assert!(text.contains("هل تقصد app؟"), "{text}");
        assert!(text.contains("القيم الممكنة: app، terminal، off"), "{text}");
    }

    #[test]
    fn an_option_given_twice_is_told_as_repeated() {
        let text = told("es", &["dais", "--room", "a", "--room", "b"]);
        assert!(
            text.starts_with("La opción --room <SALA> solo puede indicarse una vez\n"),
            "{text}"
        );
    }

    #[test]
    fn a_value_for_a_flag_is_told_as_unexpected() {
        let text = told("ru", &["dais", "--version=2"]);
        assert!(
            text.starts_with("Параметр --version не принимает значений, но получено: 2\n"),
            "{text}"
        );
    }

    #[test]
    fn the_help_it_points_to_speaks_the_language_chosen_with_lang() {
        let text = told("fr", &["dais", "--lang", "fr-CA", "--bogus"]);
        assert!(text.ends_with("lancez dais --lang fr --help\n"), "{text}");
    }

    #[test]
    fn conflicts_and_missing_arguments_are_told_too() {
        // The client's own command line has neither; a command that does.
        let cmd = || {
            clap::Command::new("dais")
                .arg(Arg::new("a").long("a").conflicts_with("b"))
                .arg(Arg::new("b").long("b"))
                .arg(Arg::new("c").long("c").required(true))
        };
        let l10n = Localizer::for_tag("zh-CN");
        let argv = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
        let tell = |args: &[&str]| {
            let argv = argv(args);
            let error = cmd()
                .try_get_matches_from(&argv)
                .expect_err("a usage error");
            strip_isolates(&usage_error(&l10n, &error, &argv)).into_owned()
        };
        let text = tell(&["dais", "--c", "1", "--a", "1", "--b", "2"]);
        assert!(
            text.starts_with("--a <a> 不能与 --b <b> 同时使用\n"),
            "{text}"
        );
        let text = tell(&["dais"]);
        assert!(text.starts_with("缺少必需的参数：--c <c>\n"), "{text}");
    }

    #[test]
    fn an_error_clap_gives_no_details_for_is_still_translated() {
        let l10n = Localizer::for_tag("ar");
        let error = clap::Error::raw(ErrorKind::WrongNumberOfValues, "English");
        let text = strip_isolates(&usage_error(&l10n, &error, &[])).into_owned();
        assert_eq!(
            text,
            "سطر الأوامر غير صالح\nلمزيد من المعلومات، شغّل dais --help\n"
        );
    }

    #[test]
    fn no_usage_error_is_left_in_english() {
        let mistakes: &[&[&str]] = &[
            &["dais", "--bogus"],
            &["dais", "--server"],
            &["dais", "--bidi", "sideways"],
            &["dais", "--token", "a", "--token", "b"],
            &["dais", "--help=x"],
        ];
        for tag in ["fr", "es", "ru", "zh-CN", "ar"] {
            for args in mistakes {
                let text = told(tag, args);
                for english in ["error", "Usage", "unexpected", "value", "For more"] {
                    assert!(!text.contains(english), "{tag} {args:?}: {text}");
                }
            }
        }
    }

    fn cli(args: &[&str]) -> Cli {
        let argv: Vec<String> = std::iter::once("dais")
            .chain(args.iter().copied())
            .map(str::to_owned)
            .collect();
        parse(&Localizer::for_tag("en"), &argv).expect("parses")
    }

    #[test]
    fn a_token_file_is_read_trimmed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("token");
        std::fs::write(&path, "  dais_secret\n\n").expect("write");
        set_mode(&path, 0o600);
        let (token, warning) = read_token_file(&path).expect("read");
        assert_eq!(token, "dais_secret");
        assert_eq!(warning, None);
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[cfg(not(unix))]
    fn set_mode(_path: &Path, _mode: u32) {}

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_may_read_is_used_with_a_warning() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("token");
        std::fs::write(&path, "dais_secret").expect("write");
        set_mode(&path, 0o644);
        let (token, warning) = read_token_file(&path).expect("read");
        assert_eq!(token, "dais_secret");
        assert_eq!(
            warning,
            Some(Warning::TokenFileReadable {
                path: path.clone(),
                mode: 0o644
            })
        );
        // Told in the user's language.
        let text = Localizer::for_tag("fr").ta(
            "warning-token-file-readable",
            &crate::args!["path" => path.display().to_string(), "mode" => "644"],
        );
        assert!(strip_isolates(&text).contains("chmod 600"), "{text}");
    }

    #[test]
    fn a_missing_or_empty_token_file_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("nope");
        assert!(matches!(
            read_token_file(&missing),
            Err(ConfigError::TokenFile { .. })
        ));
        let empty = dir.path().join("empty");
        std::fs::write(&empty, " \n").expect("write");
        assert!(matches!(
            read_token_file(&empty),
            Err(ConfigError::TokenFileEmpty { .. })
        ));
    }

    #[test]
    fn load_reads_the_token_file_the_command_line_names() {
        let dir = tempfile::tempdir().expect("temp dir");
        let token = dir.path().join("token");
        std::fs::write(&token, "dais_from_file\n").expect("write");
        set_mode(&token, 0o600);
        let config = dir.path().join("config.toml");
        let token_arg = token.display().to_string();
        let config_arg = config.display().to_string();
        let settings =
            load(cli(&["--token-file", &token_arg, "--config", &config_arg])).expect("loads");
        assert_eq!(settings.login, Some(Login::Token("dais_from_file".into())));
        assert!(settings.warnings.is_empty());
    }

    #[test]
    fn the_config_file_names_a_token_file_next_to_itself() {
        let file: FileConfig = toml::from_str("token_file = \"dais.token\"\n").expect("valid");
        let settings = merge(cli(&[]), file, Some(PathBuf::from("/etc/dais/config.toml")));
        assert_eq!(
            settings.login,
            Some(Login::TokenFile(PathBuf::from("/etc/dais/dais.token")))
        );
    }

    #[test]
    fn who_to_sign_in_as_follows_the_order_of_precedence() {
        let file = || -> FileConfig {
            toml::from_str("token = \"from-file\"\nguest = \"File Guest\"\n").expect("valid")
        };
        let token = |t: &str| Some(Login::Token(t.into()));
        // --token, then --token-file, then --guest, then DAIS_TOKEN, then the file.
        let both = cli(&["--token", "t", "--token-file", "f"]);
        assert_eq!(merge(both, file(), None).login, token("t"));
        let file_and_guest = cli(&["--token-file", "f", "--guest", "Sam"]);
        assert_eq!(
            merge(file_and_guest, file(), None).login,
            Some(Login::TokenFile("f".into()))
        );
        let mut from_env = cli(&["--token-file", "f"]);
        from_env.token = Some("env".into());
        from_env.token_from_env = true;
        assert_eq!(
            merge(from_env, file(), None).login,
            Some(Login::TokenFile("f".into())),
            "DAIS_TOKEN ranks below --token-file"
        );
        let mut env_only = cli(&[]);
        env_only.token = Some("env".into());
        env_only.token_from_env = true;
        assert_eq!(merge(env_only, file(), None).login, token("env"));
        assert_eq!(
            merge(cli(&["--guest", "Sam"]), file(), None).login,
            Some(Login::Guest("Sam".into()))
        );
        assert_eq!(merge(cli(&[]), file(), None).login, token("from-file"));
        let guest_only: FileConfig = toml::from_str("guest = \"File Guest\"\n").expect("valid");
        assert_eq!(
            merge(cli(&[]), guest_only, None).login,
            Some(Login::Guest("File Guest".into()))
        );
    }

    #[test]
    fn dais_token_is_told_apart_from_the_command_line() {
        // clap reads DAIS_TOKEN itself; parse() notes where the token came from.
        let cmd = command(&Localizer::for_tag("en"));
        let matches = cmd
            .try_get_matches_from(["dais", "--token", "x"])
            .expect("parses");
        assert_eq!(
            matches.value_source("token"),
            Some(ValueSource::CommandLine)
        );
        assert!(!cli(&["--token", "x"]).token_from_env);
    }

    #[test]
    fn the_help_recommends_a_token_file() {
        let help = command(&Localizer::for_tag("en")).render_help().to_string();
        assert!(help.contains("--token-file <FILE>"), "{help}");
        assert!(help.contains("prefer --token-file"), "{help}");
        assert!(help.contains("--guest <NAME>"), "{help}");
    }

    #[test]
    fn several_servers_come_from_the_command_line_or_the_file() {
        let settings = merge(
            cli(&["--server", "ws://a:1", "--server", "ws://b:2"]),
            FileConfig::default(),
            None,
        );
        assert_eq!(settings.servers, vec!["ws://a:1", "ws://b:2"]);
        let file: FileConfig =
            toml::from_str("servers = [\"wss://a.test\", \"wss://b.test\"]\n").expect("valid");
        assert_eq!(
            merge(cli(&[]), file, None).servers,
            vec!["wss://a.test", "wss://b.test"]
        );
        // The command line's list replaces the file's.
        let file: FileConfig = toml::from_str("servers = [\"wss://a.test\"]\n").expect("valid");
        assert_eq!(
            merge(cli(&["--server", "ws://c:3"]), file, None).servers,
            vec!["ws://c:3"]
        );
    }

    #[test]
    fn the_default_server_is_local() {
        let settings = merge(Cli::parse_from(["dais"]), FileConfig::default(), None);
        assert_eq!(settings.servers, vec!["ws://127.0.0.1:7878".to_owned()]);
        assert_eq!(settings.bidi, BidiMode::App);
    }
}
