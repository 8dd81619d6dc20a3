//! Settings from the command line, the environment and the config file, in
//! that order of precedence.

use std::path::{Path, PathBuf};

use clap::Parser;
use serde::Deserialize;

use crate::bidi::BidiMode;

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
    fn the_default_server_is_local() {
        let settings = merge(Cli::parse_from(["dais"]), FileConfig::default(), None);
        assert_eq!(settings.server, "ws://127.0.0.1:7878");
        assert_eq!(settings.bidi, BidiMode::App);
    }
}
