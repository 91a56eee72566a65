//! `rustchat bench posts`: many clients posting into one channel through the
//! native API, measuring throughput and latency. A load tool, not a test: it
//! talks HTTP to a running server only.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Subcommand;
use hdrhistogram::Histogram;
use serde_json::{json, Value};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Concurrent clients posting into one channel.
    Posts {
        /// Base URL of the server.
        #[arg(long, default_value = "http://127.0.0.1:8065")]
        url: String,
        /// Concurrent clients, each with its own user and session.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Seconds of each measured round.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Seconds of unmeasured warm-up before the first round.
        #[arg(long, default_value_t = 2)]
        warmup: u64,
        /// Measured rounds; the report gives each and their medians.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Idle WebSockets opened in steps: the server's memory per connection
    /// (Mattermost API v4 only, so it also measures Mattermost). Run
    /// `ulimit -n 65536` first.
    WsIdle(crate::bench_ws::IdleArgs),
    /// One poster, many WebSocket receivers in one channel: delivery
    /// completeness and post-to-delivery latency (Mattermost API v4 only).
    /// Run `ulimit -n 65536` first.
    WsFanout(crate::bench_ws::FanoutArgs),
    /// Write a synthetic Mattermost bulk file (for `rustchat import mattermost`).
    BulkFile(crate::bench_bulk::BulkFileArgs),
    /// Write a bulk file of Zipf-distributed words and the exact answers of
    /// the search benchmark's queries over it.
    SearchFile(crate::bench_search::corpus::SearchFileArgs),
    /// Time the searches of a `search-file` corpus on a server that imported
    /// it, checking every answer.
    Search(crate::bench_search::run::SearchArgs),
    /// Mattermost-style load test: simulated users (login, WebSocket, and
    /// load-test-ng's actions at its rates) added in steps until the
    /// latency or error thresholds break; reports the supported user count.
    /// Run `ulimit -n 65536` first.
    Users(crate::bench_users::UsersArgs),
}

/// Runs a benchmark command.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Posts {
            url,
            clients,
            seconds,
            warmup,
            rounds,
        } => {
            posts(
                &url,
                clients,
                Duration::from_secs(seconds),
                Duration::from_secs(warmup),
                rounds,
            )
            .await
        }
        BenchCommand::WsIdle(args) => crate::bench_ws::idle(args).await,
        BenchCommand::WsFanout(args) => crate::bench_ws::fanout(args).await,
        BenchCommand::BulkFile(args) => crate::bench_bulk::write(&args),
        BenchCommand::SearchFile(args) => crate::bench_search::corpus::write(&args),
        BenchCommand::Search(args) => crate::bench_search::run::run(args).await,
        BenchCommand::Users(args) => crate::bench_users::run(args).await,
    }
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let text = resp.text().await?;
        if !status.is_success() {
            bail!("{path}: {status}: {text}");
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

fn field(v: &Value, key: &str) -> anyhow::Result<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .with_context(|| format!("response has no {key}: {v}"))
}

struct Round {
    posts: u64,
    errors: u64,
    elapsed: Duration,
    histogram: Histogram<u64>,
}

async fn posts(
    url: &str,
    clients: usize,
    seconds: Duration,
    warmup: Duration,
    rounds: usize,
) -> anyhow::Result<()> {
    if clients == 0 || rounds == 0 {
        bail!("--clients and --rounds must be at least 1");
    }
    let api = std::sync::Arc::new(Api {
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(clients * 2)
            .build()?,
        base: url.trim_end_matches('/').to_string(),
    });
    let tag = core_server::id::new_id()[..8].to_string();
    let password = "bench-password-1";
    let mut tokens = Vec::new();
    for i in 0..clients {
        let username = format!("b{tag}{i}");
        api.call(
            reqwest::Method::POST,
            "/api/v1/users",
            None,
            Some(json!({"username": username, "email": format!("{username}@bench.invalid"), "password": password})),
        )
        .await
        .context("cannot sign the benchmark's users up: the server needs enable_open_signup = true")?;
        let login = api
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"login_id": username, "password": password})),
            )
            .await?;
        tokens.push(field(&login, "token")?);
    }
    let team = api
        .call(
            reqwest::Method::POST,
            "/api/v1/teams",
            Some(&tokens[0]),
            Some(json!({"name": format!("bench-{tag}"), "display_name": "Bench"})),
        )
        .await?;
    let team_id = field(&team, "id")?;
    for token in &tokens[1..] {
        api.call(
            reqwest::Method::POST,
            &format!("/api/v1/teams/{team_id}/members"),
            Some(token),
            Some(json!({"user_id": "me"})),
        )
        .await?;
    }
    let channel = api
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/teams/{team_id}/channels/name/town-square"),
            Some(&tokens[0]),
            None,
        )
        .await?;
    let channel_id = field(&channel, "id")?;
    println!("bench posts: {clients} clients into one channel at {url}; warm-up {warmup:?}, {rounds} rounds of {seconds:?}");

    run_round(&api, &tokens, &channel_id, warmup).await?;
    let mut results = Vec::new();
    for n in 1..=rounds {
        let round = run_round(&api, &tokens, &channel_id, seconds).await?;
        let rate = round.posts as f64 / round.elapsed.as_secs_f64();
        println!(
            "round {n}: {} posts in {:.1}s = {rate:.0} posts/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; errors {}",
            round.posts,
            round.elapsed.as_secs_f64(),
            ms(round.histogram.value_at_quantile(0.50)),
            ms(round.histogram.value_at_quantile(0.99)),
            ms(round.histogram.max()),
            round.errors
        );
        results.push(round);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let rate = median(
        results
            .iter()
            .map(|r| r.posts as f64 / r.elapsed.as_secs_f64())
            .collect(),
    );
    let p50 = median(
        results
            .iter()
            .map(|r| ms(r.histogram.value_at_quantile(0.50)))
            .collect(),
    );
    let p99 = median(
        results
            .iter()
            .map(|r| ms(r.histogram.value_at_quantile(0.99)))
            .collect(),
    );
    let errors: u64 = results.iter().map(|r| r.errors).sum();
    println!("median of {rounds} rounds: {rate:.0} posts/s, p50 {p50:.1} ms, p99 {p99:.1} ms, errors {errors}");
    Ok(())
}

fn ms(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

async fn run_round(
    api: &std::sync::Arc<Api>,
    tokens: &[String],
    channel_id: &str,
    length: Duration,
) -> anyhow::Result<Round> {
    let start = Instant::now();
    let deadline = start + length;
    let mut tasks = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let api = api.clone();
        let token = token.clone();
        let path = format!("/api/v1/channels/{channel_id}/posts");
        tasks.push(tokio::spawn(async move {
            let mut histogram = Histogram::<u64>::new(3).expect("3 significant digits is valid");
            let (mut posts, mut errors, mut n) = (0u64, 0u64, 0u64);
            while Instant::now() < deadline {
                n += 1;
                let t0 = Instant::now();
                let body = json!({"message": format!("client {i} message {n}")});
                let ok = api
                    .call(reqwest::Method::POST, &path, Some(&token), Some(body))
                    .await
                    .is_ok();
                let micros = u64::try_from(t0.elapsed().as_micros()).unwrap_or(u64::MAX);
                let _ = histogram.record(micros);
                if ok {
                    posts += 1;
                } else {
                    errors += 1;
                }
            }
            (posts, errors, histogram)
        }));
    }
    let mut total = Round {
        posts: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        histogram: Histogram::new(3)?,
    };
    for task in tasks {
        let (posts, errors, histogram) = task.await?;
        total.posts += posts;
        total.errors += errors;
        total.histogram.add(&histogram)?;
    }
    total.elapsed = start.elapsed();
    Ok(total)
}
