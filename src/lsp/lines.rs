//! Positions between byte offsets in a file and the editor's line and character, in the
//! encoding agreed at initialisation (UTF-16 code units unless the client takes UTF-8).

use std::ops::Range;

use line_index::{LineCol, LineIndex, TextSize, WideEncoding, WideLineCol};
use lsp_types::{Position, PositionEncodingKind};

/// How the client counts characters within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion), else UTF-16, which every client
    /// understands.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// The lines of one text.
#[derive(Debug)]
pub struct Lines {
    index: LineIndex,
    /// Where each line's text ends, before its `\n` or `\r\n`.
    ends: Vec<u32>,
    encoding: Encoding,
}

impl Lines {
    pub fn new(text: &str, encoding: Encoding) -> Lines {
        let ends = text
            .split('\n')
            .scan(0, |start, line| {
                let content = line.strip_suffix('\r').unwrap_or(line);
                let end = *start + content.len();
                *start += line.len() + 1;
                Some(u32::try_from(end).unwrap_or(u32::MAX))
            })
            .collect();
        Lines {
            index: LineIndex::new(text),
            ends,
            encoding,
        }
    }

    /// The position of a byte offset; an offset past the end is the end.
    pub fn position(&self, offset: usize) -> Position {
        let size = TextSize::new(u32::try_from(offset).unwrap_or(u32::MAX)).min(self.index.len());
        let line = self.index.line_col(size).line;
        // An offset in a line's `\r\n` is the end of the line's text.
        let size = size.min(TextSize::new(
            self.ends.get(line as usize).copied().unwrap_or(u32::MAX),
        ));
        let line_col = self.index.line_col(size);
        let (line, col) = match self.encoding {
            Encoding::Utf8 => (line_col.line, line_col.col),
            Encoding::Utf16 => match self.index.to_wide(WideEncoding::Utf16, line_col) {
                Some(wide) => (wide.line, wide.col),
                None => (line_col.line, line_col.col),
            },
        };
        Position::new(line, col)
    }

    pub fn range(&self, range: Range<usize>) -> lsp_types::Range {
        lsp_types::Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of a position; `None` outside the text. A character past the end of
    /// its line is the end of the line, as the protocol asks.
    pub fn offset(&self, position: Position) -> Option<usize> {
        let line_range = self.index.line(position.line)?;
        let end = TextSize::new(*self.ends.get(position.line as usize)?);
        // No count of characters exceeds the line's bytes: a larger one (up to u32::MAX from
        // a client) is the end of the line, and cannot overflow the offsets below.
        let length = u32::from(end.checked_sub(line_range.start()).unwrap_or_default());
        let position = Position::new(position.line, position.character.min(length));
        let line_col = match self.encoding {
            Encoding::Utf8 => LineCol {
                line: position.line,
                col: position.character,
            },
            Encoding::Utf16 => self
                .index
                .to_utf8(
                    WideEncoding::Utf16,
                    WideLineCol {
                        line: position.line,
                        col: position.character,
                    },
                )
                .unwrap_or(LineCol {
                    line: position.line,
                    col: length,
                }),
        };
        let offset = self.index.offset(line_col).unwrap_or(end).min(end);
        Some(u32::from(offset) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_code_units_and_utf8_columns_bytes() {
        let text = "a = \"Sjoigoe\"\nq = \"😀 Донецк\"\n";
        let wide = Lines::new(text, Encoding::Utf16);
        let narrow = Lines::new(text, Encoding::Utf8);
        let at = text.find('Д').unwrap();
        assert_eq!(wide.position(at), Position::new(1, 8));
        assert_eq!(narrow.position(at), Position::new(1, 10));
        assert_eq!(wide.offset(Position::new(1, 8)), Some(at));
        assert_eq!(narrow.offset(Position::new(1, 10)), Some(at));
        // Past the end of a line is the end of that line, up to the largest count a client can
        // send; past the last line is nothing.
        for lines in [&wide, &narrow] {
            assert_eq!(
                lines.offset(Position::new(1, u32::MAX)),
                Some(text.len() - 1)
            );
        }
        assert_eq!(
            wide.offset(Position::new(0, 99)),
            Some(text.find('\n').unwrap())
        );
        assert_eq!(wide.offset(Position::new(9, 0)), None);
        let crlf = Lines::new("a\r\nb", Encoding::Utf16);
        assert_eq!(crlf.position(1), Position::new(0, 1));
        assert_eq!(crlf.position(2), Position::new(0, 1));
        assert_eq!(crlf.offset(Position::new(0, 5)), Some(1));
        assert_eq!(crlf.offset(Position::new(1, 5)), Some(4));
    }
}
