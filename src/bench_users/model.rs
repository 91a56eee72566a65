//! The simulated user's behaviour as Mattermost's load-test-ng models it
//! (its "simulative" controller): which action comes next, by weighted
//! frequency, and how long the user idles between actions. Pure functions,
//! so they can be tested without a server.

use std::time::Duration;

use anyhow::{bail, Context};
use rand::Rng;

/// The actions a simulated user takes. Each maps to the v4 requests the
/// matching load-test-ng action makes (see `actions.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Action {
    SwitchChannel,
    ScrollChannel,
    OpenDirectChannel,
    UnreadCheck,
    CreatePost,
    ViewGlobalThreads,
    UpdateThreadRead,
    ViewThread,
    ReconnectWebSocket,
    AddReaction,
    EditPost,
    SearchUsers,
    SearchPosts,
    SearchChannels,
    SwitchTeam,
}

/// load-test-ng's frequencies (relative weights) for the actions modelled
/// here, from the action list of its simulative controller. Its list has
/// about forty actions whose weights add up to about 13.8; the ones below
/// add up to 13.4 (97 %). The rest (permalink clicks, profile popovers,
/// custom statuses, sidebar categories, channel creation, acknowledgements,
/// reports, …) each weigh 0.3 or less and are left out.
pub(super) const FREQUENCIES: &[(Action, f64)] = &[
    (Action::SwitchChannel, 6.5219),
    (Action::ScrollChannel, 1.9873),
    (Action::OpenDirectChannel, 0.9843),
    (Action::UnreadCheck, 1.0),
    (Action::CreatePost, 1.0),
    (Action::ViewGlobalThreads, 0.6023),
    (Action::UpdateThreadRead, 0.3236),
    (Action::ViewThread, 0.2841),
    (Action::ReconnectWebSocket, 0.144),
    (Action::AddReaction, 0.1306),
    (Action::EditPost, 0.04),
    (Action::SearchUsers, 0.032),
    (Action::SearchPosts, 0.0218),
    (Action::SearchChannels, 0.015),
    (Action::SwitchTeam, 0.0001),
];

/// Share of new posts that are replies in a thread (load-test-ng's
/// `PercentReplies` default).
pub(super) const REPLY_SHARE: f64 = 0.18;

impl Action {
    /// Name in reports (load-test-ng's action name).
    pub(super) fn name(self) -> &'static str {
        match self {
            Action::SwitchChannel => "SwitchChannel",
            Action::ScrollChannel => "ScrollChannel",
            Action::OpenDirectChannel => "OpenDirectOrGroupChannel",
            Action::UnreadCheck => "UnreadCheck",
            Action::CreatePost => "CreatePost",
            Action::ViewGlobalThreads => "ViewGlobalThreads",
            Action::UpdateThreadRead => "UpdateThreadRead",
            Action::ViewThread => "ViewThread",
            Action::ReconnectWebSocket => "ReconnectWebSocket",
            Action::AddReaction => "AddReaction",
            Action::EditPost => "EditPost",
            Action::SearchUsers => "SearchUsers",
            Action::SearchPosts => "SearchPosts",
            Action::SearchChannels => "SearchChannels",
            Action::SwitchTeam => "SwitchTeam",
        }
    }

    /// Position in [`FREQUENCIES`], used to index per-action figures.
    pub(super) fn index(self) -> usize {
        FREQUENCIES
            .iter()
            .position(|(a, _)| *a == self)
            .unwrap_or(0)
    }
}

/// Integer weights and their sum, for picking in one random draw. Like
/// load-test-ng, each frequency is divided by the smallest one and rounded,
/// so the rarest action weighs 1.
pub(super) struct Picker {
    actions: Vec<(Action, u64)>,
    total: u64,
}

impl Picker {
    pub(super) fn new(frequencies: &[(Action, f64)]) -> anyhow::Result<Picker> {
        let smallest = frequencies
            .iter()
            .map(|(_, f)| *f)
            .filter(|f| *f > 0.0)
            .min_by(f64::total_cmp)
            .context("no action has a frequency above zero")?;
        let actions: Vec<(Action, u64)> = frequencies
            .iter()
            .filter(|(_, f)| f.is_finite() && *f > 0.0)
            .map(|(a, f)| (*a, (f / smallest).round() as u64))
            .collect();
        let total = actions.iter().map(|(_, w)| w).sum();
        if total == 0 {
            bail!("the action weights add up to zero");
        }
        Ok(Picker { actions, total })
    }

    /// The action for a draw in `0..total`.
    pub(super) fn at(&self, mut draw: u64) -> Action {
        for (action, weight) in &self.actions {
            if draw < *weight {
                return *action;
            }
            draw -= weight;
        }
        // Unreachable for draws below the total; the last action otherwise.
        self.actions
            .last()
            .map_or(Action::SwitchChannel, |(a, _)| *a)
    }

    pub(super) fn pick(&self, rng: &mut impl Rng) -> Action {
        self.at(rng.gen_range(0..self.total))
    }

    /// Probability of `action` per pick.
    #[cfg(test)]
    pub(super) fn share(&self, action: Action) -> f64 {
        self.actions
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(0.0, |(_, w)| *w as f64 / self.total as f64)
    }
}

/// load-test-ng's idle time between two actions: uniform in
/// `[min, 2·avg − min)` (so its mean is `avg`), times the user's rate.
pub(super) fn idle_time(min_ms: u64, avg_ms: u64, rate: f64, rng: &mut impl Rng) -> Duration {
    let span = (2 * avg_ms).saturating_sub(2 * min_ms);
    let ms = if span == 0 {
        min_ms
    } else {
        min_ms + rng.gen_range(0..span)
    };
    Duration::from_millis((ms as f64 * rate).round() as u64)
}

/// A pause inside an action (between scrolls): load-test-ng waits 1 to 10
/// whole seconds.
pub(super) fn scroll_pause(rng: &mut impl Rng) -> Duration {
    Duration::from_secs(rng.gen_range(1..=10))
}

/// A keystroke's delay when a search is typed: load-test-ng types at 100 to
/// 300 ms per character.
pub(super) fn keystroke(rng: &mut impl Rng) -> Duration {
    Duration::from_millis(rng.gen_range(100..300))
}

/// Users' idle-time multipliers and the share of users with each, as
/// load-test-ng's `RatesDistribution`: `rate:share,…`, shares adding to 1.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Rates(Vec<(f64, f64)>);

impl std::str::FromStr for Rates {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<Rates> {
        let mut rates = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (rate, share) = part
                .split_once(':')
                .with_context(|| format!("`{part}`: expected rate:share, e.g. 1.0:1"))?;
            let rate: f64 = rate
                .trim()
                .parse()
                .with_context(|| format!("`{part}`: the rate is not a number"))?;
            let share: f64 = share
                .trim()
                .parse()
                .with_context(|| format!("`{part}`: the share is not a number"))?;
            if !(rate.is_finite() && rate > 0.0 && share.is_finite() && share > 0.0) {
                bail!("`{part}`: rate and share must be above zero");
            }
            rates.push((rate, share));
        }
        let total: f64 = rates.iter().map(|(_, s)| s).sum();
        if rates.is_empty() || (total - 1.0).abs() > 1e-6 {
            bail!("the shares of the rates must add up to 1 (they add up to {total})");
        }
        Ok(Rates(rates))
    }
}

impl Rates {
    /// The rate of user `i` of a run: users are assigned in proportion to
    /// the shares, spread evenly over the user numbers (not at random, so
    /// every step of the ramp has the same mix).
    pub(super) fn for_user(&self, i: usize) -> f64 {
        // The fractional part of i·φ is evenly spread over [0, 1).
        let position = (i as f64 * 0.618_033_988_749_895).fract();
        let mut acc = 0.0;
        for (rate, share) in &self.0 {
            acc += share;
            if position < acc {
                return *rate;
            }
        }
        self.0.last().map_or(1.0, |(r, _)| *r)
    }

    /// The mean multiplier.
    pub(super) fn mean(&self) -> f64 {
        self.0.iter().map(|(r, s)| r * s).sum()
    }
}
