//! Which Browser Use Cloud API a client speaks. Each version is one module
//! (`v1` … `v4`) that owns its routes, auth header and decoding; this enum
//! is only the dispatch table between them and the transport.

use serde::{Deserialize, Serialize};

use super::model::{Control, Task};

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
    /// `/api/v3`: sessions, with messages as their timeline.
    V3,
    /// `/api/v4`: runs, with events as their timeline (the current API).
    V4,
}

/// The order in which a bare id is looked for when the version is not
/// known: the current API first, then the one most keys still use.
pub const PROBE_ORDER: [ApiVersion; 3] = [ApiVersion::V4, ApiVersion::V2, ApiVersion::V3];

impl ApiVersion {
    pub const ALL: [ApiVersion; 4] = [
        ApiVersion::V1,
        ApiVersion::V2,
        ApiVersion::V3,
        ApiVersion::V4,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V2 => "v2",
            Self::V3 => "v3",
            Self::V4 => "v4",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The version a base URL names by its last path segment
    /// (`https://api.browser-use.com/api/v1` → v1). `None` when the URL
    /// names none, e.g. the service's root or a proxy's `/api`.
    pub fn from_base_url(base_url: &str) -> Option<Self> {
        let path = base_url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        let last = path.rsplit('/').next().unwrap_or_default();
        Self::parse(last)
    }

    /// `base_url` for version `to`: its version segment replaced when it
    /// has one (`…/api/v1` → `…/api/v2`), else the version appended to the
    /// API root (`https://api.browser-use.com` and `…/api` both give
    /// `…/api/v2`).
    pub fn base_url_for(base_url: &str, to: ApiVersion) -> String {
        let trimmed = base_url.trim().trim_end_matches('/');
        if Self::from_base_url(trimmed).is_some() {
            if let Some((head, _)) = trimmed.rsplit_once('/') {
                return format!("{head}/{}", to.as_str());
            }
        }
        if trimmed.ends_with("/api") || trimmed == "api" {
            format!("{trimmed}/{}", to.as_str())
        } else {
            format!("{trimmed}/api/{}", to.as_str())
        }
    }

    /// `base_url` with its version segment replaced by `to`'s, only when it
    /// names a version.
    pub fn switch_base_url(base_url: &str, to: ApiVersion) -> Option<String> {
        Self::from_base_url(base_url.trim().trim_end_matches('/'))?;
        Some(Self::base_url_for(base_url, to))
    }

    /// The header that carries the API key, and its value for `key`.
    pub fn auth_header(self, key: &str) -> (&'static str, String) {
        match self {
            Self::V1 => super::v1::auth_header(key),
            // v3 and v4 take the same key in the same header as v2.
            Self::V2 | Self::V3 | Self::V4 => super::v2::auth_header(key),
        }
    }

    /// The controls this version offers for `task` now.
    pub fn controls(self, task: &Task) -> Vec<Control> {
        match self {
            Self::V1 => super::v1::controls(&task.status),
            Self::V2 => super::v2::controls(&task.status),
            Self::V3 => super::v3::controls(&task.api_status),
            Self::V4 => super::v4::controls(&task.api_status),
        }
    }

    /// Whether `task` has ended but its browser is kept alive (a v3 session
    /// that is `idle`).
    pub fn keeps_browser(self, task: &Task) -> bool {
        match self {
            Self::V3 => super::v3::keeps_browser(&task.api_status),
            Self::V1 | Self::V2 | Self::V4 => false,
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
        assert_eq!(v("/api/V4"), Some(ApiVersion::V4));
        assert_eq!(v("/api/v3?x=1"), Some(ApiVersion::V3));
        assert_eq!(v("/api/v1/agents"), None);
        assert_eq!(v("https://proxy.example/bu"), None);
        assert_eq!(v("https://api.browser-use.com"), None);
        assert_eq!(v(""), None);
    }

    #[test]
    fn base_urls_for_each_version() {
        let f = ApiVersion::base_url_for;
        assert_eq!(
            f("https://api.browser-use.com/api/v1/", ApiVersion::V2),
            "https://api.browser-use.com/api/v2"
        );
        assert_eq!(f("/api/v2", ApiVersion::V4), "/api/v4");
        assert_eq!(
            f("https://api.browser-use.com", ApiVersion::V4),
            "https://api.browser-use.com/api/v4"
        );
        assert_eq!(
            f("https://api.browser-use.com/api/", ApiVersion::V3),
            "https://api.browser-use.com/api/v3"
        );
        assert_eq!(f("/api", ApiVersion::V2), "/api/v2");
        assert_eq!(f("", ApiVersion::V2), "/api/v2");
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
        for v in [ApiVersion::V2, ApiVersion::V3, ApiVersion::V4] {
            assert_eq!(
                v.auth_header("k"),
                ("X-Browser-Use-API-Key", "k".to_owned())
            );
        }
    }

    #[test]
    fn the_probe_asks_the_current_api_first() {
        assert_eq!(
            PROBE_ORDER,
            [ApiVersion::V4, ApiVersion::V2, ApiVersion::V3]
        );
    }
}
