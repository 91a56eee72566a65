//! The gauges read at scrape time rather than kept up to date: what the
//! database knows (queues, jobs) and the connections open.

use std::collections::BTreeSet;

use super::Core;

impl Core {
    /// Sets the gauges that are read when metrics are scraped. A failed read
    /// leaves the last value and is logged; the scrape still answers.
    pub async fn refresh_metrics(&self) {
        crate::metrics::db_connections(self.store.open_connections());
        match self.store.queue_depths().await {
            Ok((push, email)) => crate::metrics::queue_depths(
                u64::try_from(push).unwrap_or(0),
                u64::try_from(email).unwrap_or(0),
            ),
            Err(e) => tracing::warn!(error = %e, "metrics: cannot read the queue depths"),
        }
        match self.store.count_jobs().await {
            Ok(counts) => {
                // A type and state seen before but gone now reads 0, not its last count.
                static SEEN: std::sync::Mutex<BTreeSet<(String, String)>> =
                    std::sync::Mutex::new(BTreeSet::new());
                let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
                let now: BTreeSet<(String, String)> = counts
                    .iter()
                    .map(|(t, s, _)| (t.clone(), s.clone()))
                    .collect();
                for (job_type, status) in seen.difference(&now) {
                    crate::metrics::jobs(job_type, status, 0);
                }
                for (job_type, status, count) in &counts {
                    crate::metrics::jobs(job_type, status, u64::try_from(*count).unwrap_or(0));
                }
                seen.extend(now);
            }
            Err(e) => tracing::warn!(error = %e, "metrics: cannot count the jobs"),
        }
    }
}
