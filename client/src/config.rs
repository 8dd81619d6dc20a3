//! Settings from the command line, the environment and the config file, in
//! that order of precedence.

use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser};
use serde::Deserialize;

use crate::bidi::{strip_isolates, visual_line, width, BidiMode};
use crate::i18n::Localizer;

/// The Dais terminal client.
#[derive(Debug, Parser)]
#[command(name = "dais", version, about)]
pub struct Cli {
    /// The server's websocket address.
    #[arg(long, env = "DAIS_SERVER")]
    pub server: Option<String>,
    /// Your participant token.
    #[arg(long, env = "DAIS_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
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
}

/// The config file: every field optional.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub server: Option<String>,
    pub token: Option<String>,
    pub lang: Option<String>,
    pub bidi: Option<BidiMode>,
    pub room: Option<String>,
    pub speak: Option<String>,
    pub ca: Option<PathBuf>,
}

/// The settings the client runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub server: String,
    pub token: Option<String>,
    pub lang: Option<String>,
    pub bidi: BidiMode,
    pub room: Option<String>,
    pub speak: Option<String>,
    /// The only CA to trust for wss://; `None`: the system's roots.
    pub ca: Option<PathBuf>,
    /// Where the config file is (or would be).
    pub config_path: Option<PathBuf>,
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

/// Merge the command line (and environment, which clap has read) over the file.
pub fn merge(cli: Cli, file: FileConfig, config_path: Option<PathBuf>) -> Settings {
    let default_server = format!("ws://127.0.0.1:{}", dais_protocol::DEFAULT_PORT);
    Settings {
        server: cli.server.or(file.server).unwrap_or(default_server),
        token: cli.token.or(file.token).filter(|t| !t.trim().is_empty()),
        lang: cli.lang.or(file.lang),
        bidi: cli.bidi.or(file.bidi).unwrap_or_default(),
        room: cli.room.or(file.room),
        speak: cli.speak.or(file.speak),
        ca: cli.ca.or(file.ca),
        config_path,
    }
}

/// Settings for this run.
pub fn load(cli: Cli) -> Result<Settings, ConfigError> {
    let path = cli.config.clone().or_else(default_config_path);
    let file = match &path {
        Some(path) => read_file(path)?,
        None => FileConfig::default(),
    };
    Ok(merge(cli, file, path))
}

/// The Fluent ids of each argument's help and value name, by argument id.
const ARG_TEXTS: &[(&str, &str, &str)] = &[
    ("server", "cli-server", "cli-value-address"),
    ("token", "cli-token", "cli-value-token"),
    ("lang", "cli-lang", "cli-value-lang"),
    ("bidi", "cli-bidi", "cli-value-who"),
    ("room", "cli-room", "cli-value-room"),
    ("speak", "cli-speak", "cli-value-lang"),
    ("config", "cli-config", "cli-value-file"),
    ("ca", "cli-ca", "cli-value-file"),
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
    cmd
}

/// Parse the command line with localized help. `Err` carries clap's answer
/// (help, version or a usage error) for [`print_clap_answer`].
pub fn parse(l10n: &Localizer, args: &[String]) -> Result<Cli, clap::Error> {
    let matches = command(l10n).try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// Help text as a terminal must receive it. In a right-to-left language
/// with `bidi = app` each line is put in visual order and right-aligned, so
/// the layout mirrors as the interface does; an option's name is isolated
/// so that its dashes stay in front of it.
pub fn help_for_terminal(text: &str, rtl: bool, mode: BidiMode) -> String {
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
        assert_eq!(settings.token.as_deref(), Some("from-cli"));
        assert_eq!(settings.server, "ws://example.test:1");
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
        let shown = help_for_terminal(text, true, BidiMode::App);
        let lines: Vec<&str> = shown.lines().collect();
        // The option keeps its dashes in front and moves to the right edge.
        assert!(lines[1].ends_with("--server <ﻥﺍﻮﻨﻋ>      "), "{shown}");
        assert_eq!(width(lines[0]), width(lines[1]));
        assert_eq!(help_for_terminal(text, true, BidiMode::Off), text);
    }

    #[test]
    fn the_default_server_is_local() {
        let settings = merge(Cli::parse_from(["dais"]), FileConfig::default(), None);
        assert_eq!(settings.server, "ws://127.0.0.1:7878");
        assert_eq!(settings.bidi, BidiMode::App);
    }
}
