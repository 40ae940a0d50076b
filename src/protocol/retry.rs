//! When an API call is tried again: throttling, server errors, timeouts and network failures are
//! retried after a capped, jittered exponential backoff, within a number of attempts and a total
//! deadline; every other error (a 4xx) is final. The caller reuses the same `ClientToken` on every
//! attempt, so a retried SendMessage never sends twice.

use super::backoff::{Backoff, Rng};
use super::error::ChatError;
use super::time::Millis;
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub backoff: Backoff,
    /// No attempt starts later than this after the first.
    pub deadline_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 4, backoff: Backoff { initial_ms: 200, max_ms: 5_000 }, deadline_ms: 20_000 }
    }
}

impl RetryPolicy {
    /// After attempt number `attempt` (1-based) failed with `error`, `elapsed` ms after the first
    /// attempt started: how long to wait before the next one, or `None` to give up.
    pub fn next_delay(&self, attempt: u32, elapsed: Millis, error: &ChatError, rng: &mut Rng) -> Option<u32> {
        if !error.retryable || attempt >= self.max_attempts {
            return None;
        }
        let delay = self.backoff.delay(attempt, rng);
        (elapsed + Millis::from(delay) <= Millis::from(self.deadline_ms)).then_some(delay)
    }
}

/// The attempts of one call under a policy, from the first: the shell makes the calls and sleeps, this
/// says whether and when to go on.
#[derive(Debug, Clone)]
pub struct Attempts {
    policy: RetryPolicy,
    started: Millis,
    attempt: u32,
}

impl Attempts {
    pub fn new(policy: RetryPolicy, now: Millis) -> Self {
        Attempts { policy, started: now, attempt: 1 }
    }

    /// Before each attempt: a session closed (or a chat ended) while the call waited to try again makes
    /// no more attempts.
    pub fn may_start(&self, session_alive: bool) -> Result<(), ChatError> {
        if self.attempt > 1 && !session_alive {
            return Err(ChatError::session_ended("the session was closed"));
        }
        Ok(())
    }

    /// The attempt failed with `error` at `now`: how long to wait before the next, or the error to give
    /// up with.
    pub fn failed(&mut self, now: Millis, error: ChatError, rng: &mut Rng) -> Result<u32, ChatError> {
        let delay = self.policy.next_delay(self.attempt, now - self.started, &error, rng).ok_or(error)?;
        self.attempt += 1;
        Ok(delay)
    }
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
