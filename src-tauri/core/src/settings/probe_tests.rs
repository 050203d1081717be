//! The probe against local servers: a refused port, a name that does not resolve, a TLS
//! port with a self-signed certificate, a proxy that answers 407, and a working gateway.

use super::*;
use crate::gateway::network::ProxyChoice;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn network(proxy: ProxyChoice) -> Network {
    Network {
        proxy,
        ..Network::default()
    }
}

fn manual(url: &str, user: Option<&str>) -> ProxyChoice {
    ProxyChoice::Manual(ManualProxy {
        url: Url::parse(url).unwrap(),
        username: user.map(str::to_owned),
        password: user.and_then(|_| ApiKey::new("wrong-password")),
    })
}

fn statuses(t: &ConnectionTest) -> Vec<(Step, StepStatus)> {
    t.steps.iter().map(|s| (s.step, s.status)).collect()
}

fn step(t: &ConnectionTest, step: Step) -> &StepReport {
    t.steps.iter().find(|s| s.step == step).unwrap()
}

/// A port nothing listens on: bound, then released.
async fn refused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

/// Answers every connection's first request with `answer`, then closes; counts the requests.
async fn answering(answer: &'static str) -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = s.read(&mut buf).await.unwrap_or(0);
            log.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            let _ = s.write_all(answer.as_bytes()).await;
        }
    });
    (port, seen)
}

#[tokio::test]
async fn a_refused_port_fails_the_tcp_step() {
    let port = refused_port().await;
    let t = test_connection(
        &format!("http://127.0.0.1:{port}"),
        None,
        &Network::default(),
    )
    .await
    .unwrap();
    assert!(!t.ok);
    assert_eq!(t.failed_step, Some(Step::Tcp));
    assert_eq!(
        statuses(&t),
        vec![
            (Step::Dns, StepStatus::Ok),
            (Step::Tcp, StepStatus::Failed),
            (Step::Http, StepStatus::Skipped)
        ]
    );
    assert!(step(&t, Step::Tcp).detail.contains("refused"), "{t:?}");
    assert_eq!(t.via, None);
}

#[tokio::test]
async fn a_name_that_does_not_resolve_fails_the_dns_step() {
    let t = test_connection(
        "http://gateway.anyint-probe.invalid:8080",
        None,
        &network(ProxyChoice::Direct),
    )
    .await
    .unwrap();
    assert_eq!(t.failed_step, Some(Step::Dns), "{t:?}");
    assert!(step(&t, Step::Dns)
        .detail
        .contains("gateway.anyint-probe.invalid"));
    assert_eq!(step(&t, Step::Tcp).status, StepStatus::Skipped);
}

#[tokio::test]
async fn a_self_signed_certificate_fails_the_tls_step() {
    use tokio_rustls::rustls;
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let der = rustls::pki_types::CertificateDer::from(cert.cert.der().to_vec());
    let key = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![der], key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            let _ = acceptor.accept(s).await;
        }
    });
    for roots in [Roots::Bundled, Roots::Os] {
        let net = Network {
            roots,
            ..Network::default()
        };
        let t = test_connection(&format!("https://localhost:{port}"), None, &net)
            .await
            .unwrap();
        assert_eq!(t.failed_step, Some(Step::Tls), "{roots:?}: {t:?}");
        let tls = step(&t, Step::Tls);
        assert!(tls.detail.contains("localhost"), "{}", tls.detail);
        assert_eq!(step(&t, Step::Tcp).status, StepStatus::Ok);
        assert_eq!(step(&t, Step::Http).status, StepStatus::Skipped);
    }
}

#[tokio::test]
async fn a_proxy_that_answers_407_fails_the_proxy_step_as_authentication() {
    let (port, seen) = answering(
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    let proxy_url = format!("http://127.0.0.1:{port}");
    for user in [None, Some("ann")] {
        let t = test_connection(
            "https://api.anyint.example",
            None,
            &network(manual(&proxy_url, user)),
        )
        .await
        .unwrap();
        assert_eq!(t.failed_step, Some(Step::Proxy), "{t:?}");
        assert_eq!(t.via.as_deref(), Some(proxy_url.as_str()));
        let p = step(&t, Step::Proxy);
        assert_eq!(p.http_status, Some(407));
        let expected = if user.is_some() {
            "authentication failed"
        } else {
            "authentication required"
        };
        assert!(p.detail.contains(expected), "{}", p.detail);
        assert_eq!(step(&t, Step::Tls).status, StepStatus::Skipped);
    }
    let requests = seen.lock().unwrap().clone();
    assert!(
        requests[0].starts_with("CONNECT api.anyint.example:443 HTTP/1.1"),
        "{requests:?}"
    );
    assert!(!requests[0].contains("Proxy-Authorization"));
    // base64("ann:wrong-password")
    assert!(
        requests[1].contains("Proxy-Authorization: Basic YW5uOndyb25nLXBhc3N3b3Jk"),
        "{requests:?}"
    );
}

#[tokio::test]
async fn a_proxy_that_cannot_reach_the_gateway_is_named() {
    let (port, _) = answering("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n").await;
    let t = test_connection(
        "http://api.anyint.example",
        None,
        &network(manual(&format!("http://127.0.0.1:{port}"), None)),
    )
    .await
    .unwrap();
    assert_eq!(t.failed_step, Some(Step::Proxy));
    assert!(step(&t, Step::Proxy)
        .detail
        .contains("could not reach api.anyint.example:80"));
}

#[tokio::test]
async fn a_loopback_gateway_is_tested_directly_even_with_a_proxy_set() {
    let sandbox = anyint_sandbox::start(anyint_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let dead_proxy = refused_port().await;
    let key = ApiKey::new(anyint_sandbox::DEMO_KEY);
    let t = test_connection(
        &sandbox.base_url(),
        key,
        &network(manual(&format!("http://127.0.0.1:{dead_proxy}"), None)),
    )
    .await
    .unwrap();
    assert!(t.ok, "{t:?}");
    assert_eq!(t.via, None);
    assert_eq!(step(&t, Step::Http).http_status, Some(200));
    let wrong = test_connection(
        &sandbox.base_url(),
        ApiKey::new("sk-wrong"),
        &Network::default(),
    )
    .await
    .unwrap();
    assert_eq!(wrong.failed_step, Some(Step::Http));
    assert_eq!(step(&wrong, Step::Http).http_status, Some(401));
}
