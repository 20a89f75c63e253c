//! How each entity kind looks, defined once for every format that draws it: its Graphviz shape,
//! its fill, and its colour (the border in DOT, the node's colour in GEXF), so Gephi and the
//! diagrams tell kinds apart alike.

use crate::model::EntityKind;
use crate::view::{Stances, Support};

/// A colour as red, green and blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, as DOT and HTML write it.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// How an entity kind is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindStyle {
    /// Graphviz's name of the node's shape.
    pub shape: &'static str,
    /// A light tint of the colour, for the node's inside.
    pub fill: Rgb,
    /// The kind's colour.
    pub colour: Rgb,
}

/// The shape and colours of an entity kind.
pub fn kind_style(kind: EntityKind) -> KindStyle {
    let (shape, fill, colour) = match kind {
        EntityKind::Person => ("ellipse", Rgb(0xfc, 0xe4, 0xd6), Rgb(0xc5, 0x5a, 0x11)),
        EntityKind::Organisation => ("box", Rgb(0xdd, 0xeb, 0xf7), Rgb(0x2f, 0x55, 0x97)),
        EntityKind::Unit => ("box3d", Rgb(0xe4, 0xdf, 0xec), Rgb(0x70, 0x30, 0xa0)),
        EntityKind::Country => ("hexagon", Rgb(0xe2, 0xef, 0xda), Rgb(0x54, 0x82, 0x35)),
        EntityKind::Place => ("house", Rgb(0xff, 0xf2, 0xcc), Rgb(0xbf, 0x8f, 0x00)),
        EntityKind::Group => ("octagon", Rgb(0xf8, 0xd7, 0xe3), Rgb(0xad, 0x14, 0x57)),
        EntityKind::Event => ("cds", Rgb(0xed, 0xed, 0xed), Rgb(0x59, 0x59, 0x59)),
        EntityKind::Source => ("note", Rgb(0xff, 0xff, 0xff), Rgb(0x40, 0x40, 0x40)),
    };
    KindStyle {
        shape,
        fill,
        colour,
    }
}

/// The colour of a node that is no entity (a claim), in tools that colour every node.
pub const CLAIM: Rgb = Rgb(0x8c, 0x8c, 0x8c);

/// What the claims behind an edge say, as the formats that colour edges tell it (GEXF, the
/// explorer): the first that holds of conflicting, denied, both affirmed and denied, hedged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeTone {
    /// Some claim conflicts with another: red.
    Conflicting,
    /// Every claim denies it: purple.
    Denied,
    /// Some claims affirm and some deny: magenta.
    Both,
    /// Every claim is hedged: orange.
    Hedged,
    /// Affirmed without hedging, or a curated link: grey.
    Plain,
}

impl EdgeTone {
    pub const ALL: [EdgeTone; 5] = [
        EdgeTone::Conflicting,
        EdgeTone::Denied,
        EdgeTone::Both,
        EdgeTone::Hedged,
        EdgeTone::Plain,
    ];

    pub fn of(support: &Support) -> EdgeTone {
        if support.conflicting {
            EdgeTone::Conflicting
        } else if support.stance == Stances::Denied {
            EdgeTone::Denied
        } else if support.stance == Stances::Both {
            EdgeTone::Both
        } else if support.hedged {
            EdgeTone::Hedged
        } else {
            EdgeTone::Plain
        }
    }

    pub fn colour(self) -> Rgb {
        match self {
            EdgeTone::Conflicting => Rgb(0xd6, 0x27, 0x28),
            EdgeTone::Denied => Rgb(0x7b, 0x32, 0x94),
            EdgeTone::Both => Rgb(0xe7, 0x29, 0x8a),
            EdgeTone::Hedged => Rgb(0xe0, 0x8a, 0x1e),
            EdgeTone::Plain => Rgb(0x7f, 0x7f, 0x7f),
        }
    }

    /// Its name in the explorer's markup and legend.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeTone::Conflicting => "conflicting",
            EdgeTone::Denied => "denied",
            EdgeTone::Both => "affirmed and denied",
            EdgeTone::Hedged => "hedged",
            EdgeTone::Plain => "affirmed, or a curated link",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_written_as_six_hex_digits() {
        assert_eq!(Rgb(0xc5, 0x5a, 0x11).hex(), "#c55a11");
        assert_eq!(Rgb(0, 0x0f, 0xff).hex(), "#000fff");
    }
}
