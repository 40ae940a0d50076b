//! Request bodies read as the API model says, with serde: each operation's request is a struct
//! (`model.rs`, `control.rs`) whose member types carry the model's constraints, string lengths (in
//! characters, as Smithy counts them), integer ranges, list sizes and objects, so that reading a body is
//! checking it. Every failure is a ValidationException naming the member (its path, found by
//! `serde_path_to_error`): `ContentType must be 1 to 100 characters long, got 0`, `ClientToken is
//! required`, `Type[0]: unknown variant ...`.
//!
//! As the service does: members it does not know are ignored, `null` is the same as absent, and an
//! empty body is an empty object.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::errors::{ApiError, ApiResult};

/// Reads a JSON object body as `T`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => return Err(ApiError::validation("the request body must be a JSON object")),
            Err(e) => return Err(ApiError::validation(format!("the request body is not valid JSON: {e}"))),
        }
    };
    serde_path_to_error::deserialize(value).map_err(|e| ApiError::validation(message(&e)))
}

/// The ValidationException message of a member that did not read: its path, then what is wrong.
fn message(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    let inner = e.inner().to_string();
    let at = |name: &str| if path == "." { name.to_owned() } else { format!("{path}.{name}") };
    if let Some(name) = inner.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
        return format!("{} is required", at(name));
    }
    if path == "." {
        inner
    } else if inner.starts_with("must ") {
        // The constraints below say "must ...": "Content must be ...".
        format!("{path} {inner}")
    } else {
        // serde's own ("invalid type: integer `5`, expected a string").
        format!("{path}: {inner}")
    }
}

/// A string of `MIN` to `MAX` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MIN: usize, const MAX: usize>(pub String);

impl<'de, const MIN: usize, const MAX: usize> Deserialize<'de> for Text<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let n = s.chars().count();
        if n < MIN || n > MAX {
            return Err(de::Error::custom(format!("must be {MIN} to {MAX} characters long, got {n}")));
        }
        Ok(Text(s))
    }
}

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An integer from `MIN` to `MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int<const MIN: i64, const MAX: i64>(pub i64);

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Int<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match i64::deserialize(d) {
            Ok(n) if (MIN..=MAX).contains(&n) => Ok(Int(n)),
            _ => Err(de::Error::custom(format!("must be an integer from {MIN} to {MAX}"))),
        }
    }
}

/// A list of `MIN` to `MAX` members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T, const MIN: usize, const MAX: usize>(pub Vec<T>);

impl<'de, T: Deserialize<'de>, const MIN: usize, const MAX: usize> Deserialize<'de> for List<T, MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(d)?;
        if items.len() < MIN || items.len() > MAX {
            return Err(de::Error::custom(format!("must have {MIN} to {MAX} members")));
        }
        Ok(List(items))
    }
}

/// A structure member: a JSON object only (serde would also read a struct from an array, by position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                // The same map: member paths inside stay known.
                T::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(ObjectVisitor(PhantomData)).map(Object)
    }
}

/// `value` if it is one of `allowed`, else a ValidationException naming `key`.
pub fn check_enum(key: &str, value: &str, allowed: &[&str]) -> ApiResult<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::validation(format!("{key} must be one of {}, got {value:?}", allowed.join(", "))))
    }
}

/// At most `max` bytes (the service's limit on message content, beside the model's length in characters).
pub fn check_bytes(key: &str, value: &str, max: usize) -> ApiResult<()> {
    if value.len() > max {
        return Err(ApiError::validation(format!("{key} is longer than {max} bytes")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Shape {
        a: Text<1, 5>,
        n: Option<Int<0, 10>>,
        l: Option<List<Text<1, 3>, 1, 2>>,
        b: Option<bool>,
        o: Option<Object<Inner>>,
        e: Option<Choice>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Inner {
        id: Text<1, 2>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[allow(clippy::upper_case_acronyms)]
    enum Choice {
        YES,
        NO,
    }

    fn err(body: &str) -> String {
        match parse::<Shape>(body.as_bytes()) {
            Ok(s) => panic!("{body} read as {s:?}"),
            Err(e) => {
                assert_eq!((e.status, e.name), (400, "ValidationException"));
                e.message
            }
        }
    }

    #[test]
    fn reads_members_as_the_model_says() {
        let s: Shape = parse(br#"{"A":"x","N":5,"L":["a"],"B":true,"O":{"Id":"i"},"E":"NO","Unknown":[1]}"#).unwrap();
        assert_eq!(s.a.as_str(), "x");
        assert_eq!(s.n, Some(Int(5)));
        assert_eq!(s.l, Some(List(vec![Text("a".into())])));
        assert_eq!(s.b, Some(true));
        assert_eq!(s.o.map(|o| o.0.id.0), Some("i".into()));
        assert_eq!(s.e, Some(Choice::NO));
        let s: Shape = parse(br#"{"A":"x","N":null,"O":null}"#).unwrap();
        assert!(s.n.is_none() && s.o.is_none(), "null counts as absent");
        assert_eq!(
            parse::<Shape>(r#"{"A":"ééééé"}"#.as_bytes()).unwrap().a.0.chars().count(),
            5,
            "characters, not bytes"
        );
    }

    #[test]
    fn every_failure_names_the_member() {
        assert_eq!(err(r#"{}"#), "A is required");
        assert_eq!(err(""), "A is required", "an empty body is an empty object");
        assert_eq!(err(r#"{"A":""}"#), "A must be 1 to 5 characters long, got 0");
        assert_eq!(err(r#"{"A":"abcdef"}"#), "A must be 1 to 5 characters long, got 6");
        assert!(err(r#"{"A":5}"#).starts_with("A: invalid type: integer `5`, expected a string"));
        assert!(err(r#"{"A":null}"#).starts_with("A: invalid type: null"));
        assert_eq!(err(r#"{"A":"x","N":11}"#), "N must be an integer from 0 to 10");
        assert_eq!(err(r#"{"A":"x","N":1.5}"#), "N must be an integer from 0 to 10");
        assert_eq!(err(r#"{"A":"x","N":"1"}"#), "N must be an integer from 0 to 10");
        assert_eq!(err(r#"{"A":"x","L":[]}"#), "L must have 1 to 2 members");
        assert_eq!(err(r#"{"A":"x","L":["a","b","c"]}"#), "L must have 1 to 2 members");
        assert_eq!(err(r#"{"A":"x","L":["abcd"]}"#), "L[0] must be 1 to 3 characters long, got 4");
        assert!(err(r#"{"A":"x","L":"a"}"#).starts_with("L: invalid type: string"));
        assert!(err(r#"{"A":"x","B":"true"}"#).starts_with("B: invalid type: string"));
        assert_eq!(err(r#"{"A":"x","O":{}}"#), "O.Id is required");
        assert_eq!(err(r#"{"A":"x","O":{"Id":"abc"}}"#), "O.Id must be 1 to 2 characters long, got 3");
        assert!(err(r#"{"A":"x","O":["i"]}"#).starts_with("O: invalid type: sequence, expected an object"));
        assert!(err(r#"{"A":"x","E":"MAYBE"}"#).starts_with("E: unknown variant `MAYBE`, expected"));
        assert_eq!(err("[1]"), "the request body must be a JSON object");
        assert!(err("{").starts_with("the request body is not valid JSON"));
    }

    #[test]
    fn enums_and_byte_limits() {
        assert!(check_enum("K", "a", &["a", "b"]).is_ok());
        assert_eq!(check_enum("K", "c", &["a", "b"]).unwrap_err().message, r#"K must be one of a, b, got "c""#);
        assert!(check_bytes("C", "éé", 4).is_ok());
        assert!(check_bytes("C", "ééé", 4).is_err());
    }
}
