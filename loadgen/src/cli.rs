//! The command line: which server, which scenario, how big, how long.
//!
//! Every run is bounded: a connection count, a duration, and `--max-time`,
//! after which the run gives up whatever it is doing and reports.

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
use std::path::PathBuf;

/// Plenary: members when `--connections` is not given.
pub const PLENARY_MEMBERS: usize = 10_000;
/// Poor-link: members of the room when `--connections` is not given.
pub const POOR_LINK_MEMBERS: usize = 500;
/// Poor-link: seconds of debate when `--duration` is not given.
pub const POOR_LINK_SECONDS: f64 = 120.0;

/// Drive a dais-server with real websocket connections and measure it.
///
/// One command runs a scenario from scratch: `--spawn` starts a server on
/// an ephemeral loopback port in a fresh data directory, the load generator
/// provisions its participants with `dais-server participant add`, creates
/// its rooms, runs the scenario and stops the server.
#[derive(Parser, Debug, Clone)]
#[command(name = "dais-loadgen", version)]
pub struct Args {
    /// Attach to a running server, e.g. ws://127.0.0.1:7878 (loopback only).
    /// A Dais server's data directory must be given with --data, to
    /// provision participants; the floor needs none.
    #[arg(long, conflicts_with = "spawn", required_unless_present = "spawn")]
    pub server: Option<String>,

    /// Start a server for this run (on 127.0.0.1, an ephemeral port) and stop it at the end.
    #[arg(long)]
    pub spawn: bool,

    /// What is under load: Dais, or the floor broadcaster (a websocket
    /// server that only relays every text frame to every client, the
    /// reference for fan-out; `fanout`, and `idle --stage connect`).
    #[arg(long, value_enum, default_value = "dais")]
    pub target: TargetKind,

    /// The floor broadcaster's binary, for `--target floor --spawn` and
    /// `--compare-floor` (build it with `cargo build --release
    /// --manifest-path ../shared/bench/floor-broadcast/Cargo.toml`).
    #[arg(long)]
    pub floor_bin: Option<PathBuf>,

    /// Fanout: run the same fan-out against the floor broadcaster and
    /// against Dais in this one invocation (each on a server of its own,
    /// spawned on --server-cpus), and print both rows and Dais's ratios
    /// to the floor.
    #[arg(long, requires = "floor_bin", conflicts_with = "server")]
    pub compare_floor: bool,

    /// Plenary: run it with guests, then at once the same plenary with
    /// listeners sharing --identities registered observers (2 by default),
    /// each on a server of its own, and compare the delivery latencies.
    #[arg(long, conflicts_with = "server")]
    pub compare_shared: bool,

    /// With --compare-floor or --compare-shared: how many pairs of runs. The
    /// order alternates from one pair to the next (the floor first, then
    /// Dais first, ...; guests first, then shared first, ...), so that
    /// neither always runs on a warmer machine.
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,

    /// The dais-server binary (default: next to this one).
    #[arg(long)]
    pub server_bin: Option<PathBuf>,

    /// The server's data directory. With --spawn and none given, a temporary
    /// one that is removed at the end. Provisioned tokens are cached in it
    /// (loadgen-pool.json), so a second run on the same directory starts fast.
    #[arg(long)]
    pub data: Option<PathBuf>,

    /// The attached server's process id, to read its memory from /proc.
    #[arg(long)]
    pub server_pid: Option<u32>,

    /// CPUs for the spawned server, e.g. "0" (like `taskset -c 0`).
    #[arg(long)]
    pub server_cpus: Option<String>,

    /// CPUs for this process, e.g. "1" (like `taskset -c 1`).
    #[arg(long)]
    pub cpus: Option<String>,

    /// Worker threads of this process (default: the CPUs it may run on).
    #[arg(long)]
    pub threads: Option<usize>,

    /// Log filter for the spawned server (RUST_LOG). `info` logs a line per hello.
    #[arg(long, default_value = "warn")]
    pub server_log: String,

    #[arg(long, value_enum)]
    pub scenario: Scenario,

    /// Listening connections (idle, fanout, debate, churn, slow-reader,
    /// flood), members (plenary; 10,000 unless given) or resuming clients
    /// (resume). The speaker, the chair and the flooders come on top.
    #[arg(long, default_value_t = 100)]
    pub connections: usize,

    /// Plenary: who the members are: `guests`, each its own guest identity
    /// (`hello` with `guest`, on a server with `allow_guests`), or
    /// `registered`, sharing --identities provisioned observers.
    #[arg(long, value_enum, default_value = "guests")]
    pub members: Members,

    /// Seconds of load, after the connections are up.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,

    /// Speeches per second (fanout, slow-reader, flood, plenary, churn's
    /// background speaker), or turns per second at most (debate). 0: as fast
    /// as the acks allow. Default 50; churn, flood, plenary, cluster-fanout
    /// and failover 10, debate 20; cluster-rooms 2 in each room.
    /// Flood: at most the server's limit of 20.
    #[arg(long)]
    pub rate: Option<f64>,

    /// Size of each speech's text, in bytes (at least the timestamp).
    #[arg(long, default_value_t = 120)]
    pub text_bytes: usize,

    /// Rooms to spread the listeners over (default: 1; idle and churn: one
    /// per 200; cluster-rooms: 60).
    #[arg(long)]
    pub rooms: Option<usize>,

    /// Distinct listener identities per room. Connections share them, since
    /// one participant may hold many connections (flood: one each, always).
    #[arg(long, default_value_t = 2)]
    pub identities: usize,

    /// Debate: delegates taking turns on the speakers' list (poor-link: 1
    /// unless given).
    #[arg(long, default_value_t = 20)]
    pub speakers: usize,

    /// Churn: connections closed and opened again per second. Poor-link:
    /// members leaving or coming back per second (0.2 unless given).
    #[arg(long, default_value_t = 100.0)]
    pub churn_rate: f64,

    /// Resume: events a client misses before it comes back.
    #[arg(long, default_value_t = 10_000)]
    pub missed: u64,

    /// Resume: how many times the clients drop and come back.
    #[arg(long, default_value_t = 5)]
    pub rounds: u32,

    /// Idle: how far each connection goes before it is held: the websocket
    /// handshake only, hello, or hello and join (to tell their costs apart).
    #[arg(long, value_enum, default_value = "join")]
    pub stage: Stage,

    /// Slow-reader: listeners that stop reading halfway through.
    #[arg(long, default_value_t = 1)]
    pub slow: usize,

    /// Flood: connections that flood the server in the second half, each
    /// from its own source address, reconnecting whenever they are closed.
    /// 0 is the control run.
    #[arg(long, default_value_t = 1)]
    pub flooders: usize,

    /// Flood: what the flooders send. As fast as they can: `say`, speeches
    /// to the listeners' room (the first `burst` of each connection are
    /// accepted and reach every listener); `garbage`, text that is not
    /// JSON; `oversized`, one frame twice the server's largest, then
    /// reconnect; `reconnect`, only connect (TCP and websocket), send one
    /// garbage frame and drop the connection, over and over, to meet the
    /// server's limit on new connections per address; `pings`, websocket
    /// pings, every other connection before its `hello`, the others after;
    /// `fragments`, after `hello`, one text message in empty continuation
    /// frames that never ends. As fast as the rate limit allows: `replay`,
    /// `join` with `since: 0` again and again into a room with a long
    /// history (2 MiB, written before the listeners join), never reading
    /// anything; `points`, points of order of 4,000 characters.
    #[arg(long, value_enum, default_value = "say")]
    pub flood_kind: FloodKind,

    /// Connections per source address (127.1.x.y); the server's default
    /// limits are 64 open and a burst of 64 new ones.
    #[arg(long, default_value_t = 64)]
    pub per_address: usize,

    /// Connections being set up at once (TCP, websocket handshake, hello, join).
    #[arg(long, default_value_t = 128)]
    pub connect_concurrency: usize,

    /// The server's outbox limit (frames per connection) in the written config.
    #[arg(long, default_value_t = 1024)]
    pub outbox_frames: usize,

    /// The server's kernel send buffer per connection (`send_buffer_bytes`)
    /// in the written config; 0 leaves it to the kernel. Unset, the
    /// server's default.
    #[arg(long)]
    pub send_buffer_bytes: Option<usize>,

    /// Seconds to wait, after the load, for every listener to catch up.
    #[arg(long, default_value_t = 30.0)]
    pub drain: f64,

    /// Seconds allowed for connecting and joining everyone.
    #[arg(long, default_value_t = 300.0)]
    pub setup_timeout: f64,

    /// Hard limit on the whole run, in seconds; it stops and reports then.
    #[arg(long, default_value_t = 900.0)]
    pub max_time: f64,

    /// Write the report as JSON to this file ("-" for standard output).
    #[arg(long)]
    pub json: Option<PathBuf>,

    /// Exit with status 1 unless every correctness check passed.
    #[arg(long)]
    pub check: bool,

    /// Keep a temporary data directory instead of removing it.
    #[arg(long)]
    pub keep_data: bool,

    /// Print the server config this run would use, and exit.
    #[arg(long)]
    pub print_config: bool,

    /// Poor-link: the link's rate each way, in kbit/s.
    #[arg(long, default_value_t = 64.0)]
    pub link_kbit: f64,

    /// Poor-link: the link's delay each way, in ms (the round trip is twice it).
    #[arg(long, default_value_t = 300.0)]
    pub link_delay_ms: f64,

    /// Poor-link: the share of packets the link loses each way, in percent.
    #[arg(long, default_value_t = 3.0)]
    pub link_loss: f64,

    /// Poor-link: bytes that may wait in the link's queue each way; a packet
    /// that finds it full is dropped (16 KiB is 2 s at 64 kbit/s).
    #[arg(long, default_value_t = 16_384)]
    pub link_queue_bytes: usize,

    /// Poor-link: seed of the emulator's loss draws.
    #[arg(long, default_value_t = 1)]
    pub link_seed: u64,

    /// Poor-link: what emulates the link: `auto` (the kernel's netem where
    /// it has it, else the load generator's emulator over TUN devices),
    /// `netem` or `tun`.
    #[arg(long, value_enum, default_value = "auto")]
    pub link_emulator: LinkEmulator,

    /// Poor-link: seconds a delegate on the link follows the debate after
    /// joining, before it asks for the floor.
    #[arg(long, default_value_t = 10.0)]
    pub floor_after: f64,

    /// Poor-link: speeches the room's speaker makes in each turn, at --rate.
    #[arg(long, default_value_t = 3)]
    pub turn_speeches: u32,

    /// Cluster scenarios: nodes of the spawned cluster.
    #[arg(long, default_value_t = 3)]
    pub nodes: usize,

    /// Cluster scenarios: each node's `--lease-secs`, how long a room's
    /// lease lasts without renewal (failover: about how long a dead
    /// owner's room waits for a new one).
    #[arg(long, default_value_t = 10)]
    pub lease_secs: u64,

    /// Cluster scenarios: the PostgreSQL server, without a database name; a
    /// database of the run's own is created there and dropped at the end.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pub pg_url: String,

    /// Cluster scenarios: the Redis server the nodes' bus runs on (the run
    /// uses a channel prefix of its own).
    #[arg(long, default_value = "redis://127.0.0.1:6379/")]
    pub bus_url: String,

    /// Cluster-fanout: run only the cluster, without the single node it is
    /// compared with.
    #[arg(long)]
    pub no_reference: bool,

    /// Failover: seconds of speaking before the owner is killed.
    #[arg(long, default_value_t = 3.0)]
    pub kill_after: f64,
}

/// What emulates the poor link.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkEmulator {
    Auto,
    Netem,
    Tun,
}

/// The server under load.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Dais,
    Floor,
}

impl TargetKind {
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Dais => "dais",
            TargetKind::Floor => "floor",
        }
    }
}

/// Who a plenary's members are.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    Guests,
    Registered,
}

impl Members {
    pub fn name(self) -> &'static str {
        match self {
            Members::Guests => "guests",
            Members::Registered => "registered",
        }
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Hold N connections, authenticated and joined, and measure memory.
    Idle,
    /// One speaker, N listeners in one room.
    Fanout,
    /// A chair, delegates on the speakers' list taking turns, N listeners.
    Debate,
    /// N connections, of which some close and come back every second.
    Churn,
    /// Clients drop, miss K events, and come back with `since`.
    Resume,
    /// Some listeners stop reading halfway; the others are measured.
    SlowReader,
    /// Halfway through, flooders send as fast as they can under the server's
    /// default rate limits; the listeners are measured.
    Flood,
    /// N distinct guests join one room as fast as the server takes them,
    /// then one delegate speaks to them all.
    Plenary,
    /// A debate in a room of N members; delegates on an emulated poor link
    /// (one negotiating permessage-deflate, one not) join, follow, take
    /// the floor and speak. Needs root, `ip`, and netem or /dev/net/tun.
    PoorLink,
    /// A spawned cluster: one speaker, N listeners spread over --nodes;
    /// delivery on the room owner's node and on the others, against a
    /// single node with the same load.
    ClusterFanout,
    /// A spawned cluster: --rooms rooms, each with a speaker and listeners
    /// spread over --nodes; rooms per node and deliveries per second.
    ClusterRooms,
    /// A spawned cluster: the owner of a room is killed (SIGKILL) while a
    /// speaker on another node speaks; time to the new owner and to every
    /// dead node's client's resumption, and gapless seqs.
    Failover,
}

/// What a flooder sends.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloodKind {
    Say,
    Garbage,
    Oversized,
    Reconnect,
    Replay,
    Points,
    Pings,
    Fragments,
}

impl FloodKind {
    pub fn name(self) -> &'static str {
        match self {
            FloodKind::Say => "say",
            FloodKind::Garbage => "garbage",
            FloodKind::Oversized => "oversized",
            FloodKind::Reconnect => "reconnect",
            FloodKind::Replay => "replay",
            FloodKind::Points => "points",
            FloodKind::Pings => "pings",
            FloodKind::Fragments => "fragments",
        }
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Connect,
    Hello,
    Join,
}

impl Scenario {
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Idle => "idle",
            Scenario::Fanout => "fanout",
            Scenario::Debate => "debate",
            Scenario::Churn => "churn",
            Scenario::Resume => "resume",
            Scenario::SlowReader => "slow-reader",
            Scenario::Flood => "flood",
            Scenario::Plenary => "plenary",
            Scenario::PoorLink => "poor-link",
            Scenario::ClusterFanout => "cluster-fanout",
            Scenario::ClusterRooms => "cluster-rooms",
            Scenario::Failover => "failover",
        }
    }

    /// The scenarios that spawn a cluster of their own (see `cluster`).
    pub fn is_cluster(self) -> bool {
        matches!(
            self,
            Scenario::ClusterFanout | Scenario::ClusterRooms | Scenario::Failover
        )
    }
}

impl Args {
    /// The command line, with the defaults that depend on the scenario
    /// filled in (a plenary's members, a flood's identities).
    pub fn parse_resolved() -> Args {
        Args::resolve_from(std::env::args_os())
    }

    pub fn resolve_from<I, T>(argv: I) -> Args
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Args::command().get_matches_from(argv);
        let mut args = match Args::from_arg_matches(&matches) {
            Ok(a) => a,
            Err(e) => e.exit(),
        };
        let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
        if args.scenario == Scenario::Plenary && !given("connections") {
            args.connections = PLENARY_MEMBERS;
        }
        if args.scenario == Scenario::Failover {
            // A lost or repeated event in a failover is the finding: the
            // run always fails on one.
            args.check = true;
        }
        if args.scenario == Scenario::Flood {
            // The flood runs under the server's real limits, which are per
            // participant: listeners sharing an identity would share its
            // budget and be refused their own joins.
            args.identities = args.identities.max(args.connections);
        }
        if args.scenario == Scenario::PoorLink {
            // A real room: every member is someone, a speaker at a
            // person's pace, a few people coming and going.
            if !given("connections") {
                args.connections = POOR_LINK_MEMBERS;
            }
            if !given("duration") {
                args.duration = POOR_LINK_SECONDS;
            }
            if !given("speakers") {
                args.speakers = 1;
            }
            if !given("churn_rate") {
                args.churn_rate = 0.2;
            }
            args.identities = args.identities.max(args.connections);
        }
        args
    }

    pub fn rooms(&self) -> usize {
        let default = match self.scenario {
            Scenario::Idle | Scenario::Churn => self.connections.div_ceil(200),
            Scenario::ClusterRooms => 60,
            _ => 1,
        };
        self.rooms.unwrap_or(default).max(1)
    }

    pub fn rate(&self) -> f64 {
        self.rate.unwrap_or(match self.scenario {
            Scenario::Churn => 10.0,
            Scenario::Debate => 20.0,
            Scenario::Flood => 10.0,
            // A plenary of 10,000 at 10 speeches/s is 100,000 deliveries/s:
            // the floor broadcaster's reference point.
            Scenario::Plenary => 10.0,
            // A speech every ten seconds: a person reading a statement
            // aloud, a sentence or two at a time.
            Scenario::PoorLink => 0.1,
            Scenario::ClusterFanout | Scenario::Failover => 10.0,
            // Per room: 60 rooms at 2/s are 120 speeches a second.
            Scenario::ClusterRooms => 2.0,
            _ => 50.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(extra: &[&str]) -> Args {
        let mut argv = vec!["dais-loadgen", "--spawn"];
        argv.extend_from_slice(extra);
        Args::resolve_from(argv)
    }

    #[test]
    fn a_plenary_has_ten_thousand_members_unless_told_otherwise() {
        assert_eq!(
            resolved(&["--scenario", "plenary"]).connections,
            PLENARY_MEMBERS
        );
        let small = resolved(&["--scenario", "plenary", "--connections", "500"]);
        assert_eq!(small.connections, 500);
        assert_eq!(small.members, Members::Guests);
        assert_eq!(resolved(&["--scenario", "fanout"]).connections, 100);
    }

    #[test]
    fn a_flood_gives_every_listener_its_own_identity() {
        let flood = resolved(&["--scenario", "flood", "--connections", "50"]);
        assert_eq!(flood.identities, 50);
        let fanout = resolved(&["--scenario", "fanout", "--connections", "50"]);
        assert_eq!(fanout.identities, 2);
    }

    #[test]
    fn a_poor_link_debate_has_a_room_of_distinct_members_at_a_persons_pace() {
        let poor = resolved(&["--scenario", "poor-link"]);
        assert_eq!(poor.connections, POOR_LINK_MEMBERS);
        assert_eq!(poor.identities, POOR_LINK_MEMBERS);
        assert_eq!(poor.duration, POOR_LINK_SECONDS);
        assert_eq!(poor.speakers, 1);
        assert_eq!(poor.rate(), 0.1);
        let small = resolved(&[
            "--scenario",
            "poor-link",
            "--connections",
            "50",
            "--speakers",
            "2",
        ]);
        assert_eq!(
            (small.connections, small.identities, small.speakers),
            (50, 50, 2)
        );
        assert_eq!(resolved(&["--scenario", "debate"]).speakers, 20);
    }

    #[test]
    fn a_failover_always_fails_the_run_on_a_lost_or_repeated_event() {
        assert!(resolved(&["--scenario", "failover"]).check);
        assert!(!resolved(&["--scenario", "cluster-fanout"]).check);
        assert!(Scenario::ClusterRooms.is_cluster());
        assert!(!Scenario::Fanout.is_cluster());
    }

    #[test]
    fn comparing_with_the_floor_needs_its_binary_and_a_spawned_server() {
        let no_bin = Args::try_parse_from([
            "dais-loadgen",
            "--spawn",
            "--scenario",
            "fanout",
            "--compare-floor",
        ]);
        assert!(no_bin.is_err());
        let attached = Args::try_parse_from([
            "dais-loadgen",
            "--server",
            "ws://127.0.0.1:9400",
            "--scenario",
            "fanout",
            "--compare-floor",
            "--floor-bin",
            "/x",
        ]);
        assert!(attached.is_err());
    }
}
