use super::*;

fn manual(url: &str) -> Settings {
    let mut s = Settings::default();
    s.proxy.mode = ProxyMode::Manual;
    s.proxy.url = url.into();
    s
}

fn refused(s: &Settings) -> Invalid {
    s.validate().unwrap_err()
}

#[test]
fn the_defaults_are_valid_and_match_the_clients_defaults() {
    let s = Settings::default();
    assert_eq!(s.validate().unwrap(), s);
    let network = s.network(None).unwrap();
    assert_eq!(network.timeouts, Timeouts::default());
    assert_eq!(network.proxy, ProxyChoice::System);
}

#[test]
fn proxy_urls_are_checked_with_the_field_and_the_reason() {
    for (url, says) in [
        ("", "needs a URL"),
        ("proxy.corp:3128", "no scheme"),
        ("ftp://proxy.corp:21", "unknown proxy scheme `ftp`"),
        ("socks4://proxy.corp:1080", "unknown proxy scheme `socks4`"),
        ("http://", "not a URL"),
        ("socks5://proxy.corp", "needs a port"),
        ("http://ann:pw@proxy.corp:3128", "not in the URL"),
        ("http://proxy.corp:3128/path", "only scheme, host and port"),
    ] {
        let err = refused(&manual(url));
        assert_eq!(err.field, "proxy.url", "{url}");
        assert!(err.reason.contains(says), "{url}: {}", err.reason);
    }
    for ok in [
        "http://proxy.corp:3128",
        "https://proxy.corp",
        "socks5://127.0.0.1:1080",
        "socks5h://[::1]:1080",
    ] {
        assert!(manual(ok).validate().is_ok(), "{ok}");
    }
    assert_eq!(
        manual(" http://proxy.corp:3128/ ")
            .validate()
            .unwrap()
            .proxy
            .url,
        "http://proxy.corp:3128"
    );
}

#[test]
fn a_url_kept_for_later_must_still_be_valid() {
    let mut s = manual("gopher://x:1");
    s.proxy.mode = ProxyMode::Direct;
    assert_eq!(refused(&s).field, "proxy.url");
}

#[test]
fn zero_or_huge_timeouts_are_refused() {
    let mut s = Settings::default();
    s.timeouts.connect_secs = 0;
    let err = refused(&s);
    assert_eq!(err.field, "timeouts.connectSecs");
    assert!(err.reason.contains("at least 1 second"));
    let mut s = Settings::default();
    s.timeouts.stream_idle_secs = 0;
    assert_eq!(refused(&s).field, "timeouts.streamIdleSecs");
    let mut s = Settings::default();
    s.timeouts.request_secs = 100_000;
    assert_eq!(refused(&s).field, "timeouts.requestSecs");
    let mut s = Settings::default();
    s.timeouts.connect_secs = 90;
    s.timeouts.request_secs = 30;
    assert!(refused(&s)
        .reason
        .contains("longer than the request timeout"));
}

#[test]
fn the_no_proxy_list_is_split_trimmed_and_checked() {
    let mut s = Settings::default();
    s.proxy.no_proxy = vec![
        " internal.corp, .lan ".into(),
        "".into(),
        "10.0.0.0/8".into(),
    ];
    assert_eq!(
        s.validate().unwrap().proxy.no_proxy,
        vec!["internal.corp", ".lan", "10.0.0.0/8"]
    );
    s.proxy.no_proxy = vec!["bad host!".into()];
    let err = refused(&s);
    assert_eq!(err.field, "proxy.noProxy");
    assert!(err.reason.contains("`bad host!`"));
}

#[test]
fn other_fields_are_checked() {
    let mut s = Settings {
        artifacts_dir: Some("relative/dir".into()),
        ..Settings::default()
    };
    assert_eq!(refused(&s).field, "artifactsDir");
    s.artifacts_dir = Some("  ".into());
    assert_eq!(
        s.validate().unwrap().artifacts_dir,
        None,
        "blank means the default"
    );
    let s = Settings {
        clipboard_clear_secs: 0,
        ..Settings::default()
    };
    assert_eq!(refused(&s).field, "clipboardClearSecs");
    let mut s = manual("http://p:1");
    s.proxy.username = "a:b".into();
    assert_eq!(refused(&s).field, "proxy.username");
}

#[test]
fn the_manual_proxy_gets_the_password_only_with_a_user_name() {
    let mut s = manual("http://proxy.corp:3128");
    let pw = || ApiKey::new("pw-1");
    match s.network(pw()).unwrap().proxy {
        ProxyChoice::Manual(m) => assert!(m.username.is_none() && m.password.is_none()),
        other => panic!("{other:?}"),
    }
    s.proxy.username = "ann".into();
    match s.network(pw()).unwrap().proxy {
        ProxyChoice::Manual(m) => {
            assert_eq!(m.username.as_deref(), Some("ann"));
            assert_eq!(m.password.as_ref().map(ApiKey::expose), Some("pw-1"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_artifacts_folder_defaults_under_the_data_dir() {
    let mut s = Settings::default();
    assert_eq!(
        s.artifacts_dir_in(Path::new("/data")),
        PathBuf::from("/data/artifacts")
    );
    s.artifacts_dir = Some("/srv/media".into());
    assert_eq!(
        s.artifacts_dir_in(Path::new("/data")),
        PathBuf::from("/srv/media")
    );
}
