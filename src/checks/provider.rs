//! What every provider client shares: how calls travel, one endpoint ([`Route`]), the answer,
//! and the error a call can end in. A reqwest error is turned into a [`ProviderError`] right
//! away, with its URL stripped: Veriphone's URL carries the key, and reqwest prints URLs in
//! `Display` and `Debug`. h2 errors carry no URL.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::HeaderValue;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::uri::{Authority, PathAndQuery, Scheme};

use super::Outcome;
use super::h2c::{Channel, Channels};

/// Why a provider gave no verdict. A provider failure is data, not an HTTP error of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    #[error("no answer within the timeout")]
    Timeout,
    #[error("could not connect")]
    Connect,
    #[error("answered HTTP {0}")]
    Status(u16),
    #[error("answered something that is not its format")]
    Malformed,
    #[error("transport error: {0}")]
    Transport(String),
}

impl ProviderError {
    pub fn outcome(&self) -> Outcome {
        match self {
            ProviderError::Timeout => Outcome::Timeout,
            _ => Outcome::Error,
        }
    }
}

impl From<reqwest::Error> for ProviderError {
    fn from(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            ProviderError::Timeout
        } else if err.is_connect() {
            ProviderError::Connect
        } else if let Some(status) = err.status() {
            ProviderError::Status(status.as_u16())
        } else if err.is_decode() {
            ProviderError::Malformed
        } else {
            ProviderError::Transport(err.without_url().to_string())
        }
    }
}

/// How provider calls travel. Every route shares one reqwest client (pooled, keep-alive,
/// rustls); with h2c on, routes to `http://` origins use one cleartext HTTP/2 connection per
/// origin instead (see [`super::h2c`]), so thousands of calls in flight share one connection.
#[derive(Clone)]
pub struct Transport {
    pooled: reqwest::Client,
    h2c: Option<Arc<Channels>>,
    connect_timeout: Duration,
}

impl Transport {
    /// Each call also sets its own timeout; the connect timeout keeps a dead host from eating
    /// the whole budget. Redirects are not followed: no provider redirects, and following one
    /// would resend Lob's credentials.
    pub fn new(timeout: Duration, h2c: bool) -> reqwest::Result<Transport> {
        Transport::with_lanes(timeout, h2c, NonZeroUsize::MIN)
    }

    /// With h2c, `lanes` connections per origin: one for each worker ([`crate::workers`]).
    pub fn with_lanes(
        timeout: Duration,
        h2c: bool,
        lanes: NonZeroUsize,
    ) -> reqwest::Result<Transport> {
        let connect_timeout = timeout.min(Duration::from_secs(2));
        // No client-wide user agent: `build` gives every request ours, on both transports.
        let pooled = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .build()?;
        Ok(Transport {
            pooled,
            h2c: h2c.then(|| Arc::new(Channels::with_lanes(lanes))),
            connect_timeout,
        })
    }
}

const USER_AGENT: &str = concat!("vouch/", env!("CARGO_PKG_VERSION"));

/// The most of a provider's answer we read: real answers are under 2 KiB, and a provider
/// streaming megabytes must not cost us the memory.
const MAX_BODY: usize = 64 * 1024;

/// A provider base URL that does not parse. The URL itself is left out: it may carry
/// credentials.
#[derive(Debug, thiserror::Error)]
#[error("a provider base URL is not a valid URL")]
pub struct BadUrl;

/// One provider endpoint: its URL, parsed once, how calls to it travel, and the per-call
/// timeout every request to it carries.
#[derive(Clone)]
pub struct Route {
    link: Link,
    target: Target,
    timeout: Duration,
}

/// A route's URL in the parts each request reuses, so that a request only encodes its query.
#[derive(Clone)]
struct Target {
    scheme: Scheme,
    authority: Authority,
    /// The path, and the base URL's own query if it has one.
    path: String,
    has_query: bool,
}

#[derive(Clone)]
enum Link {
    Pooled(reqwest::Client),
    H2c(Channel),
}

impl Route {
    /// `base` may end in `/`; the URL never has `//` before `path`.
    pub fn new(
        transport: &Transport,
        base: &str,
        path: &str,
        timeout: Duration,
    ) -> Result<Route, BadUrl> {
        let url = reqwest::Url::parse(&format!("{}{path}", base.trim_end_matches('/')))
            .map_err(|_| BadUrl)?;
        let link = match (&transport.h2c, url.scheme(), url.host_str()) {
            (Some(channels), "http", Some(host)) => {
                let port = url.port_or_known_default().unwrap_or(80);
                Link::H2c(channels.get(&format!("{host}:{port}"), transport.connect_timeout))
            }
            _ => Link::Pooled(transport.pooled.clone()),
        };
        let uri: http::Uri = url.as_str().parse().map_err(|_| BadUrl)?;
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return Err(BadUrl);
        };
        let target = Target {
            scheme: scheme.clone(),
            authority: authority.clone(),
            path: uri.path_and_query().map_or("/", |p| p.as_str()).to_owned(),
            has_query: uri.query().is_some(),
        };
        Ok(Route {
            link,
            target,
            timeout,
        })
    }

    /// `GET` with `query` urlencoded after the route's URL.
    pub async fn get(&self, query: &[(&str, &str)]) -> Result<Answer, ProviderError> {
        let req = build(http::Request::get(self.uri(Some(query))?), Bytes::new())?;
        self.send(req).await
    }

    /// `POST` of an urlencoded form, with `auth` as its `Authorization` header if given.
    pub async fn post_form(
        &self,
        auth: Option<&HeaderValue>,
        form: &[(&str, &str)],
    ) -> Result<Answer, ProviderError> {
        let body = form_urlencoded::Serializer::new(String::with_capacity(256))
            .extend_pairs(form)
            .finish();
        let mut req = http::Request::post(self.uri(None)?)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(auth) = auth {
            req = req.header(AUTHORIZATION, auth.clone());
        }
        self.send(build(req, Bytes::from(body))?).await
    }

    fn uri(&self, query: Option<&[(&str, &str)]>) -> Result<http::Uri, ProviderError> {
        let target = &self.target;
        let mut path = String::with_capacity(target.path.len() + 128);
        path.push_str(&target.path);
        if let Some(query) = query {
            path.push(if target.has_query { '&' } else { '?' });
            let start = path.len();
            path = form_urlencoded::Serializer::for_suffix(path, start)
                .extend_pairs(query)
                .finish();
        }
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(target.scheme.clone());
        parts.authority = Some(target.authority.clone());
        parts.path_and_query =
            Some(PathAndQuery::from_maybe_shared(Bytes::from(path)).map_err(|_| unbuildable())?);
        http::Uri::from_parts(parts).map_err(|_| unbuildable())
    }

    // The request is boxed: every async layer that holds one keeps its own 256 bytes for it
    // while the call is in flight. The pooled branch is boxed too (its state is twice the h2c
    // branch's): calls over TLS are rare and slow enough not to notice one more allocation.
    async fn send(&self, req: Box<http::Request<Bytes>>) -> Result<Answer, ProviderError> {
        match &self.link {
            Link::Pooled(client) => Box::pin(pooled(client, req, self.timeout)).await,
            Link::H2c(channel) => h2c(channel, req, self.timeout).await,
        }
    }
}

/// The request with our user agent, boxed (see [`Route::send`]).
fn build(
    req: http::request::Builder,
    body: Bytes,
) -> Result<Box<http::Request<Bytes>>, ProviderError> {
    let req = req
        .header(
            http::header::USER_AGENT,
            HeaderValue::from_static(USER_AGENT),
        )
        .body(body)
        .map_err(|_| unbuildable())?;
    Ok(Box::new(req))
}

async fn pooled(
    client: &reqwest::Client,
    req: Box<http::Request<Bytes>>,
    timeout: Duration,
) -> Result<Answer, ProviderError> {
    let mut req = reqwest::Request::try_from(*req)?;
    *req.timeout_mut() = Some(timeout);
    let mut resp = client.execute(req).await?;
    let mut body = Body::default();
    while let Some(chunk) = resp.chunk().await? {
        body.push(chunk)?;
    }
    Ok(Answer {
        status: resp.status(),
        body: body.into_bytes(),
    })
}

async fn h2c(
    channel: &Channel,
    req: Box<http::Request<Bytes>>,
    timeout: Duration,
) -> Result<Answer, ProviderError> {
    let (status, body) = tokio::time::timeout(timeout, channel.send(req))
        .await
        .map_err(|_| ProviderError::Timeout)??;
    Ok(Answer { status, body })
}

/// `Basic base64(user:)` (an empty password, as Lob wants), built once per client: marked
/// sensitive so that HTTP/2 never indexes it and `Debug` hides it.
pub fn basic_auth(user: &str) -> HeaderValue {
    use base64::Engine;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:"));
    // "Basic " and base64 are visible ASCII, always a valid header value; were it not, an empty
    // one gets Lob's 401, a provider error, never a panic.
    let mut value = HeaderValue::try_from(format!("Basic {token}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

/// A request that could not be built; nothing of it is echoed (it may hold a key).
fn unbuildable() -> ProviderError {
    ProviderError::Transport("the request could not be built".to_owned())
}

/// A provider's answer: its status and (at most [`MAX_BODY`] of) its body.
#[derive(Debug)]
pub struct Answer {
    status: http::StatusCode,
    body: Bytes,
}

impl Answer {
    /// The body as JSON of type `T` if the status is a success; anything else is the
    /// provider's fault. (Not only 4xx/5xx: a redirect, never followed, is a failure too.)
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, ProviderError> {
        if !self.status.is_success() {
            return Err(ProviderError::Status(self.status.as_u16()));
        }
        serde_json::from_slice(&self.body).map_err(|_| ProviderError::Malformed)
    }
}

/// An answer's body as its chunks arrive, refused past [`MAX_BODY`]; both transports read
/// through it. A body that comes in one chunk (nearly every answer) is kept, not copied.
#[derive(Default)]
pub(super) struct Body {
    first: Bytes,
    /// The chunks so far, copied together, once a second one comes.
    joined: Option<BytesMut>,
}

impl Body {
    pub(super) fn push(&mut self, chunk: Bytes) -> Result<(), ProviderError> {
        if self.len() + chunk.len() > MAX_BODY {
            return Err(ProviderError::Malformed);
        }
        match &mut self.joined {
            Some(joined) => joined.extend_from_slice(&chunk),
            None if self.first.is_empty() => self.first = chunk,
            None => {
                let mut joined = BytesMut::with_capacity(self.first.len() + chunk.len());
                joined.extend_from_slice(&self.first);
                joined.extend_from_slice(&chunk);
                self.joined = Some(joined);
            }
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.joined.as_ref().map_or(self.first.len(), BytesMut::len)
    }

    pub(super) fn into_bytes(self) -> Bytes {
        self.joined.map_or(self.first, BytesMut::freeze)
    }
}

/// Fakes shared by the three clients' wire tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::time::Duration;

    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::ProviderError;

    /// The process's transport as `startup` builds it (no redirects followed), HTTP/1.1.
    pub(crate) fn http() -> super::Transport {
        super::Transport::new(Duration::from_secs(2), false).unwrap()
    }

    /// Both ways a call can travel to an `http://` provider: reqwest's pool, and h2c.
    pub(crate) fn transports() -> [super::Transport; 2] {
        [
            http(),
            super::Transport::new(Duration::from_secs(2), true).unwrap(),
        ]
    }

    /// `call`'s answer over each transport, checked to be the same both ways.
    pub(crate) async fn on_both<T, Fut>(call: impl Fn(super::Transport) -> Fut) -> T
    where
        T: PartialEq + std::fmt::Debug,
        Fut: std::future::Future<Output = T>,
    {
        let [pooled, h2c] = transports();
        let (first, second) = (call(pooled).await, call(h2c).await);
        assert_eq!(first, second, "pooled and h2c disagree");
        first
    }

    /// A fake provider answering `template` on `route`.
    pub(crate) async fn serving(route: &str, template: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(path(route))
            .respond_with(template)
            .mount(&server)
            .await;
        server
    }

    /// Answers every client must turn into a provider error (clients time out after 500 ms).
    pub(crate) fn common_failures() -> Vec<(ResponseTemplate, ProviderError)> {
        vec![
            (
                ResponseTemplate::new(500).set_body_string("<html>oops</html>"),
                ProviderError::Status(500),
            ),
            (
                ResponseTemplate::new(503).set_body_string(""),
                ProviderError::Status(503),
            ),
            // Redirects are not followed (they would carry the credentials elsewhere).
            (
                ResponseTemplate::new(302).insert_header("location", "/elsewhere"),
                ProviderError::Status(302),
            ),
            (
                ResponseTemplate::new(200).set_body_string("<<not json>>"),
                ProviderError::Malformed,
            ),
            (
                ResponseTemplate::new(200).set_delay(Duration::from_secs(2)),
                ProviderError::Timeout,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use wiremock::ResponseTemplate;

    use bytes::Bytes;

    use super::{Body, MAX_BODY, ProviderError, Route, testing};

    #[test]
    fn a_body_keeps_one_chunk_as_it_came_and_joins_several_in_order() {
        let one = Bytes::from_static(b"{\"status\":\"success\"}");
        let mut body = Body::default();
        body.push(one.clone()).unwrap();
        assert_eq!(body.into_bytes().as_ptr(), one.as_ptr());

        let mut body = Body::default();
        for part in ["ab", "", "cd", "e"] {
            body.push(Bytes::from_static(part.as_bytes())).unwrap();
        }
        assert_eq!(body.into_bytes(), "abcde");

        let mut body = Body::default();
        body.push(Bytes::from(vec![b'x'; MAX_BODY])).unwrap();
        assert_eq!(
            body.push(Bytes::from_static(b"y")),
            Err(ProviderError::Malformed)
        );
    }

    #[test]
    fn a_base_url_that_does_not_parse_is_refused_without_being_echoed() {
        let err = Route::new(
            &testing::http(),
            "http//user:s3cret@",
            "/email",
            Duration::from_secs(1),
        )
        .err()
        .unwrap();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }

    #[test]
    fn basic_credentials_are_the_key_and_an_empty_password_marked_sensitive() {
        let auth = super::basic_auth("test_k3y");
        assert_eq!(auth, "Basic dGVzdF9rM3k6");
        assert!(auth.is_sensitive());
        assert!(!format!("{auth:?}").contains("dGVzdF9rM3k6"));
    }

    #[tokio::test]
    async fn an_answer_over_the_size_limit_is_malformed() {
        let huge = "x".repeat(MAX_BODY + 1);
        let server =
            testing::serving("/email", ResponseTemplate::new(200).set_body_string(huge)).await;
        for http in testing::transports() {
            let route = Route::new(&http, &server.uri(), "/email", Duration::from_secs(2)).unwrap();
            assert_eq!(route.get(&[]).await.err(), Some(ProviderError::Malformed));
        }
    }
}
