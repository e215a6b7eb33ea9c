//! What `vouch signups …` does: export every sign-up as CSV, and forget one person.

use futures::TryStreamExt;
use sqlx::{AssertSqlSafe, Row};
use std::io::Write;

use super::signups::email_key;
use super::{Store, StoreError, rfc3339};

/// The export's columns, in order.
pub const CSV_HEADER: [&str; 13] = [
    "id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "address",
    "address2",
    "city",
    "state",
    "zip",
    "status",
    "created_at",
    "confirmed_at",
];

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the CSV: {0}")]
    Csv(#[from] csv::Error),
}

impl From<sqlx::Error> for ExportError {
    fn from(e: sqlx::Error) -> Self {
        ExportError::Store(e.into())
    }
}

/// What forgetting one address removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub signups: u64,
    pub tokens: u64,
    pub emails_queued: u64,
    pub mailbox_copies: u64,
}

impl Store {
    /// Writes every sign-up, oldest first, as CSV; returns how many. Cells a spreadsheet would
    /// read as a formula are defused.
    pub async fn export_csv(&self, out: impl Write) -> Result<u64, ExportError> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(CSV_HEADER)?;
        let mut rows = sqlx::query(
            "SELECT id, email, first_name, last_name, phone, address, address2, city, state, \
             zip, status, created_at, confirmed_at FROM signups ORDER BY created_at, id",
        )
        .fetch(self.pool());
        let mut count = 0;
        while let Some(row) = rows.try_next().await? {
            let mut record: Vec<String> = Vec::with_capacity(CSV_HEADER.len());
            for column in &CSV_HEADER[..11] {
                record.push(row.try_get(*column)?);
            }
            record.push(rfc3339(row.try_get("created_at")?));
            let confirmed: Option<i64> = row.try_get("confirmed_at")?;
            record.push(confirmed.map(rfc3339).unwrap_or_default());
            csv.write_record(record.iter().map(|cell| defuse(cell).into_owned()))?;
            count += 1;
        }
        csv.flush().map_err(csv::Error::from)?;
        Ok(count)
    }

    /// Removes the sign-up of `email` (however capitalised), its tokens, its queued emails and
    /// its mailbox copies, in one transaction.
    pub async fn forget(&self, email: &str) -> Result<Forgotten, StoreError> {
        let mut tx = self.pool().begin().await?;
        let key = email_key(email.trim());
        let mut gone = Forgotten::default();
        // Children first: no reliance on ON DELETE CASCADE being enforced.
        let by_signup = "(SELECT id FROM signups WHERE email_key = $1)";
        for (table, count) in [
            ("mailbox", &mut gone.mailbox_copies),
            ("email_outbox", &mut gone.emails_queued),
            ("confirmation_tokens", &mut gone.tokens),
        ] {
            // Only names from the list above are formatted in.
            let sql = format!("DELETE FROM {table} WHERE signup_id IN {by_signup}");
            *count = sqlx::query(AssertSqlSafe(sql))
                .bind(&key)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        gone.signups = sqlx::query("DELETE FROM signups WHERE email_key = $1")
            .bind(&key)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(gone)
    }
}

/// A cell starting with `= + - @`, a tab or a carriage return gets a leading `'`, so a
/// spreadsheet shows it as text instead of running it as a formula (OWASP "CSV injection").
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_defused() {
        for (cell, expected) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+12024561111", "'+12024561111"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Jane", "Jane"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(defuse(cell), expected, "{cell:?}");
        }
    }
}
