//! Requests on their way: ids, nonces, and what waits for a connection.

use super::*;

/// Requests that create an event carry a nonce, so that a retry after a
/// reconnect is recognized by the server and not applied twice.
pub(super) fn needs_nonce(request: &Request) -> bool {
    !matches!(
        request,
        Request::Hello { .. }
            | Request::Rooms { .. }
            | Request::Members { .. }
            | Request::Join { .. }
            | Request::Leave { .. }
            | Request::History { .. }
            | Request::Fairness { .. }
    )
}

impl App {
    /// Queue a request: sent now when online, kept and sent on reconnect otherwise.
    pub(super) fn send(&mut self, request: Request) -> (u64, Vec<Effect>) {
        let id = self.next_id;
        self.next_id += 1;
        let mut envelope = Envelope::new(request).with_id(id);
        if needs_nonce(&envelope.request) {
            envelope = envelope.with_nonce(format!("{}-{id}", self.nonce_prefix));
        }
        let tracked = needs_nonce(&envelope.request)
            || matches!(
                envelope.request,
                Request::Join { .. } | Request::History { .. }
            );
        if tracked {
            self.pending.insert(
                id,
                Pending {
                    envelope: envelope.clone(),
                    created: self.now,
                    retry_at: None,
                },
            );
        }
        if self.conn == Conn::Online {
            (id, vec![Effect::Send(envelope)])
        } else {
            if needs_nonce(&envelope.request) {
                self.info("notice-queued-offline");
            }
            (id, Vec::new())
        }
    }

    pub(super) fn send_only(&mut self, request: Request) -> Vec<Effect> {
        self.send(request).1
    }
}

/// Requests the server answered `unavailable` whose time to retry has
/// come: sent again with the same nonce (a retry is never doubled).
pub(super) fn retries_due(app: &mut App) -> Vec<Effect> {
    if app.conn != Conn::Online {
        return Vec::new();
    }
    let now = app.now;
    let mut effects = Vec::new();
    for pending in app.pending.values_mut() {
        if pending.retry_at.is_some_and(|at| at <= now) {
            pending.retry_at = None;
            effects.push(Effect::Send(pending.envelope.clone()));
        }
    }
    effects
}
