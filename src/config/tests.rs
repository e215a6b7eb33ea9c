use super::*;
use crate::cli::Cli;
use clap::Parser;

fn serve_args(args: &[&str]) -> ServeArgs {
    Cli::try_parse_from(std::iter::once("vouch").chain(args.iter().copied()))
        .unwrap()
        .serve
}

#[test]
fn sandbox_mode_needs_no_keys_and_uses_placeholders() {
    let s = Settings::from_args(&serve_args(&[])).unwrap();
    assert!(s.needs_sandbox());
    assert_eq!(s.lob.key.expose_secret(), PLACEHOLDER_KEY);
}

#[test]
fn live_mode_names_the_missing_key() {
    let err = Settings::from_args(&serve_args(&["--providers", "live"])).unwrap_err();
    assert_eq!(err, ConfigError::MissingKey("LOB_API_KEY"));
    let err = Settings::from_args(&serve_args(&["--providers", "live", "--lob-api-key", "k"]))
        .unwrap_err();
    assert_eq!(err, ConfigError::MissingKey("VERIPHONE_API_KEY"));
}

#[test]
fn an_explicit_base_url_always_wins() {
    let s = Settings::from_args(&serve_args(&["--eva-base-url", "http://127.0.0.1:9/"])).unwrap();
    assert_eq!(s.eva.target, Target::Url("http://127.0.0.1:9".into()));
    assert_eq!(s.lob.target, Target::EmbeddedSandbox);
}

/// Live providers with the keys they need.
const LIVE: [&str; 6] = [
    "--providers",
    "live",
    "--lob-api-key",
    "k",
    "--veriphone-api-key",
    "k",
];

#[test]
fn h2c_is_refused_for_https_providers() {
    let args = serve_args(&[&LIVE[..], &["--provider-h2c", "on"]].concat());
    assert_eq!(
        Settings::from_args(&args).unwrap_err(),
        ConfigError::H2cOverTls
    );
    assert!(
        Settings::from_args(&serve_args(&[])).unwrap().use_h2c(),
        "embedded sandbox"
    );
    assert!(!Settings::from_args(&serve_args(&LIVE)).unwrap().use_h2c());
}

#[test]
fn the_api_is_closed_only_in_live_mode_without_tokens_unless_opened() {
    let access = |args: &[&str]| {
        Settings::from_args(&serve_args(args))
            .unwrap()
            .protection
            .api
    };
    assert!(matches!(access(&[]), ApiAccess::Open), "sandbox");
    assert!(matches!(access(&LIVE), ApiAccess::Closed));
    let opened = [&LIVE[..], &["--api-open"]].concat();
    assert!(matches!(access(&opened), ApiAccess::Open));
    let tokens = [&LIVE[..], &["--api-tokens", "a-token-of-16-chars"]].concat();
    assert!(matches!(access(&tokens), ApiAccess::Tokens(_)));
    let blank = [&LIVE[..], &["--api-tokens", " , "]].concat();
    assert!(
        matches!(access(&blank), ApiAccess::Closed),
        "no token given"
    );
}

#[test]
fn a_bad_token_list_is_refused_without_echoing_it() {
    let err = Settings::from_args(&serve_args(&["--api-tokens", "s3cr3t with space"])).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("VOUCH_API_TOKENS") && !shown.contains("s3cr3t"),
        "{shown}"
    );
}

#[test]
fn metrics_need_an_address_of_their_own() {
    let args = serve_args(&[
        "--listen",
        "127.0.0.1:9000",
        "--metrics-listen",
        "127.0.0.1:9000",
    ]);
    assert_eq!(
        Settings::from_args(&args).unwrap_err(),
        ConfigError::MetricsOnListen
    );
}

#[test]
fn database_and_smtp_urls_are_checked_without_echoing_them() {
    for (args, expected) in [
        (
            ["--database-url", "mysql://u:s3cr3t@h/db"],
            ConfigError::DatabaseUrl,
        ),
        (["--smtp-url", "http://u:s3cr3t@h"], ConfigError::SmtpUrl),
    ] {
        let err = Settings::from_args(&serve_args(&args)).unwrap_err();
        assert_eq!(err, expected);
        assert!(!err.to_string().contains("s3cr3t"), "{err}");
    }
    let s = Settings::from_args(&serve_args(&["--smtp-url", "smtps://u:p@mail.example.com"]));
    assert!(s.is_ok());
}

#[test]
fn debug_output_redacts_keys() {
    let args = serve_args(&[
        "--providers",
        "live",
        "--lob-api-key",
        "s3cr3t-lob",
        "--veriphone-api-key",
        "s3cr3t-vp",
        "--api-tokens",
        "s3cr3t-token-1,s3cr3t-token-2",
        "--database-url",
        "postgres://vouch:s3cr3t-db@localhost/vouch",
        "--smtp-url",
        "smtps://vouch:s3cr3t-smtp@mail.example.com",
    ]);
    let shown = format!("{:?} {:?}", Settings::from_args(&args).unwrap(), args);
    assert!(!shown.contains("s3cr3t"), "{shown}");
}
