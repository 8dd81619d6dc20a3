//! What one network address may do, whoever it claims to be: how many
//! connections it holds, how fast it opens new ones, how many `hello`s
//! with a bad token it may try, and how many new guests it may create.
//!
//! These are the limits that hold before anyone is authenticated (or for
//! guests who drop their credential): a participant's own rate limit is in
//! `limits.rs`. Every figure comes from the config's `[limits]`.

use crate::limits::Limits;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A token bucket refilled with time: `rate` per second, up to `burst`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn full(burst: f64, now: Instant) -> Bucket {
        Bucket {
            tokens: burst,
            last: now,
        }
    }

    fn refill(&mut self, rate: f64, burst: f64, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * rate).min(burst);
    }

    fn take(&mut self, rate: f64, burst: f64, now: Instant) -> bool {
        self.refill(rate, burst, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Whether a token is there, without taking it.
    fn has(&mut self, rate: f64, burst: f64, now: Instant) -> bool {
        self.refill(rate, burst, now);
        self.tokens >= 1.0
    }
}

#[derive(Debug)]
struct Entry {
    /// Connections open now (TCP accepted, not yet closed).
    open: usize,
    connects: Bucket,
    failed_logins: Bucket,
    new_guests: Bucket,
    /// Requests for the public web pages (a keep-alive connection can ask
    /// for many pages; each one counts).
    pages: Bucket,
}

/// Why a new connection was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The address holds its maximum of open connections.
    TooMany,
    /// The address opened connections faster than its rate.
    TooFast,
}

/// Per-address state, shared by the listener and every connection.
#[derive(Debug)]
pub struct Gate {
    limits: Limits,
    entries: Mutex<HashMap<IpAddr, Entry>>,
}

/// Above this many addresses, idle entries are swept out on the next connection.
const SWEEP_AT: usize = 4096;

/// A connection counted against its address for as long as it lives.
pub struct Slot {
    gate: Arc<Gate>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.gate.entries.lock() {
            if let Some(e) = map.get_mut(&self.ip) {
                e.open = e.open.saturating_sub(1);
            }
        }
    }
}

impl Gate {
    pub fn new(limits: &Limits) -> Arc<Gate> {
        Arc::new(Gate {
            limits: limits.clone(),
            entries: Mutex::new(HashMap::new()),
        })
    }

    fn rates(&self) -> [(f64, f64); 4] {
        let l = &self.limits;
        [
            (
                l.connections_per_second as f64,
                l.connection_burst.max(1) as f64,
            ),
            (
                l.failed_logins_per_minute as f64 / 60.0,
                l.failed_logins_per_minute.max(1) as f64,
            ),
            (
                l.guests_per_minute as f64 / 60.0,
                l.guests_per_minute.max(1) as f64,
            ),
            (
                l.page_requests_per_second as f64,
                l.page_request_burst.max(1) as f64,
            ),
        ]
    }

    fn with<T>(&self, ip: IpAddr, now: Instant, f: impl FnOnce(&mut Entry) -> T) -> T {
        let [(_, cb), (_, fb), (_, gb), (_, pb)] = self.rates();
        let mut map = match self.entries.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() >= SWEEP_AT && !map.contains_key(&ip) {
            let rates = self.rates();
            map.retain(|_, e| !e.idle(&rates, now));
        }
        let entry = map.entry(ip).or_insert_with(|| Entry {
            open: 0,
            connects: Bucket::full(cb, now),
            failed_logins: Bucket::full(fb, now),
            new_guests: Bucket::full(gb, now),
            pages: Bucket::full(pb, now),
        });
        f(entry)
    }

    /// A TCP connection from `ip` was accepted: count it, or say why not.
    pub fn admit(self: &Arc<Self>, ip: IpAddr, now: Instant) -> Result<Slot, Refusal> {
        let [(rate, burst), ..] = self.rates();
        let max = self.limits.connections_per_address;
        self.with(ip, now, |e| {
            if e.open >= max {
                return Err(Refusal::TooMany);
            }
            if !e.connects.take(rate, burst, now) {
                return Err(Refusal::TooFast);
            }
            e.open += 1;
            Ok(())
        })?;
        Ok(Slot {
            gate: self.clone(),
            ip,
        })
    }

    /// Whether `ip` is within its budget of failed `hello`s (one over it is
    /// answered slowly).
    pub fn login_allowed(&self, ip: IpAddr, now: Instant) -> bool {
        let [_, (rate, burst), _, _] = self.rates();
        self.with(ip, now, |e| e.failed_logins.has(rate, burst, now))
    }

    /// A `hello` from `ip` had a bad token.
    pub fn login_failed(&self, ip: IpAddr, now: Instant) {
        let [_, (rate, burst), _, _] = self.rates();
        self.with(ip, now, |e| {
            e.failed_logins.take(rate, burst, now);
        });
    }

    /// Whether `ip` may create another guest now (taking one if so).
    pub fn new_guest(&self, ip: IpAddr, now: Instant) -> bool {
        let [_, _, (rate, burst), _] = self.rates();
        self.with(ip, now, |e| e.new_guests.take(rate, burst, now))
    }

    /// Whether `ip` may have another public page (or live stream) now,
    /// taking one if so.
    pub fn page(&self, ip: IpAddr, now: Instant) -> bool {
        let [_, _, _, (rate, burst)] = self.rates();
        self.with(ip, now, |e| e.pages.take(rate, burst, now))
    }
}

impl Entry {
    /// As good as new: nothing open and every bucket full again.
    fn idle(&mut self, rates: &[(f64, f64); 4], now: Instant) -> bool {
        let full = |b: &mut Bucket, (rate, burst): (f64, f64)| {
            b.refill(rate, burst, now);
            b.tokens >= burst
        };
        self.open == 0
            && full(&mut self.connects, rates[0])
            && full(&mut self.failed_logins, rates[1])
            && full(&mut self.new_guests, rates[2])
            && full(&mut self.pages, rates[3])
    }
}

/// How long a refused address should wait before trying again, for the
/// `Retry-After` of a 429.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

/// How long a bad token from an address over its failure budget waits for
/// its answer (`login_throttled`): it holds that connection, so guessing
/// from the address runs at about one try a second per connection.
pub const THROTTLED_ANSWER: Duration = Duration::from_secs(1);

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            connections_per_address: 3,
            connections_per_second: 2,
            connection_burst: 4,
            failed_logins_per_minute: 6,
            guests_per_minute: 2,
            ..Limits::default()
        }
    }

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, n])
    }

    #[test]
    fn an_address_holds_at_most_its_maximum_of_connections() {
        let gate = Gate::new(&limits());
        let t0 = Instant::now();
        let slots: Vec<Slot> = (0..3)
            .map(|_| gate.admit(ip(1), t0).expect("under"))
            .collect();
        assert_eq!(gate.admit(ip(1), t0).err(), Some(Refusal::TooMany));
        assert!(
            gate.admit(ip(2), t0).is_ok(),
            "another address is not affected"
        );
        drop(slots);
        assert!(gate.admit(ip(1), t0).is_ok(), "closing frees the slots");
    }

    #[test]
    fn an_address_that_reconnects_too_fast_is_slowed_to_its_rate() {
        let gate = Gate::new(&limits());
        let t0 = Instant::now();
        for _ in 0..4 {
            drop(gate.admit(ip(1), t0).expect("within the burst"));
        }
        assert_eq!(gate.admit(ip(1), t0).err(), Some(Refusal::TooFast));
        // Two a second: after half a second, one more.
        let later = t0 + Duration::from_millis(500);
        assert!(gate.admit(ip(1), later).is_ok());
        assert_eq!(gate.admit(ip(1), later).err(), Some(Refusal::TooFast));
    }

    #[test]
    fn failed_logins_close_the_door_for_a_while() {
        let gate = Gate::new(&limits());
        let t0 = Instant::now();
        for _ in 0..6 {
            assert!(gate.login_allowed(ip(1), t0));
            gate.login_failed(ip(1), t0);
        }
        assert!(!gate.login_allowed(ip(1), t0));
        assert!(gate.login_allowed(ip(2), t0));
        // Six a minute: one more after ten seconds.
        assert!(gate.login_allowed(ip(1), t0 + Duration::from_secs(10)));
    }

    #[test]
    fn public_pages_per_address_are_limited() {
        let gate = Gate::new(&Limits {
            page_requests_per_second: 2,
            page_request_burst: 3,
            ..limits()
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(gate.page(ip(1), t0));
        }
        assert!(!gate.page(ip(1), t0));
        assert!(gate.page(ip(2), t0), "another address is not affected");
        assert!(gate.page(ip(1), t0 + Duration::from_millis(500)));
    }

    #[test]
    fn new_guests_per_address_are_limited() {
        let gate = Gate::new(&limits());
        let t0 = Instant::now();
        assert!(gate.new_guest(ip(1), t0));
        assert!(gate.new_guest(ip(1), t0));
        assert!(!gate.new_guest(ip(1), t0));
        assert!(gate.new_guest(ip(1), t0 + Duration::from_secs(30)));
    }
}
