//! The embedded mailbox: without an SMTP server, an email is "sent" by storing it, in the same
//! transaction that marks its job sent, so it is there exactly once. Nothing leaves the
//! process, so a whole claim goes in one transaction: no batch can cause a duplicate.

use std::collections::HashSet;

use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::outbox::{IssuedToken, Job};
use super::{Backend, Store, StoreError, now_us, placeholders};

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
        if deliveries.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.pool().begin().await?;
        // Three statements for the whole claim, each taking every row at once: a statement is
        // a round trip to the database (for SQLite, to its thread).
        let marked = mark_sent_in(&mut tx, self.backend(), owner, deliveries).await?;
        let sent: Vec<_> = deliveries
            .iter()
            .filter(|d| marked.contains(&d.job.id))
            .collect();
        keep_tokens_in(&mut tx, self.backend(), &sent).await?;
        keep_emails_in(&mut tx, self.backend(), &sent).await?;
        tx.commit().await?;
        Ok(deliveries
            .iter()
            .map(|d| marked.contains(&d.job.id))
            .collect())
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

/// Marks sent the jobs `owner` still holds; their ids.
async fn mark_sent_in(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    owner: &str,
    deliveries: &[MailboxDelivery<'_>],
) -> Result<HashSet<String>, StoreError> {
    let sql = format!(
        "UPDATE email_outbox SET state = 'sent', sent_at = $1, lease_owner = NULL, \
         lease_until = NULL WHERE lease_owner = $2 AND state = 'queued' AND id IN {} \
         RETURNING id",
        placeholders(1, deliveries.len(), 3)
    );
    // Only numbered placeholders are formatted in.
    let sql = backend.positional(&sql);
    let mut query = sqlx::query(AssertSqlSafe(sql)).bind(now_us()).bind(owner);
    for delivery in deliveries {
        query = query.bind(&delivery.job.id);
    }
    let rows = query.fetch_all(&mut **tx).await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get("id"))
        .collect::<Result<_, _>>()?)
}

async fn keep_tokens_in(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    sent: &[&MailboxDelivery<'_>],
) -> Result<(), StoreError> {
    let tokens: Vec<_> = sent
        .iter()
        .filter_map(|d| d.token.as_ref().map(|t| (d, t)))
        .collect();
    if tokens.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO confirmation_tokens (token_hash, signup_id, created_at, expires_at) \
         VALUES {}",
        placeholders(tokens.len(), 4, 1)
    );
    let mut query = sqlx::query(AssertSqlSafe(backend.positional(&sql)));
    for (delivery, token) in tokens {
        query = query
            .bind(&token.token.hash)
            .bind(&delivery.job.signup_id)
            .bind(delivery.email.created_at)
            .bind(token.expires_at);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

async fn keep_emails_in(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    sent: &[&MailboxDelivery<'_>],
) -> Result<(), StoreError> {
    if sent.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO mailbox (id, job_id, signup_id, sender, recipient, subject, text_body, \
         html_body, created_at) VALUES {}",
        placeholders(sent.len(), 9, 1)
    );
    let mut query = sqlx::query(AssertSqlSafe(backend.positional(&sql)));
    for MailboxDelivery { job, email, .. } in sent.iter().copied() {
        query = query
            .bind(&email.id)
            .bind(&job.id)
            .bind(&job.signup_id)
            .bind(&email.sender)
            .bind(&email.recipient)
            .bind(&email.subject)
            .bind(&email.text_body)
            .bind(&email.html_body)
            .bind(email.created_at);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}
