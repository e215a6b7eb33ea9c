//! Group commit: sign-ups that arrive together are kept in one transaction.
//!
//! Each commit takes the database's write lock and writes every page it touched (SQLite has one
//! writer at a time), so one transaction per sign-up makes a busy server's requests queue on
//! the lock and rewrite the same pages over and over. One task takes whatever sign-ups are
//! waiting, up to [`BATCH`], and keeps them with one commit; each request waits for its own
//! answer, so a sign-up is durable before its page says so, as before.
//!
//! Under a steady load sign-ups arrive a few at a time, and each transaction costs the same
//! handful of hand-offs to the database whatever its size; so while the writer is busy it waits
//! a moment for more before it commits. A sign-up after a quiet spell is committed at once.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, timeout_at};

use super::signups::{Kept, NewSignup};
use super::{Store, StoreError};

/// Sign-ups per transaction, at most.
const BATCH: usize = 64;
/// Sign-ups waiting for the writer, at most; a request beyond it waits to be queued.
const QUEUE: usize = 1024;
/// How long a busy writer waits for more sign-ups to join a transaction.
const LINGER: Duration = Duration::from_millis(1);
/// The writer counts as busy when its last commit ended less than this before a sign-up came.
const BUSY: Duration = Duration::from_millis(5);

struct Pending {
    signup: NewSignup,
    reply: oneshot::Sender<Result<Kept, StoreError>>,
}

/// The way into the writer task. Cheap to clone; the task ends when the last clone is dropped.
#[derive(Clone)]
pub struct SignupWriter {
    queue: mpsc::Sender<Pending>,
}

impl SignupWriter {
    /// Starts the writer task on `store`; whoever opened `store` closes it (it may be shared).
    pub fn spawn(store: Store) -> SignupWriter {
        let (queue, waiting) = mpsc::channel(QUEUE);
        tokio::spawn(run(store, waiting));
        SignupWriter { queue }
    }

    /// Keeps `signup` (see [`Store::keep`]) in the next transaction the writer commits.
    pub async fn keep(&self, signup: NewSignup) -> Result<Kept, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { signup, reply })
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }
}

async fn run(store: Store, mut waiting: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut last_commit: Option<Instant> = None;
    while waiting.recv_many(&mut batch, BATCH).await > 0 {
        if last_commit.is_some_and(|at| at.elapsed() < BUSY) {
            gather(&mut waiting, &mut batch, Instant::now() + LINGER).await;
        }
        commit(&store, std::mem::take(&mut batch)).await;
        last_commit = Some(Instant::now());
    }
}

/// Adds to `batch` what arrives by `until`, up to [`BATCH`].
async fn gather(waiting: &mut mpsc::Receiver<Pending>, batch: &mut Vec<Pending>, until: Instant) {
    while batch.len() < BATCH {
        let room = BATCH - batch.len();
        match timeout_at(until, waiting.recv_many(batch, room)).await {
            Ok(n) if n > 0 => {}
            // Out of time, or every sender is gone: commit what there is.
            _ => return,
        }
    }
}

async fn commit(store: &Store, batch: Vec<Pending>) {
    let (signups, replies): (Vec<_>, Vec<_>) =
        batch.into_iter().map(|p| (p.signup, p.reply)).unzip();
    match store.keep_all(&signups).await {
        Ok(kept) => {
            for (reply, kept) in replies.into_iter().zip(kept) {
                let _ = reply.send(Ok(kept));
            }
        }
        Err(err) if replies.len() == 1 => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(err));
            }
        }
        Err(err) => {
            // One sign-up must not fail the others: each is tried again on its own.
            tracing::warn!(error = %err, size = signups.len(),
                "keeping sign-ups together failed; keeping each on its own");
            for (signup, reply) in signups.iter().zip(replies) {
                let _ = reply.send(store.keep(signup).await);
            }
        }
    }
}
