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
    /// Item faults every new contact starts with (probabilities).
    pub duplicate_rate: f64,
    pub reorder_rate: f64,
    /// The first `fail_connections` CreateParticipantConnection calls fail with `fail_status`.
    pub fail_connections: u32,
    pub fail_status: u16,
    /// A connection that has not sent a request's complete headers within this long is closed, so a
    /// slow client (slowloris) cannot hold connections open. Also closes idle keep-alive connections.
    /// Not a flag: tests shorten it.
    pub header_read_timeout: Duration,
    /// WebSockets one participant may have open at once (the service documents 5); 0 means no limit.
    pub max_sockets_per_participant: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8787,
            static_dir: None,
            websocket_url_ttl: Duration::from_secs(100),
            connection_token_ttl: Duration::from_secs(86_400),
            seed: 1,
            duplicate_rate: 0.0,
            reorder_rate: 0.0,
            fail_connections: 0,
            fail_status: 429,
            header_read_timeout: Duration::from_secs(10),
            max_sockets_per_participant: crate::socket_limit::DEFAULT,
        }
    }
}

pub const USAGE: &str = "\
connect-emulator: a local Amazon Connect Participant Service

usage: connect-emulator [--port PORT] [--static DIR] [--websocket-url-ttl SECONDS]
                        [--connection-token-ttl SECONDS] [--seed N] [--duplicate-rate P]
                        [--reorder-rate P] [--fail-connections N] [--fail-status CODE]
                        [--max-sockets-per-participant N]

  --port PORT                     listen on 127.0.0.1:PORT (default 8787; 0 picks a free port)
  --static DIR                    also serve the files under DIR (the demo)
  --websocket-url-ttl SECONDS     lifetime of WebSocket URLs (default 100)
  --connection-token-ttl SECONDS  lifetime of ConnectionTokens (default 86400)
  --seed N                        seed for fault injection (default 1)
  --duplicate-rate P              send each item twice with probability P (0..1)
  --reorder-rate P                hold an item back behind the next with probability P (0..1)
  --fail-connections N            refuse the first N CreateParticipantConnection calls
  --fail-status CODE              ... with this status: 429 (default) or 5xx
  --max-sockets-per-participant N refuse a participant's WebSocket past N open ones
                                  (default 5, as the service documents; 0 = no limit)

Faults can also be set at run time through the control API (/emulator/faults/...).
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
        let mut value =
            |name: &str| inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--port" => {
                let v = value("--port")?;
                config.port = v.parse().map_err(|_| format!("--port: not a port number: {v}"))?;
            }
            "--static" => config.static_dir = Some(PathBuf::from(value("--static")?)),
            "--websocket-url-ttl" => {
                config.websocket_url_ttl = seconds("--websocket-url-ttl", &value("--websocket-url-ttl")?)?
            }
            "--connection-token-ttl" => {
                config.connection_token_ttl = seconds("--connection-token-ttl", &value("--connection-token-ttl")?)?
            }
            "--seed" => {
                let v = value("--seed")?;
                config.seed = v.parse().map_err(|_| format!("--seed: not a number: {v}"))?;
            }
            "--duplicate-rate" => config.duplicate_rate = rate("--duplicate-rate", &value("--duplicate-rate")?)?,
            "--reorder-rate" => config.reorder_rate = rate("--reorder-rate", &value("--reorder-rate")?)?,
            "--fail-connections" => {
                let v = value("--fail-connections")?;
                config.fail_connections = v.parse().map_err(|_| format!("--fail-connections: not a count: {v}"))?;
            }
            "--fail-status" => {
                let v = value("--fail-status")?;
                match v.parse::<u16>() {
                    Ok(s @ (429 | 500..=599)) => config.fail_status = s,
                    _ => return Err(format!("--fail-status: expected 429 or 5xx, got {v}")),
                }
            }
            "--max-sockets-per-participant" => {
                let v = value("--max-sockets-per-participant")?;
                config.max_sockets_per_participant =
                    v.parse().map_err(|_| format!("--max-sockets-per-participant: not a count: {v}"))?;
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Command::Run(config))
}

fn rate(flag: &str, v: &str) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{flag}: expected a probability from 0 to 1, got {v}")),
    }
}

fn seconds(flag: &str, v: &str) -> Result<Duration, String> {
    match v.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Duration::from_secs_f64(s)),
        _ => Err(format!("{flag}: expected a positive number of seconds, got {v}")),
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
        let Ok(Command::Run(c)) =
            run(&["--port", "0", "--static", "www", "--websocket-url-ttl=2.5", "--connection-token-ttl", "30"])
        else {
            panic!()
        };
        assert_eq!(c.port, 0);
        assert_eq!(c.static_dir, Some(PathBuf::from("www")));
        assert_eq!(c.websocket_url_ttl, Duration::from_millis(2500));
        assert_eq!(c.connection_token_ttl, Duration::from_secs(30));
        assert_eq!(run(&["--help"]), Ok(Command::Help));
        let Ok(Command::Run(c)) =
            run(&["--duplicate-rate", "0.1", "--reorder-rate=0.2", "--fail-connections", "3", "--fail-status", "503"])
        else {
            panic!()
        };
        assert_eq!((c.duplicate_rate, c.reorder_rate, c.fail_connections, c.fail_status), (0.1, 0.2, 3, 503));
        assert_eq!(Config::default().max_sockets_per_participant, 5, "the service's number");
        let Ok(Command::Run(c)) = run(&["--max-sockets-per-participant", "1"]) else { panic!() };
        assert_eq!(c.max_sockets_per_participant, 1);
        let Ok(Command::Run(c)) = run(&["--max-sockets-per-participant=0"]) else { panic!() };
        assert_eq!(c.max_sockets_per_participant, 0);
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
            &["--duplicate-rate", "2"],
            &["--fail-status", "404"],
            &["--max-sockets-per-participant", "-1"],
            &["--max-sockets-per-participant", "two"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
    }
}
