//! The threads that serve requests: one single-threaded Tokio runtime per worker, each owning
//! the connections it was given, their requests, and its own h2c connections to providers.
//!
//! Why not Tokio's work-stealing runtime: a submission is ~0.2 ms of CPU spread over four
//! wake-ups (the form, then each provider's answer), and with stealing workers a wake-up on one
//! often woke the other to look for work, and an answer read by one worker's connection task
//! woke a request task on the other. On 2 cores at C = 256 submissions in flight (wrk against
//! `vouch sandbox`, 100 / 200 / 300 ms), vouch spent 0.30–0.32 ms of CPU per submission on the
//! stealing runtime and 0.21–0.23 ms with two workers here, at the same throughput; at C = 1024
//! two workers kept p99 at 358–364 ms where one alone let it reach 389–450 (bench/FINDINGS.md).
//! A connection stays on its worker for life, so workers are balanced by open connections.

use std::cell::Cell;
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::net::TcpStream;
use tokio::runtime::{Builder, Handle};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

thread_local! {
    /// Which worker this thread is; threads vouch did not start count as worker 0.
    static INDEX: Cell<usize> = const { Cell::new(0) };
}

/// The worker running the calling thread (0 outside vouch's worker threads).
pub fn current() -> usize {
    INDEX.with(Cell::get)
}

/// One worker per CPU that may run at once (cgroup quotas included): the default of both
/// `vouch serve` and `vouch sandbox`.
pub fn per_cpu() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Worker 0 is the runtime that calls [`Workers::start`]; the others run on threads of their own
/// until the `Workers` is dropped.
pub struct Workers {
    others: Vec<Worker>,
    /// Connections each worker is serving, to hand a new one to the least busy.
    load: Arc<[AtomicUsize]>,
}

struct Worker {
    handle: Handle,
    /// Dropped with the worker: its thread then stops its runtime.
    _stop: oneshot::Sender<()>,
}

impl Workers {
    /// Only the calling runtime.
    pub fn here() -> Workers {
        Workers {
            others: Vec::new(),
            load: Arc::from([AtomicUsize::new(0)]),
        }
    }

    /// `count` workers: the calling runtime and `count - 1` new threads.
    pub fn start(count: NonZeroUsize) -> std::io::Result<Workers> {
        let mut others = Vec::with_capacity(count.get() - 1);
        for index in 1..count.get() {
            let runtime = Builder::new_current_thread().enable_all().build()?;
            let handle = runtime.handle().clone();
            let (stop, stopped) = oneshot::channel::<()>();
            std::thread::Builder::new()
                .name(format!("vouch-worker-{index}"))
                .spawn(move || {
                    INDEX.with(|i| i.set(index));
                    let _ = runtime.block_on(stopped);
                    // Connections still open were given their grace by the server already.
                    runtime.shutdown_background();
                })?;
            others.push(Worker {
                handle,
                _stop: stop,
            });
        }
        let load = (0..count.get()).map(|_| AtomicUsize::new(0)).collect();
        Ok(Workers { others, load })
    }

    pub fn count(&self) -> NonZeroUsize {
        NonZeroUsize::MIN.saturating_add(self.others.len())
    }

    /// Runs `serve_connection` on the worker serving the fewest connections. A socket belongs
    /// to the event loop that registered it, so one bound for another worker is moved there.
    pub fn spread<F, Fut>(&self, tcp: TcpStream, serve_connection: F)
    where
        F: FnOnce(TcpStream) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let index = self.least_busy();
        let load = Arc::clone(&self.load);
        load[index].fetch_add(1, Ordering::Relaxed);
        let done = move || load[index].fetch_sub(1, Ordering::Relaxed);
        if index == 0 {
            tokio::spawn(async move {
                serve_connection(tcp).await;
                done();
            });
            return;
        }
        let Ok(tcp) = tcp.into_std() else {
            done();
            return;
        };
        self.spawn_on(index, async move {
            if let Ok(tcp) = TcpStream::from_std(tcp) {
                serve_connection(tcp).await;
            }
            done();
        });
    }

    /// Runs `task` on worker `index` (0: the calling runtime).
    pub fn spawn_on<F>(&self, index: usize, task: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match index.checked_sub(1).and_then(|i| self.others.get(i)) {
            Some(worker) => worker.handle.spawn(task),
            None => tokio::spawn(task),
        }
    }

    fn least_busy(&self) -> usize {
        (0..self.load.len())
            .min_by_key(|&i| self.load[i].load(Ordering::Relaxed))
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    #[tokio::test]
    async fn each_worker_runs_on_its_own_thread() {
        let workers = Workers::start(NonZeroUsize::new(3).unwrap()).unwrap();
        assert_eq!(workers.count().get(), 3);
        for index in 0..3 {
            let (seen, thread) = workers
                .spawn_on(index, async { (current(), std::thread::current().id()) })
                .await
                .unwrap();
            assert_eq!(seen, index);
            assert_eq!(thread == std::thread::current().id(), index == 0);
        }
    }

    /// Accepts one connection from a new client and spreads it; the worker serving it records
    /// its index and keeps it open until the client closes it.
    async fn open(
        workers: &Workers,
        listener: &TcpListener,
        served_by: &Arc<Mutex<Vec<usize>>>,
    ) -> TcpStream {
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (tcp, _) = listener.accept().await.unwrap();
        let served_by = Arc::clone(served_by);
        workers.spread(tcp, move |mut tcp| async move {
            served_by.lock().unwrap().push(current());
            let _ = tcp.read(&mut [0u8; 1]).await;
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        client
    }

    #[tokio::test]
    async fn connections_go_to_the_least_busy_worker_and_are_served_there() {
        let workers = Workers::start(NonZeroUsize::new(2).unwrap()).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let served_by = Arc::new(Mutex::new(Vec::new()));
        let mut clients = Vec::new();
        for _ in 0..4 {
            clients.push(open(&workers, &listener, &served_by).await);
        }
        let mut seen = served_by.lock().unwrap().clone();
        seen.sort_unstable();
        assert_eq!(seen, [0, 0, 1, 1]);

        // Two close on worker 1 (ties go to the lower index: 0, 1, 0, 1): the next two
        // connections go there.
        drop(clients.remove(3));
        drop(clients.remove(1));
        tokio::time::sleep(Duration::from_millis(50)).await;
        served_by.lock().unwrap().clear();
        for _ in 0..2 {
            clients.push(open(&workers, &listener, &served_by).await);
        }
        assert_eq!(*served_by.lock().unwrap(), [1, 1]);
    }
}
