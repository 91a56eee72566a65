//! Request rate limiting: a token bucket per client address, refilled at
//! `rate_limit_per_second` up to `rate_limit_burst`. Off when the rate is 0.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// What a check decided, with what the `X-RateLimit-*` headers report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Requests allowed in a burst.
    pub limit: u32,
    /// Requests left now.
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_seconds: u64,
    /// When refused: seconds until one request is allowed.
    pub retry_after_seconds: u64,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Per-key token buckets.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

/// Keys kept before idle ones are swept, so the map cannot grow without bound.
const SWEEP_AT: usize = 100_000;

impl RateLimiter {
    /// A limiter; `per_second == 0` disables it.
    pub fn new(per_second: u32, burst: u32) -> Self {
        RateLimiter {
            per_second: f64::from(per_second),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// A limiter of `per_minute` events a key, all of which may come at
    /// once; 0 disables it.
    pub fn per_minute(per_minute: u32) -> Self {
        RateLimiter {
            per_second: f64::from(per_minute) / 60.0,
            burst: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// A limiter of `per_hour` events a key, refilled evenly, of which
    /// `burst` may come at once.
    pub fn per_hour(per_hour: u32, burst: u32) -> Self {
        RateLimiter {
            per_second: f64::from(per_hour) / 3600.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes `count` events from `key`'s bucket at once, or none of them
    /// when fewer are left (a batch is allowed whole or refused whole).
    pub fn take(&self, key: &str, count: u32) -> bool {
        self.take_at(key, count, Instant::now())
    }

    fn take_at(&self, key: &str, count: u32, now: Instant) -> bool {
        if !self.enabled() {
            return true;
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = self.refilled(&mut buckets, key, now);
        let wanted = f64::from(count);
        if bucket.tokens < wanted {
            return false;
        }
        bucket.tokens -= wanted;
        true
    }

    /// Whether `key` has an event left now, without using it (for limits
    /// that count only some outcomes, such as failed logins).
    pub fn has_room(&self, key: &str) -> bool {
        if !self.enabled() {
            return true;
        }
        let now = Instant::now();
        let buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        buckets.get(key).is_none_or(|b| {
            let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
            (b.tokens + elapsed * self.per_second).min(self.burst) >= 1.0
        })
    }

    /// Whether limiting is on.
    pub fn enabled(&self) -> bool {
        self.per_second > 0.0
    }

    /// Takes one request from `key`'s bucket.
    pub fn check(&self, key: &str) -> Decision {
        self.check_at(key, Instant::now())
    }

    /// `key`'s bucket, topped up for the time since it was last used (idle
    /// full buckets are swept first once there are many keys).
    fn refilled<'a>(
        &self,
        buckets: &'a mut HashMap<String, Bucket>,
        key: &str,
        now: Instant,
    ) -> &'a mut Bucket {
        if buckets.len() >= SWEEP_AT {
            let full_after = self.burst / self.per_second;
            buckets.retain(|_, b| now.duration_since(b.at).as_secs_f64() < full_after);
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.at = now;
        bucket
    }

    fn check_at(&self, key: &str, now: Instant) -> Decision {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = self.refilled(&mut buckets, key, now);
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        let missing = self.burst - bucket.tokens;
        Decision {
            allowed,
            limit: self.burst as u32,
            remaining: bucket.tokens.floor().max(0.0) as u32,
            reset_seconds: (missing / self.per_second).ceil() as u64,
            retry_after_seconds: if allowed {
                0
            } else {
                ((1.0 - bucket.tokens) / self.per_second).ceil().max(1.0) as u64
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_is_allowed_then_refused_then_refilled() {
        let limiter = RateLimiter::new(2, 3);
        let t0 = Instant::now();
        for left in [2, 1, 0] {
            let d = limiter.check_at("ip", t0);
            assert!(d.allowed);
            assert_eq!(d.remaining, left);
        }
        let refused = limiter.check_at("ip", t0);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after_seconds, 1);
        assert!(
            limiter.check_at("other", t0).allowed,
            "keys are independent"
        );
        let later = limiter.check_at("ip", t0 + Duration::from_millis(600));
        assert!(later.allowed, "half a second refills one request at 2/s");
        assert_eq!(later.limit, 3);
    }

    #[test]
    fn room_is_seen_without_being_used() {
        let limiter = RateLimiter::per_minute(2);
        assert!(limiter.has_room("ip"));
        assert!(limiter.has_room("ip"), "looking takes nothing");
        limiter.check("ip");
        limiter.check("ip");
        assert!(!limiter.has_room("ip"));
        assert!(limiter.has_room("other"));
        assert!(RateLimiter::per_minute(0).has_room("ip"), "off");
    }

    #[test]
    fn batches_are_taken_whole_or_not_at_all() {
        let limiter = RateLimiter::per_hour(20, 21);
        let t0 = Instant::now();
        assert!(limiter.take_at("sender", 21, t0), "a full burst at once");
        assert!(!limiter.take_at("sender", 1, t0), "then nothing is left");
        assert!(limiter.take_at("other", 20, t0), "keys are independent");
        assert!(!limiter.take_at("other", 2, t0), "one left is not two");
        assert!(
            limiter.take_at("other", 1, t0),
            "a refused batch took nothing"
        );
        let later = t0 + Duration::from_secs(180);
        assert!(
            limiter.take_at("sender", 1, later),
            "20 an hour: one per 3 minutes"
        );
        assert!(!limiter.take_at("sender", 1, later));
        assert!(RateLimiter::per_hour(0, 5).take("off", 1_000));
    }

    #[test]
    fn zero_rate_means_off() {
        assert!(!RateLimiter::new(0, 10).enabled());
        assert!(RateLimiter::new(5, 10).enabled());
    }
}
