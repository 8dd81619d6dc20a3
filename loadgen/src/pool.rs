//! Participants for the load: provisioned with the server's own admin
//! command (`dais-server --data DIR participant add ... --count N --json`),
//! one process and one commit per role. By default many connections share a
//! few identities (the server allows a participant several connections);
//! `--identities` gives each connection its own, which is what a real
//! plenary looks like to the room. The tokens are cached in the data
//! directory for the next run on it.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

/// Cache of provisioned tokens, in the server's data directory.
pub const POOL_FILE: &str = "loadgen-pool.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ident {
    pub id: String,
    pub token: String,
    pub role: String,
    pub name: String,
}

impl Ident {
    pub fn login(&self) -> crate::conn::Login {
        crate::conn::Login::Token(self.token.clone())
    }
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

#[derive(Clone)]
pub struct Provisioned {
    pub moderators: Vec<Ident>,
    pub delegates: Vec<Ident>,
    pub observers: Vec<Ident>,
    /// How many were added by this run, and how long that took.
    pub added: usize,
    pub seconds: f64,
}

impl Provisioned {
    /// Nobody: for a target that has no participants (the floor).
    pub fn empty() -> Provisioned {
        Provisioned {
            moderators: Vec::new(),
            delegates: Vec::new(),
            observers: Vec::new(),
            added: 0,
            seconds: 0.0,
        }
    }
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
    provision_into(server_bin, data, needs, None)
}

/// The same, into a cluster's record: `participant add` runs with
/// `DAIS_DATABASE_URL` set to `database_url` (the cache stays in `data`).
pub fn provision_into(
    server_bin: &Path,
    data: &Path,
    needs: Needs,
    database_url: Option<&str>,
) -> Result<Provisioned> {
    let path = data.join(POOL_FILE);
    let mut pool = Pool::load(&path);
    let started = std::time::Instant::now();
    let mut added = 0;
    for (role, want) in [
        ("moderator", needs.moderators),
        ("delegate", needs.delegates),
        ("observer", needs.observers),
    ] {
        let have = pool.idents.iter().filter(|i| i.role == role).count();
        if want > have {
            eprintln!(
                "dais-loadgen: provisioning {} {role}s with `dais-server participant add --count`",
                want - have
            );
            pool.idents.extend(add_many(
                server_bin,
                data,
                role,
                have,
                want - have,
                database_url,
            )?);
            added += want - have;
        }
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

/// Add `count` participants of `role` in one process and one commit. The
/// server numbers them "NAME 1" to "NAME count"; the name carries `have` so
/// that a second batch on the same data directory does not repeat the first.
fn add_many(
    server_bin: &Path,
    data: &Path,
    role: &str,
    have: usize,
    count: usize,
    database_url: Option<&str>,
) -> Result<Vec<Ident>> {
    let name = format!("Load {role} b{have}");
    let mut cmd = Command::new(server_bin);
    if let Some(url) = database_url {
        cmd.env("DAIS_DATABASE_URL", url);
    }
    let out = cmd
        .arg("--data")
        .arg(data)
        .args([
            "participant",
            "add",
            "--name",
            &name,
            "--delegation",
            &format!("LD-{role}"),
            "--stakeholder",
            "government",
            "--role",
            role,
            "--count",
            &count.to_string(),
            "--json",
        ])
        .env("RUST_LOG", "warn")
        .output()
        .with_context(|| format!("cannot run {}", server_bin.display()))?;
    if !out.status.success() {
        bail!(
            "`dais-server participant add --count` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    #[derive(Deserialize)]
    struct Added {
        id: String,
        token: String,
        name: String,
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let idents = stdout
        .lines()
        .map(|line| {
            let added: Added = serde_json::from_str(line)
                .context("`participant add --json` printed something unexpected")?;
            Ok(Ident {
                id: added.id,
                token: added.token,
                role: role.to_string(),
                name: added.name,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if idents.len() != count {
        bail!("asked for {count} {role}s, got {}", idents.len());
    }
    Ok(idents)
}
