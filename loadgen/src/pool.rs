//! Participants for the load: provisioned with the server's own admin
//! command (`dais-server --data DIR participant add ... --json`), one
//! process per participant. That costs a process start and a commit each,
//! so the load generator keeps a small pool and lets many connections share
//! one identity (the server allows a participant several connections). The
//! tokens are cached in the data directory for the next run on it.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

/// Cache of provisioned tokens, in the server's data directory.
pub const POOL_FILE: &str = "loadgen-pool.json";
/// Participant-adding processes run at once (SQLite takes one writer at a time).
const PARALLEL: usize = 4;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ident {
    pub id: String,
    pub token: String,
    pub role: String,
    pub name: String,
}

#[derive(Default, Serialize, Deserialize)]
pub struct Pool {
    pub idents: Vec<Ident>,
}

/// How many participants of each role a scenario needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    pub moderators: usize,
    pub delegates: usize,
    pub observers: usize,
}

pub struct Provisioned {
    pub moderators: Vec<Ident>,
    pub delegates: Vec<Ident>,
    pub observers: Vec<Ident>,
    /// How many were added by this run, and how long that took.
    pub added: usize,
    pub seconds: f64,
}

impl Pool {
    fn load(path: &Path) -> Pool {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    fn of_role(&self, role: &str) -> Vec<Ident> {
        self.idents
            .iter()
            .filter(|i| i.role == role)
            .cloned()
            .collect()
    }
}

/// Make sure the data directory has enough participants of each role.
pub fn provision(server_bin: &Path, data: &Path, needs: Needs) -> Result<Provisioned> {
    let path = data.join(POOL_FILE);
    let mut pool = Pool::load(&path);
    let started = std::time::Instant::now();
    let mut jobs = Vec::new();
    for (role, want) in [
        ("moderator", needs.moderators),
        ("delegate", needs.delegates),
        ("observer", needs.observers),
    ] {
        let have = pool.idents.iter().filter(|i| i.role == role).count();
        for n in have..want {
            jobs.push((role, n + 1));
        }
    }
    let added = jobs.len();
    if added > 0 {
        eprintln!(
            "dais-loadgen: provisioning {added} participants with `dais-server participant add`"
        );
    }
    let chunks: Vec<Vec<(&str, usize)>> = (0..PARALLEL)
        .map(|k| jobs.iter().skip(k).step_by(PARALLEL).cloned().collect())
        .collect();
    let results: Vec<Result<Vec<Ident>>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(role, n)| add(server_bin, data, role, n))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a provisioning thread panicked")))
            })
            .collect()
    });
    for r in results {
        pool.idents.extend(r?);
    }
    if added > 0 {
        std::fs::write(&path, serde_json::to_string_pretty(&pool)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let take = |role: &str, n: usize| pool.of_role(role).into_iter().take(n).collect();
    Ok(Provisioned {
        moderators: take("moderator", needs.moderators),
        delegates: take("delegate", needs.delegates),
        observers: take("observer", needs.observers),
        added,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn add(server_bin: &Path, data: &Path, role: &str, n: usize) -> Result<Ident> {
    let name = format!("Load {role} {n}");
    let delegation = format!("LD-{}{n}", &role[..1]);
    let out = Command::new(server_bin)
        .arg("--data")
        .arg(data)
        .args([
            "participant",
            "add",
            "--name",
            &name,
            "--delegation",
            &delegation,
            "--stakeholder",
            "government",
            "--role",
            role,
            "--json",
        ])
        .env("RUST_LOG", "warn")
        .output()
        .with_context(|| format!("cannot run {}", server_bin.display()))?;
    if !out.status.success() {
        bail!(
            "`dais-server participant add` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    #[derive(Deserialize)]
    struct Added {
        id: String,
        token: String,
    }
    let added: Added = serde_json::from_slice(&out.stdout)
        .context("`participant add --json` printed something unexpected")?;
    Ok(Ident {
        id: added.id,
        token: added.token,
        role: role.to_string(),
        name,
    })
}
