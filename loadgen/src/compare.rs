//! Two runs of one scenario in one invocation, told side by side: fan-out
//! against the floor broadcaster and against Dais (`--compare-floor`), or a
//! plenary of guests and the same plenary with shared registered identities
//! (`--compare-shared`).
//!
//! Each leg is a whole run on a server of its own, spawned on the same
//! CPUs with the same parameters; `--repeat` runs several pairs, the order
//! alternating from one pair to the next. The figures that matter are the
//! ratios within a pair, measured minutes apart on the same machine, which
//! are far steadier than figures compared across days (see "Noise" in
//! docs/PERFORMANCE.md).

use crate::cli::{Args, Members, Scenario, TargetKind};
use crate::report::{Report, Verdict};
use anyhow::{bail, Result};
use serde::Serialize;

/// A plenary of guests should deliver within this factor of the same
/// plenary with shared identities (p99).
pub const SHARED_P99_FACTOR: f64 = 1.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Dais against the floor broadcaster.
    Floor,
    /// Guests against shared registered identities.
    Shared,
}

impl Kind {
    pub fn of(args: &Args) -> Option<Kind> {
        if args.compare_floor {
            Some(Kind::Floor)
        } else if args.compare_shared {
            Some(Kind::Shared)
        } else {
            None
        }
    }

    /// The labels of the baseline leg and of the measured one.
    fn labels(self) -> [&'static str; 2] {
        match self {
            Kind::Floor => ["floor", "dais"],
            Kind::Shared => ["shared", "guests"],
        }
    }
}

/// One leg as the comparison table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub pair: usize,
    pub leg: String,
    pub listeners: usize,
    pub rate: f64,
    pub deliveries_per_s: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub kib_per_connection: Option<f64>,
    /// Set-up rate (plenary: joins/s).
    pub setup_per_s: f64,
    pub server_cores_busy: Option<f64>,
    pub loadgen_cores_busy: Option<f64>,
    pub checks_passed: bool,
}

impl Row {
    fn of(pair: usize, leg: &str, r: &Report, args: &Args) -> Row {
        let delivery = r.latency.get("delivery");
        Row {
            pair,
            leg: leg.to_string(),
            listeners: r.setup.connected,
            rate: args.rate(),
            deliveries_per_s: r.number("deliveries_per_s"),
            p50_ms: delivery.map(|l| l.p50_ms),
            p99_ms: delivery.map(|l| l.p99_ms),
            max_ms: delivery.map(|l| l.max_ms),
            kib_per_connection: r.memory.per_connection_kib,
            setup_per_s: r.setup.connect_rate_per_s.round(),
            server_cores_busy: r.number("server_cores_busy"),
            loadgen_cores_busy: r.number("loadgen_cores_busy"),
            checks_passed: r.checks.passed,
        }
    }
}

/// How a row gives one of the figures that are compared.
type Figure = fn(&Row) -> Option<f64>;

/// One ratio of a pair: the measured leg's figure over the baseline's.
#[derive(Debug, Clone, Serialize)]
pub struct Ratio {
    /// The pair (1, 2, ...), or 0 for the median over all pairs.
    pub pair: usize,
    pub name: String,
    pub value: f64,
}

#[derive(Debug, Serialize)]
pub struct Comparison {
    pub kind: Kind,
    /// Every leg's whole report, in the order they ran.
    pub legs: Vec<Report>,
    pub rows: Vec<Row>,
    pub ratios: Vec<Ratio>,
    pub verdicts: Vec<Verdict>,
}

/// The runs a comparison makes, in order, each with its label and pair.
pub fn legs(args: &Args) -> Result<Vec<(usize, &'static str, Args)>> {
    let Some(kind) = Kind::of(args) else {
        return Ok(vec![(1, args.target.name(), args.clone())]);
    };
    match kind {
        Kind::Floor if args.scenario != Scenario::Fanout => {
            bail!("--compare-floor applies to the fanout scenario")
        }
        Kind::Shared if args.scenario != Scenario::Plenary => {
            bail!("--compare-shared applies to the plenary scenario")
        }
        _ => {}
    }
    let [base, measured] = kind.labels();
    // The floor runs first, then Dais; the guests first, then the shared
    // identities right after. Even pairs run the other way round.
    let first = match kind {
        Kind::Floor => [base, measured],
        Kind::Shared => [measured, base],
    };
    let mut out = Vec::new();
    for pair in 1..=args.repeat.max(1) {
        let order = if pair % 2 == 1 {
            first
        } else {
            [first[1], first[0]]
        };
        for label in order {
            let mut leg = args.clone();
            leg.compare_floor = false;
            leg.compare_shared = false;
            match label {
                "floor" => leg.target = TargetKind::Floor,
                "dais" => leg.target = TargetKind::Dais,
                "shared" => leg.members = Members::Registered,
                _ => leg.members = Members::Guests,
            }
            // Each leg on a fresh server: its own data directory.
            leg.data = args
                .data
                .as_ref()
                .map(|d| d.join(format!("{label}-{pair}")));
            out.push((pair, label, leg));
        }
    }
    Ok(out)
}

impl Comparison {
    /// Put the legs' reports side by side, with the ratios of each pair.
    pub fn of(kind: Kind, args: &Args, legs: Vec<(usize, &'static str, Report)>) -> Comparison {
        let [base, measured] = kind.labels();
        let rows: Vec<Row> = legs
            .iter()
            .map(|(pair, label, r)| Row::of(*pair, label, r, args))
            .collect();
        let mut ratios = Vec::new();
        let pairs = rows.iter().map(|r| r.pair).max().unwrap_or(0);
        let names: [(&str, Figure); 5] = [
            ("p50", |r| r.p50_ms),
            ("p99", |r| r.p99_ms),
            ("deliveries_per_s", |r| r.deliveries_per_s),
            ("kib_per_connection", |r| r.kib_per_connection),
            ("setup_per_s", |r| Some(r.setup_per_s)),
        ];
        for pair in 1..=pairs {
            let find = |leg: &str| rows.iter().find(|r| r.pair == pair && r.leg == leg);
            let (Some(b), Some(m)) = (find(base), find(measured)) else {
                continue;
            };
            for (name, get) in names {
                if let (Some(x), Some(y)) = (get(m), get(b)) {
                    if y > 0.0 {
                        ratios.push(Ratio {
                            pair,
                            name: name.to_string(),
                            value: round3(x / y),
                        });
                    }
                }
            }
        }
        if pairs > 1 {
            for (name, _) in names {
                let mut v: Vec<f64> = ratios
                    .iter()
                    .filter(|r| r.name == name)
                    .map(|r| r.value)
                    .collect();
                v.sort_by(f64::total_cmp);
                if !v.is_empty() {
                    ratios.push(Ratio {
                        pair: 0,
                        name: name.to_string(),
                        value: median(&v),
                    });
                }
            }
        }
        let mut verdicts = Vec::new();
        if kind == Kind::Shared {
            // The median over the pairs when there are several.
            let p99 = ratios
                .iter()
                .rev()
                .find(|r| r.name == "p99" && (r.pair == 0 || pairs == 1));
            if let Some(p99) = p99 {
                verdicts.push(Verdict {
                    what: "delivery p99, guests over shared identities".into(),
                    measured: p99.value,
                    target: format!("<= {SHARED_P99_FACTOR}"),
                    met: p99.value <= SHARED_P99_FACTOR,
                });
            }
        }
        // The legs' own verdicts (a plenary's set-up rate and memory).
        for (_, label, r) in &legs {
            for v in &r.verdicts {
                verdicts.push(Verdict {
                    what: format!("{label}: {}", v.what),
                    ..v.clone()
                });
            }
        }
        Comparison {
            kind,
            legs: legs.into_iter().map(|(_, _, r)| r).collect(),
            rows,
            ratios,
            verdicts,
        }
    }

    pub fn passed(&self) -> bool {
        self.legs.iter().all(|r| r.checks.passed)
    }

    /// The table of rows and the ratios (each leg's report is printed as it
    /// finishes).
    pub fn print(&self) {
        let [base, measured] = self.kind.labels();
        let what = match self.kind {
            Kind::Floor => "Dais against the floor broadcaster",
            Kind::Shared => "a plenary of guests against shared registered identities",
        };
        println!();
        println!("== comparison: {what}, same parameters, same run");
        println!(
            "{:>4}  {:<7} {:>9} {:>6} {:>13} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}  checks",
            "pair",
            "leg",
            "listeners",
            "rate/s",
            "deliveries/s",
            "p50 ms",
            "p99 ms",
            "max ms",
            "KiB/conn",
            "set-up/s",
            "server",
            "loadgen"
        );
        let opt = |v: Option<f64>, digits: usize| {
            v.map(|v| format!("{v:.digits$}"))
                .unwrap_or_else(|| "?".into())
        };
        for r in &self.rows {
            println!(
                "{:>4}  {:<7} {:>9} {:>6} {:>13} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}  {}",
                r.pair,
                r.leg,
                r.listeners,
                r.rate,
                opt(r.deliveries_per_s, 0),
                opt(r.p50_ms, 2),
                opt(r.p99_ms, 2),
                opt(r.max_ms, 2),
                opt(r.kib_per_connection, 2),
                r.setup_per_s,
                opt(r.server_cores_busy, 2),
                opt(r.loadgen_cores_busy, 2),
                if r.checks_passed { "passed" } else { "FAILED" }
            );
        }
        let pairs = self.rows.iter().map(|r| r.pair).max().unwrap_or(0);
        for pair in (1..=pairs).chain((pairs > 1).then_some(0)) {
            let parts: Vec<String> = self
                .ratios
                .iter()
                .filter(|r| r.pair == pair)
                .map(|r| format!("{} ×{:.2}", r.name, r.value))
                .collect();
            let which = if pair == 0 {
                "median over the pairs".to_string()
            } else {
                format!("pair {pair}")
            };
            println!("ratios {measured}/{base}, {which}: {}", parts.join(", "));
        }
        for v in &self.verdicts {
            println!(
                "target: {} {}: measured {} ({})",
                v.what,
                v.target,
                v.measured,
                if v.met { "met" } else { "MISSED" }
            );
        }
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        round3((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Latency;
    use clap::Parser;

    fn report(p50: f64, p99: f64, dps: f64, kib: f64) -> Report {
        let mut r = Report::default();
        r.latency.insert(
            "delivery".into(),
            Latency {
                count: 1,
                p50_ms: p50,
                p99_ms: p99,
                ..Default::default()
            },
        );
        r.figure("deliveries_per_s", dps);
        r.memory.per_connection_kib = Some(kib);
        r.checks.passed = true;
        r
    }

    #[test]
    fn the_order_alternates_from_one_pair_to_the_next() {
        let args = Args::parse_from([
            "dais-loadgen",
            "--spawn",
            "--scenario",
            "fanout",
            "--compare-floor",
            "--floor-bin",
            "/x",
            "--repeat",
            "3",
        ]);
        let order: Vec<(usize, &str)> = legs(&args)
            .unwrap()
            .into_iter()
            .map(|(p, l, _)| (p, l))
            .collect();
        assert_eq!(
            order,
            [
                (1, "floor"),
                (1, "dais"),
                (2, "dais"),
                (2, "floor"),
                (3, "floor"),
                (3, "dais")
            ]
        );
        let (_, _, floor) = &legs(&args).unwrap()[0];
        assert_eq!(floor.target, TargetKind::Floor);
        assert!(!floor.compare_floor);
        // A plenary of guests first, the shared identities right after.
        let plenary = Args::parse_from([
            "dais-loadgen",
            "--spawn",
            "--scenario",
            "plenary",
            "--compare-shared",
        ]);
        let legs = legs(&plenary).unwrap();
        assert_eq!(legs.len(), 2);
        assert_eq!((legs[0].1, legs[0].2.members), ("guests", Members::Guests));
        assert_eq!(
            (legs[1].1, legs[1].2.members),
            ("shared", Members::Registered)
        );
    }

    #[test]
    fn ratios_are_dais_over_the_floor_pair_by_pair() {
        let args = Args::parse_from(["dais-loadgen", "--spawn", "--scenario", "fanout"]);
        let c = Comparison::of(
            Kind::Floor,
            &args,
            vec![
                (1, "floor", report(10.0, 20.0, 50_000.0, 6.0)),
                (1, "dais", report(30.0, 50.0, 49_000.0, 12.0)),
            ],
        );
        let get = |name: &str| c.ratios.iter().find(|r| r.name == name).unwrap().value;
        assert_eq!(get("p50"), 3.0);
        assert_eq!(get("p99"), 2.5);
        assert_eq!(get("deliveries_per_s"), 0.98);
        assert_eq!(get("kib_per_connection"), 2.0);
        assert!(c.passed());
    }

    #[test]
    fn guests_are_held_to_within_half_again_of_shared_identities() {
        let args = Args::parse_from(["dais-loadgen", "--spawn", "--scenario", "plenary"]);
        let c = Comparison::of(
            Kind::Shared,
            &args,
            vec![
                (1, "shared", report(10.0, 40.0, 1.0, 1.0)),
                (1, "guests", report(10.0, 80.0, 1.0, 1.0)),
            ],
        );
        assert_eq!(c.verdicts.len(), 1);
        assert!(!c.verdicts[0].met, "{:?}", c.verdicts);
    }
}
