//! How each key of a result is read, lenient forms included.

use super::*;
use serde_json::json;

fn map(value: Value) -> Option<Map<String, Value>> {
    value.as_object().cloned()
}

fn pre(value: Value) -> PreRequestResult {
    HookResult::parse(Kind::PreRequest, true, map(value))
        .pre_request()
        .unwrap_or_default()
}

fn post(value: Value) -> PostResponseResult {
    HookResult::parse(Kind::PostRequest, true, map(value))
        .post_response()
        .unwrap_or_default()
}

fn event(called: bool, value: Option<Value>) -> Option<EventResult> {
    HookResult::parse(Kind::Event, called, value.and_then(map)).event()
}

#[test]
fn status_codes_are_read_from_numbers_and_strings() {
    assert_eq!(status(&json!(201)), Some(201));
    assert_eq!(status(&json!(" 404 ")), Some(404));
    assert_eq!(status(&json!(99)), None);
    assert_eq!(status(&json!(true)), None);
    assert_eq!(
        pre(json!({"response_status_code": "418"})).response_status_code,
        Some(418)
    );
}

#[test]
fn nothing_given_passes_everything_through() {
    assert_eq!(pre(json!({})), PreRequestResult::default());
    assert!(PreRequestResult::default().continue_);
    assert!(HookResult::parse(Kind::PreRequest, false, None)
        .pre_request()
        .is_some_and(|r| r.continue_));
    assert_eq!(post(json!({})), PostResponseResult::default());
}

#[test]
fn only_false_stops_and_keys_of_other_types_are_ignored() {
    assert!(pre(json!({"continue": null})).continue_);
    assert!(pre(json!({"continue": 0})).continue_);
    assert!(!pre(json!({"continue": false})).continue_);
    let ignored = pre(
        json!({"request_vendor_headers": "x", "request_vendor_path": 3, "configuration": [1], "response_headers": null}),
    );
    assert_eq!(ignored, PreRequestResult::default());
}

#[test]
fn the_vendor_body_is_either_key_and_request_vendor_body_wins() {
    let both = pre(json!({"request_vendor_body": "text", "request_vendor_body_map": {"a": 1}}));
    assert_eq!(both.request_vendor_body, Some(json!("text")));
    let map_only = pre(json!({"request_vendor_body_map": {"a": 1}}));
    assert_eq!(map_only.request_vendor_body, Some(json!({"a": 1})));
    let removed = pre(json!({"request_vendor_body": null}));
    assert_eq!(removed.request_vendor_body, Some(Value::Null));
}

#[test]
fn methods_are_upper_cased_and_response_headers_lower_cased() {
    let result = pre(
        json!({"request_vendor_method": "patch", "response_headers": {"X-A": "1", "x-a": "2", "B": null}}),
    );
    assert_eq!(result.request_vendor_method.as_deref(), Some("PATCH"));
    assert_eq!(
        result.response_headers.map(Value::Object),
        Some(json!({"x-a": "2", "b": null}))
    );
}

#[test]
fn error_messages_fall_through_null_and_false() {
    let message = |value| pre(value).response_error_message;
    assert_eq!(
        message(json!({"response_error_message": "bad"})),
        Some("bad".into())
    );
    assert_eq!(
        message(json!({"response_error_message": false, "response_error": {"code": 1}})),
        Some("{\"code\":1}".into())
    );
    assert_eq!(message(json!({"response_error_message": null})), None);
    assert_eq!(
        post(json!({"response_error": 5})).response_error_message,
        Some("5".into())
    );
}

#[test]
fn pre_and_post_read_bodies_their_own_way() {
    let pre_null = pre(json!({"response_body": null, "response_body_raw": "raw"}));
    assert_eq!(pre_null.response_body, None);
    assert_eq!(pre_null.response_body_raw.as_deref(), Some("raw"));
    assert_eq!(
        pre(json!({"response_body_raw": {"a": 1}})).response_body_raw,
        None
    );
    let post_null = post(json!({"response_body": null, "response_body_raw": {"a": 1}}));
    assert_eq!(post_null.response_body, Some(Value::Null));
    assert_eq!(post_null.response_body_raw, Some(json!({"a": 1})));
}

#[test]
fn events_are_a_list_one_object_or_the_default() {
    let list = event(true, Some(json!({"events": [{"a": 1}], "continue": true})));
    assert_eq!(
        list.map(|r| r.events),
        Some(Ok(Events::List(vec![json!({"a": 1})])))
    );
    let one = event(true, Some(json!({"events": {"a": 1}})));
    assert_eq!(
        one.map(|r| r.events),
        Some(Ok(Events::List(vec![json!({"a": 1})])))
    );
    assert_eq!(
        event(false, None).map(|r| r.events),
        Some(Ok(Events::Unset))
    );
    assert_eq!(
        event(false, Some(json!({"events": null}))).map(|r| r.events),
        Some(Ok(Events::Unset))
    );
    assert_eq!(event(true, None).map(|r| r.events), Some(Err(NoEvents)));
    assert_eq!(
        event(false, Some(json!({"events": "x"}))).map(|r| r.events),
        Some(Err(NoEvents))
    );
    let dropped = event(
        true,
        Some(json!({"continue": false, "configuration": {"k": null}})),
    );
    assert!(dropped.as_ref().is_some_and(|r| !r.continue_));
    assert_eq!(
        dropped.and_then(|r| r.configuration).map(Value::Object),
        Some(json!({"k": null}))
    );
}

#[test]
fn only_true_asks_for_a_metadata_merge() {
    assert!(post(json!({"metadata_merge": true})).metadata_merge);
    assert!(!post(json!({"metadata_merge": "true"})).metadata_merge);
    assert!(!post(json!({})).metadata_merge);
}
