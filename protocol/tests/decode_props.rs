//! No input makes the decoder panic: arbitrary text, arbitrary JSON, and
//! valid requests with one field mangled. Each gets a request or an error code.

use dais_protocol::decode_request;
use proptest::prelude::*;
use serde_json::{json, Value};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        ".{0,20}".prop_map(Value::String),
        prop_oneof![
            Just("say"),
            Just("join"),
            Just("hello"),
            Just("vote"),
            Just("room_create")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("type".to_string()),
                    Just("id".to_string()),
                    Just("nonce".to_string()),
                    Just("room".to_string()),
                    Just("text".to_string()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = decode_request(&text);
    }

    #[test]
    fn arbitrary_bytes_as_lossy_text_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode_request(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_json_never_panics_and_errors_carry_a_code(v in arb_json()) {
        if let Err(e) = decode_request(&v.to_string()) {
            prop_assert!(!e.code.as_str().is_empty());
        }
    }

    #[test]
    fn a_valid_request_with_one_field_replaced_decodes_or_is_refused(
        field in prop_oneof![Just("room"), Just("text"), Just("lang"), Just("id"), Just("nonce"), Just("type")],
        value in arb_json(),
    ) {
        let mut v = json!({"type": "say", "id": 1, "nonce": "n", "room": "r", "text": "t", "lang": "en"});
        v[field] = value;
        let _ = decode_request(&v.to_string());
    }
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert!(decode_request(&deep).is_err());
    let deep_obj = "{\"a\":".repeat(50_000) + "1" + &"}".repeat(50_000);
    assert!(decode_request(&deep_obj).is_err());
}
