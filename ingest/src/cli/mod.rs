//! The commands besides `serve`. Most open the database directly, so they run while no server holds
//! it (with a server running, use the admin API instead); `check` and `backup` ask a running server
//! through its control socket, and open the file themselves only when no server is running.

pub mod control;

use std::io::Write;
use std::path::Path;

use pulse_shared::SurveyDefinition;

use crate::admin::results::{survey_results, Chosen, Selection};
use crate::config::{BackupArgs, ExportArgs, ExportFormat, WaveCommand};
use crate::export;
use crate::public::surveys::summaries;
use crate::store::{AuditEvent, Store, StoreError};
use control::{GrantChange, Reply, Request};

type CliResult = Result<(), Box<dyn std::error::Error>>;

fn open(data: &Path) -> Result<Store, Box<dyn std::error::Error>> {
    Store::open(data).map_err(|e| match e {
        StoreError::Database(redb::Error::DatabaseAlreadyOpen) => format!(
            "the database in {} is in use by a running pulse server: stop it first, or use the admin API \
             (GET /api/v1/surveys/{{id}}/results.csv, POST /api/v1/surveys)",
            data.display()
        )
        .into(),
        other => other.into(),
    })
}

/// `pulse export`: a survey's suppressed results as CSV, JSON or XLSX.
pub async fn export(args: ExportArgs) -> CliResult {
    let store = open(&args.data.data)?;
    let selection = Selection { version: args.version, wave: args.wave };
    let with_trend = args.format == ExportFormat::Xlsx;
    let Chosen { results, trend, .. } = survey_results(&store, &args.survey, &selection, with_trend)?;
    let bytes = match args.format {
        ExportFormat::Csv => export::results_csv(&results).into_bytes(),
        ExportFormat::Json => serde_json::to_vec_pretty(&results)?,
        ExportFormat::Xlsx => {
            let references = store.references(&args.survey)?.references;
            export::results_xlsx(&results, trend.as_deref(), &args.organisation, &references)?
        }
    };
    store.shutdown().await;
    match args.out {
        Some(path) => std::fs::write(&path, bytes)?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}

/// `pulse survey list`.
pub async fn list(data: &Path) -> CliResult {
    let store = open(data)?;
    let all = summaries(&store)?;
    store.shutdown().await;
    println!("{:<24} {:>8} {:>10}  title", "id", "version", "responses");
    for s in all {
        let responses = s.responses.map_or_else(|| format!("<{}", s.k), |n| n.to_string());
        println!("{:<24} {:>8} {:>10}  {}", s.id, s.version, responses, s.title);
    }
    Ok(())
}

/// Reads a definition from JSON or TOML (by the file's extension, else by trying both).
pub fn read_definition(path: &Path) -> Result<SurveyDefinition, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let parsed = if is_toml {
        toml::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    };
    let def: SurveyDefinition = parsed.map_err(|e| format!("{}: {e}", path.display()))?;
    let problems = def.check();
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        return Err(format!("{} is not a valid survey definition:\n{}", path.display(), list.join("\n")).into());
    }
    Ok(def)
}

/// `pulse survey import FILE`.
pub async fn import(data: &Path, file: &Path) -> CliResult {
    let def = read_definition(file)?;
    let store = open(data)?;
    let result = store.publish(def.clone()).await;
    store.shutdown().await;
    result?;
    println!("published {} version {}", def.id, def.version);
    Ok(())
}

/// `pulse wave list|add|headcounts`: the same checks as the admin API, on the database directly.
pub async fn wave(command: WaveCommand) -> CliResult {
    let today = crate::public::responses::today();
    let (data, survey) = match &command {
        WaveCommand::List { data, survey } => (data, survey),
        WaveCommand::Add { data, survey, .. } => (data, survey),
        WaveCommand::Headcounts { data, survey, .. }
        | WaveCommand::Rename { data, survey, .. }
        | WaveCommand::Close { data, survey, .. }
        | WaveCommand::Delete { data, survey, .. } => (data, survey),
    };
    let store = open(&data.data)?;
    let result = run_wave(&store, survey, &command, today).await;
    store.shutdown().await;
    result
}

async fn run_wave(store: &Store, survey: &str, command: &WaveCommand, today: pulse_shared::Date) -> CliResult {
    let explain = |e: crate::error::ApiError| -> Box<dyn std::error::Error> { e.with_details().into() };
    match command {
        WaveCommand::List { .. } => {
            let list = crate::admin::waves::wave_list(store, survey, today).map_err(explain)?;
            println!("{:<16} {:<10} {:<10} {:<9} {:<28} headcounts", "id", "opens", "closes", "state", "label");
            for w in &list.waves {
                let counts: Vec<String> = w.headcounts.iter().map(|(c, n)| format!("{c}={n}")).collect();
                let state = serde_json::to_value(w.state)?.as_str().unwrap_or_default().to_string();
                println!(
                    "{:<16} {:<10} {:<10} {:<9} {:<28} {}",
                    w.wave.id,
                    w.wave.opens,
                    w.wave.closes,
                    state,
                    w.wave.label.en,
                    counts.join(" ")
                );
            }
            if list.waves.is_empty() {
                println!("{survey} has no waves: it takes responses whenever its own dates allow");
            }
        }
        WaveCommand::Add { id, label, label_cy, opens, closes, adopt, .. } => {
            let request = crate::admin::waves::WaveRequest {
                id: id.clone(),
                label: pulse_shared::Text { en: label.clone(), cy: label_cy.clone() },
                opens: *opens,
                closes: *closes,
                adopt: *adopt,
            };
            let wave = crate::admin::waves::add_wave(store, survey, request, today).await.map_err(explain)?;
            println!("added wave {} of {survey}: {} to {}", wave.id, wave.opens, wave.closes);
        }
        WaveCommand::Rename { wave, label, label_cy, .. } => {
            let label = Some(pulse_shared::Text { en: label.clone(), cy: label_cy.clone() });
            correct(store, survey, wave, crate::admin::waves::WaveCorrection { label, closes: None }, today).await?;
        }
        WaveCommand::Close { wave, on, .. } => {
            correct(store, survey, wave, crate::admin::waves::WaveCorrection { label: None, closes: Some(*on) }, today)
                .await?;
        }
        WaveCommand::Delete { wave, .. } => {
            let detail = crate::admin::waves::delete_wave(store, survey, wave, today).await.map_err(explain)?;
            record(store, "wave deleted", survey, detail).await?;
            println!("deleted wave {wave} of {survey}");
        }
        WaveCommand::Headcounts { wave, file, counts, .. } => {
            let mut given = match file {
                Some(path) => {
                    crate::admin::waves::headcounts_from_csv(&std::fs::read_to_string(path)?).map_err(explain)?
                }
                None => Vec::new(),
            };
            for pair in counts {
                let (context, n) =
                    pair.split_once('=').ok_or_else(|| format!("expected CONTEXT=NUMBER, got {pair:?}"))?;
                given.push((context.trim().to_string(), n.trim().to_string()));
            }
            let recorded =
                crate::admin::waves::record_headcounts(store, survey, wave, &given).await.map_err(explain)?;
            println!("recorded {} headcounts for wave {wave} of {survey}", recorded.len());
        }
    }
    Ok(())
}

/// Records an action taken at the command line in the audit log, as the API's layer does.
async fn record(store: &Store, action: &str, survey: &str, detail: String) -> CliResult {
    let event = AuditEvent { action: action.into(), target: survey.into(), detail, ..control::operator() };
    store.record(event).await.map_err(|e| e.to_string().into())
}

/// Renames a wave or closes it early, as the API does, and audits it.
async fn correct(
    store: &Store,
    survey: &str,
    wave: &str,
    correction: crate::admin::waves::WaveCorrection,
    today: pulse_shared::Date,
) -> CliResult {
    let (now, detail) = crate::admin::waves::correct_wave(store, survey, wave, correction, today)
        .await
        .map_err(|e| e.with_details())?;
    record(store, "wave corrected", survey, detail).await?;
    println!("wave {} of {survey}: {:?}, {} to {}", now.id, now.label.en, now.opens, now.closes);
    Ok(())
}

/// Asks the server running on `data`, or, with none running, opens the database and does it here.
async fn run_on_store(data: &Path, request: Request) -> Result<Reply, Box<dyn std::error::Error>> {
    if let Some(reply) = control::ask(data, &request)? {
        return Ok(reply);
    }
    let store = std::sync::Arc::new(open(data)?);
    let reply = control::perform(&store, request).await;
    store.shutdown().await;
    Ok(reply)
}

fn unexpected(reply: Reply) -> Box<dyn std::error::Error> {
    match reply {
        Reply::Error(e) => e.into(),
        _ => "the server answered another request".into(),
    }
}

/// `pulse admin token create`: prints the token once.
pub async fn token_create(data: &Path, new: crate::admin::admins::NewToken) -> CliResult {
    match run_on_store(data, Request::CreateToken { new, by: control::operator() }).await? {
        Reply::Token { token, record } => {
            println!("{token}");
            eprintln!(
                "Token {:?} ({}) is shown once. Keep it safe: only its hash is stored.",
                record.name,
                record.role.name()
            );
            Ok(())
        }
        other => Err(unexpected(other)),
    }
}

/// `pulse admin token revoke NAME`.
pub async fn token_revoke(data: &Path, name: String) -> CliResult {
    match run_on_store(data, Request::RevokeToken { name: name.clone(), by: control::operator() }).await? {
        Reply::Done => {
            println!("revoked token {name:?}");
            Ok(())
        }
        other => Err(unexpected(other)),
    }
}

/// `pulse admin allow` and `pulse admin disallow`.
pub async fn grant(data: &Path, grant: crate::store::Grant, change: GrantChange) -> CliResult {
    let what = format!("{}", grant.who);
    let role = grant.role.name();
    match run_on_store(data, Request::Grant { grant, change, by: control::operator() }).await? {
        Reply::Done if change == GrantChange::Disallow => {
            println!("{what} may no longer sign in");
            Ok(())
        }
        Reply::Done => {
            println!("{what} may sign in as {role}");
            Ok(())
        }
        other => Err(unexpected(other)),
    }
}

/// `pulse admin list` and `pulse admin token list`.
pub async fn admins(data: &Path, tokens_only: bool) -> CliResult {
    let Reply::Admins { tokens, grants } = run_on_store(data, Request::Admins).await? else {
        return Err("the server answered another request".into());
    };
    if !tokens_only {
        println!("may sign in:");
        for g in &grants {
            println!("  {:<48} {:<10} {}", g.who.to_string(), g.role.name(), g.contexts.join(" "));
        }
        if grants.is_empty() {
            println!("  nobody yet: pulse admin allow --email ADDRESS --role owner");
        }
        println!("tokens:");
    }
    for t in &tokens {
        let expires = t.expires.map_or_else(|| "no expiry".to_string(), |d| format!("last day {d}"));
        println!("  {:<24} {:<10} {:<18} made {}  {}", t.name, t.role.name(), expires, t.created, t.contexts.join(" "));
    }
    Ok(())
}

/// `pulse audit [--since DAY] [--csv]`.
pub async fn audit(args: crate::config::AuditArgs) -> CliResult {
    match run_on_store(&args.data.data, Request::Audit { since: args.since }).await? {
        Reply::Audit(entries) => {
            if args.csv {
                print!("{}", crate::admin::audit::csv(&entries));
            } else {
                for e in &entries {
                    println!(
                        "{:>6}  {}  {:<40} {:<28} {}  {}",
                        e.seq, e.at, e.event.admin, e.event.action, e.event.target, e.event.detail
                    );
                }
            }
            Ok(())
        }
        other => Err(unexpected(other)),
    }
}

/// `pulse check`: fails (exit status 1) when any counter differs from a recount, a release does
/// not hold exactly the responses released, or a story in the moderation queue is not in its
/// response with consent.
pub async fn check(data: &Path) -> CliResult {
    match run_on_store(data, Request::Check).await? {
        Reply::Check(report) => {
            for m in &report.mismatches {
                println!(
                    "mismatch: {} v{} wave {:?} context {:?} counter {:?}: stored {}, recounted {}",
                    m.survey, m.version, m.wave, m.context, m.counter, m.stored, m.recounted
                );
            }
            for p in &report.story_problems {
                println!("story problem: {p}");
            }
            for p in &report.release_problems {
                println!("release problem: {p}");
            }
            for p in &report.audit_problems {
                println!("audit log problem: {p}");
            }
            println!("{} audit log entries; {} audit log problems", report.audit_entries, report.audit_problems.len());
            // The summary stays the last line: scripts (tests/crash.py) read the response count from it.
            println!(
                "{} responses in {} surveys; {} counters; {} mismatches; {} stories; {} story problems",
                report.responses,
                report.surveys,
                report.counters,
                report.mismatches.len(),
                report.stories,
                report.story_problems.len()
            );
            if !report.mismatches.is_empty() {
                Err("the counters do not match the stored responses".into())
            } else if !report.story_problems.is_empty() {
                Err("the moderation queue does not match the stored responses".into())
            } else if !report.release_problems.is_empty() {
                Err("the released figures do not match the stored responses".into())
            } else if !report.audit_problems.is_empty() {
                Err("the audit log has gaps or changed entries".into())
            } else {
                Ok(())
            }
        }
        other => Err(unexpected(other)),
    }
}

/// `pulse backup --out FILE`.
pub async fn backup(args: BackupArgs) -> CliResult {
    let out = std::path::absolute(&args.out)?;
    match run_on_store(&args.data.data, Request::Backup { out: out.clone() }).await? {
        Reply::Backup(report) => {
            println!("wrote {} ({} bytes, {} responses)", out.display(), report.bytes, report.responses);
            Ok(())
        }
        other => Err(unexpected(other)),
    }
}
