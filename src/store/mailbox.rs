//! The embedded mailbox: without an SMTP server, an email is "sent" by storing it, in the same
//! transaction that marks its job sent, so it is there exactly once. Nothing leaves the
//! process, so a whole claim goes in one transaction: no batch can cause a duplicate.

use sqlx::{Any, Row, Transaction};

use super::outbox::{IssuedToken, Job};
use super::{Store, StoreError};

/// The finished email, as stored in the mailbox.
#[derive(Clone)]
pub struct StoredEmail {
    pub id: String,
    pub sender: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// Unix microseconds.
    pub created_at: i64,
}

/// One job's email, ready for the mailbox.
pub struct MailboxDelivery<'a> {
    pub job: &'a Job,
    pub token: Option<IssuedToken<'a>>,
    pub email: StoredEmail,
}

impl Store {
    /// Delivers a claim's emails to the embedded mailbox in one transaction: for each job, it
    /// is marked sent, its token stored and its email kept together, so each email is there
    /// exactly once. False for a job whose lease `owner` no longer holds (nothing is written).
    pub async fn deliver_to_mailbox(
        &self,
        owner: &str,
        deliveries: &[MailboxDelivery<'_>],
    ) -> Result<Vec<bool>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let mut done = Vec::with_capacity(deliveries.len());
        for delivery in deliveries {
            done.push(deliver_in(&mut tx, owner, delivery).await?);
        }
        tx.commit().await?;
        Ok(done)
    }

    /// The newest emails in the embedded mailbox, newest first.
    pub async fn mailbox(&self, limit: u32) -> Result<Vec<StoredEmail>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, sender, recipient, subject, text_body, html_body, created_at FROM mailbox \
             ORDER BY created_at DESC, id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(stored_email).collect()
    }

    /// One email of the embedded mailbox.
    pub async fn mailbox_email(&self, id: &str) -> Result<Option<StoredEmail>, StoreError> {
        let row = sqlx::query(
            "SELECT id, sender, recipient, subject, text_body, html_body, created_at FROM mailbox \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(stored_email).transpose()
    }
}

fn stored_email(row: &sqlx::any::AnyRow) -> Result<StoredEmail, StoreError> {
    Ok(StoredEmail {
        id: row.try_get("id")?,
        sender: row.try_get("sender")?,
        recipient: row.try_get("recipient")?,
        subject: row.try_get("subject")?,
        text_body: row.try_get("text_body")?,
        html_body: row.try_get("html_body")?,
        created_at: row.try_get("created_at")?,
    })
}

async fn deliver_in(
    tx: &mut Transaction<'_, Any>,
    owner: &str,
    delivery: &MailboxDelivery<'_>,
) -> Result<bool, StoreError> {
    let MailboxDelivery { job, token, email } = delivery;
    let marked = sqlx::query(
        "UPDATE email_outbox SET state = 'sent', sent_at = $3, lease_owner = NULL, \
         lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'queued'",
    )
    .bind(&job.id)
    .bind(owner)
    .bind(email.created_at)
    .execute(&mut **tx)
    .await?;
    if marked.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(t) = token {
        sqlx::query(
            "INSERT INTO confirmation_tokens (token_hash, signup_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&t.token.hash)
        .bind(&job.signup_id)
        .bind(email.created_at)
        .bind(t.expires_at)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO mailbox (id, job_id, signup_id, sender, recipient, subject, text_body, \
         html_body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&email.id)
    .bind(&job.id)
    .bind(&job.signup_id)
    .bind(&email.sender)
    .bind(&email.recipient)
    .bind(&email.subject)
    .bind(&email.text_body)
    .bind(&email.html_body)
    .bind(email.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}
