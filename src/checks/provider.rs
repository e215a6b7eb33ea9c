//! What every provider client shares: the one transport (a pooled reqwest client), one
//! endpoint ([`Route`]), the reply, and the error a call can end in. A reqwest error becomes a
//! [`ProviderError`] at once, with its URL stripped: Veriphone's URL carries the key, and
//! reqwest prints URLs in `Display` and `Debug`.

use std::time::Duration;

use serde::de::DeserializeOwned;

use super::Outcome;

/// Why a provider gave no verdict. A provider failure is data, not an HTTP error of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    #[error("no answer within the timeout")]
    Timeout,
    #[error("could not connect")]
    Connect,
    #[error("answered HTTP {0}")]
    Status(u16),
    /// HTTP 429, with how long the provider asked us to wait, if it said.
    #[error("asked us to slow down (HTTP 429)")]
    Throttled { retry_after: Option<Duration> },
    #[error("answered something that is not its format")]
    Malformed,
    #[error("transport error: {0}")]
    Transport(String),
    /// Not called: its circuit breaker is open after repeated failures.
    #[error("not called: its circuit breaker is open")]
    CircuitOpen,
    /// Not called: its call budget for the period is spent.
    #[error("not called: its call budget is spent")]
    OverBudget,
}

impl ProviderError {
    pub fn outcome(&self) -> Outcome {
        match self {
            ProviderError::Timeout => Outcome::Timeout,
            ProviderError::CircuitOpen => Outcome::CircuitOpen,
            ProviderError::OverBudget => Outcome::OverBudget,
            _ => Outcome::Error,
        }
    }

    /// Worth one more try: the provider may answer the next call (a connection failure, a
    /// 5xx, a 429). A timeout already spent its share of the deadline; other answers would
    /// only repeat themselves.
    pub fn is_transient(&self) -> bool {
        match self {
            ProviderError::Connect
            | ProviderError::Throttled { .. }
            | ProviderError::Transport(_) => true,
            ProviderError::Status(code) => *code >= 500,
            _ => false,
        }
    }

    /// Whether the provider itself failed (what a circuit breaker counts), as opposed to our
    /// refusing to call it.
    pub fn is_provider_failure(&self) -> bool {
        !matches!(self, ProviderError::CircuitOpen | ProviderError::OverBudget)
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
        } else {
            ProviderError::Transport(err.without_url().to_string())
        }
    }
}

/// The one way vouch calls a provider, whatever the base URL: a pooled reqwest client
/// (keep-alive, rustls), cloned into every route.
#[derive(Clone)]
pub struct Transport {
    client: reqwest::Client,
}

impl Transport {
    /// `h2c`: speak HTTP/2 by prior knowledge (cleartext providers such as the sandbox), so
    /// every call in flight to one provider shares one connection. Each call also carries its
    /// own timeout; the connect timeout keeps a dead host from eating it all. Redirects are not
    /// followed: no provider redirects, and following one would resend Lob's credentials.
    pub fn new(timeout: Duration, h2c: bool) -> reqwest::Result<Transport> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(2)))
            .pool_idle_timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true);
        if h2c {
            builder = builder.http2_prior_knowledge();
        }
        Ok(Transport {
            client: builder.build()?,
        })
    }
}

const USER_AGENT: &str = concat!("vouch/", env!("CARGO_PKG_VERSION"));

/// The most of a provider's reply we read: real ones are under 2 KiB, and a provider
/// streaming megabytes must not cost us the memory.
const MAX_BODY: usize = 64 * 1024;

/// A provider base URL that does not parse. The URL itself is left out: it may carry
/// credentials.
#[derive(Debug, thiserror::Error)]
#[error("a provider base URL is not a valid URL")]
pub struct BadUrl;

/// One provider endpoint: its URL, parsed once, and the per-call timeout.
#[derive(Clone)]
pub struct Route {
    client: reqwest::Client,
    url: reqwest::Url,
    timeout: Duration,
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
        Ok(Route {
            client: transport.client.clone(),
            url,
            timeout,
        })
    }

    /// `GET` with `query` percent-encoded after the route's URL.
    pub async fn get(&self, query: &[(&str, &str)]) -> Result<Reply, ProviderError> {
        let request = self.client.get(self.url.clone()).query(query);
        self.send(request).await
    }

    /// `POST` of an urlencoded form with HTTP basic auth: `user` and an empty password.
    pub async fn post_form(
        &self,
        user: &str,
        form: &[(&str, &str)],
    ) -> Result<Reply, ProviderError> {
        let request = self
            .client
            .post(self.url.clone())
            .basic_auth(user, Some(""))
            .form(form);
        self.send(request).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Reply, ProviderError> {
        let mut response = request.timeout(self.timeout).send().await?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY as u64)
        {
            return Err(ProviderError::Malformed);
        }
        let mut body = Vec::new();
        // reqwest calls any failure while reading a body a decode error; here it is the
        // connection breaking mid-answer, which a retry may mend.
        let broken = |e: reqwest::Error| ProviderError::Transport(e.without_url().to_string());
        while let Some(chunk) = response.chunk().await.map_err(broken)? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(ProviderError::Malformed);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            retry_after,
            body,
        })
    }
}

/// A provider's reply: its status and (at most [`MAX_BODY`] of) its body.
#[derive(Debug)]
pub struct Reply {
    status: reqwest::StatusCode,
    /// `Retry-After` in seconds (the HTTP-date form is not used by these providers).
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

impl Reply {
    /// The body if the status is a success; anything else is the provider's fault. (Not
    /// only 4xx/5xx: a redirect, never followed, is a failure too.)
    pub fn body(&self) -> Result<&[u8], ProviderError> {
        if self.status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(ProviderError::Throttled {
                retry_after: self.retry_after,
            });
        }
        if !self.status.is_success() {
            return Err(ProviderError::Status(self.status.as_u16()));
        }
        Ok(&self.body)
    }

    /// The body as JSON of type `T` if the status is a success.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ProviderError> {
        serde_json::from_slice(self.body()?).map_err(|_| ProviderError::Malformed)
    }
}

/// Fakes shared by the three clients' wire tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::time::Duration;

    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::ProviderError;

    /// The process's transport as `startup` builds it for an `http://` provider.
    pub(crate) fn http() -> super::Transport {
        super::Transport::new(Duration::from_secs(2), false).unwrap()
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

    /// Replies every client must turn into a provider error (clients time out after 500 ms).
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

    use super::{MAX_BODY, ProviderError, Route, Transport, testing};

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

    #[tokio::test]
    async fn a_reply_over_the_size_limit_is_malformed() {
        let huge = "x".repeat(MAX_BODY + 1);
        let fits = "x".repeat(MAX_BODY);
        let server =
            testing::serving("/big", ResponseTemplate::new(200).set_body_string(huge)).await;
        let route = Route::new(
            &testing::http(),
            &server.uri(),
            "/big",
            Duration::from_secs(2),
        );
        assert_eq!(
            route.unwrap().get(&[]).await.err(),
            Some(ProviderError::Malformed)
        );
        let server =
            testing::serving("/fits", ResponseTemplate::new(200).set_body_string(fits)).await;
        let route = Route::new(
            &testing::http(),
            &server.uri(),
            "/fits",
            Duration::from_secs(2),
        );
        assert!(route.unwrap().get(&[]).await.is_ok());
    }

    #[tokio::test]
    async fn h2c_reaches_a_cleartext_http2_server() {
        // wiremock serves HTTP/1.1 and HTTP/2 by prior knowledge on one port.
        let server =
            testing::serving("/ok", ResponseTemplate::new(200).set_body_string("{}")).await;
        let h2c = Transport::new(Duration::from_secs(2), true).unwrap();
        let route = Route::new(&h2c, &server.uri(), "/ok", Duration::from_secs(2)).unwrap();
        let reply = route.get(&[("a", "b")]).await.unwrap();
        assert_eq!(
            reply.json::<serde_json::Value>().unwrap(),
            serde_json::json!({})
        );
    }
}
