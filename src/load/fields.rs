//! Typed reading of one TOML table with positions: every getter checks the value's TOML type,
//! records a diagnostic instead of failing, and remembers which keys were read so that the
//! rest can be reported as unknown fields.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, FileId, Span, closest};
use crate::model::hidden;
use crate::model::text::forbidden_char;

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed<T> {
    pub value: T,
    pub span: Span,
}

/// A scalar as written in TOML, before the vocabulary says what it should be.
#[derive(Debug, Clone, PartialEq)]
pub enum RawScalar {
    Str(String),
    Int(i64),
    Float(f64),
    /// A TOML date literal (`2024-10-16` without quotes), as text.
    Date(String),
}

/// Reads the fields of one record table.
#[derive(Debug)]
pub struct Table<'a, 'i> {
    file: FileId,
    /// Where the record starts, for "missing field" diagnostics.
    pub span: Span,
    what: &'a str,
    /// The fields of the record's kind, from the field specification: the only keys a getter
    /// may ask for, and the hint for an unknown one.
    known: &'static [&'static str],
    table: &'a DeTable<'i>,
    /// The keys asked for: a record has a handful, looked through faster than a set's.
    read: Vec<&'a str>,
    diagnostics: &'a mut Diagnostics,
}

impl<'a, 'i> Table<'a, 'i> {
    pub fn new(
        file: FileId,
        span: Span,
        what: &'a str,
        known: &'static [&'static str],
        table: &'a DeTable<'i>,
        diagnostics: &'a mut Diagnostics,
    ) -> Self {
        Table {
            file,
            span,
            what,
            known,
            table,
            read: Vec::new(),
            diagnostics,
        }
    }

    fn span_of<T>(&self, spanned: &Spanned<T>) -> Span {
        Span::new(self.file, spanned.span())
    }

    fn get(&mut self, key: &'a str) -> Option<&'a Spanned<DeValue<'i>>> {
        // The loader reads what the specification lists: the JSON Schema editors check the
        // files with is generated from it, and a field missing there would be refused by them.
        debug_assert!(
            self.known.contains(&key),
            "`{key}` is read but not in the field specification (load::spec)"
        );
        if !self.read.contains(&key) {
            self.read.push(key);
        }
        self.table.get(key)
    }

    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'i>>, expected: &str) {
        let span = self.span_of(value);
        let found = match value.get_ref().type_str() {
            found @ ("array" | "integer") => format!("an {found}"),
            found => format!("a {found}"),
        };
        let mut diagnostic = Diagnostic::error(
            Code::WrongType,
            span,
            format!("`{key}` must be {expected}, not {found}"),
        )
        .with_label(format!("expected {expected}"));
        // `object = ["russia"]` where one id is wanted: the fix is to drop the brackets.
        if let DeValue::Array(items) = value.get_ref()
            && let [item] = &items[..]
            && let DeValue::String(only) = item.get_ref()
        {
            diagnostic = diagnostic.with_hint(format!(
                "write `{key} = \"{}\"`, without the brackets: `{key}` takes one value",
                only.escape_default()
            ));
        }
        self.diagnostics.push(diagnostic);
    }

    fn text(&mut self, key: &str, value: &'a Spanned<DeValue<'i>>) -> Option<Placed<String>> {
        match value.get_ref() {
            DeValue::String(s) => {
                let span = self.span_of(value);
                self.check_characters(key, s, &span);
                Some(Placed {
                    value: s.to_string(),
                    span,
                })
            }
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    fn check_characters(&mut self, key: &str, text: &str, span: &Span) {
        // The usual text, ASCII without control characters other than tab, newline and
        // carriage return, is told byte by byte.
        let plain = |b: &u8| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r');
        if text.as_bytes().iter().all(plain) {
            return;
        }
        let mut forbidden = text.char_indices().filter(|&(_, c)| forbidden_char(c));
        let Some((at, first)) = forbidden.next() else {
            return;
        };
        let more = match forbidden.count() {
            0 => String::new(),
            1 => " and one more".to_owned(),
            n => format!(" and {n} more"),
        };
        self.diagnostics.push(
            Diagnostic::error(
                Code::ForbiddenCharacter,
                span.clone(),
                format!(
                    "`{key}` contains {}{more}: `{}`",
                    hidden::describe(first),
                    escaped_around(text, at)
                ),
            )
            .with_label("control and bidirectional characters are not allowed in text")
            .with_hint(
                "remove it: such characters can make text display differently from what it says",
            ),
        );
    }

    /// An optional string field.
    pub fn string(&mut self, key: &'a str) -> Option<Placed<String>> {
        let value = self.get(key)?;
        self.text(key, value)
    }

    /// A required string field; its absence is reported at the record.
    pub fn required_string(&mut self, key: &'a str) -> Option<Placed<String>> {
        if self.table.get(key).is_none() {
            self.missing(key);
        }
        self.string(key)
    }

    pub fn missing(&mut self, key: &str) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::MissingField,
                self.span.clone(),
                format!("{} has no `{key}`", self.what),
            )
            .with_label(format!("`{key}` is required here")),
        );
    }

    /// A string or an array of strings (reference fields, `subject`, …).
    pub fn strings(&mut self, key: &'a str) -> Vec<Placed<String>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::String(_) => self.text(key, value).into_iter().collect(),
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| self.text(key, item))
                .collect(),
            _ => {
                self.wrong_type(key, value, "a string or an array of strings");
                Vec::new()
            }
        }
    }

    /// An array of strings (`aliases`); a lone string is accepted as one item.
    pub fn list(&mut self, key: &'a str) -> Vec<Placed<String>> {
        self.strings(key)
    }

    pub fn bool(&mut self, key: &'a str) -> Option<Placed<bool>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Placed {
                value: *b,
                span: self.span_of(value),
            }),
            _ => {
                self.wrong_type(key, value, "true or false");
                None
            }
        }
    }

    /// A number, a string or a date literal.
    pub fn scalar(&mut self, key: &'a str) -> Option<Placed<RawScalar>> {
        let value = self.get(key)?;
        let span = self.span_of(value);
        let raw = match value.get_ref() {
            DeValue::String(_) => RawScalar::Str(self.text(key, value)?.value),
            DeValue::Integer(i) => {
                match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => RawScalar::Int(n),
                    Err(_) => {
                        self.diagnostics.push(Diagnostic::error(
                            Code::InvalidValue,
                            span,
                            format!("`{key}` = {} does not fit in 64 bits", i.as_str()),
                        ));
                        return None;
                    }
                }
            }
            DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
                Ok(n) if n.is_finite() => RawScalar::Float(n),
                _ => {
                    self.diagnostics.push(Diagnostic::error(
                        Code::InvalidValue,
                        span,
                        format!("`{key}` = {} is not a finite number", f.as_str()),
                    ));
                    return None;
                }
            },
            DeValue::Datetime(d) => RawScalar::Date(d.to_string()),
            _ => {
                self.wrong_type(key, value, "a number, a string or a date");
                return None;
            }
        };
        Some(Placed { value: raw, span })
    }

    /// A date: a string such as `"2024-10"` or a TOML date literal.
    pub fn date(&mut self, key: &'a str) -> Option<Placed<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Datetime(d) => Some(Placed {
                value: d.to_string(),
                span: self.span_of(value),
            }),
            DeValue::String(_) => self.text(key, value),
            _ => {
                self.wrong_type(key, value, "a date (\"2024\", \"2024-10\", \"2024-10-16\")");
                None
            }
        }
    }

    pub fn number(&mut self, key: &'a str) -> Option<Placed<f64>> {
        let scalar = self.scalar(key)?;
        match scalar.value {
            RawScalar::Int(i) => Some(Placed {
                value: i as f64,
                span: scalar.span,
            }),
            RawScalar::Float(f) => Some(Placed {
                value: f,
                span: scalar.span,
            }),
            _ => {
                let value = self.table.get(key).expect("just read");
                self.wrong_type(key, value, "a number");
                None
            }
        }
    }

    /// Reports every key that no getter asked for, with the closest known field as a hint.
    /// The getters ask only for fields the specification lists (asserted in `get` in
    /// debug builds, which the tests run), so no key outside it passes.
    pub fn finish(self) {
        let known = self.known;
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if self.read.contains(&name) {
                continue;
            }
            let span = Span::new(self.file, key.span());
            let mut diagnostic = Diagnostic::error(
                Code::UnknownField,
                span,
                format!("{} has no field `{name}`", self.what),
            )
            .with_label("unknown field");
            diagnostic = match closest(name, known.iter().copied()) {
                Some(suggestion) => diagnostic.with_hint(format!("did you mean `{suggestion}`?")),
                None => diagnostic.with_hint(format!("known fields: {}", known.join(", "))),
            };
            self.diagnostics.push(diagnostic);
        }
    }
}

/// How many characters of a text a message shows on either side of a character it is about.
const AROUND_CHARS: usize = 30;

/// `text` around the byte offset `at`, with control and format characters escaped (as
/// [`hidden::escape`] writes them) so that the message shows them, and cut with `…` beyond
/// [`AROUND_CHARS`] characters on either side: a quote can be long.
fn escaped_around(text: &str, at: usize) -> String {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(AROUND_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .nth(AROUND_CHARS + 1)
        .map_or(text.len(), |(i, _)| at + i);
    format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        hidden::escape(&text[start..end]),
        if end < text.len() { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_is_shown_escaped_with_the_text_around_it() {
        assert_eq!(escaped_around("ab\u{202e}cd", 2), "ab\\u{202e}cd");
        let long = format!("{}\u{7}{}", "a".repeat(100), "b".repeat(100));
        assert_eq!(
            escaped_around(&long, 100),
            format!("…{}\\u{{7}}{}…", "a".repeat(30), "b".repeat(30))
        );
        // Cut between characters, never inside one.
        let wide = format!("{}\u{200e}{}", "ї".repeat(40), "中".repeat(40));
        assert_eq!(
            escaped_around(&wide, 80),
            format!("…{}\\u{{200e}}{}…", "ї".repeat(30), "中".repeat(30))
        );
    }
}
