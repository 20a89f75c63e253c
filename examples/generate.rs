//! Writes a synthetic, valid claimgraph data set of any size, for benchmarks:
//! `cargo run --release --example generate -- --claims 1000000 --out /tmp/cg-1m`.
//!
//! The set has the real format and the real shape: entities of every kind with aliases (about
//! ten claims per entity), documents whose text contains every quote (about a hundred claims
//! per document), a vocabulary with a functional and two mutually exclusive predicates, and
//! claims with citing chains, denials, hedges, values and dates. The same arguments always
//! give the same files.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use clap::Parser;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Parser)]
struct Args {
    /// How many claims to write
    #[arg(long)]
    claims: usize,
    /// The folder to write `data/` and `seeds/` into (emptied first)
    #[arg(long)]
    out: PathBuf,
    /// Seed of the random choices
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

const CLAIMS_PER_ENTITY: usize = 10;
const CLAIMS_PER_DOCUMENT: usize = 100;
const SYLLABLES: [&str; 16] = [
    "ka", "lo", "mir", "va", "den", "sar", "tu", "rin", "bo", "zel", "an", "to", "vik", "ra",
    "nes", "ol",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Organisation,
    Media,
    Unit,
    Country,
    Place,
    Group,
    Event,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organisation | Kind::Media => "organisation",
            Kind::Unit => "unit",
            Kind::Country => "country",
            Kind::Place => "place",
            Kind::Group => "group",
            Kind::Event => "event",
        }
    }
}

struct Entity {
    id: String,
    name: String,
    kind: Kind,
}

/// A pronounceable made-up name, unique through its number.
fn name(rng: &mut ChaCha8Rng, n: usize) -> String {
    let mut word = String::new();
    for _ in 0..rng.random_range(2..4) {
        word.push_str(SYLLABLES[rng.random_range(0..SYLLABLES.len())]);
    }
    let mut chars = word.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or('X');
    format!("{first}{} {}", chars.as_str(), to_letters(n))
}

/// 0 → "A", 25 → "Z", 26 → "BA": keeps names free of digits, like real names.
fn to_letters(mut n: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    letters.iter().rev().collect()
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    if args.out.exists() {
        fs::remove_dir_all(&args.out)?;
    }
    let data = args.out.join("data");
    let seeds = args.out.join("seeds");
    fs::create_dir_all(data.join("claims"))?;
    fs::create_dir_all(&seeds)?;

    let entity_count = (args.claims / CLAIMS_PER_ENTITY).max(20);
    let documents = args.claims.div_ceil(CLAIMS_PER_DOCUMENT).max(1);
    let plan = [
        (Kind::Country, (entity_count / 500).clamp(3, 250)),
        (Kind::Media, (entity_count / 50).max(2)),
        (Kind::Organisation, entity_count * 15 / 100),
        (Kind::Unit, entity_count / 10),
        (Kind::Place, entity_count / 10),
        (Kind::Group, entity_count * 15 / 100),
        (Kind::Event, entity_count / 20),
    ];
    let planned: usize = plan.iter().map(|(_, n)| n).sum();
    let mut entities: Vec<Entity> = Vec::with_capacity(entity_count);
    for (kind, count) in plan
        .into_iter()
        .chain([(Kind::Person, entity_count.saturating_sub(planned).max(2))])
    {
        for _ in 0..count {
            let n = entities.len();
            entities.push(Entity {
                id: format!("{}-{n}", kind.table()),
                name: name(&mut rng, n),
                kind,
            });
        }
    }
    let of_kind = |kinds: &[Kind]| -> Vec<usize> {
        (0..entities.len())
            .filter(|&i| kinds.contains(&entities[i].kind))
            .collect()
    };
    let countries = of_kind(&[Kind::Country]);
    let media = of_kind(&[Kind::Media]);
    let actors = of_kind(&[Kind::Person, Kind::Group, Kind::Organisation, Kind::Unit]);
    let people_groups = of_kind(&[Kind::Person, Kind::Group]);
    let organisations = of_kind(&[Kind::Organisation, Kind::Unit, Kind::Country]);
    let places = of_kind(&[Kind::Place, Kind::Country]);
    let counted = of_kind(&[Kind::Group, Kind::Unit]);

    write_entities(&data, &entities, &countries, &mut rng)?;
    fs::write(data.join("predicates.toml"), VOCABULARY)?;

    let pick = |rng: &mut ChaCha8Rng, from: &[usize]| from[rng.random_range(0..from.len())];
    let mut sources = String::new();
    for document in 0..documents {
        let id = format!("doc-{document}");
        let outlet = media[document % media.len()];
        writeln!(
            sources,
            "[[source]]\nid = \"{id}\"\nfile = \"{id}.txt\"\ntitle = \"Report {document}\"\nlanguage = \"en\"\noutlet = \"{}\"\npublished = \"2024-{:02}\"\n",
            entities[outlet].id,
            document % 12 + 1
        )
        .expect("writing to a string");
        let mut text = format!("Report {document}\n\n");
        let mut claims = String::new();
        let first = document * CLAIMS_PER_DOCUMENT;
        for claim in first..(first + CLAIMS_PER_DOCUMENT).min(args.claims) {
            let (predicate, subject, object) = match claim % 6 {
                0 => (
                    "member_of",
                    pick(&mut rng, &people_groups),
                    Object::Entity(pick(&mut rng, &organisations)),
                ),
                1 => (
                    "located_in",
                    pick(&mut rng, &actors),
                    Object::Entity(pick(&mut rng, &places)),
                ),
                2 => (
                    "detained_by",
                    pick(&mut rng, &people_groups),
                    Object::Entity(pick(&mut rng, &organisations)),
                ),
                3 => (
                    "searched_for_by",
                    pick(&mut rng, &people_groups),
                    Object::Entity(pick(&mut rng, &organisations)),
                ),
                4 => (
                    "troop_count",
                    pick(&mut rng, &counted),
                    Object::Number(rng.random_range(10..5000)),
                ),
                _ => (
                    "assessed_as",
                    pick(&mut rng, &actors),
                    Object::Text(
                        ["unreliable", "growing", "well supplied", "under pressure"][claim % 4],
                    ),
                ),
            };
            let subject_name = &entities[subject].name;
            let object_text = match &object {
                Object::Entity(e) => entities[*e].name.clone(),
                Object::Number(n) => n.to_string(),
                Object::Text(t) => (*t).to_owned(),
            };
            let sentence = format!(
                "In statement {claim}, {subject_name} is said to be {} {object_text}.",
                predicate.replace('_', " ")
            );
            text.push_str(&sentence);
            text.push(if claim % 5 == 4 { '\n' } else { ' ' });
            write!(claims, "[[claim]]\nsource = \"{id}\"\n").expect("string");
            let chain = rng.random_range(0..4);
            if chain > 0 {
                // Distinct, and not the reporter: a chain that comes back is a diagnostic.
                let mut picked: Vec<usize> = Vec::with_capacity(chain);
                while picked.len() < chain {
                    let e = pick(&mut rng, &actors);
                    if e != outlet && !picked.contains(&e) {
                        picked.push(e);
                    }
                }
                let cited: Vec<String> = picked
                    .iter()
                    .map(|&e| format!("\"{}\"", entities[e].id))
                    .collect();
                writeln!(claims, "citing = [{}]", cited.join(", ")).expect("string");
            }
            writeln!(
                claims,
                "subject = \"{}\"\npredicate = \"{predicate}\"",
                entities[subject].id
            )
            .expect("string");
            match object {
                Object::Entity(e) => writeln!(claims, "object = \"{}\"", entities[e].id),
                Object::Number(n) => writeln!(claims, "value = {n}"),
                Object::Text(t) => writeln!(claims, "value = \"{t}\""),
            }
            .expect("string");
            if rng.random_bool(0.3) {
                writeln!(
                    claims,
                    "when = \"{}-{:02}\"",
                    2020 + claim % 5,
                    claim % 12 + 1
                )
                .expect("string");
            }
            if rng.random_bool(0.1) {
                claims.push_str("stance = \"denies\"\n");
            }
            if rng.random_bool(0.2) {
                claims.push_str("hedged = true\n");
            }
            writeln!(claims, "quote = \"{sentence}\"\n").expect("string");
        }
        fs::write(seeds.join(format!("{id}.txt")), text)?;
        fs::write(data.join("claims").join(format!("{id}.toml")), claims)?;
    }
    fs::write(data.join("sources.toml"), sources)?;
    eprintln!(
        "wrote {} claims, {} entities and {documents} documents to {}",
        args.claims,
        entities.len() + documents,
        args.out.display()
    );
    Ok(())
}

enum Object {
    Entity(usize),
    Number(u32),
    Text(&'static str),
}

/// One file per kind, with aliases and curated references.
fn write_entities(
    data: &Path,
    entities: &[Entity],
    countries: &[usize],
    rng: &mut ChaCha8Rng,
) -> std::io::Result<()> {
    let mut files: Vec<(&str, String)> = Vec::new();
    for (n, entity) in entities.iter().enumerate() {
        let table = entity.kind.table();
        let text = match files.iter_mut().find(|(t, _)| *t == table) {
            Some((_, text)) => text,
            None => {
                files.push((table, String::new()));
                &mut files.last_mut().expect("just pushed").1
            }
        };
        let surname = entity.name.split(' ').next().unwrap_or_default();
        writeln!(
            text,
            "[[{table}]]\nid = \"{}\"\nname = \"{}\"\naliases = [\"{} {surname}\"]",
            entity.id,
            entity.name,
            // Letters first: no other entity's name or alias reads the same.
            to_letters(n)
        )
        .expect("string");
        let country = &entities[countries[rng.random_range(0..countries.len())]].id;
        match entity.kind {
            Kind::Country => writeln!(text, "iso = \"{}\"", iso(n)),
            Kind::Person | Kind::Group => writeln!(text, "nationality = [\"{country}\"]"),
            Kind::Organisation => writeln!(text, "type = \"armed-force\"\ncountry = \"{country}\""),
            Kind::Media => writeln!(text, "type = \"media\"\ncountry = \"{country}\""),
            Kind::Unit | Kind::Place => {
                writeln!(text, "type = \"synthetic\"\ncountry = \"{country}\"")
            }
            Kind::Event => writeln!(text, "when = \"2023-{:02}\"", n % 12 + 1),
        }
        .expect("string");
        text.push('\n');
    }
    for (table, text) in files {
        fs::write(data.join(format!("{table}.toml")), text)?;
    }
    Ok(())
}

fn iso(n: usize) -> String {
    let letters: Vec<char> = ('A'..='Z').collect();
    format!("{}{}", letters[(n / 26) % 26], letters[n % 26])
}

const VOCABULARY: &str = r#"[[predicate]]
id = "member_of"
label = "member of"
subject = ["person", "group"]
object = ["organisation", "unit", "country"]

[[predicate]]
id = "located_in"
label = "located in"
subject = ["person", "group", "organisation", "unit"]
object = ["place", "country"]

[[predicate]]
id = "detained_by"
label = "detained by"
subject = ["person", "group"]
object = ["organisation", "unit", "country"]
excludes = ["searched_for_by"]

[[predicate]]
id = "searched_for_by"
label = "searched for by"
subject = ["person", "group"]
object = ["organisation", "unit", "country"]

[[predicate]]
id = "troop_count"
label = "troop count"
subject = ["group", "unit"]
object = "number"
functional = true

[[predicate]]
id = "assessed_as"
label = "assessed as"
subject = ["person", "group", "organisation", "unit"]
object = "text"
"#;
