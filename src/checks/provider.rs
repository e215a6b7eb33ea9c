//! What every provider client shares: the one pooled HTTP client, and the error a call can end
//! in. A reqwest error is turned into a [`ProviderError`] right away, with its URL stripped:
//! Veriphone's URL carries the key, and reqwest prints URLs in `Display` and `Debug`.

use std::time::Duration;

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

/// The one HTTP client of the process: pooled, keep-alive, rustls. Each call also sets its own
/// timeout; the connect timeout keeps a dead host from eating the whole budget. Redirects are
/// not followed: no provider redirects, and following one would resend Lob's credentials. With
/// `h2c`, calls go over cleartext HTTP/2, so thousands in flight share one connection per provider
/// instead of holding one connection (and its buffers) each.
pub fn http_client(timeout: Duration, h2c: bool) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder();
    let builder = if h2c {
        builder.http2_prior_knowledge()
    } else {
        builder
    };
    builder
        .user_agent(concat!("vouch/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(2)))
        .pool_idle_timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .build()
}

/// A provider base URL that does not parse. The URL itself is left out: it may carry
/// credentials.
#[derive(Debug, thiserror::Error)]
#[error("a provider base URL is not a valid URL")]
pub struct BadUrl;

/// One provider endpoint on the shared client: its full URL, parsed once, and the per-call
/// timeout every request to it carries.
#[derive(Clone)]
pub struct Route {
    http: reqwest::Client,
    /// Parsed at start-up: a string here would be parsed again on every call.
    url: reqwest::Url,
    timeout: Duration,
}

impl Route {
    /// `base` may end in `/`; the URL never has `//` before `path`.
    pub fn new(
        http: reqwest::Client,
        base: &str,
        path: &str,
        timeout: Duration,
    ) -> Result<Route, BadUrl> {
        let url = reqwest::Url::parse(&format!("{}{path}", base.trim_end_matches('/')))
            .map_err(|_| BadUrl)?;
        Ok(Route { http, url, timeout })
    }

    pub fn get(&self) -> reqwest::RequestBuilder {
        self.http.get(self.url.clone()).timeout(self.timeout)
    }

    pub fn post(&self) -> reqwest::RequestBuilder {
        self.http.post(self.url.clone()).timeout(self.timeout)
    }
}

/// Reads a successful answer's body as JSON of type `T`; anything else is the provider's fault.
pub async fn read_json<T: serde::de::DeserializeOwned>(
    resp: reqwest::Response,
) -> Result<T, ProviderError> {
    // Not `error_for_status`: a redirect (never followed) is a failure too, not a body to parse.
    if !resp.status().is_success() {
        return Err(ProviderError::Status(resp.status().as_u16()));
    }
    let body = resp.bytes().await?;
    serde_json::from_slice(&body).map_err(|_| ProviderError::Malformed)
}

/// Fakes shared by the three clients' wire tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::time::Duration;

    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::ProviderError;

    /// The process's client as `startup` builds it (no redirects followed), HTTP/1.1.
    pub(crate) fn http() -> reqwest::Client {
        super::http_client(Duration::from_secs(2), false).unwrap()
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

    use super::{Route, testing};

    #[test]
    fn a_base_url_that_does_not_parse_is_refused_without_being_echoed() {
        let err = Route::new(
            testing::http(),
            "http//user:s3cret@",
            "/email",
            Duration::from_secs(1),
        )
        .err()
        .unwrap();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }
}
