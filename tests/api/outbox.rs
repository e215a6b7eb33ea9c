//! The outbox on each database: a job is leased to one worker at a time, taken again when its
//! lease runs out, and claimed exactly once by workers racing for it. SQLite always;
//! PostgreSQL when VOUCH_TEST_POSTGRES_URL names one.

use std::collections::HashSet;
use std::time::Duration;

use vouch::store::signups::NewSignup;
use vouch::store::{Store, now_us};

use crate::helpers::{fresh_sqlite_file, postgres_database};

const LEASE: i64 = 30_000_000;

fn person(n: usize) -> NewSignup {
    NewSignup {
        email: format!("person{n}@example.com"),
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        phone: "+12024561111".into(),
        address: "2600 Pearl St".into(),
        address2: String::new(),
        city: "Boulder".into(),
        state: "CO",
        zip: "80302".into(),
    }
}

async fn sqlite_store() -> Store {
    let url = format!("sqlite://{}", fresh_sqlite_file().display());
    Store::open(&url.into()).await.unwrap()
}

async fn postgres_store() -> Option<Store> {
    let url = postgres_database().await?;
    Some(Store::open(&url.into()).await.unwrap())
}

async fn a_lease_holds_a_job_until_it_runs_out(store: Store) {
    store.keep(&person(1)).await.unwrap();
    let now = now_us();
    let taken = store.claim("a", now, now + LEASE, 10).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].attempts, 1);
    assert!(
        store
            .claim("b", now + 1, now + LEASE, 10)
            .await
            .unwrap()
            .is_empty(),
        "held by a"
    );
    // Worker a died: once its lease is over, b takes the job.
    let later = now + LEASE + 1;
    let retaken = store.claim("b", later, later + LEASE, 10).await.unwrap();
    assert_eq!(retaken.len(), 1);
    assert_eq!(
        (retaken[0].id.as_str(), retaken[0].attempts),
        (taken[0].id.as_str(), 2)
    );
    assert!(
        !store.mark_sent(&taken[0], "a").await.unwrap(),
        "a's lease is gone"
    );
    assert!(store.mark_sent(&retaken[0], "b").await.unwrap());
    let much_later = later + 10 * LEASE;
    assert!(
        store
            .claim("c", much_later, much_later + LEASE, 10)
            .await
            .unwrap()
            .is_empty(),
        "sent"
    );
    assert_eq!(store.queue_stats().await.unwrap().queued, 0);
}

async fn racing_workers_claim_every_job_exactly_once(store: Store) {
    const JOBS: usize = 200;
    for n in 0..JOBS {
        store.keep(&person(n)).await.unwrap();
    }
    assert_eq!(store.queue_stats().await.unwrap().queued, JOBS as i64);
    let workers = (0..8).map(|w| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let now = now_us();
                let jobs = store
                    .claim(&format!("w{w}"), now, now + LEASE, 7)
                    .await
                    .unwrap();
                if jobs.is_empty() {
                    return mine;
                }
                mine.extend(jobs.into_iter().map(|j| j.id));
                tokio::task::yield_now().await;
            }
        })
    });
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), JOBS, "every job claimed once, none twice");
    assert_eq!(distinct.len(), JOBS);
}

#[tokio::test]
async fn a_lease_holds_a_job_until_it_runs_out_on_sqlite() {
    a_lease_holds_a_job_until_it_runs_out(sqlite_store().await).await;
}

#[tokio::test]
async fn a_lease_holds_a_job_until_it_runs_out_on_postgres() {
    if let Some(store) = postgres_store().await {
        a_lease_holds_a_job_until_it_runs_out(store).await;
    }
}

#[tokio::test]
async fn racing_workers_claim_every_job_exactly_once_on_sqlite() {
    racing_workers_claim_every_job_exactly_once(sqlite_store().await).await;
}

#[tokio::test]
async fn racing_workers_claim_every_job_exactly_once_on_postgres() {
    if let Some(store) = postgres_store().await {
        racing_workers_claim_every_job_exactly_once(store).await;
    }
}

#[tokio::test]
async fn a_sign_up_stored_while_no_worker_runs_gets_its_email_after_a_restart() {
    let url = format!("sqlite://{}", fresh_sqlite_file().display());
    let store = Store::open(&url.clone().into()).await.unwrap();
    store.keep(&person(1)).await.unwrap();
    store.close().await;
    // The process that stored it is gone; a new one starts on the same database.
    let app = crate::helpers::spawn_app_with(|s| s.database_url = url.into()).await;
    app.wait_for_mail("person1@example.com", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.mailbox().await.len(), 1, "exactly once");
}

#[tokio::test]
async fn an_expired_link_is_spent_and_confirms_nothing() {
    use vouch::store::ids::Token;
    use vouch::store::outbox::IssuedToken;
    use vouch::store::signups::Confirmation;
    let store = sqlite_store().await;
    store.keep(&person(1)).await.unwrap();
    let now = now_us();
    let job = store
        .claim("a", now, now + LEASE, 1)
        .await
        .unwrap()
        .remove(0);
    let (expired, fresh) = (Token::generate().unwrap(), Token::generate().unwrap());
    let issue = |token, expires_at| store.issue_token(&job, IssuedToken { token, expires_at });
    issue(&expired, now - 1).await.unwrap();
    issue(&fresh, now + LEASE).await.unwrap();
    assert_eq!(
        store.confirm(&expired.secret).await.unwrap(),
        Confirmation::Spent
    );
    assert_eq!(
        store.confirm(&fresh.secret).await.unwrap(),
        Confirmation::Confirmed
    );
    assert_eq!(
        store.confirm(&fresh.secret).await.unwrap(),
        Confirmation::Spent
    );
    assert_eq!(
        store.confirm(&"x".repeat(43)).await.unwrap(),
        Confirmation::Unknown
    );
}

async fn sign_ups_arriving_together_are_each_kept_once_with_one_email(store: Store) {
    use vouch::store::writer::SignupWriter;
    const PEOPLE: usize = 300;
    let writer = SignupWriter::spawn(store.clone());
    // Every person twice, all at once: the second copies (in later batches) meet the first.
    let kept =
        futures::future::join_all((0..2 * PEOPLE).map(|n| writer.keep(person(n % PEOPLE)))).await;
    let kept: Vec<_> = kept.into_iter().map(Result::unwrap).collect();
    let ids: HashSet<_> = kept.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids.len(), PEOPLE, "one sign-up per person");
    assert_eq!(
        kept.iter().filter(|k| k.new).count(),
        PEOPLE,
        "each new once"
    );
    let now = now_us();
    let jobs = store.claim("w", now, now + LEASE, 10_000).await.unwrap();
    assert_eq!(
        jobs.len(),
        PEOPLE,
        "one email job per person, however often they signed up"
    );
}

#[tokio::test]
async fn sign_ups_arriving_together_are_each_kept_once_with_one_email_on_sqlite() {
    sign_ups_arriving_together_are_each_kept_once_with_one_email(sqlite_store().await).await;
}

#[tokio::test]
async fn sign_ups_arriving_together_are_each_kept_once_with_one_email_on_postgres() {
    if let Some(store) = postgres_store().await {
        sign_ups_arriving_together_are_each_kept_once_with_one_email(store).await;
    }
}

async fn sign_ups_one_after_another_are_each_answered(store: Store) {
    use vouch::store::writer::SignupWriter;
    let writer = SignupWriter::spawn(store.clone());
    for n in 0..20 {
        // Each comes right after the last commit, so the writer is busy and waits for company
        // that never comes; after the tenth, a quiet spell, so it commits at once.
        if n == 10 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let kept = tokio::time::timeout(Duration::from_secs(5), writer.keep(person(n)))
            .await
            .expect("the writer answers by itself");
        assert!(kept.unwrap().new);
    }
    let now = now_us();
    let jobs = store.claim("w", now, now + LEASE, 100).await.unwrap();
    assert_eq!(jobs.len(), 20, "an email job each");
}

#[tokio::test]
async fn sign_ups_one_after_another_are_each_answered_on_sqlite() {
    sign_ups_one_after_another_are_each_answered(sqlite_store().await).await;
}

#[tokio::test]
async fn sign_ups_one_after_another_are_each_answered_on_postgres() {
    if let Some(store) = postgres_store().await {
        sign_ups_one_after_another_are_each_answered(store).await;
    }
}

async fn a_batch_refreshes_a_pending_sign_up_and_queues_one_email_each(store: Store) {
    let first = store.keep(&person(1)).await.unwrap();
    let moved = NewSignup {
        city: "Denver".into(),
        ..person(1)
    };
    let kept = store.keep_all(&[moved, person(2)]).await.unwrap();
    assert_eq!(kept[0].id, first.id, "the same sign-up");
    assert!(!kept[0].new);
    assert!(kept[1].new);
    // One address twice in one batch: still one sign-up, with the later details.
    let earlier = NewSignup {
        city: "Aurora".into(),
        ..person(3)
    };
    let twice = store.keep_all(&[earlier, person(3)]).await.unwrap();
    assert_eq!(twice[0].id, twice[1].id, "one sign-up");
    assert!(twice[0].new && !twice[1].new);
    let mut csv = Vec::new();
    store.export_csv(&mut csv).await.unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let city = |who: &str| {
        let line = csv.lines().find(|l| l.contains(who)).unwrap();
        line.split(',').nth(7).unwrap().to_owned()
    };
    assert_eq!(city("person1@"), "Denver", "latest details");
    assert_eq!(city("person3@"), "Boulder", "latest details");
    assert_eq!(csv.lines().count(), 4, "a header and three sign-ups: {csv}");
    let now = now_us();
    let jobs = store.claim("w", now, now + LEASE, 100).await.unwrap();
    assert_eq!(
        jobs.len(),
        3,
        "one email each: a waiting one is not doubled"
    );
}

#[tokio::test]
async fn a_batch_refreshes_a_pending_sign_up_and_queues_one_email_each_on_sqlite() {
    a_batch_refreshes_a_pending_sign_up_and_queues_one_email_each(sqlite_store().await).await;
}

#[tokio::test]
async fn a_batch_refreshes_a_pending_sign_up_and_queues_one_email_each_on_postgres() {
    if let Some(store) = postgres_store().await {
        a_batch_refreshes_a_pending_sign_up_and_queues_one_email_each(store).await;
    }
}
