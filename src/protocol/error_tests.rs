use super::*;
use serde_json::{json, Value};

#[test]
fn takes_the_name_from_the_header_then_the_body_then_the_status() {
    let body = json!({"message": "Invalid token"});
    let e = ChatError::from_http::<Value>(403, Some("AccessDeniedException"), Some(&body));
    assert_eq!(e, ChatError::new("AccessDeniedException", "Invalid token", 403, false));

    let e = ChatError::from_http::<Value>(400, Some("ValidationException:http://internal.amazon.com/"), None);
    assert_eq!((e.name.as_str(), e.message.as_str()), ("ValidationException", "HTTP 400"));

    let body = json!({"__type": "com.amazonaws.connectparticipant#ThrottlingException", "Message": "slow"});
    let e = ChatError::from_http::<Value>(429, None, Some(&body));
    assert_eq!(e, ChatError::new("ThrottlingException", "slow", 429, true));

    let e = ChatError::from_http::<Value>(503, None, None);
    assert_eq!(e, ChatError::new("InternalServerException", "HTTP 503", 503, true));
    let e = ChatError::from_http::<Value>(418, Some(""), None);
    assert_eq!(e.name, "UnknownError");
    assert!(!e.retryable);
}

#[test]
fn the_error_name_loses_namespace_suffix_and_spaces() {
    let named = |raw: &str| ChatError::from_http::<Value>(400, Some(raw), None).name.clone();
    assert_eq!(named("com.amazonaws.connectparticipant#ConflictException"), "ConflictException");
    assert_eq!(named(" ThrottlingException "), "ThrottlingException");
    assert_eq!(named("a#b#ResourceNotFoundException:x:y"), "ResourceNotFoundException");
}
