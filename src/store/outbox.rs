//! The email outbox: jobs leased by workers with one atomic claim, then marked sent, retried
//! later or failed.
//!
//! A job is taken by `UPDATE … RETURNING`: on PostgreSQL its inner `SELECT` locks the rows it
//! picks and skips those another worker holds (`FOR UPDATE SKIP LOCKED`); SQLite runs one
//! writer at a time. A lease that runs out (its worker died) makes the job claimable again.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::ids::Token;
use super::signups::PENDING;
use super::{Store, StoreError, now_us, placeholders};

/// A job a worker holds until `lease_until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub signup_id: String,
    /// Claims so far, this one included.
    pub attempts: u32,
}

/// Who an email goes to, and what it must say.
#[derive(Clone)]
pub struct Recipient {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub confirmed: bool,
}

/// A job's token, kept with the same expiry whichever way the email leaves.
pub struct IssuedToken<'a> {
    pub token: &'a Token,
    pub expires_at: i64,
}

/// The queue as operators see it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueueStats {
    /// Jobs waiting or in flight.
    pub queued: i64,
    /// Age of the oldest queued job, in seconds (0 when none).
    pub oldest_seconds: f64,
    /// Jobs whose attempts ran out.
    pub failed: i64,
}

impl Store {
    /// Leases up to `limit` due jobs to `owner` until `lease_until`, counting an attempt each.
    pub async fn claim(
        &self,
        owner: &str,
        now: i64,
        lease_until: i64,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError> {
        let sql = format!(
            "UPDATE email_outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM email_outbox WHERE state = 'queued' AND run_at <= $3 \
             AND (lease_until IS NULL OR lease_until <= $3) ORDER BY run_at LIMIT {limit} {}) \
             RETURNING id, signup_id, attempts",
            self.backend().skip_locked()
        );
        // Formatted in: a constant of the backend's dialect, and the limit, an integer. A bound
        // LIMIT makes SQLite re-prepare the statement on every claim (its plan may depend on
        // the value; bench/FINDINGS.md).
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(owner)
            .bind(lease_until)
            .bind(now)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Job {
                    id: row.try_get("id")?,
                    signup_id: row.try_get("signup_id")?,
                    attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// The sign-ups of many jobs in one statement, by id; a deleted one is absent.
    pub async fn recipients(
        &self,
        signup_ids: &[&str],
    ) -> Result<HashMap<String, Recipient>, StoreError> {
        if signup_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, email, first_name, last_name, status FROM signups WHERE id IN {}",
            placeholders(1, signup_ids.len(), 1)
        );
        // Only numbered placeholders are formatted in.
        let mut query = sqlx::query(AssertSqlSafe(self.backend().positional(&sql)));
        for id in signup_ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, recipient_of(row)?)))
            .collect()
    }

    /// Stores a token before its email goes to an SMTP server.
    pub async fn issue_token(&self, job: &Job, token: IssuedToken<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO confirmation_tokens (token_hash, signup_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&token.token.hash)
        .bind(&job.signup_id)
        .bind(now_us())
        .bind(token.expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Withdraws a token whose email was not sent.
    pub async fn withdraw_token(&self, token: &Token) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM confirmation_tokens WHERE token_hash = $1 AND used_at IS NULL")
            .bind(&token.hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Marks a job sent, if `owner` still holds it. False when the lease was lost (another
    /// worker took the job over, so it may go twice).
    pub async fn mark_sent(&self, job: &Job, owner: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE email_outbox SET state = 'sent', sent_at = $3, lease_owner = NULL, \
             lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'queued'",
        )
        .bind(&job.id)
        .bind(owner)
        .bind(now_us())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the job back to the queue, not before `run_at`.
    pub async fn retry_later(
        &self,
        job: &Job,
        owner: &str,
        run_at: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE email_outbox SET run_at = $3, last_error = $4, lease_owner = NULL, \
             lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'queued'",
        )
        .bind(&job.id)
        .bind(owner)
        .bind(run_at)
        .bind(reason)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Gives up on the job: it stays in the table as `failed`, for operators to see.
    pub async fn mark_failed(
        &self,
        job: &Job,
        owner: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE email_outbox SET state = 'failed', last_error = $3, lease_owner = NULL, \
             lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'queued'",
        )
        .bind(&job.id)
        .bind(owner)
        .bind(reason)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Queue depth, the oldest waiting job's age, and the failed jobs.
    pub async fn queue_stats(&self) -> Result<QueueStats, StoreError> {
        let rows = sqlx::query(
            "SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest FROM email_outbox \
             WHERE state IN ('queued', 'failed') GROUP BY state",
        )
        .fetch_all(self.pool())
        .await?;
        let mut stats = QueueStats::default();
        for row in rows {
            let n: i64 = row.try_get("n")?;
            match row.try_get::<String, _>("state")?.as_str() {
                "queued" => {
                    let oldest: Option<i64> = row.try_get("oldest")?;
                    stats.queued = n;
                    stats.oldest_seconds =
                        oldest.map_or(0.0, |t| (now_us().saturating_sub(t)).max(0) as f64 / 1e6);
                }
                _ => stats.failed = n,
            }
        }
        Ok(stats)
    }
}

fn recipient_of(row: &AnyRow) -> Result<Recipient, StoreError> {
    Ok(Recipient {
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        confirmed: row.try_get::<String, _>("status")? != PENDING,
    })
}
