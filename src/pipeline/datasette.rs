//! `exports/datasette-metadata.json`, the metadata Datasette (0.65) reads with
//! `datasette claimgraph.sqlite --metadata exports/datasette-metadata.json`: a title, a
//! description of every table and view, the label columns of the tables foreign keys point at,
//! the full-text index of each searchable table, and the README's "Analyst's cookbook" recipes
//! as canned queries, taken from the README itself so that both say the same.

use serde_json::{Map, Value, json};

/// The file's name in the exports folder.
pub const FILE_NAME: &str = "datasette-metadata.json";

/// The name Datasette gives the database: its file name without the extension, which is
/// `claimgraph` for the default `claimgraph.sqlite`.
pub const DATABASE: &str = "claimgraph";

/// Every table and view of the schema with what it holds, in the schema's order. FTS5's own
/// shadow tables (`search_data`, `claims_fts_idx`, …) are not listed: Datasette hides them.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    (
        "meta",
        "What the database is: its schema version, the claimgraph that built it, and the SHA-256 of every input file (`input:` rows).",
    ),
    (
        "entities",
        "Every curated entity (person, organisation, unit, country, place, group, event, source) with its kind, name, description, Wikidata id, reliability grade, aliases (as a JSON array) and the data file and line it is defined at. Searchable: name, aliases, description.",
    ),
    ("aliases", "Each other name of an entity, a row per alias."),
    (
        "entity_fields",
        "The scalar curated fields of entities (type, iso, born, when, lat, lon, language, url, …), a row per field.",
    ),
    (
        "entity_links",
        "Curated references between entities (nationality, country, part_of, place, participants, outlet, author), in the order written.",
    ),
    (
        "sources",
        "The source documents: title, language, publication date, outlet, author, URL, SHA-256 and the full text the quotes are cut from. Searchable: title and text.",
    ),
    (
        "predicates",
        "The vocabulary of relations: label, description, the type of object it takes, whether it is functional (one value at a time) and how far its exclusions reach.",
    ),
    (
        "predicate_kinds",
        "The entity kinds a predicate allows as subject and, for entity objects, as object.",
    ),
    (
        "predicate_excludes",
        "Pairs of predicates that cannot both hold of one subject (within the predicate's exclusion scope).",
    ),
    (
        "statements",
        "Computed by the build: one row per statement (subject, predicate, object or value, stance) with how many reports, documents and independent origins stand behind it, whether its evidence is circular, the origins of the other stance, and whether it is conflicting or contested.",
    ),
    (
        "claims",
        "Every curated claim: the document it is in, who reported it, subject, predicate, object or value, when, stance, whether hedged, the exact quote with its character offsets in the document, the curator's note; and, computed by the build, its origin (the end of its citing chain), its voice, whether the origin is a party to it or aligned with one, and its statement. Searchable: quote and note.",
    ),
    (
        "claim_citations",
        "Whom each claim's reporter cites: position 1 is the nearest, the last is the origin.",
    ),
    (
        "conflict_pairs",
        "Computed by the build: pairs of claims that contradict each other, with the reason (opposite-stance, functional, excludes) and its detail.",
    ),
    (
        "mentions",
        "Where a name or alias of an entity occurs in a document, by character offsets.",
    ),
    (
        "search",
        "The full-text index `claimgraph search` ranks: names, aliases, quotes, notes and document text, diacritics-insensitive. It keeps no copy of the texts (its column reads as NULL); `search_refs` says what each of its rows is.",
    ),
    (
        "search_refs",
        "What each row of the `search` index is, by the index's rowid: its kind (entity, alias, quote, note, document) and the entity, claim or source id.",
    ),
    (
        "claims_fts",
        "The full-text index of `claims` (quote, note), for the search box of the claims table.",
    ),
    (
        "entities_fts",
        "The full-text index of `entities` (name, aliases, description), for the search box of the entities table.",
    ),
    (
        "sources_fts",
        "The full-text index of `sources` (title, text), for the search box of the sources table.",
    ),
    (
        "nodes",
        "The graph's nodes: the entities, then the claims, each with its kind and a label (a claim's in words: \"18 North Korean deserters detained by Russian authorities\").",
    ),
    (
        "edges",
        "The graph's edges: entity links, and each claim's reported, cites (with the chain position), about, object and appears_in edges.",
    ),
    (
        "claim_origins",
        "Each claim's origin, voice, whether it echoes another claim, and whether its origin is interested in or aligned with what it reports.",
    ),
    (
        "corroboration",
        "Each statement with its reports, documents, independent origins, opposing origins, and whether it is circular, conflicting or contested.",
    ),
    (
        "conflicts",
        "Pairs of contradicting claims with the reason and its detail.",
    ),
    (
        "who_reported_what",
        "Each claim as an analyst reads it: document, reporter, citing chain (as words \"A <- B\", and as JSON arrays of names and ids for facets), origin, voice, subject, predicate, object, when, stance, hedging, quote and note; searchable in quotes and notes (claim_rowid is the claim's row in claims, which the search matches).",
    ),
    (
        "entity_summary",
        "Each entity with how many claims are about it, how many it reported, how often it is cited and how many documents name it.",
    ),
    (
        "conflict_rows",
        "What `claimgraph conflicts` lists: each conflicting pair with both claims' document, reporter, citing chain, origin, stance, object and quote, in its order.",
    ),
    (
        "corroboration_rows",
        "What `claimgraph corroboration` lists: each statement in its order with its voices worded, those of its other stance, and its origins' reliability grades.",
    ),
    (
        "unlinked_mentions",
        "What `claimgraph mentions --unlinked` lists: entities a document names that none of its claims uses, how often, and the context of the first time.",
    ),
    (
        "stats_cells",
        "What `claimgraph stats` prints: each cell of each section's rows (row 0 holds the section's column names).",
    ),
];

/// The tables foreign keys point at whose label column Datasette would not find by itself
/// (it looks for `name` or `title`): rows of `claims` then show the predicate's label.
const LABEL_COLUMNS: [(&str, &str); 3] = [
    ("entities", "name"),
    ("sources", "title"),
    ("predicates", "label"),
];

/// The searchable tables and views, their full-text indexes, and the column that holds the
/// indexed row's rowid: a view has none of its own, so `who_reported_what` names its claim's.
const FULL_TEXT: [(&str, &str, &str); 4] = [
    ("claims", "claims_fts", "rowid"),
    ("entities", "entities_fts", "rowid"),
    ("sources", "sources_fts", "rowid"),
    ("who_reported_what", "claims_fts", "claim_rowid"),
];

/// One recipe of the README's cookbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipe {
    /// Its words up to the first colon or parenthesis.
    pub title: String,
    /// Its whole paragraph.
    pub description: String,
    pub sql: String,
}

/// The recipes of the "Analyst's cookbook" section of `readme`, in order: each numbered
/// paragraph with the ```sql block that follows it.
pub fn cookbook(readme: &str) -> Vec<Recipe> {
    let Some((_, section)) = readme.split_once("\n## Analyst's cookbook\n") else {
        return Vec::new();
    };
    let section = section.split("\n## ").next().unwrap_or_default();
    let mut recipes = Vec::new();
    let mut paragraph: Option<String> = None;
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let numbered = line
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if let Some((_, words)) = numbered {
            paragraph = Some(words.trim().to_owned());
        } else if line == "```sql" {
            let sql: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            if let Some(description) = paragraph.take() {
                let description = description.trim_end_matches(':').to_owned();
                let title = description
                    .split([':', '('])
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                recipes.push(Recipe {
                    title,
                    description,
                    sql: sql.join("\n"),
                });
            }
        } else if let Some(p) = paragraph.as_mut().filter(|_| !line.trim().is_empty()) {
            p.push(' ');
            p.push_str(line.trim());
        }
    }
    recipes
}

/// The metadata, as the bytes of the file: the same on every build.
pub fn metadata() -> Vec<u8> {
    let mut tables = Map::new();
    for (name, description) in DESCRIPTIONS {
        let mut table = Map::new();
        table.insert("description".into(), json!(description));
        if let Some((_, column)) = LABEL_COLUMNS.iter().find(|(t, _)| t == name) {
            table.insert("label_column".into(), json!(column));
        }
        if let Some((_, index, pk)) = FULL_TEXT.iter().find(|(t, _, _)| t == name) {
            table.insert("fts_table".into(), json!(index));
            table.insert("fts_pk".into(), json!(pk));
        }
        tables.insert((*name).into(), Value::Object(table));
    }
    let mut queries = Map::new();
    for (n, recipe) in cookbook(include_str!("../../README.md"))
        .into_iter()
        .enumerate()
    {
        queries.insert(
            format!("cookbook-{:02}", n + 1),
            json!({
                "title": recipe.title,
                "description": recipe.description,
                "sql": recipe.sql,
            }),
        );
    }
    let metadata = json!({
        "title": "claimgraph",
        "description": "Who reported what about whom, citing whom, in which words: curated claims from news reports as a provenance knowledge graph, built by claimgraph. Search claims and who_reported_what (quotes, notes), entities (names, aliases, descriptions) and sources (titles, text); facet who_reported_what on citing_names; the canned queries are the README's Analyst's cookbook.",
        "databases": {
            DATABASE: {
                "tables": tables,
                "queries": queries,
            }
        }
    });
    let mut bytes = serde_json::to_vec_pretty(&metadata).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the schema's tables and views, FTS5 shadow tables aside.
    fn schema_names() -> Vec<String> {
        crate::store::SCHEMA
            .lines()
            .filter_map(|line| {
                ["CREATE TABLE ", "CREATE VIRTUAL TABLE ", "CREATE VIEW "]
                    .iter()
                    .find_map(|start| line.strip_prefix(start))
            })
            .filter_map(|rest| rest.split([' ', '(']).next())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_table_and_view_of_the_schema_is_described_once_in_its_order() {
        let described: Vec<String> = DESCRIPTIONS.iter().map(|(n, _)| (*n).to_owned()).collect();
        let mut schema = schema_names();
        let mut sorted = described.clone();
        schema.sort();
        sorted.sort();
        assert_eq!(sorted, schema);
    }

    #[test]
    fn the_cookbook_gives_every_numbered_recipe_with_its_sql() {
        let recipes = cookbook(include_str!("../../README.md"));
        assert_eq!(recipes.len(), 10, "{recipes:#?}");
        assert_eq!(
            recipes[1].title,
            "Every claim that cites Ukrainian intelligence anywhere in its chain"
        );
        assert!(recipes[0].sql.starts_with("WITH RECURSIVE hop"));
        assert!(recipes[9].sql.ends_with("ORDER BY c.quote_start;"));
        assert_eq!(recipes[3].title, "A timeline of dated claims");
    }
}
