//! Request bodies checked as the API model says: required members, string lengths (in characters, as
//! Smithy counts them), enums and integer ranges. Every failure is a ValidationException naming the member.

use serde_json::{Map, Value};

use crate::errors::{ApiError, ApiResult};

pub struct Body(Map<String, Value>);

impl Body {
    /// Parses a JSON object body; an empty body is an empty object (as the service treats it).
    pub fn parse(bytes: &[u8]) -> ApiResult<Body> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body(Map::new()));
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(m)) => Ok(Body(m)),
            Ok(_) => Err(ApiError::validation("the request body must be a JSON object")),
            Err(e) => Err(ApiError::validation(format!("the request body is not valid JSON: {e}"))),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub fn required_str(&self, key: &str, min: usize, max: usize) -> ApiResult<String> {
        self.optional_str(key, min, max)?.ok_or_else(|| ApiError::validation(format!("{key} is required")))
    }

    pub fn optional_str(&self, key: &str, min: usize, max: usize) -> ApiResult<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => {
                check_len(key, s, min, max)?;
                Ok(Some(s.clone()))
            }
            Some(_) => Err(ApiError::validation(format!("{key} must be a string"))),
        }
    }

    pub fn optional_enum(&self, key: &str, allowed: &[&str]) -> ApiResult<Option<String>> {
        let v = self.optional_str(key, 1, 64)?;
        if let Some(v) = &v {
            check_enum(key, v, allowed)?;
        }
        Ok(v)
    }

    pub fn optional_int(&self, key: &str, min: i64, max: i64) -> ApiResult<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_i64() {
                Some(n) if n >= min && n <= max => Ok(Some(n)),
                _ => Err(ApiError::validation(format!("{key} must be an integer from {min} to {max}"))),
            },
        }
    }

    pub fn optional_bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::validation(format!("{key} must be a boolean"))),
        }
    }

    pub fn optional_str_list(&self, key: &str, min_items: usize, max_items: usize) -> ApiResult<Option<Vec<String>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => {
                if items.len() < min_items || items.len() > max_items {
                    return Err(ApiError::validation(format!("{key} must have {min_items} to {max_items} members")));
                }
                items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| ApiError::validation(format!("{key} must hold strings")))
                    })
                    .collect::<ApiResult<Vec<_>>>()
                    .map(Some)
            }
            Some(_) => Err(ApiError::validation(format!("{key} must be a list"))),
        }
    }

    pub fn optional_object(&self, key: &str) -> ApiResult<Option<Body>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Body(m.clone()))),
            Some(_) => Err(ApiError::validation(format!("{key} must be an object"))),
        }
    }
}

pub fn check_len(key: &str, s: &str, min: usize, max: usize) -> ApiResult<()> {
    let n = s.chars().count();
    if n < min || n > max {
        return Err(ApiError::validation(format!("{key} must be {min} to {max} characters long, got {n}")));
    }
    Ok(())
}

pub fn check_enum(key: &str, v: &str, allowed: &[&str]) -> ApiResult<()> {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(ApiError::validation(format!("{key} must be one of {}, got {v:?}", allowed.join(", "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_members() {
        let b = Body::parse(br#"{"A":"x","N":5,"L":["a"],"B":true,"Z":null}"#).unwrap();
        assert_eq!(b.required_str("A", 1, 5).unwrap(), "x");
        assert!(b.required_str("A", 2, 5).is_err());
        assert!(b.required_str("Z", 1, 5).is_err(), "null counts as missing");
        assert!(b.required_str("N", 1, 5).is_err());
        assert_eq!(b.optional_int("N", 0, 10).unwrap(), Some(5));
        assert!(b.optional_int("N", 0, 4).is_err());
        assert_eq!(b.optional_str_list("L", 1, 1).unwrap(), Some(vec!["a".to_owned()]));
        assert!(b.optional_str_list("L", 2, 3).is_err());
        assert_eq!(b.optional_bool("B").unwrap(), Some(true));
        assert!(b.optional_enum("A", &["y"]).is_err());
        assert!(Body::parse(b"[1]").is_err());
        assert!(Body::parse(b"{").is_err());
        assert!(Body::parse(b"").is_ok());
    }
}
