//! The server's configuration: a TOML file (`--config`), or the embedded
//! defaults, which include one room per governance topic.

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

/// Limits with defaults that suit a plenary on a small box.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest websocket message or frame accepted, in bytes; bigger ones close the connection.
    pub max_frame_bytes: usize,
    /// Longest text (speech, announcement, interpretation), in characters.
    pub max_text_chars: usize,
    /// Sustained requests per second per participant, over all their connections.
    pub messages_per_second: u32,
    /// Requests a participant may send in a burst above that rate.
    pub burst: u32,
    /// Requests refused for rate in a row before the connection is closed as a flood.
    pub flood_strikes: u32,
    /// Simultaneous connections from one IP address, counted from the
    /// moment TCP accepts them (half-open HTTP and TLS handshakes included).
    pub connections_per_address: usize,
    /// New connections per second one IP address may open, on average...
    pub connections_per_second: u32,
    /// ...and at once. Beyond that a connection is answered 429 and closed
    /// before any TLS or websocket work.
    pub connection_burst: u32,
    /// Failed `hello`s (bad tokens) one address may make per minute before
    /// its further `hello`s get `login_throttled` for a while.
    pub failed_logins_per_minute: u32,
    /// New guests one address may create per minute (a guest who comes back
    /// with their credential does not count).
    pub guests_per_minute: u32,
    /// Public web pages (and live streams) one address may ask for per
    /// second, on average...
    pub page_requests_per_second: u32,
    /// ...and at once; beyond that the answer is 429.
    pub page_request_burst: u32,
    /// Largest number of frames one message may be fragmented into.
    pub max_fragments: usize,
    /// Most rooms the server holds (moderators create rooms at run time).
    pub max_rooms: usize,
    /// Pending points of order per participant in a room.
    pub points_per_participant: usize,
    /// Pending points of order per room.
    pub points_per_room: usize,
    /// Seconds a nonce is remembered: a retry within this window gets the
    /// original event's seq; after it, a new event.
    pub nonce_window_secs: u64,
    /// Most nonces a room remembers (the oldest are forgotten first).
    pub nonces_per_room: usize,
    /// Seconds a new connection has to complete its TLS and HTTP handshake.
    pub handshake_timeout_secs: u64,
    /// Seconds a new connection has to send `hello`.
    pub hello_timeout_secs: u64,
    /// Seconds between pings of an idle connection.
    pub ping_interval_secs: u64,
    /// Seconds of silence (no frame, no pong) after which a connection is dropped.
    pub idle_timeout_secs: u64,
    /// Frames (or batches) waiting to be written to one connection before it
    /// is dropped as a slow reader.
    pub outbox_frames: usize,
    /// Bytes owed to one connection (queued, not yet written) past which the
    /// next frame for it closes it as a slow reader. One batch (a replay) may
    /// go over; what is refused is more on top of a backlog this large.
    pub outbox_bytes: usize,
    /// The kernel's send buffer for each connection (SO_SNDBUF, which
    /// Linux doubles), or 0 to leave it to the kernel's autotuning. Left to
    /// the kernel, a reader that stops reading holds up to `tcp_wmem`'s
    /// maximum (4 MiB by default) in kernel memory on top of `outbox_bytes`,
    /// out of the slow-reader limit's sight, and filling it costs the whole
    /// server: measured, 100 such readers took the others' delivery p50
    /// from 3 ms to 2 s (docs/PERFORMANCE.md).
    pub send_buffer_bytes: usize,
}

impl Limits {
    /// What every room starts with (the room reads no config).
    pub fn room_setup(&self) -> crate::room::start::Setup {
        crate::room::start::Setup {
            limits: crate::room::state::RoomLimits {
                points_per_participant: self.points_per_participant,
                points_per_room: self.points_per_room,
            },
            nonce_window: std::time::Duration::from_secs(self.nonce_window_secs),
            nonces_per_room: self.nonces_per_room,
            outbox_bytes: self.outbox_bytes,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_frame_bytes: 64 * 1024,
            max_text_chars: 4000,
            messages_per_second: 20,
            burst: 40,
            flood_strikes: 50,
            connections_per_address: 64,
            connections_per_second: 10,
            connection_burst: 64,
            failed_logins_per_minute: 20,
            guests_per_minute: 120,
            page_requests_per_second: 10,
            page_request_burst: 60,
            max_fragments: 64,
            max_rooms: 100,
            points_per_participant: 1,
            points_per_room: 20,
            nonce_window_secs: 3600,
            nonces_per_room: 100_000,
            handshake_timeout_secs: 10,
            hello_timeout_secs: 10,
            ping_interval_secs: 10,
            idle_timeout_secs: 30,
            outbox_frames: 1024,
            outbox_bytes: 4 * 1024 * 1024,
            send_buffer_bytes: 128 * 1024,
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

pub const DEFAULT_TIME_LIMIT: u32 = 180;

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
            if !crate::registry::valid_room_id(&room.id) {
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
            if room.time_limit == 0 || room.time_limit > crate::room::rules::MAX_TIME_LIMIT {
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
            for lang in ["en", "fr", "es", "ru", "zh", "ar"] {
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
