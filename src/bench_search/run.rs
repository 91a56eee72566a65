//! `rustchat bench search`: times the searches of a `search-file` corpus
//! against a running server that imported it, through Mattermost's
//! `POST /api/v4/teams/{team_id}/posts/search`, and checks every answer
//! against the exact one.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use hdrhistogram::Histogram;
use serde_json::{json, Value};

use super::corpus::{Expectations, ExpectedSearch, PAGE};

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8065")]
    url: String,
    /// The answers `bench search-file` wrote.
    #[arg(long)]
    expect: PathBuf,
    /// Timed requests per search and round.
    #[arg(long, default_value_t = 50)]
    iterations: usize,
    /// Measured rounds; the report gives each and their medians.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Report answers that differ from the exact ones instead of stopping
    /// (for a server with other matching rules, such as substrings).
    #[arg(long)]
    lenient: bool,
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
    team_id: String,
}

impl Client {
    async fn connect(base: &str, expect: &Expectations) -> anyhow::Result<Self> {
        let http = reqwest::Client::new();
        let base = base.trim_end_matches('/').to_string();
        let login = http
            .post(format!("{base}/api/v4/users/login"))
            .json(&json!({"login_id": expect.searcher, "password": expect.password}))
            .send()
            .await?;
        if !login.status().is_success() {
            bail!("login as {}: {}", expect.searcher, login.status());
        }
        let token = login
            .headers()
            .get("token")
            .and_then(|v| v.to_str().ok())
            .context("login answered no token")?
            .to_string();
        let team: Value = http
            .get(format!("{base}/api/v4/teams/name/{}", expect.team))
            .bearer_auth(&token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let team_id = team["id"].as_str().context("team without id")?.to_string();
        Ok(Client {
            http,
            base,
            token,
            team_id,
        })
    }

    /// The `create_at` of each post of one page of results, in order.
    async fn search(&self, terms: &str, page: usize, per_page: usize) -> anyhow::Result<Vec<i64>> {
        let resp = self
            .http
            .post(format!(
                "{}/api/v4/teams/{}/posts/search",
                self.base, self.team_id
            ))
            .bearer_auth(&self.token)
            .json(
                &json!({"terms": terms, "is_or_search": false, "page": page, "per_page": per_page}),
            )
            .send()
            .await?;
        let status = resp.status();
        let body: Value = resp.json().await?;
        if !status.is_success() {
            bail!("search {terms:?}: {status}: {body}");
        }
        let order = body["order"].as_array().context("no order")?;
        order
            .iter()
            .map(|id| {
                let id = id.as_str().context("order holds a non-string")?;
                body["posts"][id]["create_at"]
                    .as_i64()
                    .with_context(|| format!("post {id} missing from posts"))
            })
            .collect()
    }

    /// Checks that the server finds exactly the expected posts.
    async fn verify(&self, s: &ExpectedSearch) -> anyhow::Result<()> {
        let mut got = Vec::new();
        if s.selective {
            for page in 0.. {
                let found = self.search(&s.terms, page, 200).await?;
                let last = found.len() < 200;
                got.extend(found);
                if last {
                    break;
                }
            }
        } else {
            got = self.search(&s.terms, 0, PAGE).await?;
        }
        if got != s.newest {
            bail!(
                "{} ({:?}): found {} posts, expected {} (first found {:?}, first expected {:?})",
                s.name,
                s.terms,
                got.len(),
                s.newest.len(),
                got.first(),
                s.newest.first()
            );
        }
        Ok(())
    }
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

pub async fn run(args: SearchArgs) -> anyhow::Result<()> {
    if args.iterations == 0 || args.rounds == 0 {
        bail!("--iterations and --rounds must be at least 1");
    }
    let text = std::fs::read(&args.expect)
        .with_context(|| format!("cannot read {}", args.expect.display()))?;
    let expect: Expectations = serde_json::from_slice(&text)?;
    let client = Client::connect(&args.url, &expect).await?;
    for s in &expect.searches {
        match client.verify(s).await {
            Ok(()) => println!("exact: {} ({} posts)", s.name, s.total),
            Err(e) if args.lenient => println!("NOT exact: {e:#}"),
            Err(e) => return Err(e),
        }
    }
    // p50 and p99 of each round, per search.
    let mut rounds: Vec<Vec<(f64, f64)>> = vec![Vec::new(); expect.searches.len()];
    for round in 1..=args.rounds {
        for (i, s) in expect.searches.iter().enumerate() {
            let mut h = Histogram::<u64>::new(3)?;
            for _ in 0..args.iterations {
                let started = Instant::now();
                let found = client.search(&s.terms, 0, PAGE).await?;
                let took = started.elapsed();
                if !args.lenient && found.first() != s.newest.first() {
                    bail!("{}: the newest result changed", s.name);
                }
                h.record(took.as_micros().try_into().unwrap_or(u64::MAX))?;
            }
            let (p50, p99) = (ms(h.value_at_quantile(0.5)), ms(h.value_at_quantile(0.99)));
            println!(
                "round {round}: {:<22} p50 {p50:>8.2} ms  p99 {p99:>8.2} ms  max {:>8.2} ms",
                s.name,
                ms(h.max())
            );
            rounds[i].push((p50, p99));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "medians of {} rounds, {} requests each:",
        args.rounds, args.iterations
    );
    for (s, r) in expect.searches.iter().zip(&rounds) {
        let mut p50s: Vec<f64> = r.iter().map(|x| x.0).collect();
        let mut p99s: Vec<f64> = r.iter().map(|x| x.1).collect();
        let target = if s.selective {
            "p99 <= 50 ms"
        } else {
            "<= 500 ms"
        };
        println!(
            "{:<22} {:>8} posts  p50 {:>8.2} ms  p99 {:>8.2} ms  (target {target}; rounds p99: {})",
            s.name,
            s.total,
            median(&mut p50s),
            median(&mut p99s),
            r.iter()
                .map(|x| format!("{:.1}", x.1))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    Ok(())
}
