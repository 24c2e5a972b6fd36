//! What the HTTP test files share: the emulator's routes on a free loopback
//! port, and calls to one of its API versions with the v2/v3/v4 key header.
// Each test file uses the part it needs.
#![allow(dead_code)]

pub mod schemas;

use browser_use_emulator::{app, Config};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

pub struct Emu {
    pub origin: String,
    pub client: Client,
    /// Put before every path: `/api/v2`, or empty for full paths.
    prefix: &'static str,
    key: &'static str,
}

/// Serves `app(config)` on 127.0.0.1 (any free port) with `key`, the rest of
/// the config as `tweak` leaves it; the server stops with the test's runtime.
pub async fn start_emulator(
    key: &'static str,
    prefix: &'static str,
    tweak: impl FnOnce(&mut Config),
) -> Emu {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = Config {
        port: addr.port(),
        api_key: key.into(),
        ..Config::default()
    };
    tweak(&mut config);
    let router = app(&config);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Emu {
        origin: format!("http://{addr}"),
        client: Client::new(),
        prefix,
        key,
    }
}

impl Emu {
    /// `method {prefix}{path}` with the key header; status and body text.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> (StatusCode, String) {
        let mut req = self
            .client
            .request(method, format!("{}{}{path}", self.origin, self.prefix))
            .header("X-Browser-Use-API-Key", self.key);
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        (resp.status(), resp.text().await.unwrap())
    }

    /// The same, with the body as JSON (`null` when it is not JSON).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let (status, text) = self.raw(method, path, body).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// The same, for answers that must be JSON (a panic otherwise).
    pub async fn json_call(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let (status, text) = self.raw(method, path, body).await;
        let v = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"));
        (status, v)
    }

    /// A GET that must answer 200.
    pub async fn ok(&self, path: &str) -> Value {
        let (status, v) = self.call(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {v}");
        v
    }
}
