//! A recording of the compatibility suites (named by `CONTRACTS_RECORDING`):
//! every JSON response and WebSocket frame in it against the schemas.

use std::path::Path;

use serde_json::Value;

use crate::contracts::Contracts;
use crate::report::Report;

#[test]
fn recorded_exchanges_and_frames_match_the_schemas() {
    let Some(recording) = std::env::var_os("CONTRACTS_RECORDING") else {
        eprintln!(
            "CONTRACTS_RECORDING is not set: no recording of the compatibility suites to validate"
        );
        return;
    };
    let recording = Path::new(&recording);
    let contracts = Contracts::load();
    let text = std::fs::read_to_string(recording)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", recording.display()));
    let mut report = Report::default();
    let (mut checked, mut skipped) = (0_usize, 0_usize);
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: Value = match serde_json::from_str(line) {
            Ok(entry) => entry,
            Err(e) => {
                report.add(
                    "recording",
                    "",
                    format!("not a JSON record: {e}"),
                    &format!("line {}", index + 1),
                );
                continue;
            }
        };
        let client = entry.get("client").and_then(Value::as_str).unwrap_or("?");
        let origin = format!("line {}, {client}", index + 1);
        if entry.get("ws").and_then(Value::as_bool) == Some(true) {
            let frame = entry
                .get("frame")
                .and_then(Value::as_str)
                .unwrap_or_default();
            contracts.check_frame(frame, &origin, &mut report);
            checked += 1;
        } else if contracts.check_exchange(&entry, &origin, &mut report) {
            checked += 1;
        } else {
            skipped += 1;
        }
    }
    eprintln!(
        "{}: {checked} responses and frames validated, {skipped} skipped (no JSON body, or outside the v4 API)",
        recording.display()
    );
    assert!(
        checked > 0,
        "{} holds nothing to validate",
        recording.display()
    );
    assert!(
        report.failures.is_empty(),
        "{} contract violation(s) in {}:\n{}",
        report.failures.len(),
        recording.display(),
        report.render()
    );
}
