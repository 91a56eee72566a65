//! Message and search text: words drawn from a fixed list, so searches find
//! posts. Lengths follow load-test-ng: uniform word counts with a mean of 35
//! words for a post and 24 for a reply.

use rand::Rng;

const WORDS: &[&str] = &[
    "about", "account", "after", "again", "agenda", "alert", "answer", "api", "approve", "backup",
    "before", "branch", "budget", "build", "call", "change", "chart", "check", "client", "cluster",
    "code", "coffee", "config", "customer", "daily", "data", "deadline", "debug", "deploy",
    "design", "docs", "draft", "error", "estimate", "event", "feature", "feedback", "file", "fix",
    "follow", "friday", "goal", "great", "help", "idea", "issue", "later", "launch", "lunch",
    "meeting", "merge", "metrics", "monday", "morning", "network", "next", "note", "office",
    "option", "order", "outage", "plan", "please", "point", "priority", "project", "question",
    "quick", "release", "report", "request", "review", "roadmap", "sales", "schedule", "server",
    "service", "ship", "slides", "soon", "sprint", "status", "support", "sync", "team", "test",
    "thanks", "ticket", "today", "tomorrow", "update", "user", "version", "weekly", "working",
];

const EMOJIS: &[&str] = &["+1", "tada", "point_up", "raised_hands"];

pub(super) fn word(rng: &mut impl Rng) -> &'static str {
    WORDS[rng.gen_range(0..WORDS.len())]
}

/// A post's message: 1 to 69 words (mean 35), or 1 to 47 for a reply (mean 24).
pub(super) fn message(reply: bool, rng: &mut impl Rng) -> String {
    let mean = if reply { 24 } else { 35 };
    let count = rng.gen_range(1..2 * mean);
    let mut text = String::with_capacity(count * 8);
    for i in 0..count {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(word(rng));
    }
    text.push('.');
    text
}

/// Search terms: one to four words, as load-test-ng searches.
pub(super) fn search_terms(rng: &mut impl Rng) -> String {
    let count = rng.gen_range(1..=4);
    (0..count).map(|_| word(rng)).collect::<Vec<_>>().join(" ")
}

pub(super) fn emoji(rng: &mut impl Rng) -> &'static str {
    EMOJIS[rng.gen_range(0..EMOJIS.len())]
}
