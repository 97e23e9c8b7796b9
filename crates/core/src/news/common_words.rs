//! Common French and English words (folded) that are also the names of places somewhere
//! ("Nice", "Mobile", "Energy", "Premier", "Sandy"): a capitalised occurrence of one of them
//! (a sentence start, a title) is not taken as a city or region.
//!
//! The list is the function words of both languages, weekday and month names, news titles
//! and the frequent content words of wire reports; it only vetoes gazetteer matches, it never
//! removes a country, organisation or person.

use std::collections::HashSet;
use std::sync::OnceLock;

const WORDS: &str = "
a à ai aie ainsi alors apres après au aucun aucune aujourd aussi autre autres aux avant avec
avoir avait ayant bien bon bonne car ce ceci cela celle celui ces cet cette chaque chez ci
comme comment contre dans de depuis des deux dire dit doit donc dont du elle elles en encore
entre est et etaient etait ete etre eu eux faire fait faut fois font hors ici il ils je jusqu
la le les leur leurs lui mais me meme mes moi moins mon ne ni non nos notre nous on ont ou où
par parce pas peu peut plus pour pourquoi premier premiere puis quand que quel quelle quelles
quels qui quoi sa sans se selon ses si sien son sont sous sur ta tant te tes toi ton tous tout
toute toutes tres trois un une unes uns vers via voici voila vos votre vous vu
the of and to in is was for on that with as by at from it an be this which or are were has had
have not but they their his her its he she we you our who whom whose been also after before
into over under more most some such no than then there these those would will can could may
might must shall should so up out about against between during without within while where when
why how all any both each few other same own only very just new old first last next one two
three four five six seven eight nine ten hundred thousand million billion
lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet
aout septembre octobre novembre decembre monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
president presidente premier prime minister ministre secretary secretaire general chef chief
leader king queen prince roi reine emir sheikh cheikh pope pape saint sainte san santa st
monsieur madame mr mrs ms miss sir lord lady dr doctor docteur professor professeur captain
colonel major governor gouverneur mayor maire senator senateur judge juge army armee police
government gouvernement state etat states etats union republic republique kingdom royaume
national nationale international internationale federal federale central centrale capital
capitale city ville town village county province region district department departement
territory territoire island islands ile iles lake lac river riviere mount mont mountain port
north south east west nord sud est ouest northern southern eastern western central centre
northeast northwest southeast southwest upper lower haut haute bas basse grand grande great little
petit petite big long high low coast cote bay gulf golfe valley vallee plateau plains plaine
desert forest beach park harbor harbour bridge road street avenue square place station airport
market hotel hospital school university church mosque temple palace tower house home office
energy energie power mobile nice sandy hope liberty independence victoria justice unity peace
paix concord concorde union progress progres freedom liberte fraternite egalite
attack attaque bomb bombe blast explosion fire feu war guerre army military militaire soldier
news nouvelles press presse media radio television report rapport story article source sources
today tomorrow yesterday tonight morning evening night day week month year time
aujourd hier demain matin soir nuit jour semaine mois annee an temps
image photo video update live breaking minute hour
man woman men women people person child children family friend enemy
homme femme hommes femmes personne personnes enfant enfants famille ami
good bad best better worst well better many much several
bon mauvais meilleur pire beaucoup plusieurs
said says say told tell according dit selon affirme declare
mission operation opération force forces security securite defense defence
court cour tribunal council conseil assembly assemblee parliament parlement congress congres
senate senat party parti front movement mouvement group groupe company societe bank banque
fund fonds trade commerce market marche industry industrie mine mines mining gold silver
iron copper coal oil gas petrole gaz water eau food land terre sea mer air
sun soleil moon lune star etoile
fort lion tiger eagle rose marie
durant pendant malgre parmi lors suite face contre sans sous apres
lander observatoire stadium radio tv television times post journal
";

static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();

/// Whether the folded word (or phrase) is a common word that vetoes a place match (the
/// extractor still accepts it right after a locative preposition: "à Nice").
pub(crate) fn is_common_word(folded: &str) -> bool {
    let set = SET.get_or_init(|| WORDS.split_whitespace().collect());
    set.contains(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_and_months_are_common() {
        for w in [
            "le", "the", "premier", "fevrier", "energy", "nice", "mobile",
        ] {
            assert!(is_common_word(w), "{w}");
        }
        for w in ["islamabad", "washington", "paris", "quetta"] {
            assert!(!is_common_word(w), "{w}");
        }
    }
}
