//! `dais`: the terminal client. Reads its settings, starts the network task,
//! and hands the full screen or line mode to the interface loop
//! (interface.rs): take what is waiting (keys or lines, frames, the clock),
//! update the state, show it once.

use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

use std::io::IsTerminal;

use clap::error::ErrorKind;
use tokio::sync::mpsc;
use tokio_rustls::TlsConnector;

use dais::app::App;
use dais::bidi::strip_isolates;
use dais::bidi::BidiMode;
use dais::config::{self, ConfigError, Login, Settings, Warning};
use dais::i18n::{locale_from_env, Localizer};
use dais::line::LineMode;
use dais::net::{self, Credential};
use dais::terminal;
use dais::tls::{self, TlsError};
use dais::tui::FullScreen;
use dais::{args, interface, now_ms};

fn main() -> ExitCode {
    // Parsed as they are (a path need not be UTF-8); read as text only to
    // find the language and bidi mode, which are needed before parsing.
    let os_argv: Vec<OsString> = std::env::args_os().collect();
    let argv: Vec<String> = os_argv
        .iter()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let early = localizer(config::prescan(&argv, "lang").as_deref());
    let cli = match config::parse(&early, &os_argv) {
        Ok(cli) => cli,
        Err(answer) => return clap_answer(answer, &early, &argv),
    };
    let settings = match config::load(cli) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("{}", strip_isolates(&config_error(&early, &e)));
            return ExitCode::from(2);
        }
    };
    let l10n = localizer(settings.lang.as_deref());
    let warnings: Vec<String> = settings
        .warnings
        .iter()
        .map(|w| warning_text(&l10n, w))
        .collect();
    for warning in &warnings {
        eprintln!("{}", strip_isolates(warning));
    }
    let credential = match settings.login.clone() {
        Some(Login::Token(token)) => Credential::Token(token),
        Some(Login::Guest(name)) => Credential::Guest(name),
        // load() has read every token file.
        Some(Login::TokenFile(_)) | None => {
            let path = settings
                .config_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let text = l10n.ta("error-no-token", &args!["path" => path]);
            eprintln!("{}", strip_isolates(&text));
            return ExitCode::from(2);
        }
    };
    // Built before the interface starts, so that a bad --ca file is told
    // here rather than as a connection that never comes.
    let tls = if settings.servers.iter().any(|s| tls::is_secure(s)) {
        match tls::connector(settings.ca.as_deref()) {
            Ok(connector) => Some(connector),
            Err(e) => {
                let text = match &e {
                    TlsError::Ca { path, detail } => l10n.ta(
                        "error-ca",
                        &args!["path" => path.display().to_string(), "detail" => detail.clone()],
                    ),
                    TlsError::NoSystemRoots => l10n.t("error-no-roots"),
                    TlsError::Config(e) => l10n.ta("error-tls", &args!["detail" => e.to_string()]),
                };
                eprintln!("{}", strip_isolates(&text));
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("dais: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(settings, credential, tls, l10n, warnings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dais: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Print what clap had to say instead of running: the localized help (in
/// visual order on a terminal when the client does the bidi), the version,
/// or a usage error told in the user's language on stderr.
fn clap_answer(answer: clap::Error, l10n: &Localizer, argv: &[String]) -> ExitCode {
    let bidi = config::prescan(argv, "bidi")
        .and_then(|b| <BidiMode as clap::ValueEnum>::from_str(&b, true).ok())
        .unwrap_or_default();
    // A file or a pipe keeps logical order.
    let mode = |terminal: bool| if terminal { bidi } else { BidiMode::Off };
    match answer.kind() {
        ErrorKind::DisplayHelp => {
            let text = answer.render().to_string();
            let mode = mode(std::io::stdout().is_terminal());
            print!(
                "{}",
                config::answer_for_terminal(&text, l10n.is_rtl(), mode)
            );
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = answer.print();
            ExitCode::from(u8::try_from(answer.exit_code()).unwrap_or(2))
        }
        _ => {
            let text = config::usage_error(l10n, &answer, argv);
            let mode = mode(std::io::stderr().is_terminal());
            eprint!(
                "{}",
                config::answer_for_terminal(&text, l10n.is_rtl(), mode)
            );
            // clap's exit code for a usage error.
            ExitCode::from(2)
        }
    }
}

/// Why the settings could not be read, in the user's language.
fn config_error(l10n: &Localizer, error: &ConfigError) -> String {
    match error {
        ConfigError::Read { .. } | ConfigError::Parse { .. } => {
            l10n.ta("error-config", &args!["detail" => error.to_string()])
        }
        ConfigError::TokenFile { path, source } => l10n.ta(
            "error-token-file",
            &args!["path" => path.display().to_string(), "detail" => source.to_string()],
        ),
        ConfigError::TokenFileEmpty { path } => l10n.ta(
            "error-token-file-empty",
            &args!["path" => path.display().to_string()],
        ),
    }
}

/// A warning about the settings, in the user's language.
fn warning_text(l10n: &Localizer, warning: &Warning) -> String {
    match warning {
        Warning::TokenFileReadable { path, mode } => l10n.ta(
            "warning-token-file-readable",
            &args!["path" => path.display().to_string(), "mode" => format!("{mode:o}")],
        ),
    }
}

/// `--lang` (or the config's `lang`) when given, else the system locale.
fn localizer(lang: Option<&str>) -> Localizer {
    match lang {
        Some(tag) => Localizer::for_tag(tag),
        None => {
            let requested: Vec<_> = locale_from_env(|name| std::env::var(name).ok())
                .into_iter()
                .collect();
            Localizer::new(&requested)
        }
    }
}

/// A seed for the client's jitter, different in every process.
fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32) | 1
}

/// A prefix that makes this process's nonces unlike any other's.
fn nonce_prefix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}-{:x}", std::process::id(), nanos & 0xffff_ffff_ffff)
}

async fn run(
    settings: Settings,
    credential: Credential,
    tls: Option<TlsConnector>,
    l10n: Localizer,
    warnings: Vec<String>,
) -> anyhow::Result<()> {
    let lang = l10n.tag();
    let mut app = App::new(l10n, settings.bidi, nonce_prefix());
    app.wanted_room = settings.room.clone();
    app.speak_lang = settings.speak.clone();
    app.quiet_clock = settings.quiet_clock;
    app.server = settings.servers.first().cloned().unwrap_or_default();
    app.servers = settings.servers.len();
    app.rng = seed();
    // Told on stderr too, but the interface covers the terminal at once.
    if let Some(warning) = warnings.into_iter().next() {
        app.warn(warning, now_ms());
    }
    let (events_tx, mut events_rx) = mpsc::unbounded_channel();
    let login = net::Login { credential, lang };
    let (net, task) = net::spawn(settings.servers.clone(), login, tls, events_tx);
    // Line mode when asked, or when the terminal cannot take a full screen
    // (TERM=dumb) or there is none (output to a file or a pipe).
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let line_mode = settings
        .line
        .unwrap_or(dumb || !std::io::stdout().is_terminal());
    let result = if line_mode {
        // Logical order and no escape sequences: the screen reader reorders.
        app.bidi = dais::bidi::BidiMode::Off;
        let mut lines = LineMode::default();
        interface::run(&mut lines, &mut app, &net, &mut events_rx).await
    } else {
        let mut term = terminal::enter(settings.bidi, settings.mouse)?;
        let mut screen = FullScreen::new(&mut term);
        let result = interface::run(&mut screen, &mut app, &net, &mut events_rx).await;
        terminal::restore(settings.bidi);
        result
    };
    net.shutdown();
    let _ = tokio::time::timeout(Duration::from_secs(1), task).await;
    result
}
