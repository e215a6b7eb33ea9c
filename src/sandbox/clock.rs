//! A precise timer for simulated latency.
//!
//! Tokio's timer has 1 ms resolution and fires up to ~2 ms after the deadline (the deadline is
//! rounded up to a tick, then the driver's park timeout is rounded up again). That would add
//! up to 2 ms to every simulated provider call and blur benchmarks that measure a server's own
//! overhead in fractions of a millisecond. Here one thread keeps a heap of deadlines and sleeps
//! until the earliest with the OS's microsecond precision, then wakes the waiting tasks:
//! thousands of delays in flight cost heap entries, not threads.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use tokio::sync::oneshot;

type Wake = oneshot::Sender<()>;

/// A handle to the timer thread; the thread ends once every handle is dropped and no
/// deadline is pending.
#[derive(Debug, Clone)]
pub(crate) struct PreciseTimer {
    requests: Option<mpsc::Sender<(Instant, Wake)>>,
}

impl PreciseTimer {
    pub(crate) fn start() -> Self {
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("sandbox-timer".into())
            .spawn(move || run(&rx));
        PreciseTimer {
            requests: spawned.ok().map(|_| tx),
        }
    }

    /// Resolves at `deadline` (never before it). Falls back to Tokio's timer if the thread
    /// could not be started or has gone.
    pub(crate) async fn sleep_until(&self, deadline: Instant) {
        let (wake, woken) = oneshot::channel();
        let queued = self
            .requests
            .as_ref()
            .is_some_and(|tx| tx.send((deadline, wake)).is_ok());
        if !queued || woken.await.is_err() {
            tokio::time::sleep_until(deadline.into()).await;
        }
    }
}

/// Heap entry ordered by deadline, then arrival, so equal deadlines wake in order.
struct Pending(Reverse<(Instant, u64)>, Wake);

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

fn run(requests: &mpsc::Receiver<(Instant, Wake)>) {
    let mut heap: BinaryHeap<Pending> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut open = true;
    loop {
        let now = Instant::now();
        while heap.peek().is_some_and(|p| p.0.0.0 <= now) {
            if let Some(Pending(_, wake)) = heap.pop() {
                // The waiter may have gone (client hung up); nothing to do then.
                let _ = wake.send(());
            }
        }
        let received = match (heap.peek(), open) {
            (None, false) => return,
            (None, true) => requests.recv().map_err(|_| RecvTimeoutError::Disconnected),
            (Some(next), true) => requests.recv_timeout(next.0.0.0.saturating_duration_since(now)),
            (Some(next), false) => {
                std::thread::sleep(next.0.0.0.saturating_duration_since(now));
                continue;
            }
        };
        match received {
            Ok((deadline, wake)) => {
                seq += 1;
                heap.push(Pending(Reverse((deadline, seq)), wake));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => open = false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn sleeps_end_at_their_deadline_not_before_and_barely_after() {
        let timer = PreciseTimer::start();
        let mut late = Vec::new();
        for ms in [5u64, 20, 1, 13] {
            let deadline = Instant::now() + Duration::from_millis(ms);
            timer.sleep_until(deadline).await;
            let now = Instant::now();
            assert!(now >= deadline, "woke early");
            late.push(now - deadline);
        }
        late.sort();
        // Generous: CI machines are busy. Tokio's own timer is typically 1–2 ms late.
        assert!(late[1] < Duration::from_millis(5), "{late:?}");
    }

    #[tokio::test]
    async fn many_concurrent_sleeps_share_one_thread() {
        let timer = PreciseTimer::start();
        let start = Instant::now();
        let sleeps = (0..2000u64).map(|i| {
            let timer = timer.clone();
            async move {
                timer
                    .sleep_until(start + Duration::from_millis(10 + i % 40))
                    .await
            }
        });
        futures::future::join_all(sleeps).await;
        assert!(start.elapsed() >= Duration::from_millis(49));
        assert!(start.elapsed() < Duration::from_secs(2));
    }
}
