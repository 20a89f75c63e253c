//! `claimgraph mentions`: where entities are named in the documents; `--unlinked` lists the
//! names a document contains that none of its claims uses, the curator's to-do list.

use super::options::ListArgs;
use super::output::{print_records, text};
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
    let out = &mut std::io::stdout().lock();
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
        let rows = read::unlinked_mentions(&conn)?;
        print_records(&columns, &rows, unlinked, args.list.format, out)
    } else {
        let columns = [
            "entity_id",
            "name",
            "source_id",
            "mention_start",
            "mention_end",
            "text",
        ];
        let rows = read::mentions(&conn)?;
        print_records(&columns, &rows, mention, args.list.format, out)
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
