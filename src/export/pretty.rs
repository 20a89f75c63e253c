//! serde_json's pretty layout (two spaces, `"key": value`), written the way large exports need
//! it: streamed rather than built as a tree, each line's indentation in one write, and the long
//! lists of a document made on several threads a block at a time, then written in order. Every
//! JSON format writes through here, so all of them lay out alike, byte for byte as
//! `serde_json::to_writer_pretty` would.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::{Serialize, Serializer};

use super::{ExportError, Format, Output};

/// Writes `value` as pretty JSON ending in a line break; map keys keep the order of the wire
/// types.
pub(super) fn write_pretty(
    out: &mut Output<'_>,
    value: &impl Serialize,
    format: Format,
) -> Result<(), ExportError> {
    serialize(&mut *out, value, 0).map_err(ExportError::writing(format))?;
    out.write_all(b"\n").map_err(ExportError::writing(format))
}

/// Serialises `value` as if it stood `depth` levels deep in a larger document.
fn serialize<W: Write>(out: W, value: &impl Serialize, depth: usize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        out,
        Pretty {
            depth,
            has_value: false,
        },
    );
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// A JSON array written element by element as the closure's iterator makes them, so that no
/// list of wire values is ever held whole.
pub(super) struct Streamed<F>(pub F);

impl<F, I> Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator<Item: Serialize>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// The top level of a JSON export, written field by field in the pretty layout, so that a field
/// holding a long list can be made in parallel ([`TopLevel::list`]).
pub(super) struct TopLevel<'o, 'w> {
    out: &'o mut Output<'w>,
    format: Format,
    fields: usize,
}

/// How many elements of a list one thread makes at a time.
const BLOCK: usize = 512;

impl<'o, 'w> TopLevel<'o, 'w> {
    pub(super) fn begin(
        out: &'o mut Output<'w>,
        format: Format,
    ) -> Result<TopLevel<'o, 'w>, ExportError> {
        out.write_all(b"{").map_err(ExportError::writing(format))?;
        Ok(TopLevel {
            out,
            format,
            fields: 0,
        })
    }

    /// Writes `"key": ` after the previous field.
    fn key(&mut self, key: &str) -> io::Result<()> {
        if self.fields > 0 {
            self.out.write_all(b",")?;
        }
        self.fields += 1;
        new_line(&mut *self.out, 1)?;
        serde_json::to_writer(&mut *self.out, key)?;
        self.out.write_all(b": ")
    }

    pub(super) fn field(&mut self, key: &str, value: &impl Serialize) -> Result<(), ExportError> {
        self.key(key)
            .and_then(|()| serialize(&mut *self.out, value, 1))
            .map_err(ExportError::writing(self.format))
    }

    /// A field holding the list of what `element` makes of each of `items`. Blocks of
    /// elements are made side by side into buffers, a few blocks at a time so the buffers stay
    /// small, and written in order.
    pub(super) fn list<T, E>(
        &mut self,
        key: &str,
        items: &[T],
        element: impl Fn(&T) -> E + Sync,
    ) -> Result<(), ExportError>
    where
        T: Sync,
        E: Serialize,
    {
        // `first` is the position of the block's first element in the whole list.
        let block = |first: usize, items: &[T]| -> io::Result<Vec<u8>> {
            let mut bytes = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if first + i > 0 {
                    bytes.push(b',');
                }
                new_line(&mut bytes, 2)?;
                serialize(&mut bytes, &element(item), 2)?;
            }
            Ok(bytes)
        };
        let per_window = BLOCK * 2 * rayon::current_num_threads();
        let written = self.key(key).and_then(|()| {
            self.out.write_all(b"[")?;
            for (w, window) in items.chunks(per_window).enumerate() {
                let start = w * per_window;
                let blocks: Vec<io::Result<Vec<u8>>> = if items.len() <= BLOCK {
                    // One block: not worth waking other threads.
                    vec![block(start, window)]
                } else {
                    window
                        .par_chunks(BLOCK)
                        .enumerate()
                        .map(|(b, items)| block(start + b * BLOCK, items))
                        .collect()
                };
                for bytes in blocks {
                    self.out.write_all(&bytes?)?;
                }
            }
            if !items.is_empty() {
                new_line(&mut *self.out, 1)?;
            }
            self.out.write_all(b"]")
        });
        written.map_err(ExportError::writing(self.format))
    }

    /// Closes the document, ending it with a line break.
    pub(super) fn end(self) -> Result<(), ExportError> {
        let out = self.out;
        let closed = if self.fields > 0 {
            new_line(&mut *out, 0)
        } else {
            Ok(())
        };
        closed
            .and_then(|()| out.write_all(b"}\n"))
            .map_err(ExportError::writing(self.format))
    }
}

/// A line break and enough indentation for any depth the exports reach.
const NEW_LINE: &[u8] = b"\n                                                                ";

/// A line break and the indentation of `depth` levels, at once where it can.
fn new_line<W: ?Sized + Write>(out: &mut W, depth: usize) -> io::Result<()> {
    match NEW_LINE.get(..1 + 2 * depth) {
        Some(line) => out.write_all(line),
        None => {
            out.write_all(b"\n")?;
            (0..depth).try_for_each(|_| out.write_all(b"  "))
        }
    }
}

/// serde_json's `PrettyFormatter`, but writing each line's indentation at once rather than two
/// spaces at a time: a large export has tens of millions of indented lines.
#[derive(Debug, Default)]
struct Pretty {
    depth: usize,
    /// Whether the array or object being closed has anything in it.
    has_value: bool,
}

impl Pretty {
    /// Opens an array or object one level deeper.
    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// Closes it, on a line of its own unless it was empty.
    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            new_line(out, self.depth)?;
        }
        out.write_all(bracket)
    }
}

/// Starts an array value or object key on a line of its own, after a comma unless first.
fn next_item<W: ?Sized + Write>(out: &mut W, first: bool, depth: usize) -> io::Result<()> {
    if !first {
        out.write_all(b",")?;
    }
    new_line(out, depth)
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        next_item(out, first, self.depth)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        next_item(out, first, self.depth)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json's own pretty printer writes, the layout every export keeps.
    fn reference(value: &serde_json::Value) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(value).unwrap();
        bytes.push(b'\n');
        bytes
    }

    fn written(fill: impl FnOnce(&mut Output<'_>) -> Result<(), ExportError>) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut out: Output<'_> = Output::new(&mut bytes);
        fill(&mut out).unwrap();
        out.flush().unwrap();
        drop(out);
        bytes
    }

    #[test]
    fn the_layout_is_serde_jsons_to_the_byte() {
        // Deeper than the indentation written at once.
        let mut deep = serde_json::json!(1);
        for _ in 0..40 {
            deep = serde_json::json!([deep]);
        }
        let value = serde_json::json!({
            "empty": [], "nothing": {}, "deep": deep, "text": "\"quoted\"\n",
            "list": [1, "two", {"three": 3.0, "four": [null, true]}],
        });
        assert_eq!(
            written(|out| write_pretty(out, &value, Format::Json)),
            reference(&value)
        );
    }

    #[test]
    fn a_document_written_field_by_field_is_the_document_serialised_whole() {
        let items: Vec<u32> = (0..3000).collect();
        let object = |i: &u32| serde_json::json!({"i": i, "half": i / 2, "tags": ["a", i % 3]});
        let whole = serde_json::json!({
            "name": "list",
            "items": items.iter().map(object).collect::<Vec<_>>(),
            "none": [],
            "one": [object(&7)],
        });
        let parts = written(|out| {
            let mut document = TopLevel::begin(out, Format::Json)?;
            document.list("items", &items, object)?;
            document.field("name", &"list")?;
            document.list("none", &items[..0], object)?;
            document.list("one", &[7], object)?;
            document.end()
        });
        assert_eq!(parts, reference(&whole));
        let empty = written(|out| TopLevel::begin(out, Format::Json)?.end());
        assert_eq!(empty, reference(&serde_json::json!({})));
    }
}
