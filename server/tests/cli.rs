//! The admin command line, run as a user would. (Having an integration test
//! here also makes `cargo test --workspace` build the `dais-server` binary
//! that the end-to-end tests in tests/ start.)

use std::process::Command;

fn server() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dais-server"))
}

fn run_ok(data: &std::path::Path, args: &[&str]) -> String {
    let out = server()
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn help_explains_every_option_and_subcommand() {
    let out = server().arg("--help").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "--listen",
        "--data",
        "--config",
        "DAIS_LISTEN",
        "DAIS_DATA",
        "DAIS_CONFIG",
        "participant",
        "export",
        "migrate",
        "--database-url",
        "DAIS_DATABASE_URL",
        "--bus-url",
        "DAIS_BUS_URL",
        "--node-id",
        "--lease-secs",
        "--address-file",
        "DAIS_ADDRESS_FILE",
    ] {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
}

#[test]
fn participant_add_list_revoke() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(
        dir.path(),
        &[
            "participant",
            "add",
            "--name",
            "Amina Haddad",
            "--delegation",
            "Morocco",
            "--stakeholder",
            "government",
        ],
    );
    assert!(out.contains("Token (shown only now"), "{out}");
    let token = out
        .split_whitespace()
        .find(|w| w.starts_with("dais_"))
        .expect("a token in the output");
    let id = out.split_whitespace().nth(1).expect("an id").to_string();
    let list = run_ok(dir.path(), &["participant", "list"]);
    assert!(
        list.contains("Amina Haddad") && list.contains("active"),
        "{list}"
    );
    assert!(!list.contains(token), "list must never show a token");
    let db = std::fs::read(dir.path().join("dais.db")).unwrap();
    assert!(
        !db.windows(token.len()).any(|w| w == token.as_bytes()),
        "the token itself must not be stored"
    );
    run_ok(dir.path(), &["participant", "revoke", &id]);
    let list = run_ok(dir.path(), &["participant", "list"]);
    assert!(list.contains("revoked"), "{list}");
}

#[test]
fn a_bad_stakeholder_group_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = server()
        .arg("--data")
        .arg(dir.path())
        .args([
            "participant",
            "add",
            "--name",
            "X",
            "--stakeholder",
            "media",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("civil_society"), "{err}");
}

#[test]
fn a_corrupt_database_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let junk = b"this is not a database, and it must not be overwritten".repeat(100);
    std::fs::write(dir.path().join("dais.db"), &junk).unwrap();
    let out = server()
        .arg("--data")
        .arg(dir.path())
        .args(["participant", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dais.db"), "the error names the file: {err}");
    assert_eq!(std::fs::read(dir.path().join("dais.db")).unwrap(), junk);
}

#[test]
fn export_of_an_unknown_room_says_so() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(dir.path(), &["participant", "list"]);
    let out = server()
        .arg("--data")
        .arg(dir.path())
        .args(["export", "--room", "nowhere"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));
}

#[test]
fn a_data_directory_from_a_newer_server_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(dir.path(), &["participant", "list"]);
    let db = dir.path().join("dais.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let out = server()
        .arg("--data")
        .arg(dir.path())
        .args(["participant", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer Dais"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn an_older_data_directory_is_migrated_forward() {
    // Schema 0: the file exists (an earlier, empty database) but has no tables.
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("dais.db")).unwrap();
        conn.execute_batch("CREATE TABLE unrelated (x INTEGER);")
            .unwrap();
    }
    run_ok(
        dir.path(),
        &[
            "participant",
            "add",
            "--name",
            "A",
            "--stakeholder",
            "academia",
        ],
    );
    let conn = rusqlite::Connection::open(dir.path().join("dais.db")).unwrap();
    let v: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, dais_server::record::sqlite::SCHEMA_VERSION);
}

#[test]
fn backup_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(dir.path(), &["participant", "list"]);
    let to = dir.path().join("existing.db");
    std::fs::write(&to, b"precious").unwrap();
    let out = server()
        .arg("--data")
        .arg(dir.path())
        .args(["backup", "--to"])
        .arg(&to)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&to).unwrap(), b"precious");
}

#[test]
fn participant_add_many_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(
        dir.path(),
        &[
            "participant",
            "add",
            "--name",
            "Observer",
            "--stakeholder",
            "civil_society",
            "--role",
            "observer",
            "--count",
            "25",
            "--json",
        ],
    );
    let added: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(added.len(), 25);
    assert_eq!(added[0]["name"], "Observer 1");
    assert_eq!(added[24]["name"], "Observer 25");
    let mut ids: Vec<&str> = added.iter().filter_map(|p| p["id"].as_str()).collect();
    let mut tokens: Vec<&str> = added.iter().filter_map(|p| p["token"].as_str()).collect();
    ids.sort();
    ids.dedup();
    tokens.sort();
    tokens.dedup();
    assert_eq!((ids.len(), tokens.len()), (25, 25), "all distinct");
    let list = run_ok(dir.path(), &["participant", "list"]);
    for id in ids {
        assert!(list.contains(id), "{id} listed:\n{list}");
    }
    // Nothing is half-done: "x… 1" to "x… 9" fit in 80 characters, "x… 10"
    // does not, and the whole batch fails.
    let out = server()
        .arg("--data")
        .arg(dir.path())
        .args([
            "participant",
            "add",
            "--name",
            &"x".repeat(78),
            "--stakeholder",
            "academia",
            "--count",
            "12",
        ])
        .output()
        .expect("run");
    assert!(
        !out.status.success(),
        "names over 80 characters are refused"
    );
    let after = run_ok(dir.path(), &["participant", "list"]);
    assert_eq!(after.lines().count(), list.lines().count(), "none added");
}

#[test]
fn participant_add_help_lists_only_its_own_options() {
    let out = server()
        .args(["participant", "add", "--help"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--stakeholder"), "{text}");
    assert!(
        text.contains("--data"),
        "the data directory applies: {text}"
    );
    for server_only in ["--listen", "--config", "--tls-cert", "--tls-key"] {
        assert!(!text.contains(server_only), "{server_only} in:\n{text}");
    }
}

#[test]
fn names_that_could_fake_rows_or_drive_the_terminal_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, bad) in [
        ("--name", "Amina\nx  fake-row  Chair"),
        ("--name", "Amina\u{1b}[2J"),
        ("--delegation", "\u{202e}tairaterceS"),
    ] {
        let mut args = vec![
            "participant",
            "add",
            "--name",
            "Amina",
            "--stakeholder",
            "government",
        ];
        if flag == "--name" {
            args[3] = bad;
        } else {
            args.extend([flag, bad]);
        }
        let out = server()
            .arg("--data")
            .arg(dir.path())
            .args(&args)
            .output()
            .expect("run");
        assert!(!out.status.success(), "{bad:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("control or directional"), "{err}");
    }
}

#[test]
fn participant_list_lines_up_chinese_and_arabic_names() {
    use unicode_width::UnicodeWidthStr;
    let dir = tempfile::tempdir().unwrap();
    for (name, delegation) in [
        ("王小明", "中国"),
        ("Amina Haddad", "Morocco"),
        ("فاطمة الزهراء", "مصر"),
    ] {
        run_ok(
            dir.path(),
            &[
                "participant",
                "add",
                "--name",
                name,
                "--delegation",
                delegation,
                "--stakeholder",
                "government",
            ],
        );
    }
    let list = run_ok(dir.path(), &["participant", "list"]);
    // The stakeholder column starts at the same screen column on every row.
    let starts: Vec<usize> = list
        .lines()
        .filter_map(|l| {
            let at = l.find("government").or_else(|| l.find("stakeholder"))?;
            Some(l[..at].width())
        })
        .collect();
    assert_eq!(starts.len(), 4, "{list}");
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "{starts:?}\n{list}"
    );
}

/// The first start's banner says where the chair's token is and how to join
/// with the file; the token itself is never printed (it would end up in the
/// journal).
#[test]
fn the_first_start_banner_names_the_token_file_not_the_token() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let mut spawner = dais_kit::Spawner::new(env!("CARGO_BIN_EXE_dais-server"), &data);
    spawner.command().stdout(std::process::Stdio::piped());
    // The banner is printed before the server writes its address, so it is
    // all in the pipe once the spawner returns.
    let mut running = spawner.start().expect("start the server");
    let stdout = running.child.stdout.take().expect("stdout");
    let mut banner = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        let done = line.contains("Join as chair");
        banner.push(line);
        if done {
            break;
        }
    }
    let _ = running.child.kill();
    let _ = running.child.wait();
    let banner = banner.join("\n");
    let token = std::fs::read_to_string(data.join("chair.token")).expect("chair.token");
    let token = token.trim();
    assert!(token.starts_with("dais_"));
    assert!(!banner.contains(token), "the token is printed:\n{banner}");
    assert!(banner.contains("--token-file"), "{banner}");
    assert!(banner.contains("chair.token"), "{banner}");
}

/// `--address-file` names the port the kernel chose for `--listen ...:0`,
/// and the server answers there.
#[test]
fn a_server_on_port_zero_writes_where_it_listens() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("address");
    let mut child = server()
        .arg("--data")
        .arg(dir.path().join("data"))
        .args(["--listen", "127.0.0.1:0", "--address-file"])
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the server");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let url = loop {
        if let Ok(text) = std::fs::read_to_string(&file) {
            break text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no address file within 30 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert!(url.ends_with('\n'), "one line: {url:?}");
    let addr = url
        .trim()
        .strip_prefix("ws://127.0.0.1:")
        .expect("a ws:// URL on 127.0.0.1");
    let port: u16 = addr.parse().expect("a port");
    assert_ne!(port, 0);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("ask");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
