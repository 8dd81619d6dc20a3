//! The server's configuration, as plain data: a TOML file (`--config`), or
//! the embedded defaults, which include one room per governance topic; and
//! its validation when loaded, so that a bad file stops the start with a
//! sentence that names the field. The `[limits]` section's type and every
//! check on text, tags and ids live in `limits.rs`; `RoomConfig::settings`
//! and `apply_to` give a configured room its settings.

pub use crate::limits::Limits;
use crate::limits::{DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT};
use crate::room::state::Settings;
use anyhow::{bail, Context, Result};
use dais_protocol::{Mode, QueuePolicy, Role};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub server: ServerSection,
    #[serde(default)]
    pub limits: Limits,
    /// Rooms to create if they do not exist yet. Empty means the default rooms.
    #[serde(default, rename = "room")]
    pub rooms: Vec<RoomConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSection {
    /// Admit guests who give a name instead of a token.
    #[serde(default)]
    pub allow_guests: bool,
    /// The role a guest gets: observer, delegate or interpreter. Never
    /// moderator: a chair's powers are given by the admin, by name.
    #[serde(default = "observer")]
    pub guest_role: Role,
    /// Serve `/metrics` on this address instead of the main port (say, a
    /// loopback address a monitoring agent scrapes), so that the public
    /// port does not show how busy each room is.
    #[serde(default)]
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// Ask for `Authorization: Bearer <this>` on `/metrics`.
    #[serde(default)]
    pub metrics_token: Option<String>,
}

fn observer() -> Role {
    Role::Observer
}

impl Default for ServerSection {
    fn default() -> Self {
        ServerSection {
            allow_guests: false,
            guest_role: Role::Observer,
            metrics_listen: None,
            metrics_token: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomConfig {
    pub id: String,
    pub titles: BTreeMap<String, String>,
    #[serde(default)]
    pub description: String,
    #[serde(default = "speakers_list")]
    pub mode: Mode,
    /// Seconds per turn.
    #[serde(default = "default_time_limit")]
    pub time_limit: u32,
    #[serde(default)]
    pub policy: QueuePolicy,
    #[serde(default)]
    pub auto_advance: bool,
    /// Show the record on the public web pages. When set, the config
    /// decides at every start; when left out, a new room starts private
    /// (the default topic rooms public) and chairs decide with
    /// `room_publish` and `room_unpublish`.
    #[serde(default)]
    pub public: Option<bool>,
}

fn speakers_list() -> Mode {
    Mode::SpeakersList
}

fn default_time_limit() -> u32 {
    DEFAULT_TIME_LIMIT
}

impl RoomConfig {
    /// The settings a new room starts with. `default_room` is true for the
    /// topic rooms of a server without configured rooms: they start public.
    pub fn settings(&self, default_room: bool) -> Settings {
        Settings {
            titles: self.titles.clone(),
            description: self.description.clone(),
            mode: self.mode,
            time_limit: self.time_limit,
            policy: self.policy,
            auto_advance: self.auto_advance,
            public: self.public.unwrap_or(default_room),
        }
    }

    /// Bring a saved room in line with its config at start: titles,
    /// description and policy follow the config; the mode and time limit
    /// are the chair's to change while the room runs.
    pub fn apply_to(&self, room: &mut crate::room::state::Room) {
        room.settings.titles = self.titles.clone();
        room.settings.description = self.description.clone();
        room.settings.policy = self.policy;
        room.settings.auto_advance = self.auto_advance;
        if let Some(public) = self.public {
            room.settings.public = public;
            room.public = public;
        }
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        let config: Config =
            toml::from_str(&text).with_context(|| format!("invalid config {}", path.display()))?;
        config
            .check()
            .with_context(|| format!("invalid config {}", path.display()))?;
        Ok(config)
    }

    fn check(&self) -> Result<()> {
        if self.server.guest_role == Role::Moderator {
            bail!("server.guest_role = \"moderator\" would give a chair's powers to anyone who types a name; use observer, delegate or interpreter (chairs are added by name with `dais-server participant add --role moderator`)");
        }
        if self.server.metrics_token.as_deref() == Some("") {
            bail!("server.metrics_token is empty; remove it or set a secret");
        }
        if self.rooms.len() > self.limits.max_rooms {
            bail!(
                "{} rooms are configured but limits.max_rooms is {}",
                self.rooms.len(),
                self.limits.max_rooms
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for room in &self.rooms {
            if !crate::limits::valid_room_id(&room.id) {
                bail!(
                    "room id `{}`: use 1 to 64 characters of a-z, 0-9 and -",
                    room.id
                );
            }
            if !seen.insert(&room.id) {
                bail!("room `{}` is listed twice", room.id);
            }
            if room.titles.is_empty() {
                bail!("room `{}` needs at least one title", room.id);
            }
            if room.titles.len() > crate::limits::MAX_TITLES {
                bail!(
                    "room `{}` has more than {} titles",
                    room.id,
                    crate::limits::MAX_TITLES
                );
            }
            for (lang, title) in &room.titles {
                if !crate::limits::valid_lang(lang) {
                    bail!("room `{}`: `{lang}` is not a language tag", room.id);
                }
                if title.trim().is_empty()
                    || title.chars().count() > crate::limits::MAX_TITLE
                    || crate::limits::check_name_text(title).is_err()
                {
                    bail!(
                        "room `{}`: the {lang} title must be 1 to {} characters, with no control or directional formatting characters",
                        room.id,
                        crate::limits::MAX_TITLE
                    );
                }
            }
            if room.description.chars().count() > crate::limits::MAX_DESCRIPTION
                || crate::limits::check_free_text(&room.description).is_err()
            {
                bail!(
                    "room `{}`: the description must be at most {} characters, with no control characters",
                    room.id,
                    crate::limits::MAX_DESCRIPTION
                );
            }
            if room.time_limit == 0 || room.time_limit > MAX_TIME_LIMIT {
                bail!("room `{}`: time_limit must be 1 to 3600 seconds", room.id);
            }
        }
        let l = &self.limits;
        if l.max_frame_bytes < 1024
            || l.messages_per_second == 0
            || l.outbox_frames == 0
            || l.outbox_bytes < 64 * 1024
        {
            bail!("limits: max_frame_bytes must be at least 1024, outbox_bytes at least 65536, messages_per_second and outbox_frames at least 1");
        }
        if l.send_buffer_bytes != 0 && l.send_buffer_bytes < 16 * 1024 {
            bail!("limits: send_buffer_bytes must be 0 (the kernel's choice) or at least 16384");
        }
        Ok(())
    }

    /// The rooms to ensure: those of the config, or the default topics.
    pub fn rooms_or_default(&self) -> Vec<RoomConfig> {
        if self.rooms.is_empty() {
            default_rooms()
        } else {
            self.rooms.clone()
        }
    }
}

/// One room per governance topic of the essay that inspired Dais: shared
/// governance by all, dialogue and consultation, multistakeholder
/// participation, cyber sovereignty, cyber security, and connectivity.
pub fn default_rooms() -> Vec<RoomConfig> {
    let room = |id: &str, description: &str, titles: [(&str, &str); 6]| RoomConfig {
        id: id.to_string(),
        titles: titles
            .iter()
            .map(|(l, t)| (l.to_string(), t.to_string()))
            .collect(),
        description: description.to_string(),
        mode: Mode::SpeakersList,
        time_limit: DEFAULT_TIME_LIMIT,
        policy: QueuePolicy::default(),
        auto_advance: false,
        // Left to the chairs: created public (see `RoomConfig::settings`),
        // and what a chair publishes or unpublishes stays so.
        public: None,
    };
    vec![
        room(
            "shared-governance",
            "Principles: an Internet governed and shared by all, multilateral, democratic and transparent.",
            [
                ("en", "Shared governance by all"),
                ("fr", "Une gouvernance partagée par tous"),
                ("es", "Gobernanza compartida por todos"),
                ("ru", "Совместное управление для всех"),
                ("zh", "共享共治"),
                ("ar", "حوكمة مشتركة بين الجميع"),
            ],
        ),
        room(
            "dialogue-consultation",
            "Institutions: dialogue and consultation as the way to agree on rules for cyberspace.",
            [
                ("en", "Dialogue and consultation"),
                ("fr", "Dialogue et concertation"),
                ("es", "Diálogo y consulta"),
                ("ru", "Диалог и консультации"),
                ("zh", "对话协商"),
                ("ar", "الحوار والتشاور"),
            ],
        ),
        room(
            "multistakeholder",
            "Governments, companies, the technical community, civil society and international organisations, each in its role.",
            [
                ("en", "Multistakeholder participation"),
                ("fr", "Participation multipartite"),
                ("es", "Participación de múltiples partes interesadas"),
                ("ru", "Участие многих заинтересованных сторон"),
                ("zh", "多方参与"),
                ("ar", "مشاركة أصحاب المصلحة المتعددين"),
            ],
        ),
        room(
            "cyber-sovereignty",
            "Respect for each country's right to choose its own path of Internet development and governance.",
            [
                ("en", "Cyber sovereignty"),
                ("fr", "Souveraineté numérique"),
                ("es", "Soberanía en el ciberespacio"),
                ("ru", "Киберсуверенитет"),
                ("zh", "网络主权"),
                ("ar", "السيادة السيبرانية"),
            ],
        ),
        room(
            "cyber-security",
            "A cyberspace of peace, security, openness and cooperation.",
            [
                ("en", "Cyber security"),
                ("fr", "Cybersécurité"),
                ("es", "Ciberseguridad"),
                ("ru", "Кибербезопасность"),
                ("zh", "网络安全"),
                ("ar", "الأمن السيبراني"),
            ],
        ),
        room(
            "connectivity",
            "Infrastructure for all: narrowing the information gaps among countries, regions and people.",
            [
                ("en", "Connectivity and the digital divide"),
                ("fr", "Connectivité et fracture numérique"),
                ("es", "Conectividad y brecha digital"),
                ("ru", "Связность и цифровой разрыв"),
                ("zh", "互联互通与数字鸿沟"),
                ("ar", "الربط الشبكي والفجوة الرقمية"),
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_config_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/dais.example.toml");
        let config = Config::load(&path).expect("example config");
        assert!(!config.rooms.is_empty());
    }

    #[test]
    fn default_rooms_have_titles_in_six_languages() {
        for room in default_rooms() {
            for lang in dais_words::Lang::ALL.map(dais_words::Lang::primary) {
                assert!(room.titles.contains_key(lang), "{} lacks {lang}", room.id);
            }
        }
    }

    #[test]
    fn guests_may_not_be_chairs() {
        let config: Config =
            toml::from_str("[server]\nallow_guests = true\nguest_role = \"moderator\"").unwrap();
        let err = config.check().unwrap_err().to_string();
        assert!(err.contains("guest_role"), "{err}");
    }

    #[test]
    fn the_send_buffer_is_the_kernels_or_at_least_16_kib() {
        let with = |bytes: usize| {
            toml::from_str::<Config>(&format!("[limits]\nsend_buffer_bytes = {bytes}"))
                .unwrap()
                .check()
        };
        assert_eq!(Limits::default().send_buffer_bytes, 128 * 1024);
        assert!(with(0).is_ok(), "0 leaves it to the kernel");
        assert!(with(16 * 1024).is_ok());
        let err = with(4096).unwrap_err().to_string();
        assert!(err.contains("send_buffer_bytes"), "{err}");
    }

    #[test]
    fn a_typo_in_the_config_is_an_error() {
        let err = toml::from_str::<Config>("[limits]\nmax_text_char = 3").unwrap_err();
        assert!(err.to_string().contains("max_text_char"));
    }
}
