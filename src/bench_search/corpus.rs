//! `rustchat bench search-file`: a Mattermost bulk file whose messages are
//! drawn from a large vocabulary with Zipf-like word frequencies, and the
//! exact answers of the benchmark's searches over it.
//!
//! Layout as `bench bulk-file` (one team, channels posted into in turn, every
//! fifth root post with replies); `user0` has a password and searches.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The searcher's password in the generated file.
pub const SEARCHER_PASSWORD: &str = "bench-search-password";
/// Results of the first page the benchmark asks for.
pub const PAGE: usize = 60;

#[derive(clap::Args)]
pub struct SearchFileArgs {
    /// The .jsonl to write.
    #[arg(long)]
    out: PathBuf,
    /// Where to write the searches and their exact answers (JSON).
    #[arg(long)]
    expect: PathBuf,
    /// Posts in all, replies included.
    #[arg(long, default_value_t = 1_000_000)]
    posts: u64,
    /// Distinct words.
    #[arg(long, default_value_t = 50_000)]
    words: usize,
    #[arg(long, default_value_t = 50)]
    channels: u64,
    #[arg(long, default_value_t = 200)]
    users: u64,
    /// Seed of the generator: the same seed writes the same file.
    #[arg(long, default_value_t = 20)]
    seed: u64,
}

/// One benchmark search and what it must find.
#[derive(Serialize, Deserialize)]
pub struct ExpectedSearch {
    /// What the search stands for ("rare word", …).
    pub name: String,
    pub terms: String,
    /// Whether the timing is held to the selective target.
    pub selective: bool,
    /// Every matching post's `create_at`, newest first, for selective
    /// searches; the first page only for the others.
    pub newest: Vec<i64>,
    /// How many posts match.
    pub total: u64,
}

#[derive(Serialize, Deserialize)]
pub struct Expectations {
    pub team: String,
    pub searcher: String,
    pub password: String,
    pub posts: u64,
    pub searches: Vec<ExpectedSearch>,
}

/// Distinct pronounceable words.
fn vocabulary(rng: &mut StdRng, size: usize) -> Vec<String> {
    const CONSONANTS: &[u8] = b"bcdfghjklmnprstvwz";
    const VOWELS: &[u8] = b"aeiou";
    let mut seen = HashSet::new();
    let mut words = Vec::with_capacity(size);
    while words.len() < size {
        let syllables = rng.gen_range(2..=4);
        let mut w = String::new();
        for _ in 0..syllables {
            w.push(char::from(CONSONANTS[rng.gen_range(0..CONSONANTS.len())]));
            w.push(char::from(VOWELS[rng.gen_range(0..VOWELS.len())]));
        }
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

/// Word ranks drawn with probability proportional to 1 / (rank + 1).
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|r| {
                total += 1.0 / r as f64;
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.gen::<f64>() * total;
        self.cumulative
            .partition_point(|c| *c < x)
            .min(self.cumulative.len() - 1)
    }
}

/// A search being answered while the file is written.
struct Tracked {
    name: &'static str,
    terms: String,
    selective: bool,
    /// Every word, in order when `phrase`.
    words: Vec<usize>,
    phrase: bool,
    author: Option<u64>,
    channel: Option<u64>,
    hits: Vec<i64>,
}

impl Tracked {
    fn matches(&self, ranks: &[usize], author: u64, channel: u64) -> bool {
        if self.author.is_some_and(|a| a != author) || self.channel.is_some_and(|c| c != channel) {
            return false;
        }
        if self.phrase {
            ranks
                .windows(self.words.len())
                .any(|w| w == self.words.as_slice())
        } else {
            self.words.iter().all(|w| ranks.contains(w))
        }
    }
}

pub fn write(args: &SearchFileArgs) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(args.seed);
    let words = vocabulary(&mut rng, args.words.max(1_000));
    let zipf = Zipf::new(words.len());
    let channels = args.channels.max(1);
    let users = args.users.max(8);
    // Ranks chosen so each search finds a few dozen posts in a million,
    // except the last: the most common word.
    let rare = words.len() * 4 / 5;
    let mut tracked = vec![
        Tracked {
            name: "rare word",
            terms: words[rare].clone(),
            selective: true,
            words: vec![rare],
            phrase: false,
            author: None,
            channel: None,
            hits: Vec::new(),
        },
        Tracked {
            name: "word from: one user",
            terms: format!("from:user7 {}", words[600]),
            selective: true,
            words: vec![600],
            phrase: false,
            author: Some(7),
            channel: None,
            hits: Vec::new(),
        },
        Tracked {
            name: "word in: one channel",
            terms: format!("in:channel-5 {}", words[2_000]),
            selective: true,
            words: vec![2_000],
            phrase: false,
            author: None,
            channel: Some(5),
            hits: Vec::new(),
        },
        Tracked {
            name: "quoted phrase",
            terms: format!("\"{} {}\"", words[40], words[45]),
            selective: true,
            words: vec![40, 45],
            phrase: true,
            author: None,
            channel: None,
            hits: Vec::new(),
        },
        Tracked {
            name: "most common word",
            terms: words[0].clone(),
            selective: false,
            words: vec![0],
            phrase: false,
            author: None,
            channel: None,
            hits: Vec::new(),
        },
    ];

    let mut out = crate::bench_bulk::BulkWriter::create(&args.out)?;
    // `user0` searches: the one account with a password.
    out.workspace(channels, users, Some(SEARCHER_PASSWORD))?;

    let mut message = |rng: &mut StdRng, at: i64, author: u64, channel: u64| -> String {
        let n = rng.gen_range(4..=20);
        let ranks: Vec<usize> = (0..n).map(|_| zipf.sample(rng)).collect();
        for t in tracked.iter_mut() {
            if t.matches(&ranks, author, channel) {
                t.hits.push(at);
            }
        }
        let mut text = String::new();
        for (i, r) in ranks.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let w = &words[*r];
            if i == 0 {
                let mut chars = w.chars();
                if let Some(first) = chars.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(chars.as_str());
                }
            } else {
                text.push_str(w);
            }
        }
        text.push('.');
        text
    };

    let start = 1_600_000_000_000i64;
    let mut written = 0u64;
    let mut root = 0u64;
    while written < args.posts {
        let channel = root % channels;
        let author = root % users;
        let at = start + (root as i64) * 1_000;
        let replies_here = if root % 5 == 0 {
            4u64.min(args.posts - written - 1)
        } else {
            0
        };
        let text = message(&mut rng, at, author, channel);
        let mut post = json!({
            "team": "bench", "channel": format!("channel-{channel}"),
            "user": format!("user{author}"), "message": text, "create_at": at,
        });
        if replies_here > 0 {
            let replies: Vec<serde_json::Value> = (0..replies_here)
                .map(|r| {
                    let by = (author + r + 1) % users;
                    let reply_at = at + 1 + r as i64;
                    json!({
                        "user": format!("user{by}"),
                        "message": message(&mut rng, reply_at, by, channel),
                        "create_at": reply_at,
                    })
                })
                .collect();
            post["replies"] = json!(replies);
        }
        out.line(json!({"type": "post", "post": post}))?;
        written += 1 + replies_here;
        root += 1;
    }
    out.finish()?;

    let searches = tracked
        .into_iter()
        .map(|t| {
            let mut hits = t.hits;
            hits.sort_unstable_by(|a, b| b.cmp(a));
            let total = hits.len() as u64;
            if !t.selective {
                hits.truncate(PAGE);
            }
            ExpectedSearch {
                name: t.name.to_string(),
                terms: t.terms,
                selective: t.selective,
                newest: hits,
                total,
            }
        })
        .collect::<Vec<_>>();
    for s in &searches {
        println!("{:<22} {:>8} posts  {}", s.name, s.total, s.terms);
    }
    let expectations = Expectations {
        team: "bench".into(),
        searcher: "user0".into(),
        password: SEARCHER_PASSWORD.into(),
        posts: written,
        searches,
    };
    std::fs::write(&args.expect, serde_json::to_vec_pretty(&expectations)?)
        .with_context(|| format!("cannot write {}", args.expect.display()))?;
    println!("wrote {} ({written} posts)", args.out.display());
    Ok(())
}
