//! What every connection shares: the rooms, the store, the config, the
//! per-address gate, the participants' rate-limit buckets and the guest
//! key. A module of its own, below both `server` (which builds it) and
//! `connection` (which uses it), so that neither imports the other.

use crate::config::Config;
use crate::gate::Gate;
use crate::guest::GuestKey;
use crate::limits::Buckets;
use crate::record::Record;
use crate::registry::Registry;
use crate::shutdown::Shutdown;
use std::sync::{Arc, RwLock};

pub struct Shared {
    pub registry: Arc<Registry>,
    pub store: Record,
    pub config: Arc<Config>,
    /// What one address may do before (and besides) authenticating.
    pub gate: Arc<Gate>,
    /// Rate-limit buckets by participant, shared by their connections.
    pub buckets: Buckets,
    /// Signs and checks guests' credentials.
    pub guest_key: GuestKey,
    /// Moderators' names and delegations, which guests may not take.
    /// Refreshed from the store every few seconds (the admin adds chairs
    /// with the command line while the server runs).
    moderators: RwLock<Arc<Vec<String>>>,
    /// The one shutdown signal every connection and stream awaits.
    pub shutdown: Shutdown,
    /// Cluster mode: this node's part in the cluster (set once at start).
    pub cluster: std::sync::OnceLock<Arc<crate::cluster::node::Node>>,
}

impl Shared {
    pub fn new(
        registry: Arc<Registry>,
        store: Record,
        config: Config,
        guest_key: GuestKey,
        moderators: Vec<String>,
    ) -> Shared {
        Shared {
            registry,
            store,
            gate: Gate::new(&config.limits),
            config: Arc::new(config),
            buckets: Default::default(),
            guest_key,
            moderators: RwLock::new(Arc::new(moderators)),
            shutdown: Shutdown::new(),
            cluster: std::sync::OnceLock::new(),
        }
    }

    pub fn moderators(&self) -> Arc<Vec<String>> {
        match self.moderators.read() {
            Ok(m) => m.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set_moderators(&self, names: Vec<String>) {
        if let Ok(mut m) = self.moderators.write() {
            *m = Arc::new(names);
        }
    }
}
