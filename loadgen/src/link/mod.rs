//! The poor link: network namespaces of the run's own making, a server on
//! one side, delegates on the other, and between them a link that is slow,
//! lossy and far away (64 kbit/s, 300 ms each way, 3 % loss by default).
//!
//! The topology, every address in 127.0.0.0/8:
//!
//! ```text
//!  server namespace                              delegate namespace k
//!  lo: 127.0.0.1, 127.2.0.1 (the server)         lo: 127.0.0.1
//!      127.1.0.0/16 (the members' sources)
//!  dplKs: 127.2.K.1/24  <====== the link ======>  dplKd: 127.2.K.2/24
//!                                                 route 127.2.0.1 dev dplKd
//! ```
//!
//! The server listens on 127.2.0.1. The room's members connect to it from
//! inside the server's namespace, over its `lo`, as in every other scenario:
//! they must not share the delegate's 64 kbit/s, and the root namespace's
//! routes stay as they are. Only a delegate's packets cross the link.
//!
//! Linux treats 127.0.0.0/8 as the loopback network: every address in it is
//! local, and a packet from or to one is dropped on any other device. In a
//! namespace of our own that is undone: `route_localnet` lets such packets
//! through, and the `local 127.0.0.0/8` route gives way to the few local
//! addresses each side really has (127.0.0.1 stays on `lo`).
//!
//! The link is netem's when the kernel has `sch_netem` (a veth pair with a
//! netem qdisc on each end), and otherwise the load generator's own
//! emulator (`emulator`, over a TUN device on each side). `tc qdisc add
//! ... netem` tells which; `--link-emulator` can insist on one.

pub mod emulator;
mod tun;

pub use emulator::{DirCount, LinkSpec, DOWN, UP};

use crate::netns::Netns;
use anyhow::{Context, Result};
use emulator::Emulator;
use std::net::Ipv4Addr;
use std::sync::Arc;

/// Where the server listens, on its namespace's `lo`.
pub const SERVER_IP: Ipv4Addr = Ipv4Addr::new(127, 2, 0, 1);

/// The delegate's address on link `k` (1-based).
pub fn delegate_ip(k: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 2, k as u8, 2)
}

fn server_side_ip(k: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 2, k as u8, 1)
}

/// Which emulation carries the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emulation {
    /// The kernel's `sch_netem` on a veth pair.
    Netem,
    /// The load generator's emulator between two TUN devices.
    Tun,
}

impl Emulation {
    pub fn name(self) -> &'static str {
        match self {
            Emulation::Netem => "netem",
            Emulation::Tun => "tun",
        }
    }
}

/// The poor link cannot be built on this machine: no root, no `ip`, no
/// TUN device (or no netem, when it was asked for). Its message says what
/// is missing.
#[derive(Debug)]
pub struct Unavailable(pub String);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unavailable {}

fn unavailable(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Unavailable(msg.into()))
}

/// The namespaces and the links between them. Dropping it stops the
/// emulator and lets the namespaces go (see `netns`).
pub struct Testbed {
    /// One link per delegate; declared first, so dropped first.
    pub links: Vec<Link>,
    pub server: Arc<Netns>,
    pub emulation: Emulation,
    pub spec: LinkSpec,
    /// Why netem was not used, when it was not.
    pub netem_refused: Option<String>,
}

/// One delegate's side of the testbed: its namespace, its address, and the
/// link that carries its packets.
pub struct Link {
    carrier: Carrier,
    pub ns: Arc<Netns>,
    pub ip: Ipv4Addr,
    /// The device on the server's side and the one on the delegate's.
    server_dev: String,
    delegate_dev: String,
}

enum Carrier {
    Emulator(Emulator),
    Netem,
}

/// Which emulator to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// netem where the kernel has it, the TUN emulator otherwise.
    Auto,
    Netem,
    Tun,
}

impl Testbed {
    /// Make the server's namespace and `links` delegates' namespaces, each
    /// joined to the server's by a link as `spec` says.
    pub fn build(spec: LinkSpec, links: usize, choice: Choice) -> Result<Testbed> {
        prerequisites()?;
        let server = Arc::new(Netns::new("server").map_err(|e| unavailable(format!("{e:#}")))?);
        prepare(&server)?;
        // The members' source addresses and the server's own.
        server.ip("route add local 127.1.0.0/16 dev lo table local")?;
        server.ip(&format!("addr add {SERVER_IP}/32 dev lo"))?;

        let netem = match choice {
            Choice::Tun => Err("not tried: --link-emulator tun".to_string()),
            Choice::Auto | Choice::Netem => probe_netem(&server),
        };
        let (emulation, netem_refused) = match netem {
            Ok(()) => (Emulation::Netem, None),
            Err(why) if choice == Choice::Netem => {
                return Err(unavailable(format!("netem was asked for and {why}")))
            }
            Err(why) => (Emulation::Tun, Some(why)),
        };
        let mut built = Vec::new();
        for k in 1..=links {
            let ns = Arc::new(
                Netns::new(&format!("delegate {k}")).map_err(|e| unavailable(format!("{e:#}")))?,
            );
            prepare(&ns)?;
            let link = match emulation {
                Emulation::Tun => tun_link(&server, ns, k, spec)?,
                Emulation::Netem => netem_link(&server, ns, k, spec)?,
            };
            built.push(link);
        }
        Ok(Testbed {
            links: built,
            server,
            emulation,
            spec,
            netem_refused,
        })
    }

    /// Counts of link `i` (0-based) so far: [down, up].
    pub fn counts(&self, i: usize) -> [DirCount; 2] {
        let Some(link) = self.links.get(i) else {
            return Default::default();
        };
        match &link.carrier {
            Carrier::Emulator(e) => e.counts(),
            Carrier::Netem => {
                let down =
                    netem_counts(&self.server, &link.server_dev, &link.ns, &link.delegate_dev);
                let up = netem_counts(&link.ns, &link.delegate_dev, &self.server, &link.server_dev);
                [down, up]
            }
        }
    }
}

/// Root, `ip`: what every emulation needs. The message says what is missing.
fn prerequisites() -> Result<()> {
    let mut missing = Vec::new();
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        missing.push("root (it makes network namespaces, devices and routes)".to_string());
    }
    match std::process::Command::new("ip").arg("-V").output() {
        Ok(out) if out.status.success() => {}
        _ => missing.push("the `ip` command (iproute2)".to_string()),
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(unavailable(format!("it needs {}", missing.join(" and "))))
    }
}

/// What both sides' namespaces need before any link: loopback up, 127.x
/// allowed on other devices, and the loopback network no longer all local.
fn prepare(ns: &Netns) -> Result<()> {
    for key in ["all", "default"] {
        ns.sysctl(&format!("net.ipv4.conf.{key}.route_localnet"), "1")?;
        ns.sysctl(&format!("net.ipv4.conf.{key}.rp_filter"), "0")?;
        // No IPv6 chatter (router solicitations) on the link; a kernel
        // without IPv6 has no such key, which is as good.
        let _ = ns.sysctl(&format!("net.ipv6.conf.{key}.disable_ipv6"), "1");
    }
    ns.ip("link set lo up")?;
    ns.ip("route del local 127.0.0.0/8 dev lo table local")?;
    Ok(())
}

/// Whether this kernel has netem: add one to `lo` in the server's fresh
/// namespace, and take it away again.
fn probe_netem(server: &Netns) -> std::result::Result<(), String> {
    match server.exec(
        "tc",
        &["qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"],
    ) {
        Ok(_) => {
            let _ = server.exec("tc", &["qdisc", "del", "dev", "lo", "root"]);
            Ok(())
        }
        Err(e) => Err(format!(
            "`tc qdisc add ... netem` failed: {}",
            one_line(&format!("{e:#}"))
        )),
    }
}

fn one_line(s: &str) -> String {
    s.lines().last().unwrap_or(s).trim().to_string()
}

fn device_names(k: usize) -> (String, String) {
    (format!("dpl{k}s"), format!("dpl{k}d"))
}

/// Addresses and the route over a link whose two devices exist.
fn address_link(
    server: &Netns,
    ns: &Netns,
    k: usize,
    server_dev: &str,
    delegate_dev: &str,
) -> Result<()> {
    for (side, dev, ip) in [
        (server, server_dev, server_side_ip(k)),
        (ns, delegate_dev, delegate_ip(k)),
    ] {
        side.sysctl(&format!("net.ipv4.conf.{dev}.route_localnet"), "1")?;
        side.sysctl(&format!("net.ipv4.conf.{dev}.rp_filter"), "0")?;
        side.ip(&format!("link set dev {dev} up"))?;
        side.ip(&format!("addr add {ip}/24 dev {dev}"))?;
    }
    ns.ip(&format!(
        "route add {SERVER_IP}/32 dev {delegate_dev} src {}",
        delegate_ip(k)
    ))?;
    Ok(())
}

/// Link `k` through the emulator: a TUN device on each side.
fn tun_link(server: &Netns, ns: Arc<Netns>, k: usize, spec: LinkSpec) -> Result<Link> {
    let (server_dev, delegate_dev) = device_names(k);
    let open = |side: &Netns, name: &str| -> Result<std::fs::File> {
        let owned = name.to_string();
        side.run(move || tun::open(&owned))?.map_err(|e| {
            unavailable(format!(
                "it cannot make the TUN device {name} (/dev/net/tun): {e}"
            ))
        })
    };
    let server_tun = open(server, &server_dev)?;
    let delegate_tun = open(&ns, &delegate_dev)?;
    address_link(server, &ns, k, &server_dev, &delegate_dev)?;
    let emulator = Emulator::start(server_tun, delegate_tun, spec)
        .context("cannot start the link emulator")?;
    Ok(Link {
        carrier: Carrier::Emulator(emulator),
        ns,
        ip: delegate_ip(k),
        server_dev,
        delegate_dev,
    })
}

/// Link `k` through netem: a veth pair, a netem qdisc on each end, and
/// fixed neighbours (no ARP on the link).
fn netem_link(server: &Netns, ns: Arc<Netns>, k: usize, spec: LinkSpec) -> Result<Link> {
    let (server_dev, delegate_dev) = device_names(k);
    let mac = |end: u8| format!("02:00:00:00:{k:02x}:{end:02x}");
    server.ip(&format!(
        "link add {server_dev} address {} type veth peer name {delegate_dev} address {} netns {}",
        mac(1),
        mac(2),
        ns.tid
    ))?;
    address_link(server, &ns, k, &server_dev, &delegate_dev)?;
    server.ip(&format!(
        "neigh replace {} lladdr {} dev {server_dev} nud permanent",
        delegate_ip(k),
        mac(2)
    ))?;
    ns.ip(&format!(
        "neigh replace {SERVER_IP} lladdr {} dev {delegate_dev} nud permanent",
        mac(1)
    ))?;
    // netem's limit counts every packet it holds, those in the delay line
    // too: the queue (in full-size packets) plus what the delay holds at
    // the link's rate, in packets as small as an ACK.
    let bytes_per_s = spec.rate_bps / 8.0;
    let limit = spec.queue_bytes.div_ceil(1500)
        + (bytes_per_s * spec.delay.as_secs_f64() / 64.0).ceil() as usize
        + 10;
    let netem = [
        "delay".to_string(),
        format!("{}us", spec.delay.as_micros()),
        "loss".to_string(),
        format!("{}%", spec.loss * 100.0),
        "rate".to_string(),
        format!("{}bit", spec.rate_bps.round() as u64),
        "limit".to_string(),
        limit.to_string(),
    ];
    for (side, dev) in [(server, &server_dev), (&*ns, &delegate_dev)] {
        let mut args = vec!["qdisc", "add", "dev", dev.as_str(), "root", "netem"];
        args.extend(netem.iter().map(String::as_str));
        side.exec("tc", &args)?;
    }
    Ok(Link {
        carrier: Carrier::Netem,
        ns,
        ip: delegate_ip(k),
        server_dev,
        delegate_dev,
    })
}

/// One direction of a netem link, from the devices' own counters: what
/// left the sender's device (after netem's loss) and what the receiver's
/// took in, less the 14 bytes of Ethernet header on each packet.
fn netem_counts(from: &Netns, from_dev: &str, to: &Netns, to_dev: &str) -> DirCount {
    let stats = |ns: &Netns, dev: &str, dir: &str| -> Option<(u64, u64)> {
        let text = ns
            .exec("ip", &["-s", "-j", "link", "show", "dev", dev])
            .ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        let s = &v[0]["stats64"][dir];
        Some((s["packets"].as_u64()?, s["bytes"].as_u64()?))
    };
    let (tx_p, tx_b) = stats(from, from_dev, "tx").unwrap_or_default();
    let (rx_p, rx_b) = stats(to, to_dev, "rx").unwrap_or_default();
    let dropped = from
        .exec("tc", &["-s", "-j", "qdisc", "show", "dev", from_dev])
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v[0]["drops"].as_u64())
        .unwrap_or(0);
    DirCount {
        offered_packets: tx_p + dropped,
        offered_bytes: tx_b.saturating_sub(14 * tx_p),
        delivered_packets: rx_p,
        delivered_bytes: rx_b.saturating_sub(14 * rx_p),
        lost_packets: dropped,
        dropped_packets: 0,
    }
}

/// Whether an error says the poor link cannot be built here.
pub fn is_unavailable(e: &anyhow::Error) -> Option<&Unavailable> {
    e.chain().find_map(|c| c.downcast_ref::<Unavailable>())
}
