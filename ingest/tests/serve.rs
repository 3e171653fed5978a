//! The `pulse` binary as an operator runs it: create a token, serve, submit, read results, stop
//! with SIGTERM, start again. Also reads the server's own log to prove no address or user agent
//! is written to it.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::valid_response;

fn pulse() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pulse"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn spawn_server(data: &Path, port: u16) -> Child {
    let mut command = pulse();
    command.args(["serve", "--data", data.to_str().unwrap(), "--bind", &format!("127.0.0.1:{port}")]);
    spawn_and_wait(command, port)
}

fn spawn_and_wait(mut command: Command, port: u16) -> Child {
    let mut child = command
        // Debug, a level above the default: not even the detailed log may hold who answered or what.
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(r) = http::blocking_get(&format!("http://127.0.0.1:{port}/healthz")) {
            if r == 200 {
                return child;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("pulse did not start on port {port}");
}

/// Sends SIGTERM and returns the exit status and everything the server printed.
fn terminate(mut child: Child) -> (std::process::ExitStatus, String) {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    let mut log = String::new();
    child.stdout.take().unwrap().read_to_string(&mut log).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    (status, log)
}

/// Blocking HTTP over reqwest's async client, so the test needs no extra reqwest features.
mod http {
    use reqwest::{Client, Method, Result};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
    }

    pub fn blocking_get(url: &str) -> Result<u16> {
        runtime().block_on(async { Ok(Client::new().get(url).send().await?.status().as_u16()) })
    }

    pub fn request(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        runtime().block_on(async {
            let mut req = Client::new().request(Method::from_bytes(method.as_bytes()).unwrap(), url);
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json().await.unwrap_or(serde_json::Value::Null))
        })
    }
}

#[test]
fn an_operator_runs_pulse_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let out = pulse()
        .args(["admin", "token", "create", "--name", "ops", "--role", "owner", "--data", data.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("pulse_") && token.len() == 6 + 64, "{token}");

    let port = free_port();
    let server = spawn_server(&data, port);
    let base = format!("http://127.0.0.1:{port}");
    let auth = format!("Bearer {token}");
    for n in 0..10 {
        let (status, body) = http::request(
            "POST",
            &format!("{base}/api/v1/surveys/constitution/responses"),
            &[("x-forwarded-for", "203.0.113.77"), ("user-agent", "AgentOfTheWard/9.9")],
            Some(&valid_response(n, Some("estates"))),
        );
        assert_eq!(status, 201, "{body}");
    }
    let (status, results) =
        http::request("GET", &format!("{base}/api/v1/surveys/constitution/results"), &[("authorization", &auth)], None);
    assert_eq!(status, 200);
    assert_eq!(results["responses"], 10);
    // Whatever a client puts in a query string (a token, by mistake) stays out of the log.
    let (status, _) = http::request(
        "GET",
        &format!("{base}/api/v1/surveys/constitution/results?token=pulse_querysecret&lang=QueryValueTwo"),
        &[],
        None,
    );
    assert_eq!(status, 401);

    // Named admins, kept through the running server's control socket, take effect at once.
    let d = data.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = pulse().args(args).args(["--data", d]).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let lead = run(&["admin", "token", "create", "--name", "estates-lead", "--role", "viewer", "--context", "estates"]);
    let lead = format!("Bearer {}", lead.trim());
    let (status, scoped) =
        http::request("GET", &format!("{base}/api/v1/surveys/constitution/results"), &[("authorization", &lead)], None);
    assert_eq!(status, 200);
    assert_eq!(
        scoped["columns"],
        serde_json::json!([{"id": "estates", "label": "Estates and facilities"}]),
        "{scoped}"
    );
    let (status, trend) =
        http::request("GET", &format!("{base}/api/v1/surveys/constitution/trend"), &[("authorization", &lead)], None);
    assert_eq!(status, 200, "a viewer reads the trend of their own contexts");
    assert_eq!(
        trend["columns"],
        serde_json::json!([{"id": "estates", "label": "Estates and facilities"}]),
        "no trend of everyone: {trend}"
    );
    let listed = run(&["admin", "token", "list"]);
    assert!(listed.contains("estates-lead") && listed.contains("viewer") && listed.contains("ops"), "{listed}");
    assert!(!listed.contains(lead.trim_start_matches("Bearer ")), "a token is shown once only");
    run(&["admin", "allow", "--email", "Jo.Bloggs@example.nhs.uk", "--role", "moderator"]);
    run(&[
        "admin",
        "allow",
        "--group",
        "0b1c2d3e-0000-4000-8000-000000000001",
        "--role",
        "viewer",
        "--context",
        "estates",
    ]);
    let who = run(&["admin", "list"]);
    assert!(
        who.contains("e-mail jo.bloggs@example.nhs.uk") || who.contains("e-mail Jo.Bloggs@example.nhs.uk"),
        "{who}"
    );
    assert!(who.contains("moderator") && who.contains("group 0b1c2d3e"), "{who}");
    run(&["admin", "disallow", "--email", "Jo.Bloggs@example.nhs.uk"]);
    let refused =
        pulse().args(["admin", "allow", "--email", "x@y.nhs.uk", "--role", "viewer", "--data", d]).output().unwrap();
    assert!(!refused.status.success(), "a viewer without contexts is refused");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("name at least one"), "{refused:?}");
    run(&["admin", "token", "revoke", "estates-lead"]);
    let (status, _) =
        http::request("GET", &format!("{base}/api/v1/surveys/constitution/results"), &[("authorization", &lead)], None);
    assert_eq!(status, 401, "a revoked token is refused from the next request");
    let audit = run(&["audit"]);
    for expected in ["token created", "results viewed", "roles changed", "token revoked", "estates-lead"] {
        assert!(audit.contains(expected), "{expected:?} not in the audit log:\n{audit}");
    }
    let csv = run(&["audit", "--csv", "--since", "2000-01-01"]);
    assert!(csv.starts_with("\u{FEFF}seq,at,admin,via,action,target,detail,account\r\n"), "{csv}");

    // The CLI's database commands refuse, clearly, while a server holds the database.
    let busy = pulse().args(["export", "--survey", "constitution", "--data", data.to_str().unwrap()]).output().unwrap();
    assert!(!busy.status.success());
    assert!(String::from_utf8_lossy(&busy.stderr).contains("in use by a running pulse server"), "{busy:?}");

    // check and backup reach the running server through its control socket.
    let check = pulse().args(["check", "--data", data.to_str().unwrap()]).output().unwrap();
    assert!(check.status.success(), "{check:?}");
    assert!(String::from_utf8_lossy(&check.stdout).contains("10 responses in 1 surveys"), "{check:?}");
    assert!(String::from_utf8_lossy(&check.stdout).contains("audit log entries; 0 audit log problems"), "{check:?}");
    let backup_dir = dir.path().join("backup");
    std::fs::create_dir(&backup_dir).unwrap();
    let backup_file = backup_dir.join("pulse.redb");
    let backup =
        pulse().args(["backup", "--data", data.to_str().unwrap(), "--out"]).arg(&backup_file).output().unwrap();
    assert!(backup.status.success(), "{backup:?}");
    assert!(String::from_utf8_lossy(&backup.stdout).contains("10 responses"), "{backup:?}");

    let (exit, log) = terminate(server);
    assert!(exit.success(), "SIGTERM should stop pulse cleanly: {exit:?}\n{log}");
    assert!(log.contains("listening on"), "the log is captured: {log}");
    for secret in [
        "203.0.113.77",
        "AgentOfTheWard",
        "127.0.0.1:",
        "story",
        "porters stayed late",
        "estates",
        "token=",
        "pulse_querysecret",
        "QueryValueTwo",
    ] {
        // The listening address is the server's own; the line that names it is the only one allowed.
        let leaks: Vec<&str> = log.lines().filter(|l| l.contains(secret) && !l.contains("listening on")).collect();
        assert!(leaks.is_empty(), "{secret:?} in the log: {leaks:?}");
    }
    // Every line has a time: none may belong to a request that sent answers, or the log would say
    // when someone answered.
    let answered: Vec<&str> = log.lines().filter(|l| l.contains("/responses")).collect();
    assert!(answered.is_empty(), "the log says when responses arrived: {answered:?}");
    assert!(log.contains("path=/api/v1/surveys/constitution/results"), "admin requests are still logged: {log}");

    // With the server stopped, check and backup open the files themselves; the backup is a database.
    for data in [&data, &backup_dir] {
        let check = pulse().args(["check", "--data", data.to_str().unwrap()]).output().unwrap();
        assert!(check.status.success(), "{check:?}");
        let out = String::from_utf8_lossy(&check.stdout);
        assert!(out.contains("10 responses in 1 surveys"), "{check:?}");
        // The backup holds the audit log (and the tokens and the allowlist) too.
        let line = out.lines().find(|l| l.contains("audit log entries")).unwrap();
        let entries: u64 = line.split_whitespace().next().unwrap().parse().unwrap();
        assert!(entries >= 8, "{line}");
    }
    assert!(!data.join("pulse.sock").exists(), "the control socket is removed at stop");

    // With the server stopped: export in every format, import a TOML definition, list.
    for (format, check) in [("csv", "question_id,question"), ("json", "\"responses\": 10"), ("xlsx", "PK")] {
        let out = dir.path().join(format!("results.{format}"));
        let status = pulse()
            .args(["export", "--survey", "constitution", "--format", format, "--out", out.to_str().unwrap()])
            .args(["--data", data.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(status.success(), "export {format}");
        let bytes = std::fs::read(&out).unwrap();
        assert!(String::from_utf8_lossy(&bytes).contains(check), "{format} export lacks {check:?}");
    }
    let toml = dir.path().join("team-check.toml");
    std::fs::write(
        &toml,
        r#"
id = "team-check"
version = 1
title = "Team check-in"
k = 5
contexts = [{ id = "ward-7", label = "Ward 7" }]

[[questions]]
id = "valued"
prompt = "I feel valued by my team."
required = true
type = "single_choice"
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]
"#,
    )
    .unwrap();
    let import =
        pulse().args(["survey", "import", toml.to_str().unwrap(), "--data", data.to_str().unwrap()]).output().unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"id": "Bad", "version": 1, "title": "", "k": 3, "questions": []}"#).unwrap();
    let refused =
        pulse().args(["survey", "import", bad.to_str().unwrap(), "--data", data.to_str().unwrap()]).output().unwrap();
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("k: must be at least 5") && why.contains("questions"), "{why}");
    let list = pulse().args(["survey", "list", "--data", data.to_str().unwrap()]).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("constitution") && list.contains("team-check"), "{list}");
    assert!(list.lines().any(|l| l.starts_with("constitution") && l.contains(" 10 ")), "{list}");
    assert!(list.lines().any(|l| l.starts_with("team-check") && l.contains("<5")), "{list}");

    let server = spawn_server(&data, port);
    let (_, again) =
        http::request("GET", &format!("{base}/api/v1/surveys/constitution/results"), &[("authorization", &auth)], None);
    assert_eq!(again, results, "results survive a restart");
    let (exit, _) = terminate(server);
    assert!(exit.success());
}

/// The connection cap is read from the open-file limit at start and said in the log; idle and slow
/// connections beyond it (and beyond the file limit itself) never keep `/healthz` from answering.
#[test]
fn connections_are_capped_below_the_open_file_limit_and_healthz_still_answers() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut command = Command::new("sh");
    command.arg("-c").arg(format!(
        "ulimit -n 200 && exec {} serve --data {} --bind 127.0.0.1:{port}",
        env!("CARGO_BIN_EXE_pulse"),
        dir.path().join("data").display()
    ));
    let server = spawn_and_wait(command, port);
    let mut held = Vec::new();
    for n in 0..260 {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        if n % 2 == 0 {
            // Half a request line, the rest never sent.
            stream.write_all(b"GET /heal").unwrap();
        }
        held.push(stream);
    }
    for _ in 0..3 {
        let started = Instant::now();
        assert_eq!(http::blocking_get(&format!("http://127.0.0.1:{port}/healthz")).unwrap(), 200);
        assert!(started.elapsed() < Duration::from_secs(1), "healthz took {:?}", started.elapsed());
    }
    drop(held);
    let (exit, log) = terminate(server);
    assert!(exit.success(), "{log}");
    // 200 open files, less 64 kept for the database, the control socket and the rest.
    assert!(log.contains("max_connections=136") && log.contains("open_file_limit=200"), "{log}");
}
