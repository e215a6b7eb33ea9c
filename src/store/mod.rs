//! Persistence: sign-ups, confirmation tokens, the email outbox and the embedded mailbox, in
//! SQLite (a file, the default) or PostgreSQL, chosen by the URL.
//!
//! Both go through sqlx's `Any` driver with runtime-checked queries, so there is one copy of
//! every statement and no database is needed at build time. The schema uses only `TEXT` and
//! `BIGINT` (times are Unix microseconds), the two types `Any` maps the same way on both.
//! Where the dialects differ (`FOR UPDATE SKIP LOCKED`), [`Backend`] says so in one place.

pub mod admin;
pub mod ids;
pub mod mailbox;
pub mod outbox;
pub mod signups;
pub mod writer;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, Pool};

/// The embedded migrations, run at start (and by the `signups` commands).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of `url`, from its scheme; `None` for any other database.
    pub fn of(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':').map_or("", |(s, _)| s);
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// `sql` as this backend binds it cheapest: PostgreSQL keeps `$1, $2, …`; for SQLite they
    /// become `?`, because sqlx asks SQLite for every numbered parameter's name, and SQLite finds
    /// a name by scanning all of them: quadratic in a statement of many rows. `?` binds by
    /// position, so this holds only when the numbers appear in order, each once; any other
    /// statement is returned as it is.
    pub fn positional(self, sql: &str) -> String {
        if self == Backend::Postgres {
            return sql.to_owned();
        }
        let mut out = String::with_capacity(sql.len());
        let mut expected = 1usize;
        let mut rest = sql;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let digits = rest[at + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len() - at - 1);
            if rest[at + 1..at + 1 + digits].parse() != Ok(expected) {
                return sql.to_owned();
            }
            out.push('?');
            expected += 1;
            rest = &rest[at + 1 + digits..];
        }
        out.push_str(rest);
        out
    }

    /// How a claim's inner `SELECT` keeps two workers off one row. SQLite runs one writer at a
    /// time, so its single `UPDATE … RETURNING` is atomic without it.
    fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database URL must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("running the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the system's random number generator failed")]
    Random,
    #[error("the submission has no value for {0}, so it cannot be kept")]
    Incomplete(&'static str),
    #[error("the sign-up writer has stopped")]
    Closed,
}

/// Who a pool serves: its size differs.
#[derive(Clone, Copy)]
enum Role {
    Web,
    Writer,
    Worker,
}

/// A pool on one database, and which kind it is. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Any>,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Store {
    /// Connects, creating a SQLite file if it is missing, and brings the schema up to date.
    pub async fn open(url: &SecretString) -> Result<Store, StoreError> {
        let store = Store::connect(url, Role::Web).await?;
        MIGRATOR.run(&store.pool).await?;
        Ok(store)
    }

    /// A one-connection pool for the sign-up writer ([`writer`]), which commits one batch at a
    /// time: on SQLite its page cache then stays warm between batches instead of being reloaded
    /// by whichever pooled connection the last commit did not use. Open it after
    /// [`Store::open`].
    pub async fn open_for_writer(url: &SecretString) -> Result<Store, StoreError> {
        Store::connect(url, Role::Writer).await
    }

    /// The pool for the email worker, so that marking an email sent never waits behind web
    /// requests for a connection: that wait is the window in which a crash sends an email
    /// twice. On PostgreSQL a small pool of its own; on SQLite, which has one writer at a time,
    /// `writes` itself: the worker then waits its turn in the pool's queue and is handed the
    /// connection the moment the writer lets go, where with two connections the one that found
    /// the file locked would sleep in SQLite's busy handler (1 to 100 ms a try) and write later.
    pub async fn open_for_worker(url: &SecretString, writes: &Store) -> Result<Store, StoreError> {
        match writes.backend {
            Backend::Sqlite => Ok(writes.clone()),
            Backend::Postgres => Store::connect(url, Role::Worker).await,
        }
    }

    async fn connect(url: &SecretString, role: Role) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let url = url.expose_secret();
        let backend = Backend::of(url).ok_or(StoreError::UnsupportedUrl)?;
        let url = match backend {
            Backend::Sqlite => create_if_missing(url),
            Backend::Postgres => url.to_owned(),
        };
        let connections = match (backend, role) {
            // One writer at a time: a few connections queue in the pool instead of spinning
            // in SQLite's busy handler. sqlx sets a 5 s busy timeout on each.
            (Backend::Sqlite, Role::Web) => 4,
            (Backend::Postgres, Role::Web) => 16,
            (_, Role::Writer) | (Backend::Sqlite, Role::Worker) => 1,
            (Backend::Postgres, Role::Worker) => 4,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // In WAL mode, NORMAL syncs at checkpoints rather than at every commit
                        // (5 ms each on this project's machines): a killed process loses
                        // nothing; a power cut may undo the last commits, never corrupt.
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        if backend == Backend::Sqlite {
            // Readers never wait for the writer, and a commit is one append. The mode is kept
            // in the file, so setting it once per start is enough.
            sqlx::query("PRAGMA journal_mode = WAL")
                .fetch_optional(&pool)
                .await?;
        }
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn pool(&self) -> &Pool<Any> {
        &self.pool
    }

    /// Waits for the pool's connections to close (at shutdown, so SQLite checkpoints its WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `sqlite://vouch.db` opens the file read-write and creates it when missing.
fn create_if_missing(url: &str) -> String {
    if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// `($first, …), (…)`: `rows` groups of `cols` numbered placeholders, for statements that take
/// many rows (or, with one row, an `IN` list) at once.
fn placeholders(rows: usize, cols: usize, first: usize) -> String {
    use std::fmt::Write;
    // Built in one buffer: a statement of sixty-four rows has ~900 of them.
    let mut sql = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { "), (" });
        for c in 0..cols {
            let sep = if c == 0 { "" } else { ", " };
            let _ = write!(sql, "{sep}${}", first + r * cols + c);
        }
    }
    if rows > 0 {
        sql.push(')');
    }
    sql
}

/// Now, in the schema's unit: Unix microseconds.
pub fn now_us() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_micros()).unwrap_or(i64::MAX)
}

/// A duration in the schema's unit.
pub fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// A time in the schema's unit as RFC 3339, to the second, in UTC.
pub fn rfc3339(us: i64) -> String {
    let at = UNIX_EPOCH + Duration::from_micros(u64::try_from(us).unwrap_or_default());
    humantime::format_rfc3339_seconds(at).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_of_columns() {
        assert_eq!(placeholders(2, 3, 1), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(1, 2, 3), "($3, $4)");
    }

    #[test]
    fn sqlite_binds_parameters_in_order_by_position() {
        let sql = "INSERT INTO t VALUES ($1, $2), ($3, $4)";
        assert_eq!(
            Backend::Sqlite.positional(sql),
            "INSERT INTO t VALUES (?, ?), (?, ?)"
        );
        assert_eq!(Backend::Postgres.positional(sql), sql);
        for kept in [
            "SET a = $2 WHERE b = $1",
            "VALUES ($1, $1)",
            "x = $1, y = $3",
        ] {
            assert_eq!(Backend::Sqlite.positional(kept), kept);
        }
    }

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn the_backend_comes_from_the_scheme() {
        assert_eq!(Backend::of("sqlite://vouch.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(Backend::of("postgres://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of("postgresql://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of("mysql://u@h/db"), None);
        assert_eq!(Backend::of("vouch.db"), None);
    }

    #[test]
    fn a_sqlite_file_is_created_unless_the_url_says_otherwise() {
        assert_eq!(create_if_missing("sqlite://v.db"), "sqlite://v.db?mode=rwc");
        assert_eq!(
            create_if_missing("sqlite://v.db?cache=shared"),
            "sqlite://v.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            create_if_missing("sqlite://v.db?mode=ro"),
            "sqlite://v.db?mode=ro"
        );
    }
}
