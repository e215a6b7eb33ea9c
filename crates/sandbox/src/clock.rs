//! A precise timer for simulated latency.
//!
//! Tokio's timer has 1 ms resolution and fires up to ~2 ms after the deadline (the deadline is
//! rounded up to a tick, then the driver's park timeout is rounded up again). That would add
//! up to 2 ms to every simulated provider call and blur benchmarks that measure a server's own
//! overhead in fractions of a millisecond. Here one thread keeps a heap of deadlines and sleeps
//! until the earliest with the OS's microsecond precision, then wakes the waiting tasks:
//! thousands of delays in flight cost heap entries, not threads.
//!
//! When only a few delays are pending (one client, as in a single-submission benchmark), the
//! thread hands each waiter over [`HANDOFF`] early and the waiter finishes the wait by yielding
//! until the deadline. A thread that slept 100 ms on this kind of VM takes several hundred
//! microseconds to run again after a wake-up; yielding keeps the answering worker awake, so the
//! answer leaves at the deadline instead of that long after it. Under load workers are awake
//! anyway and the hand-over is exact, so nothing spins.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

type Wake = oneshot::Sender<()>;

/// How early a waiter is woken while the timer is lightly loaded.
const HANDOFF: Duration = Duration::from_micros(800);
/// At most this many pending deadlines count as lightly loaded.
const LIGHT_LOAD: usize = 8;

/// A handle to the timer thread; the thread ends once every handle is dropped and no
/// deadline is pending.
#[derive(Debug)]
pub(crate) struct PreciseTimer {
    shared: Option<Arc<Shared>>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    /// Signalled only when a new deadline is earlier than the one the thread sleeps towards,
    /// or when the last handle goes: most registrations wake nobody.
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    heap: BinaryHeap<Pending>,
    seq: u64,
    handles: usize,
}

impl PreciseTimer {
    pub(crate) fn start() -> Self {
        let shared = Arc::new(Shared::default());
        lock(&shared.state).handles = 1;
        let worker = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("sandbox-timer".into())
            .spawn(move || run(&worker));
        PreciseTimer {
            shared: spawned.ok().map(|_| shared),
        }
    }

    /// Resolves at `deadline` (never before it). Falls back to Tokio's timer if the thread
    /// could not be started.
    pub(crate) async fn sleep_until(&self, deadline: Instant) {
        let Some(shared) = &self.shared else {
            return tokio::time::sleep_until(deadline.into()).await;
        };
        let (wake, woken) = oneshot::channel();
        {
            let mut state = lock(&shared.state);
            let earliest = state.heap.peek().map(Pending::deadline);
            state.seq += 1;
            let seq = state.seq;
            state.heap.push(Pending(Reverse((deadline, seq)), wake));
            if earliest.is_none_or(|e| deadline < e) {
                shared.changed.notify_one();
            }
        }
        if woken.await.is_err() {
            return tokio::time::sleep_until(deadline.into()).await;
        }
        // Handed over early (see the module's notes): never answer before the deadline.
        while Instant::now() < deadline {
            tokio::task::yield_now().await;
        }
    }
}

impl Clone for PreciseTimer {
    fn clone(&self) -> Self {
        if let Some(shared) = &self.shared {
            lock(&shared.state).handles += 1;
        }
        PreciseTimer {
            shared: self.shared.clone(),
        }
    }
}

impl Drop for PreciseTimer {
    fn drop(&mut self) {
        if let Some(shared) = &self.shared {
            let mut state = lock(&shared.state);
            state.handles = state.handles.saturating_sub(1);
            shared.changed.notify_one();
        }
    }
}

/// A poisoned lock only means a panic elsewhere; the heap is still consistent.
fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Heap entry ordered by deadline, then arrival, so equal deadlines wake in order.
#[derive(Debug)]
struct Pending(Reverse<(Instant, u64)>, Wake);

impl Pending {
    fn deadline(&self) -> Instant {
        self.0.0.0
    }
}

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

fn run(shared: &Shared) {
    let mut state = lock(&shared.state);
    loop {
        let handoff = if state.heap.len() <= LIGHT_LOAD {
            HANDOFF
        } else {
            Duration::ZERO
        };
        let now = Instant::now();
        let horizon = now + handoff;
        let mut due = Vec::new();
        while state.heap.peek().is_some_and(|p| p.deadline() <= horizon) {
            due.extend(state.heap.pop());
        }
        if !due.is_empty() {
            // Wake outside the lock so registrations are never held up by the wakes.
            drop(state);
            // A waiter may have gone (client hung up); nothing to do then.
            for Pending(_, wake) in due {
                let _ = wake.send(());
            }
            state = lock(&shared.state);
            continue;
        }
        state = match state.heap.peek().map(Pending::deadline) {
            Some(next) => {
                let wait = next.saturating_duration_since(horizon);
                shared
                    .changed
                    .wait_timeout(state, wait)
                    .map_or_else(|e| e.into_inner().0, |(s, _)| s)
            }
            None if state.handles == 0 => return,
            None => shared
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner),
        };
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

    #[test]
    fn the_thread_ends_when_the_last_handle_goes() {
        let timer = PreciseTimer::start();
        let shared = Arc::clone(timer.shared.as_ref().unwrap());
        let copy = timer.clone();
        drop(timer);
        drop(copy);
        let started = Instant::now();
        while Arc::strong_count(&shared) > 1 {
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "timer thread still running"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
