//! Quoting for DOT. graphviz-rust prints every id and attribute value exactly as given, so
//! everything claimgraph writes into a DOT file goes through [`quoted`] (or [`html`] for
//! HTML-like labels): nothing reaches Graphviz unquoted or unescaped.
//!
//! Graphviz reads a quoted string in two steps. Its lexer ends the string at the first `"` not
//! preceded by `\`, and refuses strings longer than 16 KB. Labels, tooltips and ids are then
//! *escString*s: `\n`, `\l`, `\N`, `\G`, … have meanings and `\\` is one backslash. And text in
//! labels and tooltips is read for HTML entities (`&amp;`, `&#65;`), in SVG and PNG alike. So
//! a backslash becomes `\\`, a double quote `\"`, a line break `\n`, an ampersand `&amp;`.

use graphviz_rust::dot_structures::Id;

/// Graphviz refuses quoted strings of 16 KB and more; what is written stays well below.
pub const MAX_QUOTED_BYTES: usize = 16_000;

/// The mark put where a string was cut.
const ELLIPSIS: char = '…';

/// A DOT id or attribute value: `text` in double quotes, escaped for the lexer, for escString
/// processing and for entity decoding, and cut (with `…`) so it stays under Graphviz's limit.
///
/// Every claimgraph id is safe to pass through here as well: ids are lowercase ASCII letters,
/// digits and `-`, which no step changes, and quoting makes DOT keywords (`node`, `graph`,
/// `strict`) and ids that are not DOT identifiers (`1abc`, `a:b`) plain strings.
pub fn quoted(text: &str) -> Id {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let escaped: &str = match c {
            '\\' => "\\\\",
            '"' => "\\\"",
            '&' => "&amp;",
            '\n' => "\\n",
            // A Windows line break is one break; a lone carriage return is one too.
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                "\\n"
            }
            _ => "",
        };
        let width = if escaped.is_empty() {
            c.len_utf8()
        } else {
            escaped.len()
        };
        // Room for the closing quote and the ellipsis.
        if out.len() + width > MAX_QUOTED_BYTES - 1 - ELLIPSIS.len_utf8() {
            out.push(ELLIPSIS);
            break;
        }
        if escaped.is_empty() {
            out.push(c);
        } else {
            out.push_str(escaped);
        }
    }
    out.push('"');
    Id::Escaped(out)
}

/// Text for an HTML-like label, XML-escaped; the caller wraps the label in `<` … `>`.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<BR/>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `text`, ending in `…` when cut; white space runs become one
/// space, so a quote spread over lines reads as one line in a tooltip.
pub fn shorten(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push(ELLIPSIS);
    cut
}

/// Breaks `text` into lines of about `width` characters at spaces, for node labels; a line
/// break already in the text stays one.
pub fn wrap(text: &str, width: usize) -> String {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            } else if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> String {
        match quoted(text) {
            Id::Escaped(s) => s,
            other => panic!("not quoted: {other:?}"),
        }
    }

    #[test]
    fn dot_keywords_and_non_identifiers_are_quoted() {
        for id in [
            "node", "graph", "edge", "subgraph", "strict", "digraph", "1abc", "a:b", "",
        ] {
            assert_eq!(q(id), format!("\"{id}\""));
        }
    }

    #[test]
    fn quotes_backslashes_line_breaks_and_ampersands_are_escaped() {
        assert_eq!(q(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(q(r"a\b\"), r#""a\\b\\""#);
        assert_eq!(q("one\ntwo\r\nthree\rfour"), r#""one\ntwo\nthree\nfour""#);
        assert_eq!(q("A &amp; B"), r#""A &amp;amp; B""#);
        assert_eq!(
            q("„Kanonenfutter” <b> 북한 朝鲜"),
            "\"„Kanonenfutter” <b> 북한 朝鲜\""
        );
    }

    #[test]
    fn long_strings_are_cut_below_the_graphviz_limit_without_splitting_an_escape() {
        let long = "\\".repeat(20_000);
        let out = q(&long);
        assert!(out.len() <= MAX_QUOTED_BYTES, "{}", out.len());
        assert!(out.ends_with("\\\\…\""), "{}", &out[out.len() - 10..]);
        let wide = "북".repeat(10_000);
        let out = q(&wide);
        assert!(out.len() <= MAX_QUOTED_BYTES);
        assert!(out.ends_with("북…\""));
    }

    #[test]
    fn html_text_is_xml_escaped() {
        assert_eq!(
            html("<b>\"A\" & 'B'\nC"),
            "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;<BR/>C"
        );
    }

    #[test]
    fn shorten_cuts_at_characters_and_marks_the_cut() {
        assert_eq!(shorten("a  b\nc", 10), "a b c");
        assert_eq!(shorten("Kanonenfutter für Putin", 10), "Kanonenfu…");
        assert_eq!(shorten("북한 병사들이 러시아에", 4), "북한…");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_breaks() {
        assert_eq!(
            wrap("deserters from the Northern Unit", 18),
            "deserters from the\nNorthern Unit"
        );
        assert_eq!(wrap("a\nb", 18), "a\nb");
        assert_eq!(wrap("averyveryverylongword", 5), "averyveryverylongword");
    }
}
