//! Characters that do not show: Unicode's format characters (general category Cf), such as the
//! zero-width space and joiners, the word joiner, the byte order mark, the soft hyphen and the
//! bidirectional controls. In an id, a name or an alias they make two strings that read alike
//! differ (`"\u{200b}town"` looks like `town` but is another string), so they are refused there
//! and shown escaped in messages, since printed as they are they would not be seen.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether `c` is a format character: invisible, or only steering how the text around it is
/// shown. The category comes from the Unicode tables of `unicode-properties`, so it covers
/// every such character, not only the few listed in [`name`].
pub fn is_hidden(c: char) -> bool {
    c.general_category() == GeneralCategory::Format
}

/// The Unicode name of the format characters met in pasted text, and of the control characters
/// (their name aliases: controls have no names of their own); the others by their category.
pub fn name(c: char) -> &'static str {
    match c {
        '\u{0000}' => "NULL",
        '\u{0007}' => "BELL",
        '\u{0008}' => "BACKSPACE",
        '\u{000B}' => "LINE TABULATION",
        '\u{000C}' => "FORM FEED",
        '\u{001B}' => "ESCAPE",
        '\u{007F}' => "DELETE",
        '\u{0085}' => "NEXT LINE",
        c if c.is_control() => "control character",
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}'..='\u{2064}' => "invisible mathematical operator",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        '\u{FFF9}'..='\u{FFFB}' => "interlinear annotation character",
        '\u{E0001}' | '\u{E0020}'..='\u{E007F}' => "tag character",
        _ => "format character",
    }
}

/// `text` with every format and control character written as an escape, `\u{200b}`, so that a
/// message shows where it is.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) || c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `U+200B ZERO WIDTH SPACE`, for messages.
pub fn describe(c: char) -> String {
    format!("U+{:04X} {}", u32::from(c), name(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_characters_are_hidden_and_letters_are_not() {
        for c in [
            '\u{00AD}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{202E}',
            '\u{2066}',
            '\u{E0041}',
        ] {
            assert!(is_hidden(c), "U+{:04X}", u32::from(c));
        }
        for c in ['a', 'é', 'ї', '中', ' ', '-', '\u{0301}'] {
            assert!(!is_hidden(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn escapes_show_the_hidden_characters_only() {
        assert_eq!(escape("\u{200b}town\u{feff}"), "\\u{200b}town\\u{feff}");
        assert_eq!(escape("Kyïv"), "Kyïv");
        assert_eq!(describe('\u{200B}'), "U+200B ZERO WIDTH SPACE");
        assert_eq!(describe('\u{7}'), "U+0007 BELL");
        assert_eq!(describe('\u{2}'), "U+0002 control character");
    }
}
