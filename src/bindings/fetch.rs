//! `getTask` and `getTaskStatus`: one call each, a Promise in JS.

use wasm_bindgen::prelude::*;

use super::abort::with_signal;
use super::error::api_error_to_js;
use super::options::{task_id, CallOptions};
use super::{setup, to_js};

/// `getTask(taskId, options?) → Promise<Task>`: the neutral task (the same
/// shape for every API version, camelCase, `raw` the API's JSON), with a
/// v2 task's live view, share link and recording taken from its session.
#[wasm_bindgen(js_name = getTask, skip_typescript)]
pub async fn get_task(task_id_value: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    setup();
    let id = task_id(&task_id_value)?;
    let o = CallOptions::read(&options)?;
    let task = with_signal(o.signal.as_ref(), o.client.get_task(&id))
        .await
        .map_err(|e| api_error_to_js(&e, o.api_key.as_deref()))?;
    to_js(&task)
}

/// `getTaskStatus(taskId, options?) → Promise<TaskStatus>`.
#[wasm_bindgen(js_name = getTaskStatus, skip_typescript)]
pub async fn get_task_status(task_id_value: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    setup();
    let id = task_id(&task_id_value)?;
    let o = CallOptions::read(&options)?;
    let status = with_signal(o.signal.as_ref(), o.client.get_task_status(&id))
        .await
        .map_err(|e| api_error_to_js(&e, o.api_key.as_deref()))?;
    Ok(status.as_str().into())
}
