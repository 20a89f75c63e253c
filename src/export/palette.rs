//! How each entity kind looks, defined once for every format that draws it: its Graphviz shape,
//! its fill, and its colour (the border in DOT, the node's colour in GEXF), so Gephi and the
//! diagrams tell kinds apart alike.

use crate::model::EntityKind;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_written_as_six_hex_digits() {
        assert_eq!(Rgb(0xc5, 0x5a, 0x11).hex(), "#c55a11");
        assert_eq!(Rgb(0, 0x0f, 0xff).hex(), "#000fff");
    }
}
