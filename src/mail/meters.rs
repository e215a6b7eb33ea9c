//! The email worker's metrics, each handle registered once.

use metrics::{Counter, Gauge, counter, gauge};

use crate::store::outbox::QueueStats;

/// The email worker's outcomes and the outbox as it stands.
pub struct MailMeters {
    pub sent: Counter,
    /// Attempts that failed and were scheduled again.
    pub retried: Counter,
    /// Jobs given up on (attempts spent, or refused for good).
    pub failed: Counter,
    queue_depth: Gauge,
    queue_oldest: Gauge,
    jobs_failed: Gauge,
}

impl MailMeters {
    pub fn register() -> MailMeters {
        let emails = |result: &'static str| counter!("vouch_emails_total", "result" => result);
        MailMeters {
            sent: emails("sent"),
            retried: emails("retried"),
            failed: emails("failed"),
            queue_depth: gauge!("vouch_email_queue_depth"),
            queue_oldest: gauge!("vouch_email_queue_oldest_seconds"),
            jobs_failed: gauge!("vouch_email_jobs_failed"),
        }
    }

    pub fn queue(&self, stats: &QueueStats) {
        self.queue_depth.set(stats.queued as f64);
        self.queue_oldest.set(stats.oldest_seconds);
        self.jobs_failed.set(stats.failed as f64);
    }
}
