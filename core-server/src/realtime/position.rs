//! A place in the cluster's event stream: Redis stream entry ids
//! (`<ms>-<n>`), ordered as Redis orders them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The id of one entry of the cluster's event stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub ms: u64,
    pub n: u64,
}

/// Text that is not a stream entry id.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a stream entry id")]
pub struct BadPosition(String);

impl FromStr for Position {
    type Err = BadPosition;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadPosition(text.to_string());
        let (ms, n) = text.split_once('-').ok_or_else(bad)?;
        Ok(Position {
            ms: ms.parse().map_err(|_| bad())?,
            n: n.parse().map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.n)
    }
}

impl Serialize for Position {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_order_as_redis_orders_entry_ids() {
        let a: Position = "1700000000000-9".parse().expect("id");
        let b: Position = "1700000000000-10".parse().expect("id");
        let c: Position = "1700000000001-0".parse().expect("id");
        assert!(a < b && b < c);
        assert_eq!(b.to_string(), "1700000000000-10");
    }

    #[test]
    fn other_text_is_refused() {
        for text in ["", "12", "a-1", "1-b", "1-2-3"] {
            assert!(text.parse::<Position>().is_err(), "{text}");
        }
    }
}
