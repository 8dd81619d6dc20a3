//! Turning a text frame into a request, with a precise error code for each
//! way it can be wrong. Pure: the server fuzzes and tests it without a socket.

use crate::error::ErrorCode;
use crate::request::{Envelope, Request, RequestId, REQUEST_TYPES};
use serde_json::{json, Map, Value};

/// Why a frame could not be decoded. The `id` is kept when it could be read,
/// so that the error reply still reaches the request that caused it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    pub id: Option<RequestId>,
    pub code: ErrorCode,
    pub details: Option<Value>,
}

/// Longest accepted `nonce` or string `id`, in bytes.
pub const MAX_TOKEN_FIELD: usize = 128;

/// Decode one text frame.
pub fn decode_request(text: &str) -> Result<Envelope, DecodeError> {
    let value: Value = match serde_json::from_str::<Checked>(text) {
        Ok(Checked(value)) => value,
        // A duplicate key is reported as a data error carrying our message.
        Err(e) if e.is_data() => {
            let field = e.to_string();
            let field = field.split('`').nth(1).unwrap_or_default();
            return Err(DecodeError {
                id: None,
                code: ErrorCode::DuplicateField,
                details: Some(json!({ "field": field.chars().take(64).collect::<String>() })),
            });
        }
        Err(e) => {
            return Err(DecodeError {
                id: None,
                code: ErrorCode::MalformedJson,
                details: Some(json!({ "line": e.line(), "column": e.column() })),
            })
        }
    };
    let Value::Object(mut map) = value else {
        return Err(DecodeError {
            id: None,
            code: ErrorCode::NotAnObject,
            details: None,
        });
    };
    let id = take_id(&mut map)?;
    let fail = |code: ErrorCode, details: Option<Value>| DecodeError {
        id: id.clone(),
        code,
        details,
    };
    let nonce = match map.remove("nonce") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() && s.len() <= MAX_TOKEN_FIELD => Some(s),
        Some(_) => {
            return Err(fail(
                ErrorCode::InvalidField,
                Some(json!({ "field": "nonce" })),
            ))
        }
    };
    let kind = match map.get("type") {
        None => return Err(fail(ErrorCode::MissingType, None)),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(fail(
                ErrorCode::InvalidField,
                Some(json!({ "field": "type" })),
            ))
        }
    };
    if !REQUEST_TYPES.contains(&kind.as_str()) {
        let shown: String = kind.chars().take(64).collect();
        return Err(fail(ErrorCode::UnknownType, Some(json!({ "type": shown }))));
    }
    let request: Request = serde_json::from_value(Value::Object(map)).map_err(|e| {
        let (code, field) = classify_serde_error(&e.to_string());
        let mut details = Map::new();
        if let Some(field) = field {
            details.insert("field".into(), Value::String(field));
        }
        fail(code, Some(Value::Object(details)))
    })?;
    Ok(Envelope { id, nonce, request })
}

/// A JSON value read with every object's keys checked for duplicates.
/// serde_json keeps the last of two equal keys without a word, so
/// `{"type":"say","room":"a","room":"b"}` would reach a room the sender did
/// not seem to name; a request is strict about unknown fields, and about this.
struct Checked(Value);

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor).map(Checked)
    }
}

struct CheckedVisitor;

impl<'de> serde::de::Visitor<'de> for CheckedVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Checked(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Checked(value) = map.next_value()?;
            if out.contains_key(&key) {
                let shown: String = key.chars().take(64).collect();
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate field `{shown}`"
                )));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

fn take_id(map: &mut Map<String, Value>) -> Result<Option<RequestId>, DecodeError> {
    match map.remove("id") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().map(RequestId::Number)),
        Some(Value::String(s)) if s.len() <= MAX_TOKEN_FIELD => Ok(Some(RequestId::Text(s))),
        Some(_) => Err(DecodeError {
            id: None,
            code: ErrorCode::InvalidField,
            details: Some(json!({ "field": "id" })),
        }),
    }
}

/// serde reports field problems only as text; pull out the field name (the
/// part between backticks) so the client gets a code and a field, not English.
fn classify_serde_error(message: &str) -> (ErrorCode, Option<String>) {
    let quoted = message
        .split('`')
        .nth(1)
        .map(|s| s.chars().take(64).collect::<String>());
    if message.starts_with("missing field") {
        (ErrorCode::MissingField, quoted)
    } else if message.starts_with("unknown field") {
        (ErrorCode::UnknownField, quoted)
    } else {
        // A wrong type, or an enum value (mode, class, ...) the server does
        // not know: serde's message does not name the field.
        (ErrorCode::InvalidField, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_say_with_id_and_nonce() {
        let env = decode_request(
            r#"{"type":"say","id":7,"nonce":"n-1","room":"r","text":"hi","lang":"en"}"#,
        )
        .expect("valid");
        assert_eq!(env.id, Some(RequestId::Number(7)));
        assert_eq!(env.nonce.as_deref(), Some("n-1"));
        assert!(matches!(env.request, Request::Say { .. }));
    }

    #[test]
    fn each_kind_of_bad_input_has_its_own_code() {
        let code = |t: &str| decode_request(t).map(|_| ()).unwrap_err().code;
        assert_eq!(code("{not json"), ErrorCode::MalformedJson);
        assert_eq!(code("[1,2]"), ErrorCode::NotAnObject);
        assert_eq!(code(r#"{"room":"x"}"#), ErrorCode::MissingType);
        assert_eq!(code(r#"{"type":"dance"}"#), ErrorCode::UnknownType);
        assert_eq!(
            code(r#"{"type":"say","room":"x"}"#),
            ErrorCode::MissingField
        );
        assert_eq!(
            code(r#"{"type":"say","room":"x","text":3,"lang":"en"}"#),
            ErrorCode::InvalidField
        );
        assert_eq!(
            code(r#"{"type":"leave","room":"x","colour":"red"}"#),
            ErrorCode::UnknownField
        );
    }

    #[test]
    fn a_key_given_twice_is_refused_and_named() {
        let err = decode_request(r#"{"type":"say","room":"a","text":"hi","lang":"en","room":"b"}"#)
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::DuplicateField);
        assert_eq!(err.details, Some(json!({"field": "room"})));
        // Also inside a nested object.
        let err =
            decode_request(r#"{"type":"room_create","room":"r","titles":{"en":"A","en":"B"}}"#)
                .unwrap_err();
        assert_eq!(err.code, ErrorCode::DuplicateField);
        // Nesting past serde_json's limit is still malformed, not a crash.
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(
            decode_request(&deep).unwrap_err().code,
            ErrorCode::MalformedJson
        );
    }

    #[test]
    fn missing_field_names_the_field_and_keeps_the_id() {
        let err = decode_request(r#"{"type":"say","id":"a","room":"x","lang":"en"}"#).unwrap_err();
        assert_eq!(err.id, Some(RequestId::Text("a".into())));
        assert_eq!(err.details, Some(json!({"field": "text"})));
    }

    #[test]
    fn encode_then_decode_round_trips() {
        let env = Envelope::new(Request::Grant {
            room: "r".into(),
            participant: "p-1".into(),
            reason: Some("out of order".into()),
        })
        .with_id(3)
        .with_nonce("x");
        let back = decode_request(&env.to_json()).expect("round trip");
        assert_eq!(back, env);
    }
}
