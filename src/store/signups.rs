//! Sign-ups: keeping one with its email job in one transaction, and confirming it by token.

use std::collections::{HashMap, HashSet};

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::ids::{self, new_id};
use super::{Backend, Store, StoreError, now_us, placeholders};
use crate::domain::address::AddressInput;
use crate::domain::form::Submission;

pub const PENDING: &str = "pending_confirmation";
pub const CONFIRMED: &str = "confirmed";

/// A valid submission's values, normalised by the domain types, ready to store.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSignup {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// E.164
    pub phone: String,
    pub address: String,
    pub address2: String,
    pub city: String,
    pub state: &'static str,
    pub zip: String,
}

/// Personal data stays out of logs.
impl std::fmt::Debug for NewSignup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSignup { .. }")
    }
}

impl NewSignup {
    /// The values of a submission whose every required field parsed; the engine's verdict
    /// (not this) decides whether it is valid.
    pub fn from_submission(sub: &Submission) -> Result<NewSignup, StoreError> {
        fn value<'a, E>(r: Result<&'a str, E>, name: &'static str) -> Result<&'a str, StoreError> {
            r.map_err(|_| StoreError::Incomplete(name))
        }
        let AddressInput::Complete(addr) = &sub.address else {
            return Err(StoreError::Incomplete("address"));
        };
        Ok(NewSignup {
            email: value(sub.email.as_ref().map(AsRef::as_ref), "email")?.to_owned(),
            first_name: value(sub.first_name.as_ref().map(AsRef::as_ref), "firstName")?.to_owned(),
            last_name: value(sub.last_name.as_ref().map(AsRef::as_ref), "lastName")?.to_owned(),
            phone: value(sub.phone.as_ref().map(|p| p.e164()), "phoneNumber")?.to_owned(),
            address: addr.primary_line.clone(),
            address2: addr.secondary_line.clone(),
            city: addr.city.clone(),
            state: addr.state.code(),
            zip: addr.zip.full().to_owned(),
        })
    }
}

/// One sign-up per mailbox, however its address was capitalised.
pub fn email_key(email: &str) -> String {
    email.to_lowercase()
}

/// What keeping a sign-up did. Only metrics and the API's id use it: the person is told the
/// same thing either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub id: String,
    /// False when the address had signed up before.
    pub new: bool,
}

/// What a confirmation link found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// The sign-up is confirmed now.
    Confirmed,
    /// The link was used before, or has expired.
    Spent,
    /// No such token.
    Unknown,
}

impl Store {
    /// Stores the sign-up (or refreshes a pending one with the same address) and queues its
    /// email, in one transaction. A confirmed sign-up is left as it is: only its owner's
    /// mailbox hears of the new attempt. A job still waiting is not doubled: it is composed when
    /// sent, from the sign-up as it is then.
    pub async fn keep(&self, signup: &NewSignup) -> Result<Kept, StoreError> {
        let kept = self.keep_all(std::slice::from_ref(signup)).await?;
        Ok(kept.into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
    }

    /// [`Store::keep`] for several sign-ups in one transaction (see [`super::writer`]): one
    /// lock and one commit for all of them. The answers are in the order of `signups`.
    pub async fn keep_all(&self, signups: &[NewSignup]) -> Result<Vec<Kept>, StoreError> {
        let keys: Vec<String> = signups.iter().map(|s| email_key(&s.email)).collect();
        let distinct = keys.iter().collect::<HashSet<_>>().len() == keys.len();
        let mut tx = self.pool().begin().await?;
        let kept = if distinct {
            keep_in(&mut tx, self.backend(), signups, &keys).await?
        } else {
            // One address twice in a statement is refused by PostgreSQL: row by row, in order.
            let mut kept = Vec::with_capacity(signups.len());
            for (signup, key) in signups.iter().zip(&keys) {
                let (signup, key) = (std::slice::from_ref(signup), std::slice::from_ref(key));
                kept.extend(keep_in(&mut tx, self.backend(), signup, key).await?);
            }
            kept
        };
        tx.commit().await?;
        Ok(kept)
    }

    /// Spends a confirmation token: the first use confirms its sign-up and spends every other
    /// link sent for it; a used or expired token is `Spent`.
    pub async fn confirm(&self, token: &str) -> Result<Confirmation, StoreError> {
        if !ids::looks_like_token(token) {
            return Ok(Confirmation::Unknown);
        }
        let hash = ids::hash_token(token);
        let now = now_us();
        let mut tx = self.pool().begin().await?;
        let spent = sqlx::query(
            "UPDATE confirmation_tokens SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING signup_id",
        )
        .bind(&hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = spent else {
            let known =
                sqlx::query("SELECT 1 AS one FROM confirmation_tokens WHERE token_hash = $1")
                    .bind(&hash)
                    .fetch_optional(&mut *tx)
                    .await?;
            tx.rollback().await?;
            return Ok(match known {
                Some(_) => Confirmation::Spent,
                None => Confirmation::Unknown,
            });
        };
        let signup_id: String = row.try_get("signup_id")?;
        sqlx::query(
            "UPDATE signups SET status = $2, confirmed_at = COALESCE(confirmed_at, $3), \
             updated_at = $3 WHERE id = $1",
        )
        .bind(&signup_id)
        .bind(CONFIRMED)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE confirmation_tokens SET used_at = $2 WHERE signup_id = $1 AND used_at IS NULL",
        )
        .bind(&signup_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Confirmation::Confirmed)
    }
}

/// Sign-ups with distinct addresses and their email jobs, inside the caller's transaction, with
/// two statements for all of them (a statement is a round trip to the database; for SQLite, to
/// its thread). `keys` are their [`email_key`]s.
async fn keep_in(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    signups: &[NewSignup],
    keys: &[String],
) -> Result<Vec<Kept>, StoreError> {
    let now = now_us();
    let fresh: Vec<String> = signups.iter().map(|_| new_id()).collect::<Result<_, _>>()?;
    let sql = format!(
        "INSERT INTO signups (id, email_key, email, first_name, last_name, phone, address, \
         address2, city, state, zip, status, created_at, updated_at) VALUES {} \
         ON CONFLICT (email_key) DO UPDATE SET updated_at = excluded.updated_at \
         RETURNING id, email_key, status",
        placeholders(signups.len(), 14, 1)
    );
    // Only numbered placeholders are formatted in. A write first: SQLite takes its write lock
    // here, not on a later statement where a deferred transaction could no longer wait for it.
    let mut insert = sqlx::query(AssertSqlSafe(backend.positional(&sql)));
    for ((signup, id), key) in signups.iter().zip(&fresh).zip(keys) {
        insert = bind_details(insert.bind(id).bind(key), signup)
            .bind(PENDING)
            .bind(now)
            .bind(now);
    }
    // RETURNING gives rows in no promised order: they are matched by address.
    let mut stored = HashMap::with_capacity(signups.len());
    for row in insert.fetch_all(&mut **tx).await? {
        let key: String = row.try_get("email_key")?;
        stored.insert(
            key,
            (
                row.try_get::<String, _>("id")?,
                row.try_get::<String, _>("status")?,
            ),
        );
    }
    let mut kept = Vec::with_capacity(signups.len());
    for ((signup, key), fresh_id) in signups.iter().zip(keys).zip(&fresh) {
        let (id, status) = stored.remove(key).ok_or(sqlx::Error::RowNotFound)?;
        let new = id == *fresh_id;
        if !new && status == PENDING {
            refresh_in(tx, &id, signup).await?;
        }
        kept.push(Kept { id, new });
    }
    queue_emails_in(tx, backend, &kept, now).await?;
    Ok(kept)
}

/// A pending sign-up signed up again: the latest details are the ones to confirm.
async fn refresh_in(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    signup: &NewSignup,
) -> Result<(), StoreError> {
    let update = sqlx::query(
        "UPDATE signups SET email = $2, first_name = $3, last_name = $4, phone = $5, \
         address = $6, address2 = $7, city = $8, state = $9, zip = $10 WHERE id = $1",
    )
    .bind(id);
    bind_details(update, signup).execute(&mut **tx).await?;
    Ok(())
}

/// An email job for each sign-up of `kept` that has none waiting, in one statement.
async fn queue_emails_in(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    kept: &[Kept],
    now: i64,
) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO email_outbox (id, signup_id, state, attempts, run_at, created_at) \
         SELECT v.column1, v.column2, 'queued', 0, v.column3, v.column3 FROM (VALUES {}) AS v \
         WHERE NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.signup_id = v.column2 \
         AND o.state = 'queued' AND o.lease_owner IS NULL)",
        placeholders(kept.len(), 3, 1)
    );
    // Only numbered placeholders are formatted in.
    let mut insert = sqlx::query(AssertSqlSafe(backend.positional(&sql)));
    for k in kept {
        insert = insert.bind(new_id()?).bind(&k.id).bind(now);
    }
    insert.execute(&mut **tx).await?;
    Ok(())
}

/// Binds a sign-up's nine details in the order of the `signups` columns: email, first_name,
/// last_name, phone, address, address2, city, state, zip.
fn bind_details<'q>(
    query: Query<'q, Any, AnyArguments>,
    signup: &'q NewSignup,
) -> Query<'q, Any, AnyArguments> {
    query
        .bind(&signup.email)
        .bind(&signup.first_name)
        .bind(&signup.last_name)
        .bind(&signup.phone)
        .bind(&signup.address)
        .bind(&signup.address2)
        .bind(&signup.city)
        .bind(signup.state)
        .bind(&signup.zip)
}
