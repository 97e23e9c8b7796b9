//! Topic terms in both languages: the subjects analysts filter news by. Matched in any case
//! on folded text; minerals themselves come from the mineral registry.

/// A topic and its terms (any case, accents optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    /// The slug, the id is `topic:<slug>`.
    pub id: &'static str,
    /// English label.
    pub label: &'static str,
    /// The terms, French and English.
    pub terms: &'static [&'static str],
}

/// The topics.
pub const TOPICS: &[Topic] = &[
    Topic {
        id: "critical-minerals",
        label: "Critical minerals",
        terms: &[
            "minerais critiques",
            "minerai critique",
            "minéraux critiques",
            "minéral critique",
            "métaux critiques",
            "matières premières critiques",
            "matériaux critiques",
            "minerais stratégiques",
            "minéraux stratégiques",
            "métaux stratégiques",
            "critical minerals",
            "critical mineral",
            "critical raw materials",
            "critical metals",
            "strategic minerals",
            "strategic metals",
        ],
    },
    Topic {
        id: "energy",
        label: "Energy",
        terms: &[
            "énergie",
            "énergies",
            "énergétique",
            "énergétiques",
            "energy",
            "électricité",
            "electricity",
        ],
    },
    Topic {
        id: "mining",
        label: "Mining",
        terms: &[
            "secteur minier",
            "exploitation minière",
            "exploitations minières",
            "industrie minière",
            "projet minier",
            "projets miniers",
            "gisement",
            "gisements",
            "mining",
            "mining sector",
            "mining industry",
            "mining project",
            "deposit",
            "deposits",
            "orpaillage",
            "orpailleurs",
        ],
    },
    Topic {
        id: "nuclear",
        label: "Nuclear",
        terms: &[
            "nucléaire",
            "nucléaires",
            "nuclear",
            "centrale nucléaire",
            "nuclear power plant",
            "enrichissement",
            "enrichment",
        ],
    },
    Topic {
        id: "oil-gas",
        label: "Oil and gas",
        terms: &[
            "pétrole",
            "pétrolier",
            "pétrolière",
            "gaz naturel",
            "raffinerie",
            "raffineries",
            "raffinage",
            "raffineurs",
            "oil",
            "crude",
            "natural gas",
            "refinery",
            "refineries",
            "refining",
            "lng",
        ],
    },
    Topic {
        id: "batteries",
        label: "Batteries and electric vehicles",
        terms: &[
            "batterie",
            "batteries",
            "battery",
            "véhicules électriques",
            "véhicule électrique",
            "voitures électriques",
            "electric vehicles",
            "electric vehicle",
        ],
    },
    Topic {
        id: "supply-chain",
        label: "Supply chains",
        terms: &[
            "chaîne d'approvisionnement",
            "chaînes d'approvisionnement",
            "supply chain",
            "supply chains",
        ],
    },
];
