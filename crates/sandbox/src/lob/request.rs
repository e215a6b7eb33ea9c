//! What a Lob request carries: the API key from HTTP Basic auth, and the address fields from a
//! form-urlencoded or JSON body (Lob accepts both; `multipart/form-data` is not simulated).

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Keys the sandbox refuses, so a client's bad-key path can be exercised.
const REJECTED_KEYS: [&str; 1] = ["invalid"];

/// Why a request is not authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AuthError {
    /// No usable `Authorization: Basic` header (Lob: 401 `unauthorized`).
    #[error("Missing authentication")]
    Missing,
    /// A key on the reject list, or a non-empty password (Lob: 401 `invalid_api_key`).
    #[error("Your API key is not valid. Please sign up on lob.com to get a valid api key.")]
    Invalid,
}

/// The API key: Basic auth with the key as user name and an empty password.
pub(crate) fn api_key(headers: &HeaderMap) -> Result<String, AuthError> {
    let value = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(AuthError::Missing)?;
    let (scheme, encoded) = value.trim().split_once(' ').ok_or(AuthError::Missing)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(AuthError::Missing);
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .map_err(|_| AuthError::Missing)?;
    let decoded = String::from_utf8(decoded).map_err(|_| AuthError::Missing)?;
    let (user, password) = decoded.split_once(':').unwrap_or((&decoded, ""));
    if user.is_empty() {
        return Err(AuthError::Missing);
    }
    if !password.is_empty() || REJECTED_KEYS.contains(&user) {
        return Err(AuthError::Invalid);
    }
    Ok(user.to_owned())
}

/// The body fields the sandbox reads. A blank value counts as absent; unknown fields are
/// ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    pub(crate) recipient: Option<String>,
    pub(crate) primary_line: Option<String>,
    pub(crate) secondary_line: Option<String>,
    pub(crate) urbanization: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) zip_code: Option<String>,
    /// The single-line form; Lob rejects it together with any other field.
    pub(crate) address: Option<String>,
}

impl Fields {
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "recipient" => &mut self.recipient,
            "primary_line" => &mut self.primary_line,
            "secondary_line" => &mut self.secondary_line,
            "urbanization" => &mut self.urbanization,
            "city" => &mut self.city,
            "state" => &mut self.state,
            "zip_code" => &mut self.zip_code,
            "address" => &mut self.address,
            _ => return,
        };
        let value = value.trim();
        *slot = (!value.is_empty()).then(|| value.to_owned());
    }

    /// Whether any field besides `address` is set.
    pub(crate) fn has_components(&self) -> bool {
        [
            &self.recipient,
            &self.primary_line,
            &self.secondary_line,
            &self.urbanization,
            &self.city,
            &self.state,
            &self.zip_code,
        ]
        .iter()
        .any(|f| f.is_some())
    }
}

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BodyError {
    #[error("multipart bodies are not supported by the sandbox; send form-urlencoded or JSON")]
    Unsupported,
    #[error("{0}")]
    Malformed(String),
}

/// Reads the body by its content type: JSON when it says so, form-urlencoded otherwise.
pub(crate) fn parse_body(content_type: Option<&str>, body: &[u8]) -> Result<Fields, BodyError> {
    let content_type = content_type.unwrap_or("").to_ascii_lowercase();
    let mut fields = Fields::default();
    if content_type.starts_with("multipart/") {
        return Err(BodyError::Unsupported);
    }
    if content_type.contains("json") {
        let value: serde_json::Value = serde_json::from_slice(body)
            .map_err(|e| BodyError::Malformed(format!("body is not valid JSON: {e}")))?;
        let serde_json::Value::Object(map) = value else {
            return Err(BodyError::Malformed("body must be a JSON object".into()));
        };
        for (name, value) in map {
            let text = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Null => continue,
                _ => return Err(BodyError::Malformed(format!("{name} must be a string"))),
            };
            fields.set(&name, text);
        }
    } else {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|e| BodyError::Malformed(format!("body is not valid form data: {e}")))?;
        for (name, value) in pairs {
            fields.set(&name, value);
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn basic(user_pass: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode(user_pass));
        headers.insert(AUTHORIZATION, HeaderValue::from_str(&value).unwrap());
        headers
    }

    #[test]
    fn basic_auth_takes_the_user_name_as_key() {
        assert_eq!(api_key(&basic("test_abc:")), Ok("test_abc".into()));
        assert_eq!(
            api_key(&basic("test_abc")),
            Ok("test_abc".into()),
            "no colon at all"
        );
        assert_eq!(api_key(&basic("invalid:")), Err(AuthError::Invalid));
        assert_eq!(api_key(&basic("test_abc:secret")), Err(AuthError::Invalid));
        assert_eq!(api_key(&basic(":")), Err(AuthError::Missing));
        assert_eq!(api_key(&HeaderMap::new()), Err(AuthError::Missing));
        let mut bearer = HeaderMap::new();
        bearer.insert(AUTHORIZATION, HeaderValue::from_static("Bearer test_abc"));
        assert_eq!(api_key(&bearer), Err(AuthError::Missing));
    }

    #[test]
    fn form_and_json_bodies_give_the_same_fields() {
        let form = parse_body(
            Some("application/x-www-form-urlencoded"),
            b"primary_line=185+Berry+St&city=&zip_code=94107&extra=1",
        );
        let json = parse_body(
            Some("application/json; charset=utf-8"),
            br#"{"primary_line":" 185 Berry St ","city":null,"zip_code":94107}"#,
        );
        let want = Fields {
            primary_line: Some("185 Berry St".into()),
            zip_code: Some("94107".into()),
            ..Fields::default()
        };
        assert_eq!(form, Ok(want.clone()));
        assert_eq!(json, Ok(want));
        assert_eq!(parse_body(None, b""), Ok(Fields::default()));
    }

    #[test]
    fn unreadable_bodies_are_errors() {
        assert!(matches!(
            parse_body(Some("application/json"), b"{"),
            Err(BodyError::Malformed(_))
        ));
        assert!(matches!(
            parse_body(Some("application/json"), b"[1]"),
            Err(BodyError::Malformed(_))
        ));
        let nested = br#"{"city":{"a":1}}"#;
        assert!(matches!(
            parse_body(Some("application/json"), nested),
            Err(BodyError::Malformed(_))
        ));
        let multipart = Some("multipart/form-data; boundary=x");
        assert_eq!(parse_body(multipart, b""), Err(BodyError::Unsupported));
    }
}
