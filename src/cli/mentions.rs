//! `claimgraph mentions`: where entities are named in the documents; `--unlinked` lists the
//! names a document contains that none of its claims uses, the curator's to-do list.

use super::options::ListArgs;
use super::output::{feed, listing_printer, text};
use super::{Stop, open};
use crate::store::read::{self, MentionRow, UnlinkedRow};
use crate::store::sandbox::Cell;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only entities named in a document but used by none of its claims
    #[arg(long)]
    pub unlinked: bool,
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.read)?;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.unlinked {
        let columns = [
            "source_id",
            "entity_id",
            "kind",
            "name",
            "mentions",
            "first_at",
            "context",
        ];
        let mut printer = listing_printer(&columns, args.list.listing(), out);
        read::unlinked_mentions(&conn, |row| feed(&mut printer, &unlinked(&row)))?;
        Ok(printer.finish()?)
    } else {
        let columns = [
            "entity_id",
            "name",
            "source_id",
            "mention_start",
            "mention_end",
            "text",
        ];
        let mut printer = listing_printer(&columns, args.list.listing(), out);
        read::mentions(&conn, |row| feed(&mut printer, &mention(&row)))?;
        Ok(printer.finish()?)
    }
}

fn mention(m: &MentionRow) -> Vec<Cell> {
    vec![
        text(&m.entity_id),
        text(&m.name),
        text(&m.source_id),
        Cell::Integer(m.start),
        Cell::Integer(m.end),
        text(&m.text),
    ]
}

fn unlinked(u: &UnlinkedRow) -> Vec<Cell> {
    vec![
        text(&u.source_id),
        text(&u.entity_id),
        text(u.kind.as_str()),
        text(&u.name),
        Cell::Integer(u.mentions),
        Cell::Integer(u.first_at),
        text(&u.context),
    ]
}
