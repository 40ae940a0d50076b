//! `connect-emulator`: see `config::USAGE`.

use connect_emulator::config::{self, Command};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let config = match config::parse(std::env::args().skip(1)) {
        Ok(Command::Run(c)) => c,
        Ok(Command::Help) => {
            println!("{}", config::USAGE);
            return;
        }
        Err(e) => {
            eprintln!("connect-emulator: {e}\n\n{}", config::USAGE);
            std::process::exit(2);
        }
    };
    let running = match connect_emulator::start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("connect-emulator: cannot listen: {e}");
            std::process::exit(1);
        }
    };
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{}", running.addr);
        let _ = out.flush();
    }
    shutdown_signal().await;
    running.stop().await;
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
