//! Group commit: sign-ups that arrive together are kept in one transaction.
//!
//! Each commit takes the database's write lock and writes every page it touched (SQLite has one
//! writer at a time), so one transaction per sign-up makes a busy server's requests queue on
//! the lock and rewrite the same pages over and over. One task takes whatever sign-ups are
//! waiting, up to [`BATCH`], and keeps them with one commit; each request waits for its own
//! answer, so a sign-up is durable before its page says so, as before.

use tokio::sync::{mpsc, oneshot};

use super::signups::{Kept, NewSignup};
use super::{Store, StoreError};

/// Sign-ups per transaction, at most.
const BATCH: usize = 64;
/// Sign-ups waiting for the writer, at most; a request beyond it waits to be queued.
const QUEUE: usize = 1024;

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
    while waiting.recv_many(&mut batch, BATCH).await > 0 {
        commit(&store, std::mem::take(&mut batch)).await;
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
