use std::process::ExitCode;

use clap::Parser;
use pulse_ingest::cli;
use pulse_ingest::config::{AdminCommand, Cli, Command, ServeArgs, SurveyCommand, TokenCommand};
use pulse_ingest::control::who;
use pulse_ingest::store::Grant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        // Colour only for a person at a terminal, never escape codes in a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let result = match Cli::parse().command.unwrap_or_else(|| Command::Serve(ServeArgs::from_env())) {
        Command::Serve(args) => pulse_ingest::serve(args).await,
        Command::Admin { command } => match command {
            AdminCommand::Token { command: TokenCommand::Create { data, name, role, contexts, expires } } => {
                cli::token_create(&data.data, pulse_ingest::admin::NewToken { name, role, contexts, expires }).await
            }
            AdminCommand::Token { command: TokenCommand::List(data) } => cli::admins(&data.data, true).await,
            AdminCommand::Token { command: TokenCommand::Revoke { data, name } } => {
                cli::token_revoke(&data.data, name).await
            }
            AdminCommand::Allow { data, who: w, role, contexts } => {
                cli::grant(&data.data, Grant { who: who(w.email, w.group), role, contexts }, false).await
            }
            AdminCommand::Disallow { data, who: w } => {
                let grant =
                    Grant { who: who(w.email, w.group), role: pulse_ingest::access::Role::Viewer, contexts: vec![] };
                cli::grant(&data.data, grant, true).await
            }
            AdminCommand::List(data) => cli::admins(&data.data, false).await,
        },
        Command::Audit(args) => cli::audit(args).await,
        Command::Export(args) => pulse_ingest::cli::export(args).await,
        Command::Survey { command: SurveyCommand::List(args) } => pulse_ingest::cli::list(&args.data).await,
        Command::Survey { command: SurveyCommand::Import { data, file } } => {
            pulse_ingest::cli::import(&data.data, &file).await
        }
        Command::Wave { command } => pulse_ingest::cli::wave(command).await,
        Command::Check(args) => pulse_ingest::cli::check(&args.data).await,
        Command::Backup(args) => pulse_ingest::cli::backup(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pulse: {e}");
            ExitCode::FAILURE
        }
    }
}
