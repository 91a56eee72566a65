//! Tables as column lists, and the statement text built from them, so no
//! statement spells out `$1, $2, …` or a column list by hand. Dialect-neutral:
//! every statement built here runs unchanged on SQLite and PostgreSQL.

/// A table and its columns, in the order its record binds them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table {
    /// The table written to.
    pub name: &'static str,
    /// What reads select from: the table itself, or a view over it (the
    /// channels are read through `channel_view`, which adds counter shards).
    pub source: &'static str,
    pub columns: &'static [&'static str],
}

impl Table {
    /// `a, b, c`.
    pub fn columns(&self) -> String {
        self.columns.join(", ")
    }

    /// The columns qualified by a table alias: `t.a, t.b`.
    pub fn columns_of(&self, alias: &str) -> String {
        self.map_columns(|c| format!("{alias}.{c}"))
    }

    /// `SELECT <columns> FROM <source>`; a `WHERE …` follows.
    pub fn select(&self) -> String {
        format!("SELECT {} FROM {}", self.columns(), self.source)
    }

    /// `INSERT INTO <name> (<columns>) VALUES ($1, …, $n)`.
    pub fn insert(&self) -> String {
        self.insert_with(&[])
    }

    /// An insert of the columns and then of `extra` columns that are not
    /// part of the record (bound after it, in order).
    pub fn insert_with(&self, extra: &[&str]) -> String {
        let count = self.columns.len() + extra.len();
        let values = (1..=count)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut columns = self.columns();
        for column in extra {
            columns.push_str(", ");
            columns.push_str(column);
        }
        format!("INSERT INTO {} ({columns}) VALUES ({values})", self.name)
    }

    /// An insert that, when a row with the same `keys` exists, overwrites
    /// its `set` columns instead (does nothing when `set` is empty).
    pub fn upsert(&self, keys: &str, set: &[&str]) -> String {
        format!("{} {}", self.insert(), on_conflict(keys, set))
    }

    /// `UPDATE … SET` of the `set` columns of the row matching every `keys`
    /// column. The record is bound whole, in column order, so each column is
    /// its own position (`$i`); those the statement does not name are ignored.
    pub fn update(&self, keys: &[&str], set: &[&str]) -> String {
        let assign = |cols: &[&str], sep: &str| {
            cols.iter()
                .map(|c| format!("{c} = ${}", self.position(c)))
                .collect::<Vec<_>>()
                .join(sep)
        };
        format!(
            "UPDATE {} SET {} WHERE {}",
            self.name,
            assign(set, ", "),
            assign(keys, " AND ")
        )
    }

    /// The 1-based parameter number of a column. A name that is not a column
    /// gives `$0`, which every database refuses: a statement cannot silently
    /// bind the wrong value.
    fn position(&self, column: &str) -> usize {
        self.columns
            .iter()
            .position(|c| *c == column)
            .map_or(0, |i| i + 1)
    }

    fn map_columns(&self, f: impl Fn(&str) -> String) -> String {
        self.columns
            .iter()
            .map(|c| f(c))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `ON CONFLICT (<keys>) DO UPDATE SET c = excluded.c, …`, or `DO NOTHING`.
pub(crate) fn on_conflict(keys: &str, set: &[&str]) -> String {
    if set.is_empty() {
        return format!("ON CONFLICT ({keys}) DO NOTHING");
    }
    let set = set
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("ON CONFLICT ({keys}) DO UPDATE SET {set}")
}

/// A `LIKE` pattern matching `text` literally (its `%`, `_` and `\` escaped,
/// for `ESCAPE '\'`), with `before` and `after` around it (`%` or nothing).
pub(crate) fn like_pattern(before: &str, text: &str, after: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{before}{escaped}{after}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Table = Table {
        name: "t",
        source: "t_view",
        columns: &["id", "a", "b"],
    };

    #[test]
    fn statements_number_parameters_by_column() {
        assert_eq!(T.select(), "SELECT id, a, b FROM t_view");
        assert_eq!(T.insert(), "INSERT INTO t (id, a, b) VALUES ($1, $2, $3)");
        assert_eq!(
            T.insert_with(&["c"]),
            "INSERT INTO t (id, a, b, c) VALUES ($1, $2, $3, $4)"
        );
        assert_eq!(
            T.update(&["id"], &["b"]),
            "UPDATE t SET b = $3 WHERE id = $1"
        );
        assert_eq!(
            T.update(&["id", "a"], &["b"]),
            "UPDATE t SET b = $3 WHERE id = $1 AND a = $2"
        );
        assert_eq!(
            T.update(&["id"], &["nope"]),
            "UPDATE t SET nope = $0 WHERE id = $1"
        );
    }

    #[test]
    fn upserts_overwrite_the_named_columns_or_nothing() {
        assert_eq!(
            T.upsert("id", &["a", "b"]),
            "INSERT INTO t (id, a, b) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET a = excluded.a, b = excluded.b"
        );
        assert!(T.upsert("id", &[]).ends_with("ON CONFLICT (id) DO NOTHING"));
    }

    #[test]
    fn columns_can_be_qualified() {
        assert_eq!(T.columns_of("x"), "x.id, x.a, x.b");
    }

    #[test]
    fn like_patterns_match_wildcards_literally() {
        assert_eq!(like_pattern("%", "50%_a\\b", "%"), "%50\\%\\_a\\\\b%");
        assert_eq!(like_pattern("", "ab", "%"), "ab%");
    }
}
