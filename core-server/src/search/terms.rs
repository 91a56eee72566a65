//! What a search looks for, and how each search index is asked for it.
//!
//! Both database indexes see a message as its words: runs of letters and
//! digits, case-folded (SQLite's `unicode61` tokenizer, PostgreSQL's `simple`
//! configuration over the message with everything else made a space). A term
//! typed with other characters (`#release`, `@alice`, `100%`, a phrase) is
//! found through its words and then checked against the message as typed, so
//! the index narrows and the check keeps the answer exact.

/// How a term matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// The whole word (or words, in order, when it holds punctuation).
    Word,
    /// A word beginning with the term (`deploy*`).
    Prefix,
    /// Words next to each other in this order (`"release notes"`).
    Phrase,
}

/// One thing a result must, or must not, contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm {
    /// Lower-case, as typed, without quotes or the trailing `*`.
    pub text: String,
    pub kind: TermKind,
}

impl SearchTerm {
    pub fn word(text: impl Into<String>) -> Self {
        SearchTerm {
            text: text.into(),
            kind: TermKind::Word,
        }
    }

    pub fn prefix(text: impl Into<String>) -> Self {
        SearchTerm {
            text: text.into(),
            kind: TermKind::Prefix,
        }
    }

    pub fn phrase(text: impl Into<String>) -> Self {
        SearchTerm {
            text: text.into(),
            kind: TermKind::Phrase,
        }
    }

    /// The indexed words of the term, in order.
    pub fn words(&self) -> Vec<&str> {
        self.text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// Whether a message must also contain the term as typed: when the term
    /// is more than one plain word, the index finds its words but not what
    /// stands between them.
    pub fn needs_text_check(&self) -> bool {
        !matches!(self.words().as_slice(), [only] if *only == self.text)
    }

    /// The term as an FTS5 query: one quoted phrase of its words (FTS5
    /// tokenizes inside the quotes again, the same way as the messages).
    pub fn fts5(&self) -> Option<String> {
        let words = self.words();
        if words.is_empty() {
            return None;
        }
        let star = if self.kind == TermKind::Prefix {
            "*"
        } else {
            ""
        };
        Some(format!("\"{}\"{star}", words.join(" ")))
    }

    /// The term as a PostgreSQL `tsquery`: its words in sequence.
    pub fn tsquery(&self) -> Option<String> {
        let words = self.words();
        let last = words.len().checked_sub(1)?;
        let star = if self.kind == TermKind::Prefix {
            ":*"
        } else {
            ""
        };
        let parts: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let w = w.replace('\'', "''").replace('\\', "\\\\");
                if i == last {
                    format!("'{w}'{star}")
                } else {
                    format!("'{w}'")
                }
            })
            .collect();
        Some(parts.join(" <-> "))
    }
}

/// A message's words as a PostgreSQL `tsvector` literal: what
/// `post_search_vector` (see the migrations) computes from it, without the
/// database's parser. Bulk writes send it so the database only stores it.
/// As PostgreSQL does, words of 2,047 bytes or more are left out, positions
/// stop at 16,383 and a word keeps at most 255 of them.
pub fn tsvector_literal(message: &str) -> String {
    use std::collections::BTreeMap;
    const MAX_WORD_BYTES: usize = 2047;
    const MAX_POSITION: u32 = 16_383;
    const MAX_POSITIONS: usize = 255;
    let mut lexemes: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let words = message
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() < MAX_WORD_BYTES);
    for (i, word) in words.enumerate() {
        // Letter by letter, as the database lower-cases (no final-sigma rule).
        let lower: String = word.chars().flat_map(char::to_lowercase).collect();
        let position = u32::try_from(i + 1)
            .unwrap_or(MAX_POSITION)
            .min(MAX_POSITION);
        let positions = lexemes.entry(lower).or_default();
        if positions.len() < MAX_POSITIONS && positions.last() != Some(&position) {
            positions.push(position);
        }
    }
    let mut out = String::new();
    for (lexeme, positions) in &lexemes {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('\'');
        out.push_str(lexeme);
        out.push_str("':");
        let list: Vec<String> = positions.iter().map(u32::to_string).collect();
        out.push_str(&list.join(","));
    }
    out
}

/// The query language of a full-text index, for combining terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexLanguage {
    /// SQLite FTS5's `MATCH` syntax.
    Fts5,
    /// PostgreSQL's `tsquery` syntax.
    TsQuery,
}

impl IndexLanguage {
    /// One term, or `None` when it has no indexed word.
    pub fn term(self, term: &SearchTerm) -> Option<String> {
        match self {
            IndexLanguage::Fts5 => term.fts5(),
            IndexLanguage::TsQuery => term.tsquery(),
        }
    }

    fn join(self, parts: &[String], fts5: &str, tsquery: &str) -> String {
        let op = match self {
            IndexLanguage::Fts5 => fts5,
            IndexLanguage::TsQuery => tsquery,
        };
        let wrapped: Vec<String> = parts.iter().map(|p| format!("({p})")).collect();
        wrapped.join(op)
    }

    /// Every one of `parts`.
    pub fn all(self, parts: &[String]) -> String {
        self.join(parts, " AND ", " & ")
    }

    /// Any one of `parts`.
    pub fn any(self, parts: &[String]) -> String {
        self.join(parts, " OR ", " | ")
    }

    /// `wanted`, without anything that has one of `unwanted`.
    pub fn without(self, wanted: String, unwanted: &[String]) -> String {
        let unwanted = self.any(unwanted);
        match self {
            IndexLanguage::Fts5 => format!("({wanted}) NOT ({unwanted})"),
            IndexLanguage::TsQuery => format!("({wanted}) & !({unwanted})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(SearchTerm::word("#release-2").words(), vec!["release", "2"]);
        assert_eq!(SearchTerm::word("café").words(), vec!["café"]);
        assert!(SearchTerm::word("%%").words().is_empty());
    }

    #[test]
    fn a_tsvector_literal_lists_each_word_with_its_positions() {
        assert_eq!(
            tsvector_literal("Ship it, ship IT now: 100% done_ish"),
            "'100':6 'done':7 'ish':8 'it':2,4 'now':5 'ship':1,3"
        );
        assert_eq!(tsvector_literal("...!"), "");
    }

    #[test]
    fn only_plain_words_skip_the_text_check() {
        assert!(!SearchTerm::word("deploy").needs_text_check());
        assert!(!SearchTerm::prefix("depl").needs_text_check());
        assert!(SearchTerm::word("@alice").needs_text_check());
        assert!(SearchTerm::word("100%").needs_text_check());
        assert!(SearchTerm::phrase("release notes").needs_text_check());
    }

    #[test]
    fn index_queries_quote_every_word() {
        let phrase = SearchTerm::phrase("release notes");
        assert_eq!(phrase.fts5().as_deref(), Some("\"release notes\""));
        assert_eq!(phrase.tsquery().as_deref(), Some("'release' <-> 'notes'"));
        let prefix = SearchTerm::prefix("depl");
        assert_eq!(prefix.fts5().as_deref(), Some("\"depl\"*"));
        assert_eq!(prefix.tsquery().as_deref(), Some("'depl':*"));
        assert_eq!(SearchTerm::word("!!").fts5(), None);
        assert_eq!(SearchTerm::word("!!").tsquery(), None);
    }

    #[test]
    fn languages_combine_terms_with_their_own_operators() {
        let parts = vec!["\"a\"".to_string(), "\"b\"*".to_string()];
        let fts = IndexLanguage::Fts5;
        assert_eq!(fts.all(&parts), "(\"a\") AND (\"b\"*)");
        assert_eq!(
            fts.without(fts.any(&parts), &["\"c\"".into()]),
            "((\"a\") OR (\"b\"*)) NOT ((\"c\"))"
        );
        let ts = IndexLanguage::TsQuery;
        assert_eq!(ts.all(&["'a'".into(), "'b'".into()]), "('a') & ('b')");
        assert_eq!(
            ts.without("'a'".into(), &["'c'".into()]),
            "('a') & !(('c'))"
        );
    }
}
