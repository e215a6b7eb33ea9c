//! The providers' published examples (`tests/fixtures/`) against the sandbox's answers to the
//! same requests: same fields with the same JSON types, and equal values where a client reads
//! them and the sandbox can know them (each file's `compare` list).

use std::path::{Path, PathBuf};

use reqwest::Method;
use serde_json::Value;

use super::TestSandbox;

/// Lob documents these as "or null"; the sandbox sends `null` where it lacks the data.
const NULLABLE: [&str; 4] = ["recipient", "latitude", "longitude", "score"];

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut files: Vec<PathBuf> = ["eva", "lob", "veriphone"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).expect("fixture directory"))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// Every field of `want` is in `got` with the same type; returns the mismatches.
fn same_shape(want: &Value, got: &Value, path: &str, out: &mut Vec<String>) {
    let name = path.rsplit('.').next().unwrap_or(path);
    match (want, got) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match got.get(key) {
                    Some(found) => same_shape(value, found, &child, out),
                    None => out.push(format!("{child}: missing")),
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if let (Some(w), Some(g)) = (want.first(), got.first()) {
                same_shape(w, g, &format!("{path}[0]"), out);
            }
        }
        (Value::Null, _) | (_, Value::Null) if NULLABLE.contains(&name) => {}
        (w, g) if std::mem::discriminant(w) == std::mem::discriminant(g) => {}
        (w, g) => out.push(format!("{path}: type differs (published {w}, sandbox {g})")),
    }
}

fn at<'a>(value: &'a Value, dotted: &str) -> &'a Value {
    dotted.split('.').fold(value, |v, key| &v[key])
}

async fn send(sb: &TestSandbox, request: &Value) -> reqwest::Response {
    let method = Method::from_bytes(request["method"].as_str().unwrap().as_bytes()).unwrap();
    let mut builder = sb
        .client
        .request(method, sb.url(request["path"].as_str().unwrap()));
    let pairs = |v: &Value| -> Vec<(String, String)> {
        v.as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    };
    builder = builder.query(&pairs(&request["query"]));
    if request.get("form").is_some() {
        builder = builder.form(&pairs(&request["form"]));
    }
    if let Some(key) = request["basic_auth"].as_str() {
        builder = builder.basic_auth(key, Some(""));
    }
    builder.send().await.unwrap()
}

#[tokio::test]
async fn published_examples_match_the_sandboxs_answers() {
    let sb = TestSandbox::start().await;
    let files = fixture_files();
    assert!(files.len() >= 10, "fixtures missing: {files:?}");
    let mut failures = Vec::new();
    for file in &files {
        let name = file
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(file)
            .display();
        let fixture: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let response = send(&sb, &fixture["request"]).await;
        let status = response.status().as_u16();
        let got: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        let mut problems = Vec::new();
        if fixture["status"].as_u64() != Some(u64::from(status)) {
            problems.push(format!("status {status}, published {}", fixture["status"]));
        }
        same_shape(&fixture["response"], &got, "", &mut problems);
        for path in fixture["compare"].as_array().unwrap() {
            let path = path.as_str().unwrap();
            let (want, have) = (at(&fixture["response"], path), at(&got, path));
            if want != have {
                problems.push(format!("{path}: published {want}, sandbox {have}"));
            }
        }
        for path in fixture["absent"].as_array().into_iter().flatten() {
            if got.get(path.as_str().unwrap()).is_some() {
                problems.push(format!("{path} should be absent"));
            }
        }
        failures.extend(problems.into_iter().map(|p| format!("{name}: {p}")));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
