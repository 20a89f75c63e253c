//! Printing result sets: an aligned table for a terminal (Unicode widths), CSV per RFC 4180
//! with every value as it is (or, for a spreadsheet, formula-like cells made inert), or JSON (an array of objects with the
//! columns in order). Every format is printed as the rows come, holding at most one batch of
//! a table: memory stays bounded whatever the size of the result.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::ser::{SerializeMap, Serializer};

use super::Stop;
use crate::store::sandbox::{Cell, Rows};

/// How listing commands print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for reading in a terminal
    #[default]
    Table,
    /// RFC 4180 CSV, every value as it is (`@handles`, `-5`, `=x` unchanged): for programs
    Csv,
    /// CSV for a spreadsheet: text cells that Excel, LibreOffice or Google Sheets would run as a
    /// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) get a leading `'`
    CsvSpreadsheet,
    /// An array of objects, one per row, keys in column order
    Json,
}

/// Whether a printer wants more rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    More,
    /// The table holds all it may: stop reading.
    Enough,
}

/// The most rows `query` holds for a table, and the most cells: a table needs every row it
/// shows before it can align them, and a terminal is no place for more. CSV and JSON print
/// every row as it comes. The listing commands print a longer table in batches of this many
/// rows, each aligned on its own under the header.
pub const TABLE_ROWS: usize = 1_000;
const TABLE_CELLS: usize = 100_000;

/// How a listing command prints: its format, and at most how many rows (`--limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    pub format: ListFormat,
    pub limit: Option<usize>,
}

/// Prints rows as they come: CSV and JSON row by row, holding nothing; the table, which needs
/// the rows it shows to align them, holds one batch at a time (or, for `query`, at most the
/// limit it was given), cells shortened.
#[derive(Debug)]
pub struct Printer<W: Write> {
    columns: Vec<String>,
    rows: usize,
    /// `--limit`: the most rows printed.
    limit: Option<usize>,
    /// A row beyond the limit was offered.
    left_out: bool,
    sink: Sink<W>,
}

#[derive(Debug)]
enum Sink<W: Write> {
    Table {
        out: W,
        held: Vec<Vec<String>>,
        most: Option<usize>,
        /// Rows were left out.
        more: bool,
        /// Batches already printed: the rows did not fit in one.
        batches: usize,
    },
    /// The writer, and whether formula-like text cells are made inert (`csv-spreadsheet`).
    Csv(Box<csv::Writer<W>>, bool),
    Json(W),
}

impl<W: Write> Printer<W> {
    pub fn new(format: ListFormat, columns: Vec<String>, out: W) -> Printer<W> {
        let sink = match format {
            ListFormat::Table => Sink::Table {
                out,
                held: Vec::new(),
                most: None,
                more: false,
                batches: 0,
            },
            ListFormat::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out)), false),
            ListFormat::CsvSpreadsheet => Sink::Csv(Box::new(csv::Writer::from_writer(out)), true),
            ListFormat::Json => Sink::Json(out),
        };
        Printer {
            columns,
            rows: 0,
            limit: None,
            left_out: false,
            sink,
        }
    }

    /// A printer for a listing command: its format and its `--limit`.
    pub fn listing(listing: Listing, columns: Vec<String>, out: W) -> Printer<W> {
        let mut printer = Printer::new(listing.format, columns, out);
        printer.limit = listing.limit;
        printer
    }

    /// A table shows at most [`TABLE_ROWS`] rows (fewer when they are wide) and says that
    /// there were more; CSV and JSON are not limited.
    pub fn limit_table(mut self) -> Printer<W> {
        if let Sink::Table { most, .. } = &mut self.sink {
            let by_cells = TABLE_CELLS / self.columns.len().max(1);
            *most = Some(TABLE_ROWS.min(by_cells).max(1));
        }
        self
    }

    /// Prints one row, or holds it for the table.
    pub fn row(&mut self, row: &[Cell]) -> io::Result<Flow> {
        if self.limit.is_some_and(|limit| self.rows >= limit) {
            self.left_out = true;
            return Ok(Flow::Enough);
        }
        let first = self.rows == 0;
        match &mut self.sink {
            Sink::Table {
                out,
                held,
                most,
                more,
                batches,
            } => {
                if most.is_some_and(|most| held.len() >= most) {
                    *more = true;
                    return Ok(Flow::Enough);
                }
                if held.len() >= TABLE_ROWS {
                    writeln!(out, "{}", aligned(&self.columns, std::mem::take(held)))?;
                    *batches += 1;
                }
                held.push(row.iter().map(shown).collect());
            }
            Sink::Csv(writer, guard) => {
                if first {
                    writer.write_record(&self.columns)?;
                }
                for cell in row {
                    match cell {
                        Cell::Text(text) if *guard => writer.write_field(inert(text).as_bytes())?,
                        Cell::Text(text) => writer.write_field(text.as_bytes())?,
                        other => writer.write_field(other.display())?,
                    }
                }
                writer.write_record(None::<&[u8]>)?;
            }
            Sink::Json(out) => {
                out.write_all(if first { b"[\n  " } else { b",\n  " })?;
                // serde_json's pretty layout of a list of objects, one object at a time: each
                // object's lines indented by the list's two spaces.
                let mut indented = Indent(out);
                serde_json::to_writer_pretty(
                    &mut indented,
                    &JsonRow {
                        columns: &self.columns,
                        cells: row,
                    },
                )
                .map_err(io::Error::from)?;
            }
        }
        self.rows += 1;
        Ok(Flow::More)
    }

    /// Whether `--limit` left rows out.
    pub fn left_out(&self) -> bool {
        self.left_out
    }

    /// Ends the output: the table with its count of rows, the CSV header of an empty result,
    /// the JSON list's closing bracket; on stderr, that `--limit` left rows out.
    pub fn finish(self) -> io::Result<()> {
        let Printer {
            columns,
            rows,
            limit,
            left_out,
            sink,
        } = self;
        if left_out {
            say_left_out(rows, limit.unwrap_or(rows));
        }
        match sink {
            Sink::Table {
                mut out,
                held,
                more,
                batches,
                ..
            } => {
                if !held.is_empty() || batches == 0 {
                    writeln!(out, "{}", aligned(&columns, held))?;
                }
                if more {
                    writeln!(
                        out,
                        "(the first {rows} rows; the result has more: `--format csv` or `--format json` prints every row)"
                    )?;
                } else {
                    writeln!(out, "({rows} {})", if rows == 1 { "row" } else { "rows" })?;
                }
                out.flush()
            }
            Sink::Csv(mut writer, _) => {
                if rows == 0 {
                    writer.write_record(&columns)?;
                }
                writer.flush()
            }
            Sink::Json(mut out) => {
                out.write_all(if rows == 0 { b"[]\n" } else { b"\n]\n" })?;
                out.flush()
            }
        }
    }
}

/// Says on stderr that `--limit` left rows out, once the rows shown are printed.
pub(super) fn say_left_out(shown: usize, limit: usize) {
    let rows = if shown == 1 { "row" } else { "rows" };
    say!("claimgraph: showed the first {shown} {rows} (--limit {limit}); the result has more");
}

/// Prints a whole result set, looking at the command's clock between rows.
pub(super) fn print_rows(
    rows: &Rows,
    listing: impl Into<Listing>,
    out: &mut impl Write,
) -> Result<(), Stop> {
    print_records(&rows.columns, &rows.rows, |row| row.clone(), listing, out)
}

/// Prints typed rows (the fixed queries of the reading commands): `columns` names the cells
/// that `cells` makes of each row, in that order. Looks at the command's clock between rows.
pub(super) fn print_records<T>(
    columns: &[impl AsRef<str>],
    records: &[T],
    cells: impl Fn(&T) -> Vec<Cell>,
    listing: impl Into<Listing>,
    out: &mut impl Write,
) -> Result<(), Stop> {
    let mut printer = listing_printer(columns, listing, out);
    for record in records {
        super::check_clock()?;
        if printer.row(&cells(record))? == Flow::Enough {
            break;
        }
    }
    Ok(printer.finish()?)
}

/// A printer for a listing command's rows, which the command then feeds as it reads them.
pub(super) fn listing_printer<W: Write>(
    columns: &[impl AsRef<str>],
    listing: impl Into<Listing>,
    out: W,
) -> Printer<W> {
    let columns = columns.iter().map(|c| c.as_ref().to_owned()).collect();
    Printer::listing(listing.into(), columns, out)
}

/// Hands one row to `printer` from a reader's loop: the reader stops when the printer has
/// printed all it may.
pub(super) fn feed<W: Write>(
    printer: &mut Printer<W>,
    row: &[Cell],
) -> Result<std::ops::ControlFlow<()>, Stop> {
    super::check_clock()?;
    Ok(match printer.row(row)? {
        Flow::More => std::ops::ControlFlow::Continue(()),
        Flow::Enough => std::ops::ControlFlow::Break(()),
    })
}

impl From<ListFormat> for Listing {
    fn from(format: ListFormat) -> Listing {
        Listing {
            format,
            limit: None,
        }
    }
}

/// A text cell.
pub(super) fn text(text: &str) -> Cell {
    Cell::Text(text.to_owned())
}

/// A text cell, or `NULL` for none.
pub(super) fn maybe_text(text: Option<&str>) -> Cell {
    text.map_or(Cell::Null, self::text)
}

/// An aligned table of the rows.
pub fn table(rows: &Rows) -> Table {
    aligned(
        &rows.columns,
        rows.rows
            .iter()
            .map(|row| row.iter().map(shown).collect())
            .collect(),
    )
}

fn aligned(columns: &[String], rows: Vec<Vec<String>>) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(columns);
    for row in rows {
        table.add_row(row);
    }
    table
}

/// The longest cell of a table, in characters.
const CELL_CHARS: usize = 120;

/// A cell as a table shows it: on one line, long texts shortened (without copying more of a
/// long text or blob than is shown).
fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => one_line(text),
        Cell::Blob(bytes) => {
            let start = &bytes[..bytes.len().min(CELL_CHARS / 2)];
            let more = if start.len() < bytes.len() { "…" } else { "" };
            one_line(&format!("x'{}{more}'", hex::encode(start)))
        }
        other => other.display(),
    }
}

/// Table cells stay on one line; long texts are shortened.
fn one_line(text: &str) -> String {
    let mut chars = text.chars().map(|c| {
        if c == '\n' || c == '\r' || c == '\t' {
            ' '
        } else {
            c
        }
    });
    let mut line: String = chars.by_ref().take(CELL_CHARS).collect();
    if chars.next().is_some() {
        line.pop();
        line.push('…');
    }
    line
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return)
/// as a formula; a leading apostrophe keeps such text as text.
fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A writer that indents every line after the first by two spaces.
struct Indent<'w, W: Write>(&'w mut W);

impl<W: Write> Write for Indent<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.0.write_all(b"\n  ")?;
            }
            self.0.write_all(line)?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

struct JsonRow<'a> {
    columns: &'a [String],
    cells: &'a [Cell],
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            map.serialize_entry(column, &JsonCell(cell))?;
        }
        map.end()
    }
}

/// A cell as JSON, serialised from the cell itself (a long text is not copied first).
struct JsonCell<'a>(&'a Cell);

impl serde::Serialize for JsonCell<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Null => serializer.serialize_unit(),
            Cell::Integer(i) => serializer.serialize_i64(*i),
            Cell::Real(f) if f.is_finite() => serializer.serialize_f64(*f),
            Cell::Real(_) => serializer.serialize_unit(),
            Cell::Text(t) => serializer.serialize_str(t),
            Cell::Blob(b) => serializer.serialize_str(&hex::encode(b)),
        }
    }
}

pub fn json_value(cell: &Cell) -> serde_json::Value {
    match cell {
        Cell::Null => serde_json::Value::Null,
        Cell::Integer(i) => (*i).into(),
        Cell::Real(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
        }
        Cell::Text(t) => t.clone().into(),
        Cell::Blob(b) => hex::encode(b).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Rows {
        Rows {
            columns: vec!["name".into(), "n".into()],
            rows: vec![
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Integer(-3)],
                vec![Cell::Text("a \"quoted\", text".into()), Cell::Null],
            ],
        }
    }

    #[test]
    fn csv_for_a_spreadsheet_quotes_per_rfc_4180_and_defuses_formulas() {
        let mut out = Vec::new();
        print_rows(&rows(), ListFormat::CsvSpreadsheet, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,n\n\"'=HYPERLINK(\"\"x\"\")\",-3\n\"a \"\"quoted\"\", text\",\n"
        );
    }

    #[test]
    fn csv_quotes_per_rfc_4180_and_keeps_every_value_as_it_is() {
        let mut out = Vec::new();
        print_rows(&rows(), ListFormat::Csv, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,n\n\"=HYPERLINK(\"\"x\"\")\",-3\n\"a \"\"quoted\"\", text\",\n"
        );
    }

    #[test]
    fn json_keeps_column_order_and_types() {
        let mut out = Vec::new();
        print_rows(&rows(), ListFormat::Json, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.find("\"name\"").unwrap() < text.find("\"n\"").unwrap());
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value[0]["n"], -3);
        assert_eq!(value[1]["n"], serde_json::Value::Null);
    }

    /// Row by row, the JSON is byte for byte serde_json's pretty list of the same objects.
    #[test]
    fn json_streamed_row_by_row_is_serde_jsons_pretty_layout() {
        let rows = rows();
        let whole: Vec<JsonRow<'_>> = rows
            .rows
            .iter()
            .map(|cells| JsonRow {
                columns: &rows.columns,
                cells,
            })
            .collect();
        let mut out = Vec::new();
        print_rows(&rows, ListFormat::Json, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&whole).unwrap() + "\n"
        );
        let mut out = Vec::new();
        Printer::new(ListFormat::Json, rows.columns.clone(), &mut out)
            .finish()
            .unwrap();
        assert_eq!(out, b"[]\n");
    }

    #[test]
    fn a_limited_table_holds_its_rows_and_says_there_were_more() {
        let mut out = Vec::new();
        let mut printer = Printer::new(ListFormat::Table, vec!["n".into()], &mut out).limit_table();
        let mut flow = Flow::More;
        let mut offered = 0;
        while flow == Flow::More {
            flow = printer.row(&[Cell::Integer(offered)]).unwrap();
            offered += 1;
        }
        printer.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(offered as usize, TABLE_ROWS + 1);
        assert!(
            text.contains("│ 999 │") && !text.contains("│ 1000 │"),
            "{text}"
        );
        assert!(text.ends_with(
            "(the first 1000 rows; the result has more: `--format csv` or `--format json` prints every row)\n"
        ));
    }

    #[test]
    fn table_cells_are_one_line_and_shortened() {
        assert_eq!(one_line("a\nb\tc"), "a b c");
        let long = "x".repeat(500);
        let line = one_line(&long);
        assert_eq!(line.chars().count(), CELL_CHARS);
        assert!(line.ends_with('…'));
        assert_eq!(one_line(&"y".repeat(CELL_CHARS)), "y".repeat(CELL_CHARS));
        let blob = shown(&Cell::Blob(vec![0xab; 10_000]));
        assert!(blob.starts_with("x'abab") && blob.ends_with('…'), "{blob}");
    }
}
