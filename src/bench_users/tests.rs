//! Unit tests of the pure parts: action picking, idle times, rates, the
//! thresholds and the ramp's decisions.

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::model::{idle_time, Action, Picker, Rates, FREQUENCIES};
use super::setup::channels_of;
use super::thresholds::{supported, Breach, Next, Ramp, StepFigures, Thresholds};

fn defaults() -> Thresholds {
    Thresholds {
        max_mean_ms: 100.0,
        max_p99_ms: 2000.0,
        max_error_percent: 0.025,
        max_timeout_percent: 0.025,
        max_server_cpu_percent: None,
    }
}

fn healthy() -> StepFigures {
    StepFigures {
        requests: 100_000,
        mean_ms: 12.0,
        p99_ms: 150.0,
        errors: 0,
        timeouts: 0,
        server_cpu_percent: Some(60.0),
    }
}

#[test]
fn weights_are_frequencies_over_the_smallest() {
    let picker = Picker::new(&[(Action::SwitchChannel, 0.5), (Action::SwitchTeam, 0.1)])
        .expect("valid frequencies");
    // Weights 5 and 1: draws 0..5 are the first action, 5 the second.
    for draw in 0..5 {
        assert_eq!(picker.at(draw), Action::SwitchChannel);
    }
    assert_eq!(picker.at(5), Action::SwitchTeam);
    assert!((picker.share(Action::SwitchTeam) - 1.0 / 6.0).abs() < 1e-9);
}

#[test]
fn picking_follows_load_test_ng_frequencies() {
    let picker = Picker::new(FREQUENCIES).expect("valid frequencies");
    let total: f64 = FREQUENCIES.iter().map(|(_, f)| f).sum();
    let mut rng = StdRng::seed_from_u64(1);
    let draws = 200_000;
    let mut switch = 0;
    let mut post = 0;
    for _ in 0..draws {
        match picker.pick(&mut rng) {
            Action::SwitchChannel => switch += 1,
            Action::CreatePost => post += 1,
            _ => {}
        }
    }
    let switch_share = switch as f64 / draws as f64;
    let post_share = post as f64 / draws as f64;
    assert!(
        (switch_share - 6.5219 / total).abs() < 0.01,
        "{switch_share}"
    );
    assert!((post_share - 1.0 / total).abs() < 0.005, "{post_share}");
    // The rarest action still has a weight of its own.
    assert!(picker.share(Action::SwitchTeam) > 0.0);
}

#[test]
fn no_positive_frequency_is_an_error() {
    assert!(Picker::new(&[(Action::SwitchChannel, 0.0)]).is_err());
    assert!(Picker::new(&[]).is_err());
}

#[test]
fn idle_time_is_uniform_around_the_mean() {
    let mut rng = StdRng::seed_from_u64(2);
    let n = 20_000;
    let mut sum = 0u128;
    for _ in 0..n {
        let d = idle_time(1000, 20_000, 1.0, &mut rng);
        assert!(d.as_millis() >= 1000 && d.as_millis() < 39_000, "{d:?}");
        sum += d.as_millis();
    }
    let mean = sum as f64 / n as f64;
    assert!((mean - 20_000.0).abs() < 400.0, "{mean}");
    // The rate multiplies the idle time.
    let d = idle_time(1000, 1000, 3.0, &mut rng);
    assert_eq!(d.as_millis(), 3000);
}

#[test]
fn rates_parse_and_spread_users() {
    let rates: Rates = "1:0.05,2:0.1,3:0.15,6:0.4,30:0.3"
        .parse()
        .expect("valid rates");
    assert!((rates.mean() - 12.1).abs() < 1e-9);
    let n = 10_000;
    let slow = (0..n).filter(|&i| rates.for_user(i) == 30.0).count();
    assert!((slow as f64 / n as f64 - 0.3).abs() < 0.01, "{slow}");
    assert!("1:0.5".parse::<Rates>().is_err());
    assert!("x:1".parse::<Rates>().is_err());
    assert!("0:1".parse::<Rates>().is_err());
    assert_eq!("1:1".parse::<Rates>().expect("valid").for_user(7), 1.0);
}

#[test]
fn user_channels_are_distinct_and_spread() {
    let mine = channels_of(3, 20, 5);
    assert_eq!(mine, vec![3, 7, 11, 15, 19]);
    let mut counts = [0usize; 20];
    for i in 0..1000 {
        let list = channels_of(i, 20, 5);
        let mut sorted = list.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 5);
        for c in list {
            counts[c] += 1;
        }
    }
    assert!(counts.iter().all(|&c| c == 250), "{counts:?}");
    assert_eq!(channels_of(0, 3, 10).len(), 3);
    assert!(channels_of(0, 0, 5).is_empty());
}

#[test]
fn a_healthy_step_passes() {
    assert!(defaults().check(&healthy()).is_empty());
}

#[test]
fn each_threshold_breaks_on_its_own() {
    let t = defaults();
    let slow_mean = StepFigures {
        mean_ms: 100.5,
        ..healthy()
    };
    assert_eq!(
        t.check(&slow_mean),
        vec![Breach::MeanLatency {
            ms: 100.5,
            limit: 100.0
        }]
    );
    let slow_tail = StepFigures {
        p99_ms: 2500.0,
        ..healthy()
    };
    assert!(matches!(
        t.check(&slow_tail)[..],
        [Breach::P99Latency { .. }]
    ));
    // 0.025 % of 100,000 requests is 25: 25 errors hold, 26 break.
    let at_limit = StepFigures {
        errors: 25,
        ..healthy()
    };
    assert!(t.check(&at_limit).is_empty());
    let over = StepFigures {
        errors: 26,
        ..healthy()
    };
    assert!(matches!(t.check(&over)[..], [Breach::Errors { .. }]));
    let timeouts = StepFigures {
        timeouts: 30,
        ..healthy()
    };
    assert!(matches!(t.check(&timeouts)[..], [Breach::Timeouts { .. }]));
    let idle = StepFigures {
        requests: 0,
        ..healthy()
    };
    assert_eq!(t.check(&idle), vec![Breach::NoRequests]);
}

#[test]
fn server_cpu_counts_only_when_asked() {
    let busy = StepFigures {
        server_cpu_percent: Some(95.0),
        ..healthy()
    };
    assert!(defaults().check(&busy).is_empty());
    let with_cpu = Thresholds {
        max_server_cpu_percent: Some(85.0),
        ..defaults()
    };
    assert!(matches!(
        with_cpu.check(&busy)[..],
        [Breach::ServerCpu { .. }]
    ));
}

#[test]
fn the_ramp_grows_until_a_step_breaks_or_the_maximum() {
    let ramp = Ramp {
        initial: 1000,
        step: 1000,
        max: 2500,
    };
    assert_eq!(ramp.first(), 1000);
    assert_eq!(ramp.next(1000, true), Next::Grow(2000));
    assert_eq!(ramp.next(2000, true), Next::Grow(2500));
    assert_eq!(ramp.next(2500, true), Next::ReachedMax);
    assert_eq!(ramp.next(2000, false), Next::Broke);
    let capped = Ramp {
        initial: 5000,
        step: 100,
        max: 300,
    };
    assert_eq!(capped.first(), 300);
}

#[test]
fn supported_is_the_last_step_before_the_first_break() {
    assert_eq!(
        supported(&[(1000, true), (2000, true), (3000, false)]),
        2000
    );
    assert_eq!(supported(&[(1000, false)]), 0);
    assert_eq!(supported(&[(1000, true), (2000, true)]), 2000);
    assert_eq!(supported(&[]), 0);
}
