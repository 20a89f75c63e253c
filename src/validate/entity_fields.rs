//! Rules for an entity's scalar fields: a source has a `title` or a `name`; Wikidata ids are
//! `Q` and digits; reliability is an Admiralty grade; organisation types, ISO 3166-1 codes,
//! BCP 47 language tags, web URLs, latitudes, longitudes and dates are valid; text is not empty.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::load::Placed;
use crate::load::records::{FieldType, ORGANISATION_TYPES, RawEntity, RawFieldValue};
use crate::model::{DateRange, EntityKind, RELIABILITY_GRADES, Scalar};

/// A source must have a `title` (or a `name`): it is what names the document.
pub fn check_source_title(raw: &RawEntity, diagnostics: &mut Diagnostics) {
    if raw.kind == EntityKind::Source && raw.name.is_none() && raw.field("title").is_none() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingField,
                raw.span.clone(),
                "this source has neither `name` nor `title`",
            )
            .with_label("a source needs a `title` (or a `name`)"),
        );
    }
}

/// The Wikidata item id, when it is `Q` and digits without a leading zero.
pub fn wikidata(raw: &RawEntity, diagnostics: &mut Diagnostics) -> Option<String> {
    let wikidata = raw.wikidata.as_ref()?;
    let valid = wikidata.value.strip_prefix('Q').is_some_and(|n| {
        !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
    });
    if valid {
        return Some(wikidata.value.clone());
    }
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidValue,
            wikidata.span.clone(),
            format!("`{}` is not a Wikidata item id", wikidata.value),
        )
        .with_label("expected Q followed by digits, e.g. Q212"),
    );
    None
}

/// The analyst's reliability grade, when it is one of the Admiralty letters `A` to `F`.
pub fn reliability(raw: &RawEntity, diagnostics: &mut Diagnostics) -> Option<String> {
    let grade = raw.reliability.as_ref()?;
    if RELIABILITY_GRADES.contains(&grade.value.as_str()) {
        return Some(grade.value.clone());
    }
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidValue,
            grade.span.clone(),
            format!("reliability `{}` is not an Admiralty grade", grade.value),
        )
        .with_label("expected one letter from A (reliable) to F (cannot be judged)"),
    );
    None
}

/// The kind-specific scalar fields that are valid, in the order of the record.
pub fn scalars(raw: &RawEntity, diagnostics: &mut Diagnostics) -> Vec<(&'static str, Scalar)> {
    let mut valid = Vec::new();
    for (name, ty, value) in &raw.fields {
        match check_field(name, *ty, value) {
            Ok(scalar) => valid.push((*name, scalar)),
            Err(d) => diagnostics.push(*d),
        }
    }
    valid
}

/// One field's value checked against its type.
fn check_field(
    name: &str,
    ty: FieldType,
    value: &Placed<RawFieldValue>,
) -> Result<Scalar, Box<Diagnostic>> {
    let span = &value.span;
    let problem = match (&value.value, ty) {
        (RawFieldValue::Number(n), FieldType::Latitude) => latitude(*n, span),
        (RawFieldValue::Number(n), FieldType::Longitude) => longitude(*n, span),
        (RawFieldValue::Number(n), _) => return Ok(Scalar::Number(*n)),
        (RawFieldValue::Text(text), FieldType::Date) => {
            return date(name, text, span).map(Scalar::Date);
        }
        (RawFieldValue::Text(text), FieldType::OrganisationType) => organisation_type(text, span),
        (RawFieldValue::Text(text), FieldType::Iso) => iso_code(text, span),
        (RawFieldValue::Text(text), FieldType::Language) => language(text, span),
        (RawFieldValue::Text(text), FieldType::Url) => web_url(text, span),
        (RawFieldValue::Text(text), _) => non_empty(name, text, span),
    };
    match problem {
        Some(d) => Err(Box::new(d)),
        None => Ok(match &value.value {
            RawFieldValue::Text(text) => Scalar::Text(text.clone()),
            RawFieldValue::Number(n) => Scalar::Number(*n),
        }),
    }
}

fn invalid(span: &Span, message: String, label: &str) -> Option<Diagnostic> {
    Some(Diagnostic::error(Code::InvalidValue, span.clone(), message).with_label(label))
}

fn latitude(n: f64, span: &Span) -> Option<Diagnostic> {
    if (-90.0..=90.0).contains(&n) {
        return None;
    }
    invalid(
        span,
        format!("latitude {n} is outside -90 to 90"),
        "degrees north",
    )
}

fn longitude(n: f64, span: &Span) -> Option<Diagnostic> {
    if (-180.0..=180.0).contains(&n) {
        return None;
    }
    invalid(
        span,
        format!("longitude {n} is outside -180 to 180"),
        "degrees east",
    )
}

fn date(name: &str, text: &str, span: &Span) -> Result<DateRange, Box<Diagnostic>> {
    DateRange::parse(text).map_err(|why| {
        Box::new(
            Diagnostic::error(
                Code::InvalidDate,
                span.clone(),
                format!("`{name}` is not a valid date: {why}"),
            )
            .with_label("expected YYYY, YYYY-MM, YYYY-MM-DD or an interval start/end"),
        )
    })
}

fn organisation_type(text: &str, span: &Span) -> Option<Diagnostic> {
    if ORGANISATION_TYPES.contains(&text) {
        return None;
    }
    invalid(
        span,
        format!("`{text}` is not an organisation type"),
        "unknown type",
    )
    .map(|d| d.with_choice_hint(text, ORGANISATION_TYPES, "types"))
}

fn iso_code(text: &str, span: &Span) -> Option<Diagnostic> {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    invalid(
        span,
        format!("`{text}` is not an ISO 3166-1 alpha-2 code"),
        "expected two capital letters, e.g. UA",
    )
}

fn language(text: &str, span: &Span) -> Option<Diagnostic> {
    let e = language_tags::LanguageTag::parse(text).err()?;
    invalid(
        span,
        format!("`{text}` is not a BCP 47 language tag: {e}"),
        "expected e.g. nl, de, en-GB",
    )
}

fn web_url(text: &str, span: &Span) -> Option<Diagnostic> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => None,
        Ok(url) => invalid(
            span,
            format!("`{text}` is a {} URL, not a web address", url.scheme()),
            "expected http or https",
        ),
        Err(e) => invalid(
            span,
            format!("`{text}` is not a URL: {e}"),
            "expected http or https",
        ),
    }
}

fn non_empty(name: &str, text: &str, span: &Span) -> Option<Diagnostic> {
    if !text.trim().is_empty() {
        return None;
    }
    invalid(span, format!("`{name}` is empty"), "empty")
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;

    #[test]
    fn a_source_needs_a_title_or_a_name() {
        check(
            r#"
[[source]]
id = "leaflet"
file = "report.txt"
"#,
            "error[missing-field] 1:1 this source has neither `name` nor `title`",
        );
        check(
            r#"
[[source]]
id = "leaflet"
file = "report.txt"
name = "Leaflet"
"#,
            "",
        );
    }

    #[test]
    fn wikidata_ids_are_q_and_digits_without_a_leading_zero() {
        check(
            r#"
[[person]]
id = "anna"
name = "Anna"
wikidata = "Q212"

[[person]]
id = "boris"
name = "Boris"
wikidata = "Q0212"

[[person]]
id = "clara"
name = "Clara"
wikidata = "P31"
"#,
            "error[invalid-value] 9:12 `Q0212` is not a Wikidata item id
             error[invalid-value] 14:12 `P31` is not a Wikidata item id",
        );
    }

    #[test]
    fn reliability_is_a_grade_from_a_to_f() {
        check(
            r#"
[[person]]
id = "anna"
name = "Anna"
reliability = "F"

[[person]]
id = "boris"
name = "Boris"
reliability = "G"

[[person]]
id = "clara"
name = "Clara"
reliability = "a"
"#,
            "error[invalid-value] 9:15 reliability `G` is not an Admiralty grade
             error[invalid-value] 14:15 reliability `a` is not an Admiralty grade",
        );
    }

    #[test]
    fn iso_codes_are_two_capital_letters() {
        check(
            r#"
[[country]]
id = "graustark"
name = "Graustark"
iso = "GS"

[[country]]
id = "elbonia"
name = "Elbonia"
iso = "ELB"

[[country]]
id = "freedonia"
name = "Freedonia"
iso = "fr"
"#,
            "error[invalid-value] 9:7 `ELB` is not an ISO 3166-1 alpha-2 code
             error[invalid-value] 14:7 `fr` is not an ISO 3166-1 alpha-2 code",
        );
    }

    #[test]
    fn latitudes_and_longitudes_are_in_range() {
        check(
            r#"
[[place]]
id = "pole"
name = "Pole"
lat = 90.0
lon = -180.0

[[place]]
id = "nowhere"
name = "Nowhere"
lat = -90.5
lon = 180.5
"#,
            "error[invalid-value] 10:7 latitude -90.5 is outside -90 to 90
             error[invalid-value] 11:7 longitude 180.5 is outside -180 to 180",
        );
    }

    #[test]
    fn urls_are_web_addresses() {
        check(
            r#"
[[source]]
id = "web"
file = "report.txt"
title = "Web"
url = "https://example.org/report"

[[source]]
id = "mail"
file = "report.txt"
title = "Mail"
url = "mailto:editor@example.org"

[[source]]
id = "garbled"
file = "report.txt"
title = "Garbled"
url = "example.org/report"
"#,
            "error[invalid-value] 11:7 `mailto:editor@example.org` is a mailto URL, not a web address
             error[invalid-value] 17:7 `example.org/report` is not a URL: relative URL without a base",
        );
    }

    #[test]
    fn languages_are_bcp_47_tags() {
        check(
            r#"
[[source]]
id = "dutch"
file = "report.txt"
title = "Dutch"
language = "nl-BE"

[[source]]
id = "british"
file = "report.txt"
title = "British"
language = "en_GB"
"#,
            "error[invalid-value] 11:12 `en_GB` is not a BCP 47 language tag: the given language subtag is invalid",
        );
    }

    #[test]
    fn organisation_types_are_listed_ones() {
        check(
            r#"
[[organisation]]
id = "agency"
name = "Agency"
type = "goverment"
"#,
            "error[invalid-value] 4:8 `goverment` is not an organisation type",
        );
    }

    #[test]
    fn dates_are_valid_and_text_is_not_empty() {
        check(
            r#"
[[person]]
id = "anna"
name = "Anna"
born = "2023-02-29"

[[unit]]
id = "blank"
name = "Blank"
type = "  "
"#,
            "error[invalid-date] 4:8 `born` is not a valid date: `2023-02-29`: February 2023 has no day 29 (it has 28 days)
             error[invalid-value] 9:8 `type` is empty",
        );
    }
}
