//! `GET /openapi.json` and `GET /docs`: the JSON API's OpenAPI description, generated from the
//! handlers' `#[utoipa::path]`s and the bodies' own types, and a page that reads it. Both are
//! rendered once at start-up and served from memory: no CDN, no script.

use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;
use utoipa::OpenApi;

/// The description's front matter; the paths come from `api::routes()`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "vouch",
        description = "Checks the contact details of a sign-up form (name, email, phone, US \
                       address) against email, address and phone verification services. \
                       Every operation takes the form's fields as a JSON object of strings."
    ),
    tags((name = "validation", description = "Validate a form, or one group of its fields."))
)]
pub struct ApiDoc;

/// The description as JSON and as a page, ready to serve.
pub struct ApiDocs {
    json: Bytes,
    page: Bytes,
}

impl ApiDocs {
    pub fn new(spec: &utoipa::openapi::OpenApi) -> Arc<ApiDocs> {
        let value = serde_json::to_value(spec).unwrap_or(Value::Null);
        let json = serde_json::to_string_pretty(&value).unwrap_or_default();
        let page = DocsPage::from_spec(&value).render().unwrap_or_else(|err| {
            tracing::error!(error = %err, "rendering the API docs failed");
            String::new()
        });
        Arc::new(ApiDocs {
            json: Bytes::from(json),
            page: Bytes::from(page),
        })
    }
}

/// `GET /openapi.json`.
pub async fn json(State(docs): State<Arc<ApiDocs>>) -> Response {
    let content_type = (header::CONTENT_TYPE, "application/json");
    ([content_type], docs.json.clone()).into_response()
}

/// `GET /docs`.
pub async fn page(State(docs): State<Arc<ApiDocs>>) -> Response {
    if docs.page.is_empty() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    Html(docs.page.clone()).into_response()
}

/// A description's text in pieces, each `(is_code, text)`: its `code` spans (the only markdown
/// our descriptions use) become `<code>`, everything escaped as usual.
type Prose = Vec<(bool, String)>;

fn prose(text: &str) -> Prose {
    text.split('`')
        .enumerate()
        .filter(|(_, piece)| !piece.is_empty())
        .map(|(i, piece)| (i % 2 == 1, piece.to_owned()))
        .collect()
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    title: String,
    description: Prose,
    version: String,
    operations: Vec<Operation>,
    schemas: Vec<(String, String)>,
}

struct Operation {
    method: String,
    path: String,
    id: String,
    summary: String,
    description: Prose,
    params: Vec<Param>,
    body: String,
    /// Status, meaning, body schema.
    responses: Vec<(String, Prose, String)>,
}

struct Param {
    name: String,
    location: String,
    values: String,
    description: Prose,
}

/// The text at `pointer` in `v`, or `""`.
fn text(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// `Form` for `{"$ref": "#/components/schemas/Form"}`, else the inline schema's type.
fn schema_name(content: &Value) -> String {
    let schema = content.pointer("/application~1json/schema");
    let reference = schema.and_then(|s| s.get("$ref")).and_then(Value::as_str);
    match (reference, schema) {
        (Some(r), _) => r.rsplit('/').next().unwrap_or(r).to_owned(),
        (None, Some(s)) => text(s, "/type"),
        (None, None) => String::new(),
    }
}

impl DocsPage {
    /// The masthead's current page.
    fn page(&self) -> &'static str {
        "docs"
    }

    fn from_spec(spec: &Value) -> DocsPage {
        let mut operations = Vec::new();
        let paths = spec.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                operations.push(Operation::from_spec(method, path, op));
            }
        }
        let schemas = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, s)| {
                (
                    name.clone(),
                    serde_json::to_string_pretty(s).unwrap_or_default(),
                )
            })
            .collect();
        DocsPage {
            title: text(spec, "/info/title"),
            description: prose(&text(spec, "/info/description")),
            version: text(spec, "/info/version"),
            operations,
            schemas,
        }
    }
}

impl Operation {
    fn from_spec(method: &str, path: &str, op: &Value) -> Operation {
        let params = op.get("parameters").and_then(Value::as_array);
        let params = params
            .into_iter()
            .flatten()
            .map(|p| Param {
                name: text(p, "/name"),
                location: text(p, "/in"),
                values: enum_values(p),
                description: prose(&text(p, "/description")),
            })
            .collect();
        let responses = op.get("responses").and_then(Value::as_object);
        let responses = responses
            .into_iter()
            .flatten()
            .map(|(code, r)| {
                let schema = r.get("content").map(schema_name).unwrap_or_default();
                (code.clone(), prose(&text(r, "/description")), schema)
            })
            .collect();
        Operation {
            method: method.to_uppercase(),
            path: path.to_owned(),
            id: text(op, "/operationId"),
            summary: text(op, "/summary"),
            description: prose(&text(op, "/description")),
            params,
            body: op
                .pointer("/requestBody/content")
                .map(schema_name)
                .unwrap_or_default(),
            responses,
        }
    }
}

/// A parameter's allowed values (`concurrent | sequential`), followed through a `$ref`.
fn enum_values(param: &Value) -> String {
    let schema = param.get("schema");
    let own = schema.and_then(|s| s.get("enum"));
    let one_of = schema.and_then(|s| s.pointer("/oneOf/0/enum"));
    let reference = schema
        .and_then(|s| s.pointer("/$ref").or_else(|| s.pointer("/oneOf/0/$ref")))
        .and_then(Value::as_str)
        .map(|r| r.rsplit('/').next().unwrap_or(r).to_owned());
    let values = own.or(one_of).and_then(Value::as_array);
    match (values, reference) {
        (Some(v), _) => v
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        (None, Some(name)) => format!("see {name}"),
        (None, None) => text(param, "/schema/type"),
    }
}
