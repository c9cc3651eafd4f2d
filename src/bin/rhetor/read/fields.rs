//! Field paths into JSON records: `text`, or a dotted path into nested objects (`body.text`,
//! `meta.outlet`, `paragraphs.0` for an array element).
//!
//! A key that itself contains dots is found too: the whole path is tried as one key first.

use serde_json::Value;

/// A field named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    raw: String,
}

impl FieldPath {
    /// A path as written on the command line.
    pub fn new(raw: impl Into<String>) -> FieldPath {
        FieldPath { raw: raw.into() }
    }

    /// The path as written, which is also the name of the field in outputs and the column name
    /// in CSV/TSV inputs.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    fn segments(&self) -> impl Iterator<Item = &str> {
        self.raw.split('.')
    }

    /// The value at this path, if there is one.
    pub fn get<'v>(&self, record: &'v Value) -> Option<&'v Value> {
        if let Some(v) = record.get(&self.raw) {
            return Some(v);
        }
        self.segments().try_fold(record, step)
    }

    /// Removes the value at this path from the record and returns it.
    pub fn take(&self, record: &mut Value) -> Option<Value> {
        if let Some(object) = record.as_object_mut() {
            if let Some(v) = object.remove(&self.raw) {
                return Some(v);
            }
        }
        let (parent, last) = match self.raw.rsplit_once('.') {
            Some((parent, last)) => (parent, last),
            None => return None,
        };
        let parent = parent.split('.').try_fold(record, step_mut)?;
        match parent {
            Value::Object(map) => map.remove(last),
            Value::Array(items) => {
                let k: usize = last.parse().ok()?;
                items.get_mut(k).map(Value::take)
            }
            _ => None,
        }
    }
}

fn step<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(key),
        Value::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}

fn step_mut<'v>(value: &'v mut Value, key: &str) -> Option<&'v mut Value> {
    match value {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => items.get_mut(key.parse::<usize>().ok()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flat_nested_array_and_dotted_keys_are_found() {
        let record = json!({
            "text": "flat",
            "body": {"text": "nested", "paras": ["p0", "p1"]},
            "a.b": "dotted key",
            "a": {"b": "shadowed"}
        });
        let get = |p: &str| FieldPath::new(p).get(&record).cloned();
        assert_eq!(get("text"), Some(json!("flat")));
        assert_eq!(get("body.text"), Some(json!("nested")));
        assert_eq!(get("body.paras.1"), Some(json!("p1")));
        assert_eq!(get("a.b"), Some(json!("dotted key")));
        assert_eq!(get("body.missing"), None);
        assert_eq!(get("body.paras.9"), None);
        assert_eq!(get("text.deeper"), None);
    }

    #[test]
    fn take_removes_the_value() {
        let mut record = json!({"body": {"text": "nested", "n": 1}, "paras": ["a", "b"]});
        assert_eq!(
            FieldPath::new("body.text").take(&mut record),
            Some(json!("nested"))
        );
        assert_eq!(record, json!({"body": {"n": 1}, "paras": ["a", "b"]}));
        assert_eq!(
            FieldPath::new("paras.0").take(&mut record),
            Some(json!("a"))
        );
        assert_eq!(FieldPath::new("nope.x").take(&mut record), None);
        assert_eq!(FieldPath::new("nope").take(&mut record), None);
    }
}
