//! Values kept as JSON text in one column (props, notify props, timezones,
//! file id lists, job data). Only the store writes them, so text that does not
//! parse means corruption, and reads fall back to an empty value rather than
//! failing every request that touches the row.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::StringMap;

/// A model value stored as JSON text.
pub(crate) trait JsonColumn: Serialize + DeserializeOwned + Default {
    /// The value a column holds; empty when the text is not valid.
    fn from_column(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }
}

impl JsonColumn for StringMap {}

impl JsonColumn for Vec<String> {}

impl JsonColumn for Vec<crate::model::AgentSkill> {}

/// Props documents are always objects.
impl JsonColumn for serde_json::Value {
    fn from_column(text: &str) -> Self {
        match serde_json::from_str(text) {
            Ok(v @ serde_json::Value::Object(_)) => v,
            _ => serde_json::Value::Object(Default::default()),
        }
    }
}

/// The text a JSON column stores for a value.
pub(crate) fn to_column<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_columns_read_as_empty_values() {
        assert!(StringMap::from_column("not json").is_empty());
        assert!(Vec::<String>::from_column("{}").is_empty());
        assert_eq!(serde_json::Value::from_column("[1]"), serde_json::json!({}));
    }

    #[test]
    fn values_round_trip() {
        let map = StringMap::from([("a".to_string(), "b".to_string())]);
        assert_eq!(StringMap::from_column(&to_column(&map)), map);
        let props = serde_json::json!({"k": [1, 2]});
        assert_eq!(serde_json::Value::from_column(&to_column(&props)), props);
    }
}
