//! Contract violations, collected and rendered with the route (or event),
//! the JSON pointer of the offending value and what the schema expected.

use std::collections::BTreeMap;

/// One contract violation.
pub struct Failure {
    /// The route (`GET /api/v4/users/{user_id} -> 200`) or the event.
    pub subject: String,
    /// The JSON pointer of the offending value; ` -> ` steps into a decoded JSON string.
    pub location: String,
    pub message: String,
    /// Where it was seen, e.g. `line 12, js`.
    pub origin: String,
}

#[derive(Default)]
pub struct Report {
    pub failures: Vec<Failure>,
}

impl Report {
    pub fn add(&mut self, subject: &str, location: &str, message: String, origin: &str) {
        self.failures.push(Failure {
            subject: subject.to_string(),
            location: if location.is_empty() {
                "the document root".to_string()
            } else {
                location.to_string()
            },
            message,
            origin: origin.to_string(),
        });
    }

    /// The violations, identical ones grouped with their count and first origin.
    pub fn render(&self) -> String {
        let mut grouped: BTreeMap<(&str, &str, &str), (usize, &str)> = BTreeMap::new();
        for f in &self.failures {
            let key = (f.subject.as_str(), f.location.as_str(), f.message.as_str());
            let entry = grouped.entry(key).or_insert((0, f.origin.as_str()));
            entry.0 += 1;
        }
        let mut out = String::new();
        for ((subject, location, message), (count, origin)) in grouped {
            let times = if count > 1 {
                format!(" [{count} times, first at {origin}]")
            } else {
                format!(" [{origin}]")
            };
            out.push_str(&format!("{subject}: at {location}: {message}{times}\n"));
        }
        out
    }
}
