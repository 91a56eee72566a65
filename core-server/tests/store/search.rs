//! Full-text search answers exactly what a scan of every message answers.
//!
//! Before the full-text index, search was a case-insensitive substring scan
//! (`LOWER(message) LIKE '%term%'`). On a generated corpus whose words are
//! never inside one another (so a word and a substring are the same thing),
//! every query the client suites send must find the same posts, in the same
//! order, through the index as through that scan, written out here in Rust.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use core_server::model::*;
use core_server::search::{parse_search, SearchTerm};
use core_server::store::PostSearch;

use crate::fixtures::*;
use crate::support::Ctx;

/// A random lower-case word of 7 to 10 letters.
fn random_word(rng: &mut StdRng) -> String {
    let len = rng.gen_range(7..=10);
    (0..len)
        .map(|_| char::from(b'a' + rng.gen_range(0..26u8)))
        .collect()
}

/// Words none of which contains another.
fn vocabulary(rng: &mut StdRng, size: usize) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    while words.len() < size {
        let w = random_word(rng);
        if words
            .iter()
            .all(|o| !o.contains(&w) && !w.contains(o.as_str()))
        {
            words.push(w);
        }
    }
    words
}

/// A Zipf-like pick: word `i` about 1/(i+1) as often as the first.
fn zipf<'a>(rng: &mut StdRng, words: &'a [String]) -> &'a str {
    let harmonic: f64 = (1..=words.len()).map(|i| 1.0 / i as f64).sum();
    let mut x = rng.gen::<f64>() * harmonic;
    for (i, w) in words.iter().enumerate() {
        x -= 1.0 / (i + 1) as f64;
        if x <= 0.0 {
            return w;
        }
    }
    &words[words.len() - 1]
}

/// A message of 3 to 12 words, some dressed as mentions, hashtags, a
/// label, or next to punctuation.
fn message(rng: &mut StdRng, words: &[String]) -> String {
    let n = rng.gen_range(3..=12);
    let mut parts = Vec::new();
    for _ in 0..n {
        let w = zipf(rng, words);
        parts.push(match rng.gen_range(0..20) {
            0 => format!("@{w}"),
            1 => format!("#{w}"),
            2 => format!("{w}:"),
            3 => format!("{w},"),
            4 => w.to_uppercase(),
            5 => "100%".to_string(),
            _ => w.to_string(),
        });
    }
    parts.join(" ")
}

/// What the scan answered: every term (or one, for an "or" search) a
/// substring of the lower-cased message, no excluded one, the filters.
fn scan<'a>(posts: &'a [Post], visible: &[String], s: &PostSearch<'_>) -> Vec<&'a Post> {
    let contains = |p: &Post, t: &SearchTerm| p.message.to_lowercase().contains(&t.text);
    let mut found: Vec<&Post> = posts
        .iter()
        .filter(|p| visible.contains(&p.channel_id))
        .filter(|p| {
            if s.terms.is_empty() {
                true
            } else if s.any_term {
                s.terms.iter().any(|t| contains(p, t))
            } else {
                s.terms.iter().all(|t| contains(p, t))
            }
        })
        .filter(|p| !s.excluded.iter().any(|t| contains(p, t)))
        .filter(|p| s.from_user_ids.is_empty() || s.from_user_ids.contains(&p.user_id))
        .filter(|p| s.channel_ids.is_empty() || s.channel_ids.contains(&p.channel_id))
        .filter(|p| s.before.is_none_or(|b| p.create_at < b))
        .filter(|p| s.after.is_none_or(|a| p.create_at > a))
        .collect();
    found.sort_by(|a, b| (b.create_at, &b.id).cmp(&(a.create_at, &a.id)));
    found
}

async fn index_answers_what_the_scan_answered(ctx: Ctx) {
    let mut rng = StdRng::seed_from_u64(20);
    let words = vocabulary(&mut rng, 120);
    let (t, general, searcher) = fixture(&ctx).await;
    let other = user(&format!("o{}", &core_server::id::new_id()[..10]));
    ctx.store.create_user(&other, None).await.expect("user");
    let elsewhere = channel(&t.id, "elsewhere", "O");
    let secret = channel(&t.id, "secret", "P");
    ctx.store
        .create_channel(
            &elsewhere,
            &[
                member(&elsewhere.id, &searcher.id),
                member(&elsewhere.id, &other.id),
            ],
        )
        .await
        .expect("channel");
    ctx.store
        .create_channel(&secret, &[member(&secret.id, &other.id)])
        .await
        .expect("private");
    let channels = [&general, &elsewhere, &secret];
    let authors = [&searcher, &other];
    let mut posts = Vec::new();
    for i in 0..1200i64 {
        let channel = channels[rng.gen_range(0..channels.len())];
        let author = if channel.id == secret.id {
            &other
        } else {
            authors[rng.gen_range(0..2)]
        };
        let mut p = post(&channel.id, &author.id, 1_000 + i * 10, "");
        p.message = message(&mut rng, &words);
        posts.push(ctx.store.create_post(&p).await.expect("post"));
    }
    // A few posts edited and deleted after being indexed.
    for i in (0..posts.len()).step_by(97) {
        let mut edited = posts[i].clone();
        edited.message = message(&mut rng, &words);
        edited.edit_at = 99_999;
        let history = Post {
            id: core_server::id::new_id(),
            original_id: posts[i].id.clone(),
            ..posts[i].clone()
        };
        ctx.store.edit_post(&history, &edited).await.expect("edit");
        posts[i] = edited;
    }
    let mut live = Vec::new();
    for (i, p) in posts.into_iter().enumerate() {
        if i % 89 == 5 {
            ctx.store.delete_post(&p, 99_999).await.expect("delete");
        } else {
            live.push(p);
        }
    }
    let visible = vec![general.id.clone(), elsewhere.id.clone()];
    let (common, next, rare) = (&words[0], &words[1], &words[60]);
    let absent = "zzzzqqqqxx".to_string();
    let queries: Vec<(String, bool)> = vec![
        (common.clone(), false),
        (common.to_uppercase(), false),
        (rare.clone(), false),
        (absent.clone(), false),
        (format!("\"{common} {next}\""), false),
        (format!("{common} {next}"), false),
        (format!("{rare} {next}"), false),
        (format!("@{rare} {next}"), true),
        (format!("{rare} {next}"), true),
        (format!("@{common}"), false),
        (format!("#{next}"), false),
        (format!("{rare}:"), false),
        ("100%".to_string(), false),
        (format!("{common} -{next}"), false),
        (format!("{rare} -{common}"), true),
        (format!("{next} -#{common}"), false),
        (format!("{rare} on:1970-01-01"), false),
    ];
    let by_author = [Vec::new(), vec![other.id.clone()]];
    let in_channel = [Vec::new(), vec![elsewhere.id.clone()]];
    let mut compared = 0;
    // Twice: as the database plans it, then with every search taken for a
    // common one (SQLite then walks posts newest first and checks each).
    for probe_cap in [None, Some("1")] {
        match probe_cap {
            Some(cap) => std::env::set_var("RUSTCHAT_SEARCH_PROBE_CAP", cap),
            None => std::env::remove_var("RUSTCHAT_SEARCH_PROBE_CAP"),
        }
        for (query, any_term) in &queries {
            let parsed = parse_search(query).expect("query");
            for from_user_ids in &by_author {
                for channel_ids in &in_channel {
                    let mut s = PostSearch {
                        user_id: &searcher.id,
                        team_id: Some(&t.id),
                        terms: &parsed.terms,
                        any_term: *any_term,
                        excluded: &parsed.excluded,
                        from_user_ids,
                        channel_ids,
                        before: parsed.before,
                        after: parsed.after,
                        offset: 0,
                        limit: 200,
                    };
                    let want: Vec<String> = scan(&live, &visible, &s)
                        .into_iter()
                        .map(|p| p.id.clone())
                        .collect();
                    let mut got = Vec::new();
                    loop {
                        let page = ctx.store.search_posts(&s).await.expect("search");
                        let last = page.len() < 200;
                        got.extend(page.into_iter().map(|p| p.id));
                        if last {
                            break;
                        }
                        s.offset += 200;
                    }
                    assert_eq!(
                        got, want,
                        "query {query:?} (or: {any_term}, from: {from_user_ids:?}, \
                         in: {channel_ids:?}, probe cap: {probe_cap:?})"
                    );
                    compared += 1;
                }
            }
        }
    }
    std::env::remove_var("RUSTCHAT_SEARCH_PROBE_CAP");
    assert_eq!(compared, queries.len() * 8);
    // The corpus makes the queries mean something: the common word finds many
    // posts, over more than one page.
    let common_hits = scan(
        &live,
        &visible,
        &PostSearch {
            user_id: "",
            team_id: None,
            terms: &[SearchTerm::word(common.clone())],
            any_term: false,
            excluded: &[],
            from_user_ids: &[],
            channel_ids: &[],
            before: None,
            after: None,
            offset: 0,
            limit: 200,
        },
    )
    .len();
    assert!(common_hits > 200, "the common word pages: {common_hits}");
}

on_both_backends!(index_answers_what_the_scan_answered);
