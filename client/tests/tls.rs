//! wss:// from the client's network task: it logs in over TLS when `--ca`
//! names the server's certificate, and refuses a server whose certificate
//! that CA did not sign.
//!
//! One test runs a small TLS websocket server in the test itself, so it
//! needs nothing else; another runs the real `dais-server` with
//! `--tls-cert`/`--tls-key` when that binary sits next to `dais` (a workspace
//! build makes both), and otherwise says so and passes.

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Arc;
use std::time::Duration;

use dais::link::NetEvent;
use dais::net::{self, Credential};
use dais::tls;
use dais_protocol::ServerFrame;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(30);

/// A self-signed certificate for `localhost`, written as PEM files.
struct Certificate {
    cert: PathBuf,
    key: PathBuf,
    _dir: tempfile::TempDir,
}

fn certificate() -> Certificate {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("rcgen");
    let dir = tempfile::tempdir().expect("temp dir");
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).expect("write cert");
    std::fs::write(&key, certified.signing_key.serialize_pem()).expect("write key");
    Certificate {
        cert,
        key,
        _dir: dir,
    }
}

/// The welcome frame of docs/PROTOCOL.md, trimmed.
const WELCOME: &str = r#"{"type": "welcome", "protocol": 2,
  "participant": {"id": "p-1", "name": "Marta Ruiz", "delegation": "Uruguay",
    "stakeholder": "government", "role": "delegate", "languages": ["es"], "guest": false},
  "rooms": [], "server_time": 0, "ping_interval": 20}"#;

/// A TLS websocket server on an ephemeral port that answers one `hello`
/// with `welcome`. Returns its port.
async fn tiny_server(cert: &Path, key: &Path) -> u16 {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .expect("cert file")
        .collect::<Result<_, _>>()
        .expect("cert");
    let key = PrivateKeyDer::from_pem_file(key).expect("key");
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut ws) = tokio_tungstenite::accept_async(tls).await else {
                    return;
                };
                while let Some(Ok(message)) = ws.next().await {
                    if message.to_text().is_ok_and(|t| t.contains("\"hello\"")) {
                        let _ = ws.send(Message::text(WELCOME)).await;
                    }
                }
            });
        }
    });
    port
}

/// Run the client's network task against `url` until it is welcomed
/// (`true`) or has given up its first try (`false`).
async fn welcomed(url: String, token: String, ca: &Path) -> bool {
    let connector = tls::connector(Some(ca)).expect("connector");
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let login = net::Login {
        credential: Credential::Token(token),
        lang: "en".to_owned(),
    };
    let (handle, task) = net::spawn(vec![url], login, Some(connector), events_tx);
    let outcome = tokio::time::timeout(WAIT, async {
        while let Some(event) = events.recv().await {
            match event {
                NetEvent::Frame(frame) if matches!(*frame, ServerFrame::Welcome { .. }) => {
                    return true;
                }
                NetEvent::Disconnected { .. } | NetEvent::Fatal(_) => return false,
                _ => {}
            }
        }
        false
    })
    .await
    .expect("the network task said nothing");
    handle.shutdown();
    let _ = tokio::time::timeout(WAIT, task).await;
    outcome
}

#[tokio::test]
async fn the_client_logs_in_over_wss_with_its_ca() {
    let cert = certificate();
    let port = tiny_server(&cert.cert, &cert.key).await;
    let url = format!("wss://localhost:{port}");
    assert!(welcomed(url, "dais_test".to_owned(), &cert.cert).await);
}

#[tokio::test]
async fn a_certificate_the_ca_did_not_sign_is_refused() {
    let cert = certificate();
    let other = certificate();
    let port = tiny_server(&cert.cert, &cert.key).await;
    let url = format!("wss://localhost:{port}");
    assert!(!welcomed(url, "dais_test".to_owned(), &other.cert).await);
}

/// The real server, killed when dropped.
struct RealServer(Child);

impl Drop for RealServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_client_logs_in_to_the_real_server_over_wss() {
    let server_bin = PathBuf::from(env!("CARGO_BIN_EXE_dais")).with_file_name("dais-server");
    if !server_bin.exists() {
        eprintln!("skipped: needs {}", server_bin.display());
        return;
    }
    let cert = certificate();
    let data = tempfile::tempdir().expect("temp dir");
    let mut spawner = dais_kit::Spawner::new(&server_bin, data.path()).timeout(WAIT);
    spawner
        .command()
        .arg("--tls-cert")
        .arg(&cert.cert)
        .arg("--tls-key")
        .arg(&cert.key);
    let running = spawner.start().expect("start dais-server");
    let _server = RealServer(running.child);
    let listening = running.url;
    assert!(listening.starts_with("wss://"), "{listening}");
    // The certificate names localhost, not the address.
    let port = listening.rsplit(':').next().expect("port");
    let token = std::fs::read_to_string(data.path().join("chair.token")).expect("chair token");
    let url = format!("wss://localhost:{port}");
    assert!(welcomed(url, token.trim().to_owned(), &cert.cert).await);
}
