//! The Dais server as a library, so the binary, the benchmarks and the tests
//! share one implementation.
//!
//! At start-up `server` opens the record (`record::open`: the first chair,
//! the rooms to restore) and starts one actor per room. A tour, in the
//! order a request travels: `listener` accepts a connection
//! (TLS, HTTP), `server` upgrades it to a websocket and hands it to
//! `connection`, which authenticates it (`auth`), checks each
//! frame (`limits`) and routes requests to the room's handle
//! (`room::handle`), found in the `registry`. The room's actor
//! (`room::actor`) asks the pure rule set (`room::rules`) what the request
//! does, gives the events to the `record` (one handle over SQLite or
//! PostgreSQL), fans them out through each connection's `outbox`, and tells
//! its `room::outlet` (the registry on one node, the cluster's feed) what
//! happened. `export` renders the record; `clock` is the one wall clock.
//!
//! In cluster mode (`cluster`), the record is in PostgreSQL
//! (`record::postgres`) and the nodes talk over Redis: each room's actor
//! runs on the node that holds its lease (`cluster::lease`), and every node
//! relays it to its own connections.

pub mod auth;
pub mod clock;
pub mod cluster;
pub mod config;
pub mod connection;
pub mod export;
pub mod fairness;
pub mod files;
pub mod gate;
pub mod guest;
pub mod i18n;
pub mod limits;
pub mod listener;
pub mod metrics;
pub mod record;
pub mod redact;
pub mod registry;
pub mod room;
pub mod server;
pub mod shared;
pub mod shutdown;
pub mod web;
pub mod ws;
