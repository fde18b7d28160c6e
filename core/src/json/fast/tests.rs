use proptest::prelude::*;

use super::*;
use crate::json::strict::parse_strict_text;
use crate::limits::Limits;

/// Reads `text` both ways under `max_depth`: when the fast reader answers, the strict reader
/// must answer the same; returns whether the fast reader answered.
fn agree(text: &str, max_depth: usize) -> bool {
    let limits = Limits { max_depth, ..Limits::default() };
    let fast = read(text, limits.depth());
    if let Some(value) = &fast {
        assert_eq!(parse_strict_text(text, &limits).as_ref(), Ok(value), "{text}");
    }
    fast.is_some()
}

/// Every JSON file of the shared vectors and the example payloads, and every JSON text inside
/// a vector (`"text"` inputs).
fn corpus() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("tests/vectors"), root.join("examples/payloads"), root.join("examples/patch")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let mut texts = Vec::new();
    for file in &files {
        let mut stack = vec![serde_json::from_str::<Value>(file).unwrap()];
        while let Some(value) = stack.pop() {
            match value {
                Value::Object(map) => {
                    for (k, v) in map {
                        match v {
                            Value::String(s) if k == "text" || k.ends_with("_json") => texts.push(s),
                            other => stack.push(other),
                        }
                    }
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
    }
    texts.extend(files);
    texts
}

#[test]
fn agrees_with_the_strict_reader_on_every_vector_text() {
    let texts = corpus();
    let mut taken = 0;
    for text in &texts {
        for depth in [32, 4, 1] {
            taken += usize::from(agree(text, depth));
        }
    }
    assert!(taken * 2 > texts.len(), "the fast reader should take most texts ({taken} of {})", texts.len());
}

#[test]
fn takes_the_common_forms() {
    let texts = [
        r#"{"a":"b","n":[1,-2,0,18446744073709551615,-9223372036854775808],"t":true,"f":false,"z":null}"#,
        " \t\r\n[ ] ",
        "{}",
        r#""""#,
        r#"{"":""}"#,
        r#""esc \" \\ \/ \b \f \n \r \t \u00e9 \u00E9 \ud83d\ude00 \u0000""#,
        r#"{"k\"ey":1,"K\"EX":2}"#,
        r#""caf\u00e9 ünïcödé 😀 \u007f""#,
    ];
    for text in texts {
        assert!(agree(text, 32), "not taken: {text}");
    }
}

#[test]
fn leaves_everything_unusual_to_the_strict_reader() {
    let thirty_three: Vec<String> = (0..33).map(|i| format!(r#""k{i}":{i}"#)).collect();
    let deep = format!("{}{}", "[".repeat(4), "]".repeat(4));
    let texts = [
        "1.5",
        "1e3",
        "1E3",
        "-0",
        "01",
        "-01",
        "-",
        "--1",
        "+1",
        "18446744073709551616",
        "-9223372036854775809",
        "tru",
        "nul",
        "truex",
        "[1,]",
        "[,1]",
        "[1 2]",
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        r#"{"a":1,"A":2}"#,
        r#"{"a":1,"\u0041":2}"#,
        r#""\ud800""#,
        r#""\udc00""#,
        r#""\ud800\u0041""#,
        r#""\x""#,
        r#""\u12g4""#,
        "\"tab\there\"",
        "\"\u{1}\"",
        "\u{feff}{}",
        "\u{b}{}",
        "{} {}",
        "",
        "  ",
        &format!("{{{}}}", thirty_three.join(",")),
        &deep,
    ];
    for text in texts {
        assert!(!agree(text, 3), "taken: {text}");
    }
    assert!(agree(&format!("{}{}", "[".repeat(3), "]".repeat(3)), 3));
}

/// JSON values without floats (the fast reader's whole domain), keys drawn from a few names in
/// varying case so that duplicates occur.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        "[a-zA-Z0-9 \"\\\\/\u{0}-\u{1f}é😀\u{7f}]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[aAbB]{1,2}|[a-z]{3,8}", inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn reads_what_serde_json_writes(value in json_value()) {
        for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
            agree(&text, 32);
            agree(&text, 2);
        }
    }

    #[test]
    fn agrees_on_edited_text(value in json_value(), at in any::<prop::sample::Index>(), edit in "[\\[\\]{},:\"\\\\0-9eE.+-]{0,3}") {
        let text = serde_json::to_string(&value).unwrap();
        let mut cut = at.index(text.len() + 1);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = text.split_at(cut);
        agree(&format!("{head}{edit}{tail}"), 32);
        agree(&format!("{head}{edit}"), 32);
    }
}
