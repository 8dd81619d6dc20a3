//! `dais-server`: the Dais server and its admin commands.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use dais_protocol::{Role, Stakeholder};
use dais_server::record::admin::Place;
use dais_server::{auth, config::Config, export, server};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Dais: moderated, multilingual dialogue rooms for delegates in a terminal.
///
/// Without a subcommand, runs the server. On first start with an empty data
/// directory it creates a chair (a moderator), saves the chair's token in
/// DATA/chair.token and prints that file's name and the command that joins
/// with it (never the token itself).
#[derive(Parser)]
#[command(name = "dais-server", version, propagate_version = true)]
struct Cli {
    /// Data directory: the SQLite database and the first chair's token file.
    #[arg(long, env = "DAIS_DATA", default_value = "./dais-data", global = true)]
    data: PathBuf,

    /// Address to listen on for websocket clients (and /healthz).
    #[arg(long, env = "DAIS_LISTEN", default_value = "127.0.0.1:7878")]
    listen: SocketAddr,

    /// Once the server accepts connections, write its address (the URL
    /// clients use, e.g. ws://127.0.0.1:41234) to this file, replacing it
    /// whole: with --listen on port 0, this says which port it got.
    #[arg(long, env = "DAIS_ADDRESS_FILE", value_name = "PATH")]
    address_file: Option<PathBuf>,

    /// TOML config file: rooms, limits, guests. See docs/dais.example.toml.
    /// Without one, the server runs with one room per governance topic.
    #[arg(long, env = "DAIS_CONFIG")]
    config: Option<PathBuf>,

    /// PEM certificate chain: serve wss:// instead of ws:// (with --tls-key).
    #[arg(long, env = "DAIS_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,

    /// PEM private key of --tls-cert.
    #[arg(long, env = "DAIS_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,

    /// Cluster mode: the record in this PostgreSQL database instead of
    /// SQLite in --data (e.g. postgres://dais@db.example.org/dais). With it,
    /// the admin commands work on the cluster's record too. The server also
    /// needs --bus-url. See docs/DEPLOY.md, "Cluster".
    #[arg(long, env = "DAIS_DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,

    /// Cluster mode: the Redis server that carries events and requests
    /// between nodes (e.g. redis://127.0.0.1:6379/).
    #[arg(long, env = "DAIS_BUS_URL", hide_env_values = true)]
    bus_url: Option<String>,

    /// Cluster mode: this node's name, unique in the cluster and the same
    /// across its restarts [default: HOSTNAME-PORT].
    #[arg(long, env = "DAIS_NODE_ID")]
    node_id: Option<String>,

    /// Cluster mode: how long a room's lease lasts without renewal, in
    /// seconds. When a node dies, its rooms have a new owner within about
    /// this long; a shorter lease fails over sooner but costs more renewals
    /// and risks a takeover during a long pause (GC, a frozen VM).
    #[arg(long, env = "DAIS_LEASE_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(2..=600))]
    lease_secs: u64,

    /// Cluster mode: prefix of this cluster's channels on the bus, so that
    /// several clusters can share one Redis.
    #[arg(long, env = "DAIS_BUS_PREFIX", default_value = "dais")]
    bus_prefix: String,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Provision, list and revoke participants.
    #[command(subcommand)]
    Participant(ParticipantCommand),
    /// Copy the database to a file while the server runs (SQLite's online backup).
    ///
    /// To restore: stop the server, put the copy in place of DATA/dais.db
    /// (removing dais.db-wal and dais.db-shm), and start the server again.
    ///
    /// With --database-url, the cluster's record is written to the file as
    /// a SQLite database, from one consistent snapshot: restore it as a
    /// single node's dais.db, or into a new cluster with `migrate`.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Write a room's record of proceedings.
    Export {
        /// The room's id, e.g. cyber-security.
        #[arg(long)]
        room: String,
        /// md: for people; json: every event and the fairness figures, for programs.
        #[arg(long, value_enum, default_value = "md")]
        format: export::Format,
        /// The language of the Markdown record: en, fr, es, ru, zh-CN or ar.
        #[arg(long, default_value = "en", value_parser = dais_words::Lang::tags())]
        lang: String,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Move a single node's record into a cluster's PostgreSQL database.
    ///
    /// Stop the single node first. Everything moves in one transaction:
    /// participants and their token hashes, rooms, every event, members
    /// and the guest key; the copy is checked (counts and every room's last
    /// seq) before it is committed. Rooms or participants that already
    /// exist in the database are refused, never merged.
    Migrate {
        /// The single node's data directory.
        #[arg(long, value_name = "DIR")]
        from_sqlite: PathBuf,
    },
}

#[derive(Subcommand)]
enum ParticipantCommand {
    /// Add a participant and print their token (shown once; only its hash is kept).
    Add(AddArgs),
    /// List participants (tokens are never shown).
    List,
    /// Revoke a participant's token; their live connections are closed.
    Revoke {
        /// The participant's id, as shown by `participant list`.
        id: String,
    },
}

#[derive(Args)]
struct AddArgs {
    /// Display name, e.g. "Amina Haddad".
    #[arg(long)]
    name: String,
    /// The country or organisation represented, e.g. "Morocco" or "ISOC".
    #[arg(long, default_value = "")]
    delegation: String,
    /// Stakeholder group: government, private_sector, technical_community,
    /// civil_society, academia or intergovernmental.
    #[arg(long)]
    stakeholder: Stakeholder,
    /// Role: delegate, moderator, interpreter or observer.
    #[arg(long, default_value = "delegate")]
    role: Role,
    /// Preferred languages, most preferred first (BCP 47 tags, comma-separated).
    #[arg(long = "lang", value_delimiter = ',', default_value = "en")]
    languages: Vec<String>,
    /// Print the new participant as one JSON object (for scripts); with
    /// --count, one object per line.
    #[arg(long)]
    json: bool,
    /// Add this many participants at once, named "NAME 1" to "NAME N", in one
    /// transaction (for rehearsals and load tests). Each gets its own token.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    count: u32,
}

/// A name or delegation given on the command line, checked as the server
/// checks names: no control characters (which could fake rows in
/// `participant list` or drive the terminal) and no directional overrides.
fn check_name(what: &str, value: &str) -> Result<()> {
    if dais_server::limits::check_name_text(value).is_err() {
        anyhow::bail!(
            "the {what} {value:?} has control or directional formatting characters; type it plainly"
        );
    }
    Ok(())
}

/// Pad `text` to `width` terminal columns (Chinese characters take two),
/// cutting it with an ellipsis when it is longer.
fn column(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if total > width && used + w > width.saturating_sub(1) {
            out.push('…');
            used += 1;
            break;
        }
        out.push(c);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// What `participant list` shows of a stored name: control and directional
/// formatting characters left out (a name from before they were refused
/// must still not drive the terminal).
fn shown(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

fn participant_json(p: &dais_protocol::Participant, token: &str) -> serde_json::Value {
    serde_json::json!({
        "id": p.id, "name": p.name, "delegation": p.delegation,
        "stakeholder": p.stakeholder, "role": p.role, "token": token,
    })
}

/// `participant add`: one participant, or with `--count N` N of them, all
/// or nothing in one commit (one fsync instead of N), printed only once
/// committed. Into SQLite in `data`, or the cluster's PostgreSQL at `url`.
fn add(
    data: &std::path::Path,
    url: Option<&str>,
    args: &AddArgs,
    listen: SocketAddr,
) -> Result<()> {
    let mut added = Vec::with_capacity(args.count as usize);
    for i in 1..=args.count {
        let name = if args.count > 1 {
            format!("{} {i}", args.name.trim())
        } else {
            args.name.clone()
        };
        added.push(auth::new_participant(
            &name,
            &args.delegation,
            args.stakeholder,
            args.role,
            args.languages.clone(),
        )?);
    }
    let rows: Vec<_> = added
        .iter()
        .map(|(p, _, hash)| (p.clone(), hash.clone()))
        .collect();
    runtime()?.block_on(Place::of(data, url).add_participants(&rows))?;
    if args.count > 1 {
        for (p, token, _) in &added {
            if args.json {
                println!("{}", participant_json(p, token));
            } else {
                println!("{}\t{}\t{token}", p.id, p.name);
            }
        }
        if !args.json {
            eprintln!(
                "Added {} participants (id, name, token; tokens are shown only now).",
                added.len()
            );
        }
        return Ok(());
    }
    let Some((p, token, _)) = added.first() else {
        return Ok(());
    };
    if args.json {
        println!("{}", participant_json(p, token));
        return Ok(());
    }
    println!(
        "Added {} ({}): {}, {}, {}.",
        p.id,
        p.name,
        if p.delegation.is_empty() {
            "no delegation"
        } else {
            &p.delegation
        },
        p.stakeholder,
        p.role
    );
    println!("Token (shown only now; keep it secret): {token}");
    println!(
        "Give it to {} in a file only they can read (chmod 600), and join with:",
        p.name
    );
    println!(
        "  cargo run --release -p dais -- --server {} --token-file FILE",
        server::client_url(listen)
    );
    Ok(())
}

/// RUST_LOG, or `info`; whatever it says, the database and bus drivers
/// stay at info: at debug they log every statement with its parameters
/// (speeches, token hashes, the guests' key), which the log never holds.
fn log_filter() -> tracing_subscriber::EnvFilter {
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    for quiet in [
        "tokio_postgres=info",
        "postgres_types=info",
        "deadpool_postgres=info",
        "redis=info",
    ] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    filter
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Runtime::new().context("cannot start the async runtime")
}

/// A cluster node's default name: this machine's and the port's, so that
/// two nodes on one machine (a test, a rehearsal) differ.
fn default_node_id(listen: SocketAddr) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "dais".to_string());
    format!("{host}-{}", listen.port())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("dais-server: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(log_filter())
        .init();
    // Files the admin commands write (exports, backups) are the owner's
    // alone, as the server's are.
    dais_server::files::restrict_umask();
    match cli.command.take().unwrap_or(Command::Serve) {
        Command::Serve => serve(cli),
        Command::Migrate { from_sqlite } => migrate(cli, &from_sqlite),
        Command::Participant(ParticipantCommand::Add(args)) => {
            check_name("name", &args.name)?;
            check_name("delegation", &args.delegation)?;
            for lang in &args.languages {
                if !dais_server::limits::valid_lang(lang) {
                    anyhow::bail!(
                        "`{lang}` is not a language tag (try en, fr, es, ru, zh-CN or ar)"
                    );
                }
            }
            add(&cli.data, cli.database_url.as_deref(), &args, cli.listen)
        }
        Command::Participant(ParticipantCommand::List) => list(cli),
        Command::Participant(ParticipantCommand::Revoke { id }) => revoke(cli, &id),
        Command::Backup { to } => backup(cli, &to),
        Command::Export {
            room,
            format,
            lang,
            output,
        } => {
            let text = match &cli.database_url {
                None => export::export(&cli.data, &room, format, &lang)?,
                Some(url) => runtime()?.block_on(export::export_pg(url, &room, format, &lang))?,
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}

/// `serve` (the default): run the server until SIGINT or SIGTERM.
fn serve(cli: Cli) -> Result<()> {
    let config = match &cli.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let runtime = runtime()?;
    let tls = match (cli.tls_cert, cli.tls_key) {
        (Some(cert), Some(key)) => Some(server::TlsFiles { cert, key }),
        _ => None,
    };
    let cluster = match (cli.database_url, cli.bus_url) {
        (None, None) => None,
        (Some(database_url), Some(bus_url)) => Some(server::ClusterOptions {
            database_url,
            bus_url,
            node_id: cli.node_id.unwrap_or_else(|| default_node_id(cli.listen)),
            bus_prefix: cli.bus_prefix,
            lease: std::time::Duration::from_secs(cli.lease_secs),
        }),
        (Some(_), None) => anyhow::bail!(
            "cluster mode needs --bus-url (Redis) as well as --database-url; see docs/DEPLOY.md"
        ),
        (None, Some(_)) => anyhow::bail!(
            "cluster mode needs --database-url (PostgreSQL) as well as --bus-url; see docs/DEPLOY.md"
        ),
    };
    runtime.block_on(server::serve(
        cli.listen,
        cli.data,
        config,
        tls,
        cluster,
        cli.address_file,
    ))
}

/// `migrate`: move a single node's record into the cluster's PostgreSQL.
fn migrate(cli: Cli, from_sqlite: &Path) -> Result<()> {
    let Some(url) = cli.database_url else {
        anyhow::bail!("migrate needs --database-url (the cluster's PostgreSQL)");
    };
    let moved = runtime()?.block_on(dais_server::record::migrate::sqlite_to_pg(
        from_sqlite,
        &url,
    ))?;
    println!(
        "Moved {moved} from {} into {}.",
        from_sqlite.display(),
        dais_server::redact::url(&url)
    );
    println!("Start the cluster's nodes on it; the single node must stay stopped.");
    Ok(())
}

/// `participant list`: everyone provisioned, revoked ones marked.
fn list(cli: Cli) -> Result<()> {
    let place = Place::of(&cli.data, cli.database_url.as_deref());
    let rows = runtime()?.block_on(place.list_participants())?;
    println!(
        "{:<14} {} {} {:<20} {:<11} status",
        "id",
        column("name", 24),
        column("delegation", 20),
        "stakeholder",
        "role"
    );
    for r in rows {
        let p = r.participant;
        let status = if r.revoked_at.is_some() {
            "revoked"
        } else {
            "active"
        };
        println!(
            "{:<14} {} {} {:<20} {:<11} {status}",
            p.id,
            column(&shown(&p.name), 24),
            column(&shown(&p.delegation), 20),
            p.stakeholder.as_str(),
            p.role.as_str()
        );
    }
    Ok(())
}

/// `participant revoke`: the token stops working; running servers notice.
fn revoke(cli: Cli, id: &str) -> Result<()> {
    let place = Place::of(&cli.data, cli.database_url.as_deref());
    let found = runtime()?.block_on(place.revoke_participant(id))?;
    if !found {
        anyhow::bail!("no participant `{id}` (see `dais-server participant list`)");
    }
    println!("Revoked {id}; running servers close their connections within a second.");
    Ok(())
}

/// `backup`: the record (SQLite online backup, or PostgreSQL read out) into
/// a SQLite file.
fn backup(cli: Cli, to: &Path) -> Result<()> {
    let place = Place::of(&cli.data, cli.database_url.as_deref());
    let what = runtime()?.block_on(place.backup(to))?;
    println!("Backed up {what} to {}.", to.display());
    Ok(())
}
