//! A hand-made world for the unit tests of the news pipeline: a few countries, regions,
//! cities, minerals and organisations, enough for the founding example (written for the
//! tests) without the built-in data of `orewatch-ingest`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::classify::{CountryRegistry, MineralRegistry, RegionRegistry};
use crate::geo::LatLon;
use crate::model::country::Country;
use crate::model::mineral::Mineral;
use crate::model::region::Region;
use crate::model::site::{City, Gazetteer};
use crate::model::units::Unit;
use crate::news::{
    Article, CountryForm, CountryFormKind, Extractor, Lang, Lexicon, OrgKind, Organisation,
    Registries,
};
use crate::{CountryCode, MineralId, RegionCode};

fn country(a3: &str, a2: &str, en: &str, fr: &str) -> Country {
    Country {
        code: CountryCode::try_new(a3).expect("test code"),
        alpha2: a2.into(),
        numeric: None,
        gw_code: None,
        gw_historical: vec![],
        wb_code: a3.into(),
        name_en: en.into(),
        name_fr: fr.into(),
        names: BTreeMap::new(),
    }
}

fn region(code: &str, a3: &str, en: &str, fr: &str, admin1: &str) -> Region {
    Region {
        code: RegionCode::try_new(code).expect("test region"),
        country: CountryCode::try_new(a3).expect("test code"),
        kind: "Province".into(),
        parent: None,
        name_en: en.into(),
        name_fr: fr.into(),
        names: BTreeMap::new(),
        geonames_admin1: Some(admin1.into()),
    }
}

#[allow(clippy::too_many_arguments)]
fn city(
    id: u32,
    name: &str,
    lat: f64,
    lon: f64,
    a2: &str,
    a1: &str,
    pop: u64,
    alt: &[&str],
) -> City {
    City {
        geonameid: id,
        name: name.into(),
        location: LatLon { lat, lon },
        country_alpha2: a2.into(),
        admin1_code: a1.into(),
        admin1_name: String::new(),
        admin2_code: None,
        population: pop,
        timezone: String::new(),
        alternate_names: alt.iter().map(|s| s.to_string()).collect(),
    }
}

fn mineral(id: &str, en: &str, fr: &str, aliases: &[&str]) -> Mineral {
    Mineral {
        id: MineralId::try_new(id).expect("test mineral"),
        name_en: en.into(),
        name_fr: fr.into(),
        usgs_codes: vec![],
        usgs_critical_2022: true,
        eu_critical_2023: true,
        eu_strategic_2023: false,
        group: None,
        canonical_unit: Unit::Tonne,
        hs_codes: vec![],
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
    }
}

fn org(
    id: &str,
    kind: OrgKind,
    c: Option<&str>,
    en: &str,
    fr: &str,
    aliases: &[&str],
) -> Organisation {
    Organisation {
        id: id.into(),
        version: 1,
        kind,
        country: c.and_then(|c| CountryCode::try_new(c).ok()),
        name_en: en.into(),
        name_fr: fr.into(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
    }
}

fn form(c: &str, lang: Lang, kind: CountryFormKind, f: &str) -> CountryForm {
    CountryForm {
        country: CountryCode::try_new(c).expect("test code"),
        lang,
        kind,
        form: f.into(),
    }
}

/// The registries, gazetteer and lexicon of the toy world.
pub(crate) struct World {
    pub countries: CountryRegistry,
    pub regions: RegionRegistry,
    pub minerals: MineralRegistry,
    pub gazetteer: Gazetteer,
    pub lexicon: Lexicon,
}

pub(crate) fn world() -> World {
    let countries = CountryRegistry::new(
        vec![
            country("USA", "US", "United States", "États-Unis"),
            country("PAK", "PK", "Pakistan", "Pakistan"),
            country("CHN", "CN", "China", "Chine"),
            country(
                "COD",
                "CD",
                "Democratic Republic of the Congo",
                "République démocratique du Congo",
            ),
            country("GBR", "GB", "United Kingdom", "Royaume-Uni"),
            country("FRA", "FR", "France", "France"),
        ],
        &[],
    )
    .expect("toy countries");
    let regions = RegionRegistry::new(vec![
        region("PK-BA", "PAK", "Balochistan", "Baloutchistan", "PK.02"),
        region("PK-IS", "PAK", "Islamabad", "Islamabad", "PK.08"),
        region(
            "US-DC",
            "USA",
            "District of Columbia",
            "District de Columbia",
            "US.DC",
        ),
        region("US-WA", "USA", "Washington", "Washington", "US.WA"),
        region("CD-NK", "COD", "Nord-Kivu", "Nord-Kivu", "CD.11"),
        region("GB-ENG", "GBR", "England", "Angleterre", "GB.ENG"),
    ]);
    let minerals = MineralRegistry::new(vec![
        mineral("copper", "Copper", "cuivre", &["Cu"]),
        mineral("gold", "Gold", "or", &["Au"]),
        mineral(
            "rare-earths",
            "Rare earths",
            "terres rares",
            &["REE", "rare earth"],
        ),
        mineral("gallium", "Gallium", "gallium", &["Ga"]),
        mineral("cobalt", "Cobalt", "cobalt", &["Co"]),
    ])
    .expect("toy minerals");
    let gazetteer = Gazetteer::new(vec![
        city(
            4140963,
            "Washington",
            38.89511,
            -77.03637,
            "US",
            "DC",
            689_545,
            &["Washington D.C."],
        ),
        city(
            2634715,
            "Washington",
            54.9,
            -1.51667,
            "GB",
            "ENG",
            150_000,
            &[],
        ),
        city(
            1176615,
            "Islamabad",
            33.72148,
            73.04329,
            "PK",
            "08",
            601_600,
            &[],
        ),
        city(
            1167528,
            "Quetta",
            30.18414,
            67.00141,
            "PK",
            "02",
            733_675,
            &[],
        ),
        city(
            1816670,
            "Beijing",
            39.9075,
            116.39723,
            "CN",
            "22",
            18_960_744,
            &["Pékin"],
        ),
        city(216281, "Goma", -1.67409, 29.22845, "CD", "11", 432_587, &[]),
        city(3000001, "Nice", 43.70313, 7.26608, "FR", "93", 342_669, &[]),
    ]);
    let lexicon = Lexicon {
        organisations: vec![
            org(
                "bla",
                OrgKind::ArmedGroup,
                Some("PAK"),
                "Balochistan Liberation Army",
                "Armée de libération du Baloutchistan",
                &["BLA"],
            ),
            org(
                "m23",
                OrgKind::ArmedGroup,
                Some("COD"),
                "March 23 Movement",
                "Mouvement du 23 mars",
                &["M23"],
            ),
            org(
                "us-state-department",
                OrgKind::Ministry,
                Some("USA"),
                "United States Department of State",
                "Département d'État américain",
                &["State Department", "département d'État"],
            ),
            org(
                "mofcom",
                OrgKind::Ministry,
                Some("CHN"),
                "Ministry of Commerce of China",
                "ministère chinois du Commerce",
                &["MOFCOM"],
            ),
            org(
                "taliban",
                OrgKind::ArmedGroup,
                None,
                "Taliban",
                "talibans",
                &["talibans"],
            ),
        ],
        country_forms: vec![
            form("USA", Lang::Fr, CountryFormKind::Demonym, "américain"),
            form("USA", Lang::Fr, CountryFormKind::Demonym, "américaine"),
            form("USA", Lang::En, CountryFormKind::Demonym, "American"),
            form("USA", Lang::En, CountryFormKind::Name, "U.S."),
            form("USA", Lang::En, CountryFormKind::Name, "US"),
            form("PAK", Lang::Fr, CountryFormKind::Demonym, "pakistanais"),
            form("PAK", Lang::Fr, CountryFormKind::Demonym, "pakistanaise"),
            form("PAK", Lang::En, CountryFormKind::Demonym, "Pakistani"),
            form("CHN", Lang::Fr, CountryFormKind::Demonym, "chinois"),
            form("CHN", Lang::En, CountryFormKind::Demonym, "Chinese"),
        ],
        region_aliases: vec![(
            "Balochistan Province".into(),
            RegionCode::try_new("PK-BA").expect("test region"),
        )],
    };
    World {
        countries,
        regions,
        minerals,
        gazetteer,
        lexicon,
    }
}

/// The toy extractor, built once for all tests.
pub(crate) fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        let w = world();
        let reg = Registries {
            countries: &w.countries,
            regions: &w.regions,
            minerals: &w.minerals,
        };
        Extractor::new(&reg, &w.gazetteer, &w.lexicon).expect("toy extractor")
    })
}

/// Friday 20 February 2026, the publication date of the founding example.
pub(crate) fn friday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 20).expect("valid date")
}

/// The founding example in French (written for the tests).
pub(crate) const FOUNDING_FR: &str = "Washington, 20 février 2026 – Le secrétaire d'État américain, Marco Rubio, a rencontré ce jeudi 19 février à Washington le Premier ministre pakistanais Shehbaz Sharif pour discuter des minerais critiques et de l’énergie. Selon le département d'État, les deux responsables ont évoqué les terres rares et le cuivre du Baloutchistan.\n\nCette rencontre intervient dans un contexte sécuritaire tendu au Pakistan. Le 31 janvier, des attaques coordonnées attribuées à l'Armée de libération du Baloutchistan (BLA) ont visé des postes des forces de sécurité dans la province du Baloutchistan. Le 6 février, un attentat-suicide contre une mosquée chiite d'Islamabad a fait au moins 31 morts.";

/// The founding example as an English wire report (written for the tests).
pub(crate) const FOUNDING_EN: &str = "WASHINGTON, Feb. 20, 2026 — U.S. Secretary of State Marco Rubio met Pakistani Prime Minister Shehbaz Sharif on Thursday in Washington to discuss critical minerals and energy, the State Department said.\n\nThe meeting came after attacks claimed by the Balochistan Liberation Army (BLA) in Balochistan province on Jan. 31 and a suicide bombing at a Shia mosque in Islamabad on Feb. 6 that killed at least 31 people.";

/// An article of the toy world.
pub(crate) fn article(id: &str, lang: Lang, text: &str) -> Article {
    Article::new(id, text)
        .with_lang(lang)
        .with_published(friday())
}
