//! Which Browser Use Cloud API a client speaks. Each version is one module
//! (`v1`, `v2`) that owns its routes, auth header and decoding; this enum is
//! only the dispatch table between them and the transport.

use serde::{Deserialize, Serialize};

/// An API version the viewer speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    /// `/api/v1`: retired by the service in 2026; kept for old deployments
    /// and the emulator.
    V1,
    /// `/api/v2`: tasks, with the live view on the task's session.
    #[default]
    V2,
}

impl ApiVersion {
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V1, ApiVersion::V2];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V2 => "v2",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The version a base URL names by its last path segment
    /// (`https://api.browser-use.com/api/v1` → v1). `None` when the URL
    /// names none, e.g. a proxy's `/browser-use`.
    pub fn from_base_url(base_url: &str) -> Option<Self> {
        let path = base_url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        let last = path.rsplit('/').next().unwrap_or_default();
        Self::parse(last)
    }

    /// `base_url` with its version segment replaced by `to`'s, when it has
    /// one (`…/api/v1` → `…/api/v2`).
    pub fn switch_base_url(base_url: &str, to: ApiVersion) -> Option<String> {
        let trimmed = base_url.trim().trim_end_matches('/');
        Self::from_base_url(trimmed)?;
        let (head, _) = trimmed.rsplit_once('/')?;
        Some(format!("{head}/{}", to.as_str()))
    }

    /// The header that carries the API key, and its value for `key`.
    pub fn auth_header(self, key: &str) -> (&'static str, String) {
        match self {
            Self::V1 => super::v1::auth_header(key),
            Self::V2 => super::v2::auth_header(key),
        }
    }
}

impl ApiVersion {
    /// The controls this version offers for a task in `status`.
    pub fn controls(self, status: &super::model::TaskStatus) -> Vec<super::model::Control> {
        match self {
            Self::V1 => super::v1::controls(status),
            Self::V2 => super::v2::controls(status),
        }
    }

    /// Whether tasks have a downloadable agent log.
    pub fn has_logs(self) -> bool {
        matches!(self, Self::V2)
    }
}

impl std::fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_comes_from_the_last_path_segment() {
        let v = ApiVersion::from_base_url;
        assert_eq!(
            v("https://api.browser-use.com/api/v1"),
            Some(ApiVersion::V1)
        );
        assert_eq!(
            v("https://api.browser-use.com/api/v2/"),
            Some(ApiVersion::V2)
        );
        assert_eq!(v("/api/V2"), Some(ApiVersion::V2));
        assert_eq!(v("/api/v2?x=1"), Some(ApiVersion::V2));
        assert_eq!(v("/api/v1/agents"), None);
        assert_eq!(v("https://proxy.example/bu"), None);
        assert_eq!(v(""), None);
    }

    #[test]
    fn switching_replaces_only_the_version_segment() {
        assert_eq!(
            ApiVersion::switch_base_url("https://api.browser-use.com/api/v1/", ApiVersion::V2)
                .as_deref(),
            Some("https://api.browser-use.com/api/v2")
        );
        assert_eq!(
            ApiVersion::switch_base_url("/api/v1", ApiVersion::V2).as_deref(),
            Some("/api/v2")
        );
        assert_eq!(ApiVersion::switch_base_url("/proxy", ApiVersion::V2), None);
    }

    #[test]
    fn each_version_names_its_auth_header() {
        assert_eq!(
            ApiVersion::V1.auth_header("k"),
            ("Authorization", "Bearer k".to_owned())
        );
        assert_eq!(
            ApiVersion::V2.auth_header("k"),
            ("X-Browser-Use-API-Key", "k".to_owned())
        );
    }
}
