//! Capped, jittered exponential backoff with a seeded generator, so tests can predict every delay.

/// A backoff policy: attempt `n` (1-based) waits a random time in `[d/2, d]` where
/// `d = min(max, initial * 2^(n-1))`. The jitter spreads many widgets reconnecting after one outage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub initial_ms: u32,
    pub max_ms: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { initial_ms: 500, max_ms: 30_000 }
    }
}

impl Backoff {
    /// The delay before attempt `attempt` (1-based).
    pub fn delay(&self, attempt: u32, rng: &mut Rng) -> u32 {
        let exp = attempt.saturating_sub(1).min(31);
        let ceiling = u64::from(self.initial_ms).saturating_mul(1u64 << exp).min(u64::from(self.max_ms));
        let ceiling = ceiling as u32; // at most max_ms, so it fits
        let half = ceiling / 2;
        half + rng.below(ceiling - half + 1)
    }
}

/// xorshift64*: tiny, fast and good enough for jitter. Not for anything secret.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // A zero state would stay zero forever.
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % u64::from(n)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_within_jitter_and_caps() {
        let b = Backoff { initial_ms: 1000, max_ms: 30_000 };
        let mut rng = Rng::new(7);
        for attempt in 1..=40 {
            let ceiling = (1000u64 << (attempt - 1).min(31)).min(30_000) as u32;
            for _ in 0..50 {
                let d = b.delay(attempt, &mut rng);
                assert!(d >= ceiling / 2 && d <= ceiling, "attempt {attempt}: {d} not in [{}, {ceiling}]", ceiling / 2);
            }
        }
        assert!(b.delay(u32::MAX, &mut rng) <= 30_000);
    }

    #[test]
    fn jitter_varies_and_is_reproducible() {
        let b = Backoff::default();
        let run = |seed| (0..20).map(|_| b.delay(6, &mut Rng::new(seed))).collect::<Vec<_>>();
        let mut rng = Rng::new(1);
        let spread: std::collections::HashSet<u32> = (0..20).map(|_| b.delay(6, &mut rng)).collect();
        assert!(spread.len() > 10);
        assert_eq!(run(3), run(3));
        assert_eq!(Backoff { initial_ms: 0, max_ms: 0 }.delay(3, &mut rng), 0);
    }
}
