//! The `hello`: who this connection is. A participant's token, a guest's
//! returning credential, or a new guest's name; the throttles on guessing
//! and on making guests; then the `welcome`, after which every request the
//! connection sends is this participant's.

use super::{error_frame, Connection};
use crate::auth;
use crate::clock::now_ms;
use dais_protocol::{
    ErrorCode, Participant, Request, RequestId, ServerFrame, Stakeholder, PROTOCOL_VERSION,
    SUPPORTED_PROTOCOLS,
};
use serde_json::json;
use std::time::Instant;

/// Who a good `hello` made this connection, and the guest credential to
/// hand back (a new guest's, or a returning guest's renewed).
struct Admitted {
    participant: Participant,
    guest_token: Option<String>,
}

impl Connection {
    pub(super) async fn hello(&mut self, request: Request, id: Option<RequestId>) {
        let Request::Hello {
            protocol,
            token,
            guest,
            lang,
        } = request
        else {
            return;
        };
        if !SUPPORTED_PROTOCOLS.contains(&protocol) {
            self.outbox.send_text(error_frame(
                id,
                ErrorCode::UnsupportedProtocol,
                Some(json!({ "supported": SUPPORTED_PROTOCOLS })),
            ));
            return;
        }
        if let Some(l) = &lang {
            if !crate::limits::valid_lang(l) {
                self.refuse(id, ErrorCode::InvalidLanguage);
                return;
            }
        }
        let now = Instant::now();
        let admitted = match (token, guest) {
            (Some(token), _) => self.by_token(token, now).await,
            (None, Some(name)) => self.new_guest(&name, now),
            (None, None) => {
                self.outbox.send_text(error_frame(
                    id,
                    ErrorCode::MissingField,
                    Some(json!({"field": "token"})),
                ));
                return;
            }
        };
        match admitted {
            Ok(admitted) => self.welcome(admitted, lang, now),
            Err(code) => self.refuse(id, code),
        }
    }

    /// A `hello` with a token: a participant's, or a returning guest's
    /// credential.
    async fn by_token(&self, token: String, now: Instant) -> Result<Admitted, ErrorCode> {
        // An address that failed too often lately is slowed, not shut out:
        // a good token still gets in (a venue's delegates share one address
        // with whoever is guessing), a bad one is answered only after a
        // pause, so guessing from there runs at a few tries a second per
        // connection instead of thousands.
        let throttled = !self.shared.gate.login_allowed(self.ip, now);
        let mut guest_token = None;
        let found = if token.starts_with(crate::guest::CREDENTIAL_PREFIX) {
            if !self.shared.config.server.allow_guests {
                return Err(ErrorCode::GuestsNotAllowed);
            }
            self.shared
                .guest_key
                .verify(&token, now_ms())
                .map(|(id, name)| {
                    // Renewed at every return, so that a guest who keeps
                    // coming back keeps their identity.
                    guest_token = Some(self.shared.guest_key.issue(&id, &name, now_ms()));
                    self.guest(id, name)
                })
        } else {
            self.check_token(token).await
        };
        if let Some(participant) = found {
            return Ok(Admitted {
                participant,
                guest_token,
            });
        }
        // Logged without the token, at info: someone is guessing, or a
        // revoked delegate is still trying.
        tracing::info!(peer = %self.ip, throttled, "hello with an unknown, revoked or expired token");
        crate::metrics::add(&crate::metrics::FAILED_LOGINS, 1);
        self.shared.gate.login_failed(self.ip, now);
        if throttled {
            crate::metrics::add(&crate::metrics::LOGINS_THROTTLED, 1);
            tokio::time::sleep(crate::gate::THROTTLED_ANSWER).await;
            Err(ErrorCode::LoginThrottled)
        } else {
            Err(ErrorCode::InvalidToken)
        }
    }

    /// A `hello` with a name: a new guest, if the server admits guests,
    /// the name is free, and this address has not made too many lately.
    fn new_guest(&self, name: &str, now: Instant) -> Result<Admitted, ErrorCode> {
        if !self.shared.config.server.allow_guests {
            return Err(ErrorCode::GuestsNotAllowed);
        }
        let name = crate::guest::check_name(name, &self.shared.moderators())?;
        if !self.shared.gate.new_guest(self.ip, now) {
            crate::metrics::add(&crate::metrics::LOGINS_THROTTLED, 1);
            return Err(ErrorCode::LoginThrottled);
        }
        let pid = auth::new_participant_id().map_err(|_| ErrorCode::Internal)?;
        let gid = pid.replacen("p-", "g-", 1);
        let guest_token = Some(self.shared.guest_key.issue(&gid, &name, now_ms()));
        crate::metrics::add(&crate::metrics::GUESTS_ADMITTED, 1);
        Ok(Admitted {
            participant: self.guest(gid, name),
            guest_token,
        })
    }

    /// Share the participant's rate limit, take their language, and send
    /// the `welcome` with the room list.
    fn welcome(&mut self, admitted: Admitted, lang: Option<String>, now: Instant) {
        let Admitted {
            participant,
            guest_token,
        } = admitted;
        tracing::debug!(participant = %participant.id, role = %participant.role, "authenticated");
        self.limiter.share(self.shared.buckets.for_participant(
            &participant.id,
            &self.shared.config.limits,
            now,
        ));
        self.lang = lang
            .or_else(|| participant.languages.first().cloned())
            .unwrap_or_else(|| "en".to_string());
        let ping_interval = self.shared.config.limits.ping_interval_secs as u32;
        let me = participant.clone();
        self.shared.registry.authenticate(
            &self.outbox,
            &participant.id,
            &self.lang,
            move |rooms| {
                ServerFrame::Welcome {
                    protocol: PROTOCOL_VERSION,
                    participant: me,
                    rooms,
                    server_time: now_ms(),
                    ping_interval,
                    guest_token,
                }
                .to_json()
            },
        );
        self.who = Some(participant);
    }

    /// A guest as the rooms see them.
    fn guest(&self, id: String, name: String) -> Participant {
        Participant {
            id,
            name,
            delegation: String::new(),
            stakeholder: Stakeholder::CivilSociety,
            role: self.shared.config.server.guest_role,
            languages: Vec::new(),
            guest: true,
        }
    }

    /// The participant a token belongs to, if it is valid and not revoked.
    /// A wrong token and a revoked one take the same path (one indexed
    /// lookup of the hash) and get the same answer.
    async fn check_token(&self, token: String) -> Option<Participant> {
        if token.len() > 256 {
            return None;
        }
        let hash = auth::hash_token(&token);
        let row = self
            .shared
            .store
            .participant_by_token(hash)
            .await
            .ok()
            .flatten()?;
        if row.revoked_at.is_some() {
            return None;
        }
        Some(row.participant)
    }
}
