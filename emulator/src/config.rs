//! Command-line flags (contract, section 3). Parsed by hand: six flags do not need a parser crate.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub port: u16,
    pub static_dir: Option<PathBuf>,
    /// Lifetime of a WebSocket URL (`ConnectionExpiry`); the service documents 100 s.
    pub websocket_url_ttl: Duration,
    /// Lifetime of a ConnectionToken (`Expiry`); the service documents one day.
    pub connection_token_ttl: Duration,
    /// Seed of the fault injector's random choices, so a chaos run can be replayed.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8787,
            static_dir: None,
            websocket_url_ttl: Duration::from_secs(100),
            connection_token_ttl: Duration::from_secs(86_400),
            seed: 1,
        }
    }
}

pub const USAGE: &str = "\
connect-emulator: a local Amazon Connect Participant Service

usage: connect-emulator [--port PORT] [--static DIR] [--websocket-url-ttl SECONDS]
                        [--connection-token-ttl SECONDS] [--seed N]

  --port PORT                     listen on 127.0.0.1:PORT (default 8787; 0 picks a free port)
  --static DIR                    also serve the files under DIR (the demo)
  --websocket-url-ttl SECONDS     lifetime of WebSocket URLs (default 100)
  --connection-token-ttl SECONDS  lifetime of ConnectionTokens (default 86400)
  --seed N                        seed for fault injection (default 1)
  --help                          this text

When ready it prints one line: listening on http://127.0.0.1:PORT";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Command {
    Run(Config),
    Help,
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--port" => {
                let v = value("--port")?;
                config.port = v
                    .parse()
                    .map_err(|_| format!("--port: not a port number: {v}"))?;
            }
            "--static" => config.static_dir = Some(PathBuf::from(value("--static")?)),
            "--websocket-url-ttl" => {
                config.websocket_url_ttl =
                    seconds("--websocket-url-ttl", &value("--websocket-url-ttl")?)?
            }
            "--connection-token-ttl" => {
                config.connection_token_ttl =
                    seconds("--connection-token-ttl", &value("--connection-token-ttl")?)?
            }
            "--seed" => {
                let v = value("--seed")?;
                config.seed = v
                    .parse()
                    .map_err(|_| format!("--seed: not a number: {v}"))?;
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Command::Run(config))
}

fn seconds(flag: &str, v: &str) -> Result<Duration, String> {
    match v.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Duration::from_secs_f64(s)),
        _ => Err(format!(
            "{flag}: expected a positive number of seconds, got {v}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_and_flags() {
        assert_eq!(run(&[]), Ok(Command::Run(Config::default())));
        let Ok(Command::Run(c)) = run(&[
            "--port",
            "0",
            "--static",
            "www",
            "--websocket-url-ttl=2.5",
            "--connection-token-ttl",
            "30",
        ]) else {
            panic!()
        };
        assert_eq!(c.port, 0);
        assert_eq!(c.static_dir, Some(PathBuf::from("www")));
        assert_eq!(c.websocket_url_ttl, Duration::from_millis(2500));
        assert_eq!(c.connection_token_ttl, Duration::from_secs(30));
        assert_eq!(run(&["--help"]), Ok(Command::Help));
    }

    #[test]
    fn bad_flags_are_errors() {
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--port", "70000"],
            &["--websocket-url-ttl", "0"],
            &["--websocket-url-ttl", "-1"],
            &["--frobnicate"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
    }
}
