//! The repository's own curated data set: it builds, its quote offsets hold, the README's SQL
//! answers on it, the claims a review corrected say what their documents say, and the
//! documents' disagreements reach `conflicts`. (That it checks clean is pinned in
//! `curation.rs`.)

use crate::{root, seed_database};

#[test]
fn the_curated_data_builds_and_its_quote_offsets_hold() {
    let (_dir, db) = seed_database();
    crate::build::assert_quote_offsets(&db);
}

/// Every ```sql block of the README runs against the curated data and returns rows, so the
/// examples never go stale.
#[test]
fn every_sql_example_in_the_readme_runs_and_answers() {
    let (_dir, db) = seed_database();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```sql\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 14, "the README lost its SQL examples");
    let conn = rusqlite::Connection::open(&db).unwrap();
    for sql in blocks {
        let mut statement = conn
            .prepare(sql)
            .unwrap_or_else(|e| panic!("README SQL does not prepare: {e}\n{sql}"));
        let mut rows = statement.query([]).unwrap();
        assert!(
            rows.next().unwrap().is_some(),
            "README SQL returns no rows on the curated data:\n{sql}"
        );
    }
}

/// One curated claim as the documents support it: found by its predicate and a piece of its
/// quote, with what it must say.
struct Expect {
    quote: &'static str,
    predicate: &'static str,
    subject: &'static str,
    /// The object id, or the value as text.
    object: &'static str,
    stance: &'static str,
    hedged: bool,
    citing: &'static [&'static str],
}

/// The claims a review of the five documents corrected or added (issue: trustworthy
/// provenance), pinned by their quotes.
#[test]
fn corrected_claims_are_attributed_as_their_documents_say() {
    let (_dir, db) = seed_database();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let expected = [
        // 000: the article's own inference, hedged; Zhao Rui's belief, hedged and attributed.
        Expect {
            quote: "gebeurt de werving hoogstwaarschijnlijk zonder hulp van de Chinese overheid",
            predicate: "recruits",
            subject: "chinese-government",
            object: "chinese-soldiers-in-russian-army",
            stance: "denies",
            hedged: true,
            citing: &[],
        },
        Expect {
            quote: "Japanners te willen vechten die volgens hem in het Oekraïense leger zitten",
            predicate: "serves_in",
            subject: "japanese-in-ukrainian-army",
            object: "ukrainian-armed-forces",
            stance: "affirms",
            hedged: true,
            citing: &["chinese-media", "zhao-rui"],
        },
        Expect {
            quote: "Russische militairen zijn op Douyin te zien",
            predicate: "shown_on",
            subject: "russian-soldiers-in-douyin-videos",
            object: "douyin",
            stance: "affirms",
            hedged: false,
            citing: &[],
        },
        Expect {
            quote: "Inmiddels is Wagner geïntegreerd in de reguliere Russische strijdkrachten.",
            predicate: "status",
            subject: "wagner-group",
            object: "integrated into the regular Russian armed forces",
            stance: "affirms",
            hedged: false,
            citing: &[],
        },
        // 001: Michail's service carries the iStories <- Michail chain; asylum both ways.
        Expect {
            quote: "verloor Michails regiment in een maand tijd een derde van de soldaten",
            predicate: "serves_in",
            subject: "michail",
            object: "michails-regiment",
            stance: "affirms",
            hedged: false,
            citing: &["istories", "michail"],
        },
        Expect {
            quote: "Daar hopen ze nu op politiek asiel.",
            predicate: "sought_asylum_in",
            subject: "russian-deserters-in-france",
            object: "france",
            stance: "affirms",
            hedged: false,
            citing: &[],
        },
        // 002: a plan is not a deployment, nor a hedge; the 18 are some of the forty.
        Expect {
            quote: "Anschließend sollten sie an der ukrainischen Front eingesetzt werden.",
            predicate: "to_be_deployed_to",
            subject: "nk-soldiers-in-russia",
            object: "ukraine-front",
            stance: "affirms",
            hedged: false,
            citing: &["united-states"],
        },
        Expect {
            quote: "haben die russischen Behörden bereits 18 nordkoreanische Soldaten festgenommen",
            predicate: "detained_by",
            subject: "nk-deserters",
            object: "russian-authorities",
            stance: "affirms",
            hedged: false,
            citing: &["kyiv-independent", "ukraine-intelligence"],
        },
        Expect {
            quote: "Die 18 Soldaten wurden Berichten zufolge zwei Tage später",
            predicate: "part_of",
            subject: "nk-deserters",
            object: "nk-soldiers-kursk-forest",
            stance: "affirms",
            hedged: true,
            citing: &[],
        },
        // 003: a part of the population, some people, no words the text lacks.
        Expect {
            quote: "ein nicht unbeträchtlicher Teil der russischen Bevölkerung",
            predicate: "opposes",
            subject: "russians-against-the-war",
            object: "russia-ukraine-war",
            stance: "affirms",
            hedged: false,
            citing: &[],
        },
        Expect {
            quote: "Einige Leute werden von der Faszination des Krieges",
            predicate: "motivated_by",
            subject: "central-asians-blinded-by-war-and-money",
            object: "the fascination of war and the lure of large sums of money",
            stance: "affirms",
            hedged: false,
            citing: &[],
        },
        // 004: both alternatives kept; the officer's denial of combat; the casualties are
        // North Koreans; where the 18 left their unit.
        Expect {
            quote: "ob sich tatsächlich nordkoreanische Soldaten in der Ukraine oder im russischen Grenzgebiet",
            predicate: "located_in",
            subject: "nk-soldiers-in-russia",
            object: "russian-border-area",
            stance: "affirms",
            hedged: true,
            citing: &[],
        },
        Expect {
            quote: "ob sich tatsächlich nordkoreanische Soldaten in der Ukraine oder im russischen Grenzgebiet",
            predicate: "located_in",
            subject: "nk-soldiers-in-russia",
            object: "ukraine",
            stance: "affirms",
            hedged: true,
            citing: &[],
        },
        Expect {
            quote: "dass man noch keine nordkoreanischen Soldaten im Kampf gesehen habe",
            predicate: "fought_in",
            subject: "nk-soldiers-in-russia",
            object: "russia-ukraine-war",
            stance: "denies",
            hedged: false,
            citing: &["washington-post", "ukrainian-military-intelligence-officer"],
        },
        Expect {
            quote: "dass sechs Nordkoreaner bei einem ukrainischen Raketenangriff",
            predicate: "killed_count",
            subject: "nk-casualties-donetsk-strike",
            object: "6",
            stance: "affirms",
            hedged: false,
            citing: &["kyiv-post"],
        },
        Expect {
            quote: "zwischen Bryansk und Kursk, von ihrer Einheit entfernt",
            predicate: "located_in",
            subject: "nk-deserters",
            object: "between-bryansk-and-kursk",
            stance: "affirms",
            hedged: true,
            citing: &["choson-ilbo", "ukrainian-military-official"],
        },
    ];
    for e in &expected {
        let mut statement = conn
            .prepare(
                "SELECT c.id, c.subject_id, coalesce(c.object_id, CAST(c.value AS TEXT)), c.stance,
                        c.hedged,
                        (SELECT coalesce(group_concat(entity_id, ' '), '')
                           FROM (SELECT entity_id FROM claim_citations
                                  WHERE claim_id = c.id ORDER BY position))
                 FROM claims c
                 WHERE instr(c.quote, ?1) > 0 AND c.predicate = ?2",
            )
            .unwrap();
        let rows: Vec<(String, String, String, String, bool, String)> = statement
            .query_map([e.quote, e.predicate], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let wanted = (
            e.subject.to_owned(),
            e.object.to_owned(),
            e.stance.to_owned(),
            e.hedged,
            e.citing.join(" "),
        );
        assert!(
            rows.iter()
                .any(|r| (r.1.clone(), r.2.clone(), r.3.clone(), r.4, r.5.clone()) == wanted),
            "no `{}` claim quoting {:?} says {wanted:?}; found {rows:?}",
            e.predicate,
            e.quote
        );
    }
    // Neither Douyin sentence says the Russian army posted anything.
    let army_on_douyin: i64 = conn
        .query_row(
            "SELECT count(*) FROM claims
             WHERE subject_id = 'russian-armed-forces'
               AND (instr(quote, 'Ze deelden leuke filmpjes') > 0
                    OR instr(quote, 'Russische militairen zijn op Douyin') > 0)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(army_on_douyin, 0);
    // The plan of 002 does not corroborate a deployment.
    let deployed: i64 = conn
        .query_row(
            "SELECT count(*) FROM claims
             WHERE predicate = 'sent_to' AND instr(quote, 'sollten sie an der ukrainischen Front') > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(deployed, 0);
}

/// The disagreements between the documents an analyst looks for first all reach `conflicts`.
#[test]
fn the_documents_disagreements_show_in_conflicts() {
    let (_dir, db) = seed_database();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let found = crate::strings(
        &conn,
        "SELECT DISTINCT x.reason || ' ' || a.subject_id || ' ' || a.predicate || '/'
                || b.predicate || ' ' || a.source_id || '/' || b.source_id
         FROM conflicts x
         JOIN claims a ON a.id = x.claim_a
         JOIN claims b ON b.id = x.claim_b
         ORDER BY 1",
    );
    let has = |wanted: &str| {
        assert!(
            found.iter().any(|f| f.starts_with(wanted) || f == wanted),
            "no conflict `{wanted}` in {found:#?}"
        );
    };
    let either = |a: &str, b: &str| {
        assert!(
            found.iter().any(|f| f == a || f == b),
            "neither `{a}` nor `{b}` in {found:#?}"
        );
    };
    // The Kremlin's "Falschmeldungen" against the presence the US and NATO confirmed (002).
    either(
        "opposite-stance nk-soldiers-in-russia serves_in/serves_in de-nk-deserters/de-nk-soldiers",
        "opposite-stance nk-soldiers-in-russia serves_in/serves_in de-nk-soldiers/de-nk-deserters",
    );
    // Wagner integrated into the army (000) against a private company recruiting (003).
    either(
        "functional wagner-group status/status nl-chinese-recruits/en-central-asia-recruits",
        "functional wagner-group status/status en-central-asia-recruits/nl-chinese-recruits",
    );
    // Asylum received against asylum hoped for, in 001.
    has("excludes russian-deserters-in-france");
    // Detained (002) against not yet detained and searched for by the army (004).
    either(
        "opposite-stance nk-deserters detained_by/detained_by de-nk-soldiers/de-nk-deserters",
        "opposite-stance nk-deserters detained_by/detained_by de-nk-deserters/de-nk-soldiers",
    );
    assert!(
        found.iter().any(|f| f.starts_with("excludes nk-deserters")
            && f.contains("searched_for_by")
            && f.contains("detained_by")
            && f.contains("de-nk-soldiers")),
        "{found:#?}"
    );
    // No North Korean soldier seen in combat against the reports that they fought.
    has("opposite-stance nk-soldiers-in-russia fought_in/fought_in");
    // 10,000 against "several thousand".
    has("functional nk-soldiers-in-russia troop_count/troop_count");
}
