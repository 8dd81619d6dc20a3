//! Cluster mode: several nodes on PostgreSQL and Redis, one owner per
//! room, any node serving any client. These tests use the machine's
//! PostgreSQL and Redis (a database and a bus prefix of their own each);
//! see `dais_e2e::cluster` for what happens when those are missing.

use dais_e2e::cluster::Cluster;
use dais_e2e::{holder, seqs, Client, TEST_ROOMS};
use serde_json::json;

/// The test rooms, with the per-address limits raised: every client of
/// these tests comes from 127.0.0.1.
fn config() -> String {
    format!(
        "[limits]\nconnections_per_address = 1000\nconnections_per_second = 100000\nconnection_burst = 100000\n{TEST_ROOMS}"
    )
}

/// A delegate on one node, the chair on another: the request crosses the
/// bus to the room's owner, and both hear the same events, in order.
#[tokio::test]
async fn any_node_serves_any_client_for_any_room() {
    let Some(cluster) = Cluster::start("any_node", 2, Some(&config()), 5).await else {
        return;
    };
    let owner = cluster.owner_of("debate").await;
    let other = 1 - owner;
    let ids = cluster.add_participants("Delegate", "delegate", 1);
    let mut chair = cluster.nodes[owner].login(&cluster.chair_token()).await;
    let mut delegate = cluster.nodes[other].login(&ids[0].1).await;
    chair.join("debate").await;
    delegate.join("debate").await;
    delegate
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    let state = delegate
        .state_where("the floor given", |s| holder(s).is_some())
        .await;
    assert_eq!(holder(&state), Some(ids[0].0.clone()));
    let ok = delegate
        .ok(json!({"type": "say", "room": "debate", "text": "From the other node.", "lang": "en"}))
        .await;
    let heard = chair.event("speech").await;
    assert_eq!(heard["seq"], ok["seq"]);
    assert_eq!(
        heard["by"]["id"],
        ids[0].0.as_str(),
        "identity from the connection"
    );
    let mine = delegate.event("speech").await;
    assert_eq!(mine["seq"], ok["seq"]);
    let frames: Vec<_> = delegate.backlog.iter().cloned().collect();
    let s = seqs(&frames, "debate");
    assert!(s.windows(2).all(|w| w[1] == w[0] + 1), "gapless: {s:?}");
}

/// One of the debate's clients, and every event seq it has seen, across
/// its reconnections.
struct Member {
    token: String,
    id: String,
    node: usize,
    client: Client,
    seen: Vec<u64>,
}

impl Member {
    /// `n` delegates, spread evenly over the nodes, each joined to the debate.
    async fn spread(cluster: &Cluster, n: usize) -> Vec<Member> {
        let nodes = cluster.nodes.len();
        let mut members = Vec::new();
        for (i, (id, token)) in cluster
            .add_participants("Delegate", "delegate", n)
            .into_iter()
            .enumerate()
        {
            let node = i % nodes;
            let mut client = cluster.nodes[node].login(&token).await;
            client.join("debate").await;
            let mut m = Member {
                token,
                id,
                node,
                client,
                seen: Vec::new(),
            };
            let frames: Vec<_> = m.client.backlog.drain(..).collect();
            m.note(frames);
            members.push(m);
        }
        members
    }

    /// Keep the seqs of the events in `frames` (any order of reading).
    fn note(&mut self, frames: impl IntoIterator<Item = serde_json::Value>) {
        for f in frames {
            if f["type"] == "event" && f["room"] == "debate" {
                if let Some(s) = f["seq"].as_u64() {
                    self.seen.push(s);
                }
            }
        }
    }

    /// Read until the event `seq` has arrived (or the connection closed).
    async fn read_to(&mut self, seq: u64) -> bool {
        loop {
            if self.seen.last().is_some_and(|&s| s >= seq) {
                return true;
            }
            let backlog: Vec<_> = self.client.backlog.drain(..).collect();
            if !backlog.is_empty() {
                self.note(backlog);
                continue;
            }
            match self.client.next_frame().await {
                Some(f) => self.note([f]),
                None => return false,
            }
        }
    }

    /// Connect to `node` again and join with `since` the last seq seen.
    async fn resume(&mut self, cluster: &Cluster, node: usize) {
        self.node = node;
        self.client = cluster.nodes[node].login(&self.token).await;
        let since = self.seen.last().copied().unwrap_or(0);
        self.client
            .ok(json!({"type": "join", "room": "debate", "since": since}))
            .await;
        let frames: Vec<_> = self.client.backlog.drain(..).collect();
        self.note(frames);
    }

    fn check(&self) {
        let s = &self.seen;
        assert!(!s.is_empty(), "{} saw nothing", self.id);
        for w in s.windows(2) {
            assert!(w[1] != w[0], "{} got seq {} twice: {s:?}", self.id, w[0]);
            assert!(
                w[1] == w[0] + 1,
                "{} has a gap or disorder at {}..{}: {s:?}",
                self.id,
                w[0],
                w[1]
            );
        }
    }
}

/// The owner of a room is killed (`kill -9`) mid-turn, with 200 clients
/// spread over three nodes: another node takes the room within a few
/// seconds of the lease, records the takeover, pauses the speaker's clock;
/// the dead node's clients resume elsewhere with `since`; nothing
/// acknowledged is lost, nothing is delivered twice, every client's seqs
/// are gapless, the floor and the queue are as they were, and a `say`
/// retried with its nonce is recorded once.
#[tokio::test]
async fn killing_a_rooms_owner_loses_and_repeats_nothing() {
    let Some(mut cluster) = Cluster::start("owner_killed", 3, Some(&config()), 3).await else {
        return;
    };
    let dead = cluster.owner_of("debate").await;
    let chair_node = (dead + 1) % 3;
    let mut chair = cluster.nodes[chair_node]
        .login(&cluster.chair_token())
        .await;
    chair.join("debate").await;
    let mut members = Member::spread(&cluster, 199).await;
    // The speaker is on the node that dies; ten others wait in the queue,
    // on every node.
    let speaker = members
        .iter()
        .position(|m| m.node == dead)
        .expect("a member on the owner's node");
    members[speaker]
        .client
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    for m in members.iter_mut().skip(20).take(10) {
        m.client
            .ok(json!({"type": "request_floor", "room": "debate"}))
            .await;
    }
    let mut acked = Vec::new();
    for i in 0..5 {
        let text = format!("Acknowledged speech {i}");
        let ok = members[speaker]
            .client
            .ok(json!({"type": "say", "room": "debate", "text": text, "lang": "en"}))
            .await;
        acked.push((ok["seq"].as_u64().expect("seq"), text));
    }
    // The floor and queue as the chair sees them, before the kill.
    let speaker_id = members[speaker].id.clone();
    let snapshot = chair
        .state_where("the speaker on the floor and ten in the queue", |s| {
            dais_e2e::holder(s).as_deref() == Some(speaker_id.as_str())
                && dais_e2e::queue(s).len() == 10
        })
        .await;
    let holder_before = dais_e2e::holder(&snapshot);
    let queue_before = dais_e2e::queue(&snapshot);
    assert_eq!(holder_before.as_deref(), Some(members[speaker].id.as_str()));
    assert_eq!(queue_before.len(), 10);

    // A speech in flight when the owner dies: sent, not acknowledged.
    members[speaker]
        .client
        .send(json!({"type": "say", "room": "debate", "text": "In flight", "lang": "en", "nonce": "in-flight-1", "id": 999}))
        .await;
    cluster.nodes[dead].kill();
    let killed_at = std::time::Instant::now();

    // The dead node's clients see their connection drop and resume on the
    // next node; the others keep theirs.
    for m in members.iter_mut() {
        if m.node == dead {
            while m.client.next_frame().await.is_some() {}
            let frames: Vec<_> = m.client.backlog.drain(..).collect();
            m.note(frames);
            let to = (dead + 1 + m.seen.len() % 2) % 3;
            m.resume(&cluster, to).await;
        }
    }
    // The takeover, in the record, as everyone hears it.
    let restored = chair.event("service_restored").await;
    let took = killed_at.elapsed();
    assert_eq!(restored["cause"], "failover");
    assert_eq!(restored["previous"], format!("n{}", dead + 1));
    let new_owner = cluster.owner_of("debate").await;
    assert_ne!(new_owner, dead);
    assert_eq!(restored["node"], format!("n{}", new_owner + 1));
    assert!(
        took < std::time::Duration::from_secs(20),
        "the takeover took {took:?} with a 3 s lease"
    );
    let after = chair
        .state_where("the state after the takeover", |s| {
            s["seq"].as_u64() >= restored["seq"].as_u64()
        })
        .await;
    assert_eq!(
        dais_e2e::holder(&after),
        holder_before,
        "the floor is as it was"
    );
    assert_eq!(
        dais_e2e::queue(&after),
        queue_before,
        "the queue is as it was"
    );
    assert_eq!(
        after["floor"]["clock"]["state"], "paused",
        "nobody loses time to the outage: {after}"
    );

    // The speaker retries the speech in flight with its nonce: recorded once.
    let retry = members[speaker]
        .client
        .ok(json!({"type": "say", "room": "debate", "text": "In flight", "lang": "en", "nonce": "in-flight-1"}))
        .await;
    let retry_seq = retry["seq"].as_u64().expect("seq");
    let ok = members[speaker]
        .client
        .ok(json!({"type": "say", "room": "debate", "text": "After the takeover", "lang": "en"}))
        .await;
    let last = ok["seq"].as_u64().expect("seq");
    acked.push((retry_seq, "In flight".into()));
    acked.push((last, "After the takeover".into()));

    // Everyone reaches the last event; nothing twice, nothing missing.
    let mut all = futures_util::future::join_all(members.iter_mut().map(|m| async move {
        let reached = m.read_to(last).await;
        (m.id.clone(), reached)
    }))
    .await;
    all.retain(|(_, reached)| !reached);
    assert!(all.is_empty(), "clients lost their connection: {all:?}");
    for m in &members {
        m.check();
        assert_eq!(m.seen.last(), Some(&last));
    }

    // The record: every acknowledged event, with its words, and the speech
    // in flight exactly once.
    let db = cluster.db().await;
    for (seq, text) in &acked {
        let row = db
            .query_one(
                "SELECT body FROM events WHERE room = 'debate' AND seq = $1",
                &[&(*seq as i64)],
            )
            .await
            .expect("the acknowledged event is in the record");
        let body: String = row.get(0);
        assert!(body.contains(text.as_str()), "seq {seq}: {body}");
    }
    let in_flight: i64 = db
        .query_one(
            "SELECT count(*) FROM events WHERE room = 'debate' AND kind = 'speech' AND body LIKE '%In flight%'",
            &[],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(in_flight, 1, "the retried speech is recorded once");
    let seqs: Vec<i64> = db
        .query(
            "SELECT seq FROM events WHERE room = 'debate' ORDER BY seq",
            &[],
        )
        .await
        .expect("seqs")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "the record is gapless"
    );
    cluster.nodes.truncate(3);
}

/// Wait until `node`'s `/healthz` answers `status` (e.g. "200", "503").
async fn health_becomes(cluster: &Cluster, node: usize, status: &str) -> String {
    let deadline = std::time::Instant::now() + dais_e2e::WAIT;
    loop {
        let answer = dais_e2e::http_get(&cluster.nodes[node].url, "/healthz").await;
        if answer.starts_with(&format!("HTTP/1.1 {status}")) {
            return answer;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "node {node}'s /healthz never answered {status}: {answer}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A gauge from a node's /metrics.
async fn gauge(cluster: &Cluster, node: usize, name: &str) -> Option<u64> {
    let page = dais_e2e::http_get(&cluster.nodes[node].url, "/metrics").await;
    page.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
}

/// Redis is killed mid-debate and started again. Meanwhile every node says
/// in /healthz and /metrics that it cannot reach the bus; the owner's
/// speaker goes on speaking; the other nodes' clients still get every
/// event (from the record) and, once Redis is back, from the bus again:
/// nothing lost, nothing twice, no stall.
#[tokio::test]
async fn a_redis_restart_loses_nothing_and_stalls_nothing() {
    let Some(mut cluster) = Cluster::start_own_redis("redis_restart", 3, Some(&config()), 5).await
    else {
        return;
    };
    let owner = cluster.owner_of("debate").await;
    let mut chair = cluster.nodes[owner].login(&cluster.chair_token()).await;
    chair.join("debate").await;
    let mut members = Member::spread(&cluster, 30).await;
    let speaker = members
        .iter()
        .position(|m| m.node == owner)
        .expect("a member on the owner's node");
    let elsewhere = members
        .iter()
        .position(|m| m.node != owner)
        .expect("a member on another node");
    members[speaker]
        .client
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    members[speaker]
        .client
        .ok(json!({"type": "say", "room": "debate", "text": "Before the outage", "lang": "en"}))
        .await;

    cluster.own_redis().kill();
    for node in 0..3 {
        let answer = health_becomes(&cluster, node, "503").await;
        assert!(answer.contains("bus unreachable"), "{answer}");
        assert_eq!(gauge(&cluster, node, "dais_bus_up").await, Some(0));
    }
    // The owner's own clients are served; the record takes every speech.
    let mut during = Vec::new();
    for i in 0..3 {
        let ok = members[speaker]
            .client
            .ok(json!({"type": "say", "room": "debate", "text": format!("During the outage {i}"), "lang": "en"}))
            .await;
        during.push(ok["seq"].as_u64().expect("seq"));
    }
    // A request that needs the bus is refused plainly, not left hanging.
    let refused = members[elsewhere]
        .client
        .request(json!({"type": "request_floor", "room": "debate"}))
        .await;
    assert_eq!(refused["code"], "unavailable", "{refused}");
    // And the other nodes' clients still hear what was said, from the record.
    let last_during = *during.last().expect("three speeches");
    for m in members.iter_mut().filter(|m| m.node != owner).take(3) {
        assert!(m.read_to(last_during).await, "{} lost its connection", m.id);
    }

    cluster.own_redis().start_again();
    for node in 0..3 {
        health_becomes(&cluster, node, "200").await;
        assert_eq!(gauge(&cluster, node, "dais_bus_up").await, Some(1));
    }
    // Requests cross the bus again, and live delivery resumes.
    members[elsewhere]
        .client
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    let ok = members[speaker]
        .client
        .ok(json!({"type": "say", "room": "debate", "text": "After the outage", "lang": "en"}))
        .await;
    let last = ok["seq"].as_u64().expect("seq");
    for m in members.iter_mut() {
        assert!(m.read_to(last).await, "{} lost its connection", m.id);
        m.check();
    }
    let reconnects = gauge(&cluster, (owner + 1) % 3, "dais_bus_reconnects_total").await;
    assert!(
        reconnects.unwrap_or(0) >= 1,
        "the node counted its reconnection"
    );
}

/// An owner frozen (SIGSTOP) past its lease: another node takes the room.
/// Woken (SIGCONT), the old owner gets none of its writes in, steps down,
/// and its clients' requests go to the new owner.
#[tokio::test]
async fn a_frozen_owner_woken_after_its_lease_writes_nothing_and_steps_down() {
    let Some(cluster) = Cluster::start("frozen_owner", 2, Some(&config()), 3).await else {
        return;
    };
    let frozen = cluster.owner_of("debate").await;
    let other = 1 - frozen;
    let ids = cluster.add_participants("Delegate", "delegate", 2);
    let mut chair = cluster.nodes[other].login(&cluster.chair_token()).await;
    chair.join("debate").await;
    // The speaker is on the frozen node: their connection stays open (the
    // process is frozen, not dead) and they go on talking to it.
    let mut speaker = cluster.nodes[frozen].login(&ids[0].1).await;
    speaker.join("debate").await;
    speaker
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    speaker
        .ok(json!({"type": "say", "room": "debate", "text": "Before the freeze", "lang": "en"}))
        .await;

    let pid = cluster.nodes[frozen].pid().expect("running").to_string();
    let signal = |sig: &str| {
        let status = std::process::Command::new("kill")
            .args([sig, &pid])
            .status()
            .expect("kill");
        assert!(status.success());
    };
    signal("-STOP");
    let restored = chair.event("service_restored").await;
    assert_eq!(restored["previous"], format!("n{}", frozen + 1));
    assert_eq!(restored["node"], format!("n{}", other + 1));
    // The new owner's epoch is in the lease.
    let db = cluster.db().await;
    let epoch: i64 = db
        .query_one("SELECT epoch FROM room_leases WHERE room = 'debate'", &[])
        .await
        .expect("lease")
        .get(0);
    assert!(epoch >= 2, "a takeover raises the epoch: {epoch}");
    let before: i64 = db
        .query_one("SELECT count(*) FROM events WHERE room = 'debate'", &[])
        .await
        .expect("count")
        .get(0);

    // The speech sent to the frozen node waits in its socket; the node
    // wakes with a room it no longer owns.
    speaker
        .send(json!({"type": "say", "room": "debate", "text": "Written by a deposed owner?", "lang": "en", "nonce": "frozen-1", "id": 77}))
        .await;
    signal("-CONT");
    let reply = speaker
        .wait_for("the reply to the speech sent while frozen", |f| {
            f["id"] == 77
        })
        .await;
    // Whatever the reply, the deposed owner wrote nothing under its old
    // epoch: every event after the takeover is the new owner's.
    let stale: i64 = db
        .query_one(
            "SELECT count(*) FROM events WHERE room = 'debate' AND seq > $1 AND body LIKE '%deposed owner%'",
            &[&restored["seq"].as_i64().expect("seq")],
        )
        .await
        .expect("count")
        .get(0);
    let total_after: i64 = db
        .query_one("SELECT count(*) FROM events WHERE room = 'debate'", &[])
        .await
        .expect("count")
        .get(0);
    if reply["type"] == "ok" {
        // Accepted: then by the new owner (forwarded), exactly once.
        assert_eq!(stale, 1, "{reply}");
        assert_eq!(total_after, before + 1);
    } else {
        assert_eq!(stale, 0, "{reply}");
        assert_eq!(total_after, before);
    }
    // The woken node stepped down from the room, and counts it. (It may
    // take other free rooms again: it is healthy once awake.)
    let deadline = std::time::Instant::now() + dais_e2e::WAIT;
    while gauge(&cluster, frozen, "dais_rooms_lost_total")
        .await
        .unwrap_or(0)
        < 1
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the woken node did not step down"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(cluster.owner_of("debate").await, other);
    // Its client is served through it by the new owner: a retry with the
    // same nonce is never doubled.
    let retry = speaker
        .ok(json!({"type": "say", "room": "debate", "text": "Written by a deposed owner?", "lang": "en", "nonce": "frozen-1"}))
        .await;
    let n: i64 = db
        .query_one(
            "SELECT count(*) FROM events WHERE room = 'debate' AND body LIKE '%deposed owner%'",
            &[],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(n, 1, "once, whatever happened before: {retry}");
    let heard = chair
        .wait_for("the speech, by the new owner", |f| {
            f["type"] == "event"
                && f["kind"] == "speech"
                && f["text"] == "Written by a deposed owner?"
        })
        .await;
    assert_eq!(heard["seq"], retry["seq"]);
}

/// A single node's record moves into a cluster (`migrate`), losing
/// nothing: the same tokens work, every event is there with its seq, and
/// the move is in the record. The admin commands work against the
/// cluster's record, and `backup` writes it back out as a SQLite database
/// a single node can run on.
#[tokio::test]
async fn a_single_nodes_record_moves_into_a_cluster_and_back_out() {
    let Some(mut cluster) = Cluster::start("migrate", 0, Some(&config()), 3).await else {
        return;
    };
    let mut single = dais_e2e::Server::start_with_config(Some(&config()));
    let (amina, amina_token) = single.add("Amina Haddad", "Morocco", "government", "delegate");
    let mut chair = single.login(&single.chair_token()).await;
    chair.join("debate").await;
    let mut delegate = single.login(&amina_token).await;
    delegate.join("debate").await;
    delegate
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    for text in [
        "السيد الرئيس، شكراً.",
        "Connectivity is a right.",
        "网络安全",
    ] {
        delegate
            .ok(json!({"type": "say", "room": "debate", "text": text, "lang": "und"}))
            .await;
    }
    let before = single.cli(&["export", "--room", "debate", "--format", "json"]);
    let before: serde_json::Value = serde_json::from_str(&before).expect("json export");
    let events_before = before["events"].as_array().expect("events").clone();
    single.terminate();

    let data = single.data.to_string_lossy().into_owned();
    let out = cluster.cli(&["migrate", "--from-sqlite", &data]);
    assert!(out.contains("Moved"), "{out}");
    // Twice is refused: nothing is merged.
    let again = std::process::Command::new(dais_e2e::server_binary())
        .args(["migrate", "--from-sqlite", &data])
        .env("DAIS_DATABASE_URL", &cluster.database_url)
        .output()
        .expect("run migrate");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has the rooms"));

    cluster.add_node("n1");
    let node = &cluster.nodes[0];
    // The single node's tokens work on the cluster, and the replay from the
    // start is the single node's record, seq for seq.
    let mut delegate = node.login(&amina_token).await;
    delegate
        .ok(json!({"type": "join", "room": "debate", "since": 0}))
        .await;
    let replayed: Vec<serde_json::Value> = delegate
        .backlog
        .iter()
        .filter(|f| f["type"] == "event")
        .cloned()
        .collect();
    assert!(
        replayed.len() > events_before.len(),
        "the move is recorded too"
    );
    for (old, new) in events_before.iter().zip(&replayed) {
        let mut new = new.clone();
        if let Some(o) = new.as_object_mut() {
            o.remove("type");
        }
        assert_eq!(old, &new, "every event moved as it was");
    }
    let moved = &replayed[events_before.len()];
    assert_eq!(moved["kind"], "service_restored", "{moved}");
    assert_eq!(moved["previous"], "single-node");
    assert_eq!(moved["cause"], "handover");
    // The floor is still Amina's, her clock paused by the move.
    let state = delegate
        .state_where("the room after the move", |_| true)
        .await;
    assert_eq!(dais_e2e::holder(&state).as_deref(), Some(amina.as_str()));

    // The admin commands, on the cluster's record.
    let list = cluster.cli(&["participant", "list"]);
    assert!(
        list.contains("Amina Haddad") && list.contains("Chair"),
        "{list}"
    );
    let export = cluster.cli(&["export", "--room", "debate", "--lang", "fr"]);
    assert!(export.contains("Connectivity is a right"), "{export}");
    let added = cluster.add_participants("Kenji", "delegate", 1);
    node.login(&added[0].1).await;
    cluster.cli(&["participant", "revoke", &amina]);
    let (code, reason) = delegate.wait_closed().await;
    assert_eq!((code, reason.as_str()), (1008, "token_revoked"));

    // backup: the cluster's record as a single node's database.
    let file = cluster.nodes[0].dir().join("backup.db");
    let file_s = file.to_string_lossy().into_owned();
    let out = cluster.cli(&["backup", "--to", &file_s]);
    assert!(out.contains("Backed up"), "{out}");
    let mut restored = dais_e2e::Server::start_with_config(Some(&config()));
    restored.terminate();
    std::fs::remove_file(restored.data.join("dais.db")).expect("remove the fresh database");
    for ext in ["dais.db-wal", "dais.db-shm"] {
        let _ = std::fs::remove_file(restored.data.join(ext));
    }
    std::fs::copy(&file, restored.data.join("dais.db")).expect("put the backup in place");
    restored.restart();
    let mut kenji = restored.login(&added[0].1).await;
    kenji
        .ok(json!({"type": "join", "room": "debate", "since": 0}))
        .await;
    let texts: Vec<String> = kenji
        .backlog
        .iter()
        .filter(|f| f["kind"] == "speech")
        .filter_map(|f| f["text"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        texts,
        [
            "السيد الرئيس، شكراً.",
            "Connectivity is a right.",
            "网络安全"
        ]
    );
}

/// A room made on one node is on every node's list, joinable there, and
/// its public record (the page and the live stream) is served by every
/// node, not only its owner's.
#[tokio::test]
async fn a_room_made_on_one_node_is_served_by_every_node_and_its_public_record_too() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Some(cluster) = Cluster::start("room_made", 2, Some(&config()), 5).await else {
        return;
    };
    let ids = cluster.add_participants("Delegate", "delegate", 1);
    let mut chair = cluster.nodes[0].login(&cluster.chair_token()).await;
    let mut delegate = cluster.nodes[1].login(&ids[0].1).await;
    chair
        .ok(json!({"type": "room_create", "room": "side-event", "titles": {"en": "Side event"}, "mode": "open", "public": true}))
        .await;
    let update = delegate
        .wait_for("the new room on the other node's list", |f| {
            f["type"] == "room_update" && f["room"]["id"] == "side-event"
        })
        .await;
    assert_eq!(update["room"]["title"], "Side event");
    delegate.join("side-event").await;
    chair.join("side-event").await;

    // The other node's live stream, opened before anyone speaks.
    let addr = cluster.nodes[1]
        .url
        .trim_start_matches("ws://")
        .trim_end_matches('/')
        .to_string();
    let mut sse = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    sse.write_all(
        format!("GET /rooms/side-event/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
            .as_bytes(),
    )
    .await
    .expect("write");

    delegate
        .ok(json!({"type": "say", "room": "side-event", "text": "Hello from the second node", "lang": "en"}))
        .await;
    chair
        .ok(json!({"type": "say", "room": "side-event", "text": "And from the owner", "lang": "en"}))
        .await;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + dais_e2e::WAIT;
    while !(seen.contains("Hello from the second node") && seen.contains("And from the owner")) {
        let mut chunk = [0u8; 8192];
        let n = tokio::time::timeout_at(deadline, sse.read(&mut chunk))
            .await
            .expect("the live stream in time")
            .expect("read");
        assert!(n > 0, "the live stream ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&chunk[..n]));
    }
    // And the page, from the record, on the node that does not own it.
    let page = dais_e2e::http_get(&cluster.nodes[1].url, "/rooms/side-event").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Hello from the second node") && page.contains("And from the owner"));

    // Closed on its owner: gone from the other node's list, the lease given
    // up, and no node takes it again.
    chair
        .ok(json!({"type": "room_close", "room": "side-event"}))
        .await;
    delegate
        .wait_for("the room removed on the other node", |f| {
            f["type"] == "room_removed" && f["room"] == "side-event"
        })
        .await;
    delegate
        .refused(json!({"type": "join", "room": "side-event"}), "room_closed")
        .await;
    let db = cluster.db().await;
    let deadline = std::time::Instant::now() + dais_e2e::WAIT;
    loop {
        let live: bool = db
            .query_one(
                "SELECT expires_at > now() FROM room_leases WHERE room = 'side-event'",
                &[],
            )
            .await
            .expect("lease")
            .get(0);
        if !live {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the closed room's lease was kept"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let closed: bool = db
        .query_one("SELECT closed FROM rooms WHERE id = 'side-event'", &[])
        .await
        .expect("room")
        .get(0);
    assert!(closed);
}

/// A node killed and started again under the same id takes its rooms back
/// at once, without waiting for its old leases to run out, and records the
/// restart (a running turn is paused).
#[tokio::test]
async fn a_restarted_node_takes_its_rooms_back_without_waiting_for_the_lease() {
    let Some(mut cluster) = Cluster::start("node_restart", 1, Some(&config()), 60).await else {
        return;
    };
    let ids = cluster.add_participants("Delegate", "delegate", 1);
    let mut chair = cluster.nodes[0].login(&cluster.chair_token()).await;
    chair.join("debate").await;
    let mut delegate = cluster.nodes[0].login(&ids[0].1).await;
    delegate.join("debate").await;
    delegate
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    let db = cluster.db().await;
    let old_expiry: std::time::SystemTime = db
        .query_one(
            "SELECT expires_at FROM room_leases WHERE room = 'debate'",
            &[],
        )
        .await
        .expect("lease")
        .get(0);
    cluster.nodes[0].restart();
    let mut chair = cluster.nodes[0].login(&cluster.chair_token()).await;
    chair
        .ok(json!({"type": "join", "room": "debate", "since": 0}))
        .await;
    let restored = chair.event("service_restored").await;
    assert_eq!(restored["cause"], "restart", "{restored}");
    let row = db
        .query_one(
            "SELECT renewed_at, epoch FROM room_leases WHERE room = 'debate'",
            &[],
        )
        .await
        .expect("lease");
    let taken: std::time::SystemTime = row.get(0);
    let epoch: i64 = row.get(1);
    assert_eq!(epoch, 2);
    assert!(
        taken < old_expiry,
        "taken back before the old lease ran out"
    );
}

/// A node stopped cleanly (SIGTERM: an upgrade, a planned restart) hands
/// its rooms over at once, without waiting for its leases to run out; the
/// next owner records a handover, not a failure, and its clients resume on
/// the other node.
#[tokio::test]
async fn a_node_stopped_cleanly_hands_its_rooms_over_at_once() {
    let Some(mut cluster) = Cluster::start("handover", 2, Some(&config()), 60).await else {
        return;
    };
    let owner = cluster.owner_of("debate").await;
    let other = 1 - owner;
    let ids = cluster.add_participants("Delegate", "delegate", 1);
    let mut chair = cluster.nodes[other].login(&cluster.chair_token()).await;
    chair.join("debate").await;
    let mut speaker = cluster.nodes[owner].login(&ids[0].1).await;
    speaker.join("debate").await;
    speaker
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    let spoke = speaker
        .ok(json!({"type": "say", "room": "debate", "text": "Before the upgrade", "lang": "en"}))
        .await;
    let db = cluster.db().await;
    let old_expiry: std::time::SystemTime = db
        .query_one(
            "SELECT expires_at FROM room_leases WHERE room = 'debate'",
            &[],
        )
        .await
        .expect("lease")
        .get(0);
    let status = cluster.nodes[owner].terminate();
    assert!(status.success(), "a clean stop: {status:?}");
    let restored = chair.event("service_restored").await;
    assert_eq!(restored["cause"], "handover", "{restored}");
    assert_eq!(restored["previous"], format!("n{}", owner + 1));
    assert_eq!(restored["node"], format!("n{}", other + 1));
    let taken: std::time::SystemTime = db
        .query_one(
            "SELECT renewed_at FROM room_leases WHERE room = 'debate'",
            &[],
        )
        .await
        .expect("lease")
        .get(0);
    assert!(
        taken < old_expiry,
        "taken at once, not when the old lease ran out"
    );
    // The speaker, told to come back (1012), resumes on the other node.
    let (code, _) = speaker.wait_closed().await;
    assert_eq!(code, 1012);
    let mut speaker = cluster.nodes[other].login(&ids[0].1).await;
    let since = spoke["seq"].as_u64().expect("seq");
    speaker
        .ok(json!({"type": "join", "room": "debate", "since": since}))
        .await;
    let replayed = speaker.event("service_restored").await;
    assert_eq!(replayed["seq"], restored["seq"]);
    speaker
        .ok(json!({"type": "say", "room": "debate", "text": "After the upgrade", "lang": "en"}))
        .await;
    chair
        .wait_for("the speech after the handover", |f| {
            f["kind"] == "speech" && f["text"] == "After the upgrade"
        })
        .await;
}

/// What a single node never logs, a cluster node does not either, at trace:
/// no token, no speech, although the database and bus drivers see them all.
#[tokio::test]
async fn a_cluster_node_logs_no_token_and_no_speech_even_at_trace() {
    let Some(cluster) = Cluster::start_traced("node_trace", 2, Some(&config()), 5).await else {
        return;
    };
    // The speech crosses from one node to the other, whichever owns the room.
    let ids = cluster.add_participants("Delegate", "delegate", 1);
    let mut chair = cluster.nodes[0].login(&cluster.chair_token()).await;
    chair.join("open").await;
    let mut delegate = cluster.nodes[1].login(&ids[0].1).await;
    delegate.join("open").await;
    let marker = "Speech-marker-7c2e41 Fiji supports the amendment";
    delegate
        .ok(json!({"type": "say", "room": "open", "text": marker, "lang": "en"}))
        .await;
    chair.wait_for("the speech", |f| f["text"] == marker).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut log = String::new();
    for node in &cluster.nodes {
        log.push_str(&node.log_lines().join("\n"));
    }
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "trace is on"
    );
    for secret in [cluster.chair_token(), ids[0].1.clone()] {
        let piece = &secret[secret.len() - 24..];
        assert!(!log.contains(piece), "a token piece is in the log");
    }
    assert!(
        !log.contains("Speech-marker-7c2e41"),
        "a speech is in the log"
    );
}
