//! The dashboard's "API version" choice (Auto, v4, v3, v2, v1) and how it
//! goes with the base URL, the address bar (`?task=<id>&api=v4`) and the
//! recent tasks. Auto finds each id's version by asking (v4, v2, v3); a
//! version that answered once is remembered, so opening that task again
//! skips the probe.
//!
//! The base URL may name a version itself (`/api/v1`, typed or saved):
//! then that is the version, and the select shows it. Picking a version in
//! the select rewrites such a URL's last segment (or drops it for Auto), so
//! the two never disagree.

use crate::api::{ApiVersion, Client};

/// The select's options, in order: value and label.
pub const CHOICES: [(&str, &str); 5] = [
    ("auto", "Auto (find the version)"),
    ("v4", "v4 (runs)"),
    ("v3", "v3 (sessions)"),
    ("v2", "v2 (tasks)"),
    ("v1", "v1 (retired)"),
];

/// `"auto"` or the version.
pub fn choice_value(choice: Option<ApiVersion>) -> &'static str {
    choice.map_or("auto", ApiVersion::as_str)
}

/// `None` for Auto (or anything unreadable).
pub fn parse_choice(value: &str) -> Option<ApiVersion> {
    ApiVersion::parse(value)
}

/// The version in effect: the base URL's own, else the choice.
/// `deploy/boot.js` (`effectiveVersion`) applies the same rule to the form
/// index.html draws before the app has started; e2e/shell.test.mjs checks
/// that the two agree.
pub fn effective(base_url: &str, choice: Option<ApiVersion>) -> Option<ApiVersion> {
    ApiVersion::from_base_url(base_url.trim()).or(choice)
}

/// The base URL after picking `choice`: a URL naming a version gets the
/// new one (or, for Auto, loses its version segment); any other URL stays.
pub fn base_for_choice(base_url: &str, choice: Option<ApiVersion>) -> String {
    let trimmed = base_url.trim().trim_end_matches('/');
    if ApiVersion::from_base_url(trimmed).is_none() {
        return base_url.to_owned();
    }
    match choice {
        Some(v) => ApiVersion::base_url_for(trimmed, v),
        None => trimmed
            .rsplit_once('/')
            .map(|(head, _)| head.to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "/api".to_owned()),
    }
}

/// The client for an open: a `known` version (remembered for this task)
/// wins and skips the probe; else the base URL's version, else the choice,
/// else Auto.
pub fn client_for(base_url: &str, choice: Option<ApiVersion>, known: Option<ApiVersion>) -> Client {
    let base = base_url.trim();
    match known {
        Some(v) => Client::new(ApiVersion::base_url_for(base, v)),
        None => {
            let c = Client::new(base);
            match (c.api_version(), choice) {
                (None, Some(v)) => c.with_api_version(v),
                _ => c,
            }
        }
    }
}

/// The remembered versions of recent tasks (id, version), in the order of
/// the recent tasks. A list, not a map: it holds at most the recent tasks'
/// few ids, and a map's sorting code would be in the page's first module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Versions(Vec<(String, ApiVersion)>);

impl Versions {
    /// The version remembered for `id`.
    pub fn get(&self, id: &str) -> Option<ApiVersion> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, v)| *v)
    }
}

/// The remembered versions of recent tasks, from the entries of their
/// stored JSON (`{"<id>": "v4"}`, read by `dom::json_string_entries`);
/// anything unreadable is forgotten.
pub fn parse_versions(entries: Option<Vec<(String, String)>>) -> Versions {
    let mut out: Vec<(String, ApiVersion)> = Vec::new();
    for (id, v) in entries.unwrap_or_default() {
        if let Some(v) = ApiVersion::parse(&v) {
            if !out.iter().any(|(k, _)| *k == id) {
                out.push((id, v));
            }
        }
    }
    Versions(out)
}

/// `versions` with `id`'s version set, keeping only the ids in `recent`,
/// in its order.
pub fn remember_version(
    versions: &Versions,
    recent: &[String],
    id: &str,
    version: ApiVersion,
) -> Versions {
    Versions(
        recent
            .iter()
            .filter_map(|r| {
                let v = if r == id {
                    Some(version)
                } else {
                    versions.get(r)
                };
                v.map(|v| (r.clone(), v))
            })
            .collect(),
    )
}

/// The entries to store (`dom::json_of_string_entries`), in the recent
/// tasks' order.
pub fn versions_entries(versions: &Versions) -> Vec<(&str, &str)> {
    versions
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The `api` parameter of the address bar.
pub fn query_api() -> Option<ApiVersion> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("api").and_then(|v| ApiVersion::parse(&v))
}

/// Sets (or, for `None`, removes) the address bar's `api` parameter in the
/// current history entry, when it differs.
pub fn set_query_api(version: Option<ApiVersion>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    let params = url.search_params();
    let now = params.get("api");
    if now.as_deref() == version.map(ApiVersion::as_str) {
        return;
    }
    match version {
        Some(v) => params.set("api", v.as_str()),
        None => params.delete("api"),
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_url_and_the_choice_agree() {
        assert_eq!(effective("/api", None), None);
        assert_eq!(
            effective("/api", Some(ApiVersion::V4)),
            Some(ApiVersion::V4)
        );
        assert_eq!(effective("/api/v1", None), Some(ApiVersion::V1));
        assert_eq!(
            effective("/api/v1", Some(ApiVersion::V4)),
            Some(ApiVersion::V1)
        );
        assert_eq!(base_for_choice("/api/v1", Some(ApiVersion::V4)), "/api/v4");
        assert_eq!(base_for_choice("/api/v2", None), "/api");
        assert_eq!(
            base_for_choice("https://api.browser-use.com/api/v2/", None),
            "https://api.browser-use.com/api"
        );
        assert_eq!(base_for_choice("/api", Some(ApiVersion::V3)), "/api");
        assert_eq!(
            base_for_choice("https://proxy.example/bu", None),
            "https://proxy.example/bu"
        );
        for (value, _) in CHOICES {
            assert_eq!(choice_value(parse_choice(value)), value);
        }
    }

    #[test]
    fn a_known_version_skips_the_probe() {
        assert_eq!(client_for("/api", None, None).api_version(), None, "Auto");
        assert_eq!(
            client_for("/api", Some(ApiVersion::V3), None).api_version(),
            Some(ApiVersion::V3)
        );
        assert_eq!(
            client_for("/api/v1", None, None).api_version(),
            Some(ApiVersion::V1)
        );
        let known = client_for("/api/v1", None, Some(ApiVersion::V4));
        assert_eq!(known.api_version(), Some(ApiVersion::V4));
        assert_eq!(known.base_url(), "/api/v4");
        assert_eq!(
            client_for("/api", None, Some(ApiVersion::V2)).base_url(),
            "/api/v2"
        );
    }

    #[test]
    fn versions_are_kept_for_recent_tasks_only() {
        let stored = [("a", "v4"), ("b", "v9"), ("c", "v2")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .to_vec();
        let v = parse_versions(Some(stored));
        assert_eq!(versions_entries(&v), [("a", "v4"), ("c", "v2")]);
        let recent = vec!["a".to_string(), "d".into()];
        let v = remember_version(&v, &recent, "d", ApiVersion::V3);
        assert_eq!(versions_entries(&v), [("a", "v4"), ("d", "v3")]);
        assert_eq!(v.get("d"), Some(ApiVersion::V3));
        assert_eq!(v.get("c"), None);
        assert_eq!(parse_versions(None), Versions::default());
    }

    #[test]
    fn versions_follow_the_recent_tasks_order_and_an_id_is_kept_once() {
        let stored = [("a", "v4"), ("b", "v2"), ("a", "v3")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .to_vec();
        let v = parse_versions(Some(stored));
        assert_eq!(versions_entries(&v), [("a", "v4"), ("b", "v2")]);
        let recent = vec!["c".to_string(), "b".into(), "a".into()];
        let v = remember_version(&v, &recent, "c", ApiVersion::V1);
        assert_eq!(
            versions_entries(&v),
            [("c", "v1"), ("b", "v2"), ("a", "v4")]
        );
        // Set again: replaced, not added.
        let v = remember_version(&v, &recent, "b", ApiVersion::V3);
        assert_eq!(
            versions_entries(&v),
            [("c", "v1"), ("b", "v3"), ("a", "v4")]
        );
    }
}
