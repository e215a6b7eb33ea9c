//! Who may call the JSON API (`/api/v1/*`): anyone, holders of a token, or no one.
//!
//! Tokens are secrets: kept in [`SecretString`]s (whose `Debug` is `[REDACTED]`), compared in
//! constant time so the time an answer takes says nothing about how much of a guess was
//! right, and never written to a page, a log line or an error.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use secrecy::{ExposeSecret, SecretString};
use subtle::{Choice, ConstantTimeEq};

use super::error::ApiError;
use super::state::AppState;

/// The API's door.
#[derive(Debug, Clone, Default)]
pub enum ApiAccess {
    /// No token needed (sandbox mode, or `VOUCH_API_OPEN=true`).
    #[default]
    Open,
    /// `Authorization: Bearer <one of these>` needed.
    Tokens(ApiTokens),
    /// Live providers, no tokens, and the API not opened on purpose: every call is refused,
    /// since each would spend paid provider calls for anyone who finds the URL.
    Closed,
}

/// The accepted API tokens; never empty.
#[derive(Clone)]
pub struct ApiTokens(Vec<SecretString>);

/// Shows how many tokens there are, never one of them.
impl std::fmt::Debug for ApiTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiTokens({} tokens)", self.0.len())
    }
}

/// Why `VOUCH_API_TOKENS` was refused. Never holds a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadTokens {
    #[error(
        "a token may hold only visible ASCII characters (no spaces); separate tokens with commas"
    )]
    Unsendable,
}

impl ApiTokens {
    /// Comma-separated tokens, surrounding spaces ignored; `None` when there are none.
    pub fn parse(list: &SecretString) -> Result<Option<ApiTokens>, BadTokens> {
        let tokens: Vec<SecretString> = list
            .expose_secret()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                // A client can only send what a header can hold; another token could never match.
                if t.bytes().all(|b| b.is_ascii_graphic()) {
                    Ok(SecretString::from(t))
                } else {
                    Err(BadTokens::Unsendable)
                }
            })
            .collect::<Result<_, _>>()?;
        Ok((!tokens.is_empty()).then_some(ApiTokens(tokens)))
    }

    /// Whether any token is shorter than a guess-proof length (for a start-up warning).
    pub fn any_short(&self) -> bool {
        self.0
            .iter()
            .any(|t| t.expose_secret().len() < MIN_STRONG_TOKEN)
    }

    /// Whether `given` is one of the tokens. Every token is compared, in constant time for
    /// its length, so neither the matching token nor a matching prefix shows in the timing.
    fn accepts(&self, given: &[u8]) -> bool {
        let matched = self.0.iter().fold(Choice::from(0), |found, token| {
            found | token.expose_secret().as_bytes().ct_eq(given)
        });
        matched.into()
    }
}

/// Below this many characters a token is worth a warning at start-up.
const MIN_STRONG_TOKEN: usize = 16;

/// The token of an `Authorization: Bearer <token>` header (scheme in any case).
fn bearer(request: &Request) -> Option<&[u8]> {
    let value = request.headers().get(header::AUTHORIZATION)?.as_bytes();
    let (scheme, token) = value.split_at_checked(7)?;
    scheme
        .eq_ignore_ascii_case(b"bearer ")
        .then(|| token.trim_ascii())
}

/// Lets a call through if the API is open or it carries an accepted token.
pub async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    match &state.guard.api {
        ApiAccess::Open => {}
        ApiAccess::Closed => return Err(ApiError::ApiClosed),
        ApiAccess::Tokens(tokens) => match bearer(&request) {
            Some(given) if tokens.accepts(given) => {}
            _ => return Err(ApiError::Unauthorized),
        },
    }
    Ok(next.run(request).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn tokens(list: &str) -> Result<Option<ApiTokens>, BadTokens> {
        ApiTokens::parse(&SecretString::from(list))
    }

    #[test]
    fn tokens_are_a_comma_separated_list_of_header_safe_text() {
        let parsed = tokens(" alpha-0123456789abcdef , beta_0123456789abcdef,,")
            .unwrap()
            .unwrap();
        assert!(parsed.accepts(b"alpha-0123456789abcdef"));
        assert!(parsed.accepts(b"beta_0123456789abcdef"));
        assert!(!parsed.accepts(b"alpha-0123456789abcde"), "a prefix");
        assert!(!parsed.accepts(b"alpha-0123456789abcdefX"), "longer");
        assert!(!parsed.accepts(b""));
        assert!(!parsed.any_short());
        assert!(
            tokens(" , ").unwrap().is_none(),
            "only separators: no tokens"
        );
        assert!(tokens("short").unwrap().unwrap().any_short());
        for bad in ["has space", "tab\there", "naïve"] {
            assert_eq!(tokens(bad).err(), Some(BadTokens::Unsendable), "{bad:?}");
        }
    }

    #[test]
    fn debug_and_errors_never_show_a_token() {
        let parsed = tokens("s3cr3t-token-value-1,s3cr3t-token-value-2").unwrap();
        let shown = format!(
            "{parsed:?} {:?}",
            ApiAccess::Tokens(parsed.clone().unwrap())
        );
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("2 tokens"), "{shown}");
        let err = tokens("s3cr3t token").unwrap_err();
        assert!(!format!("{err} {err:?}").contains("s3cr3t"));
    }

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        let with = |value: &str| {
            Request::builder()
                .header(header::AUTHORIZATION, value)
                .body(Body::empty())
                .unwrap()
        };
        assert_eq!(bearer(&with("Bearer abc")), Some(&b"abc"[..]));
        assert_eq!(bearer(&with("bearer  abc ")), Some(&b"abc"[..]));
        assert_eq!(bearer(&with("Basic abc")), None);
        assert_eq!(bearer(&with("Bearer")), None);
        assert_eq!(bearer(&Request::new(Body::empty())), None);
    }
}
