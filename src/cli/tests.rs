use super::*;
use crate::checks::CheckKind;
use clap::CommandFactory;

#[test]
fn the_cli_is_well_formed() {
    Cli::command().debug_assert();
}

#[test]
fn bad_values_are_refused_naming_the_setting() {
    for args in [
        ["vouch", "--provider-timeout", "soon"],
        ["vouch", "--provider-timeout", "0s"],
        ["vouch", "--providers", "mock"],
        ["vouch", "--on-provider-error", "maybe"],
        ["vouch", "--eva-base-url", "ftp://x"],
        ["vouch", "--deadline", "0s"],
        ["vouch", "--hedge", "95"],
        ["vouch", "--hedge", "p100"],
        ["vouch", "--hedge-budget", "5"],
        ["vouch", "--cache-ttl", "forever"],
        ["vouch", "--provider-concurrency", "0"],
        ["vouch", "--provider-budget", "stripe=1/day"],
        ["vouch", "--provider-budget", "lob=lots"],
        ["vouch", "--rate-limit", "lots"],
        ["vouch", "--rate-limit", "0/min"],
        ["vouch", "--trusted-proxies", "proxy.internal"],
        ["vouch", "--api-open", "yes"],
        ["vouch", "--max-connections", "0"],
        ["vouch", "--metrics-listen", "localhost"],
        ["vouch", "--mail-from", "nobody"],
        ["vouch", "--public-url", "javascript:x"],
    ] {
        let err = Cli::try_parse_from(args).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{args:?}");
        assert!(err.to_string().contains(args[1]), "{args:?}: {err}");
    }
}

#[test]
fn no_subcommand_means_serve_with_the_contracts_defaults() {
    let cli = Cli::try_parse_from(["vouch"]).unwrap();
    assert!(cli.command.is_none());
    assert_eq!(cli.serve.provider_timeout, Duration::from_secs(3));
    assert_eq!(cli.serve.on_provider_error, ErrorPolicy::Accept);
    assert_eq!(cli.serve.deadline, Duration::from_secs(4));
    assert_eq!(cli.serve.hedge, Hedge(None));
    assert_eq!(cli.serve.hedge_budget, 0.05);
    assert_eq!(
        cli.serve.cache_ttl,
        CacheTtl(Some(Duration::from_secs(86_400)))
    );
    assert_eq!(cli.serve.cache_entries, 100_000);
    assert_eq!(cli.serve.provider_concurrency.get(), 256);
    assert_eq!(cli.serve.provider_budget, None);
    assert_eq!(cli.serve.rate_limit, RateLimit::default());
    assert!(cli.serve.trusted_proxies.is_empty());
    assert!(!cli.serve.api_open);
    assert_eq!(cli.serve.max_connections, 10_000);
    assert_eq!(cli.serve.metrics_listen, None);
    assert_eq!(
        secrecy::ExposeSecret::expose_secret(&cli.serve.database_url),
        "sqlite://vouch.db"
    );
    assert_eq!(
        cli.serve.mail_from.to_string(),
        "vouch <no-reply@localhost>"
    );
    assert!(cli.serve.smtp_url.is_none() && cli.serve.public_url.is_none());
}

#[test]
fn resilience_settings_parse() {
    let cli = Cli::try_parse_from([
        "vouch",
        "--hedge",
        "p99.9",
        "--cache-ttl",
        "off",
        "--provider-budget",
        "lob=5000/day, eva=10/min",
    ])
    .unwrap();
    assert!(cli.serve.hedge.0.is_some_and(|q| (q - 0.999).abs() < 1e-9));
    assert_eq!(cli.serve.cache_ttl, CacheTtl(None));
    let budgets = cli.serve.provider_budget.unwrap().0;
    assert_eq!(budgets.len(), 2);
    assert_eq!(budgets[0].0, CheckKind::Address);
    assert_eq!(budgets[1].1.calls, 10);
}

#[test]
fn api_open_takes_true_false_or_nothing() {
    let open = |args: &[&str]| {
        Cli::try_parse_from(std::iter::once("vouch").chain(args.iter().copied()))
            .unwrap()
            .serve
            .api_open
    };
    assert!(open(&["--api-open"]));
    assert!(open(&["--api-open", "true"]));
    assert!(!open(&["--api-open", "false"]));
}

#[test]
fn signups_commands_take_the_database_before_or_after_the_action() {
    for args in [
        &[
            "vouch",
            "signups",
            "--database-url",
            "sqlite://x.db",
            "export",
        ][..],
        &[
            "vouch",
            "signups",
            "export",
            "--format",
            "csv",
            "--database-url",
            "sqlite://x.db",
        ],
    ] {
        let Some(Command::Signups(s)) = Cli::try_parse_from(args).unwrap().command else {
            panic!("{args:?}");
        };
        assert_eq!(
            secrecy::ExposeSecret::expose_secret(&s.database_url),
            "sqlite://x.db"
        );
    }
    let cli = Cli::try_parse_from(["vouch", "signups", "delete", "--email", "a@b.co"]).unwrap();
    assert!(matches!(
        cli.command,
        Some(Command::Signups(SignupsArgs {
            action: SignupsAction::Delete { .. },
            ..
        }))
    ));
}
