//! Printing result sets: an aligned table for a terminal (Unicode widths), CSV per RFC 4180
//! with formula-like cells made inert for spreadsheets, or JSON (an array of objects with the
//! columns in order).

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::store::sandbox::{Cell, Rows};

/// How listing commands print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal
    #[default]
    Table,
    /// RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with `'`
    Csv,
    /// An array of objects, one per row, keys in column order
    Json,
}

/// The listing options every reading command shares.
#[derive(Debug, Clone, clap::Args)]
pub struct ListArgs {
    /// The database to read
    #[arg(long, default_value = "claimgraph.sqlite")]
    pub db: std::path::PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn print_rows(rows: &Rows, format: Format, out: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Table => {
            writeln!(out, "{}", table(rows))?;
            writeln!(
                out,
                "({} {})",
                rows.rows.len(),
                if rows.rows.len() == 1 { "row" } else { "rows" }
            )
        }
        Format::Csv => write_csv(rows, out),
        Format::Json => {
            write_json(rows, out)?;
            writeln!(out)
        }
    }
}

/// An aligned table of the rows.
pub fn table(rows: &Rows) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(&rows.columns);
    for row in &rows.rows {
        table.add_row(row.iter().map(|c| one_line(&c.display())));
    }
    table
}

/// Table cells stay on one line; long texts are shortened.
fn one_line(text: &str) -> String {
    const MAX: usize = 120;
    let flat: String = text
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    if flat.chars().count() > MAX {
        let cut: String = flat.chars().take(MAX - 1).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

fn write_csv(rows: &Rows, out: &mut impl Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(&rows.columns)?;
    for row in &rows.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(text) => inert(text),
            other => other.display(),
        }))?;
    }
    writer.flush()
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return)
/// as a formula; a leading apostrophe keeps such text as text.
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn write_json(rows: &Rows, out: &mut impl Write) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::pretty(out);
    let mut seq = serializer.serialize_seq(Some(rows.rows.len()))?;
    for row in &rows.rows {
        seq.serialize_element(&JsonRow {
            columns: &rows.columns,
            cells: row,
        })?;
    }
    SerializeSeq::end(seq)?;
    Ok(())
}

struct JsonRow<'a> {
    columns: &'a [String],
    cells: &'a [Cell],
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            map.serialize_entry(column, &json_value(cell))?;
        }
        map.end()
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
    fn csv_quotes_per_rfc_4180_and_defuses_formulas() {
        let mut out = Vec::new();
        print_rows(&rows(), Format::Csv, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,n\n\"'=HYPERLINK(\"\"x\"\")\",-3\n\"a \"\"quoted\"\", text\",\n"
        );
    }

    #[test]
    fn json_keeps_column_order_and_types() {
        let mut out = Vec::new();
        write_json(&rows(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.find("\"name\"").unwrap() < text.find("\"n\"").unwrap());
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value[0]["n"], -3);
        assert_eq!(value[1]["n"], serde_json::Value::Null);
    }
}
