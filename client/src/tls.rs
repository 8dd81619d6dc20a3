//! TLS for `wss://`: which certificate authorities the client trusts.
//!
//! By default the system's (the same store the browser and curl use, read
//! with `rustls-native-certs`); with `--ca FILE`, only the CA certificates in
//! that PEM file, for a server with a private or self-signed certificate.
//! The connector is built once, before the interface starts, so that a bad
//! file is reported on the command line and not as an endless reconnect.
//!
//! rustls runs with the `ring` provider, chosen explicitly rather than as a
//! process-wide default: aws-lc-rs, rustls' usual one, needs cmake and clang
//! to build.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

/// Why no connector could be built. The interface turns each into a
/// localized sentence.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// `--ca` names a file that cannot be read or holds no valid certificate.
    #[error("{path}: {detail}")]
    Ca {
        /// The file `--ca` named.
        path: PathBuf,
        /// What was wrong with it.
        detail: String,
    },
    /// The system has no certificate authority that rustls accepts.
    #[error("no trusted certificate authorities on this system")]
    NoSystemRoots,
    /// rustls refused the configuration (no usable protocol version).
    #[error("{0}")]
    Config(#[from] rustls::Error),
}

/// The CA certificates of a PEM file; an error if there are none.
fn read_ca(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let error = |detail: String| TlsError::Ca {
        path: path.to_owned(),
        detail,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| error(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| error(e.to_string()))?;
    if certs.is_empty() {
        return Err(error("no PEM certificate".to_owned()));
    }
    Ok(certs)
}

/// The trust anchors: only those of `ca` when given, else the system's.
pub fn roots(ca: Option<&Path>) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    match ca {
        Some(path) => {
            for cert in read_ca(path)? {
                roots.add(cert).map_err(|e| TlsError::Ca {
                    path: path.to_owned(),
                    detail: e.to_string(),
                })?;
            }
        }
        None => {
            // Unreadable entries of the system store are skipped, as every
            // other TLS client does; only an empty result is an error.
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            if roots.is_empty() {
                return Err(TlsError::NoSystemRoots);
            }
        }
    }
    Ok(roots)
}

/// A connector that trusts `ca` alone when given, else the system's roots.
pub fn connector(ca: Option<&Path>) -> Result<TlsConnector, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots(ca)?)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

/// True for a `wss://` address, which needs a connector.
pub fn is_secure(url: &str) -> bool {
    url.get(..6)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("wss://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wss_addresses_need_tls() {
        assert!(is_secure("wss://dais.example.org"));
        assert!(is_secure("WSS://dais.example.org"));
        assert!(!is_secure("ws://127.0.0.1:7878"));
        assert!(!is_secure("ws"));
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("empty.pem");
        std::fs::write(&path, "not a certificate\n").expect("write");
        assert!(matches!(connector(Some(&path)), Err(TlsError::Ca { .. })));
        let missing = dir.path().join("missing.pem");
        assert!(matches!(
            connector(Some(&missing)),
            Err(TlsError::Ca { .. })
        ));
    }

    #[test]
    fn a_ca_file_is_the_only_trust_anchor() {
        let certified =
            rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("rcgen");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, certified.cert.pem()).expect("write");
        assert_eq!(roots(Some(&path)).expect("roots").len(), 1);
        assert!(connector(Some(&path)).is_ok());
    }
}
