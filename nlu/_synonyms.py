"""Swedish workplace synonyms and particle verbs for query expansion (private).

Only everyday words that mean the same thing in any municipality's catalogue: the
matcher adds them as weaker alternatives of the word the user wrote, so "övernattning"
can find a service described as "hotell" and "sönder" one described as "reparation".
Nothing here names a service of a particular catalogue.
"""

from __future__ import annotations

from functools import cache

# Each group: lemmas that users and catalogue writers use for the same thing.
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("hotell", "övernattning", "övernatta", "logi", "hotellrum", "vandrarhem"),
    ("evenemang", "event", "tillställning", "arrangemang", "fest", "kalas"),
    ("toalett", "toa", "wc", "toalettrum", "dass", "handikapptoalett"),
    # a thing come loose wants mending too ("hyllan har lossnat från väggen")
    ("reparation", "reparera", "laga", "lagning", "sönder", "trasig", "lossna"),
    # putting a thing up ("få en bokhylla uppsatt på väggen")
    ("montering", "montera", "uppsatt", "uppsättning", "väggfast"),
    # an office chair as staff call it ("ryggen på min snurra lossnade")
    ("kontorsstol", "snurrstol", "skrivbordsstol", "arbetsstol", "snurra"),
    # the lights along a street ("gatlampan utanför skolan är släckt")
    ("gatubelysning", "gatlampa", "gatlykta", "gatljus"),
    # a hall for sports and PE ("kan jag boka gympasalen för innebandy")
    ("idrottshall", "sporthall", "gympasal", "gymnastiksal", "gympahall", "idrottssal"),
    ("hämtning", "bortforsling", "slänga", "kassera", "kasta", "bortskaffa"),
    # a hole in a road or a yard ("en stor grop i asfalten vid cykelstället")
    ("hål", "grop", "potthål", "gropig"),
    # a playground by the things in it ("det ligger flaskskärvor i sandlådan")
    ("lekplats", "sandlåda", "lekredskap", "klätterställning", "rutschkana", "gungställning"),
    # keeping things somewhere for a time ("ställa undan skolbänkarna över sommaren")
    ("magasinering", "magasinera", "förvaring", "förvara"),
    # building work ("vi vill riva väggen mellan två grupprum")
    ("ombyggnad", "ombyggnation", "riva", "rivning", "tillbyggnad"),
    # a tree taken down ("björken lutar, den behöver fällas")
    ("trädfällning", "fällning", "fälla"),
    # a thing lost ("nyckeln är försvunnen", "min tag är borta", "har tappat kortet")
    (
        "borttappad",
        "borttappa",
        "tappa",
        "förlorad",
        "förlora",
        "försvunnen",
        "försvinna",
        "bortkommen",
        "borta",
    ),
    # what is used again, as people say it ("begagnade stolar", "second hand", "blir över")
    (
        "återbruk",
        "återanvändning",
        "återvinning",
        "begagna",
        "begagnad",
        "secondhand",
        "återbruka",
        "återbrukad",
        "överbliven",
    ),
    # a move, as a verb or a noun ("flytta 6 skrivbord till …", "hjälp med flytten")
    ("flytt", "flytta", "flyttlass", "omflyttning"),
    # where a person lives ("vägglöss i sin lägenhet" is vermin "hemma hos" them)
    ("bostad", "lägenhet", "hemma", "villa", "radhus", "hyresrätt"),
    # one's own, not the workplace's ("sina egna kläder" is "privat tvätt")
    ("privat", "egen", "personlig"),
    # letting, said as the renter says it ("schackklubben vill hyra ett rum")
    ("uthyrning", "hyra", "hyrning"),
    ("e-post", "mejl", "mail", "epost", "e-postadress", "mejladress"),
    ("dator", "laptop", "pc", "bärbar", "burk"),
    ("mobil", "mobiltelefon", "telefon", "smartphone", "iphone", "jobbtelefon", "lur"),
    ("lösenord", "password", "inloggning", "lösen"),
    # the network said as what it gives ("kommer inte ut på internet", "nätet ligger nere")
    ("nätverk", "internet", "nätet", "uppkoppling", "wifi", "wlan", "bredband"),
    ("skrivare", "printer", "skrivarn", "skrivar", "kopiator", "kopieringsmaskin"),
    ("möte", "sammanträde", "workshop", "träff"),
    ("utbildning", "kurs", "fortbildning", "webbkurs", "kompetensutveckling"),
    ("klotter", "graffiti", "tagg", "nedklottrad", "klottra", "spreja", "spraya", "tusch", "tags"),
    (
        "halka",
        "isig",
        "hal",
        "halkig",
        "sanda",
        "grusa",
        "spegelblank",
        "blankis",
        "glashal",
        "isbana",
        "skridskobana",
        "isgata",
    ),
    ("snöröjning", "skotta", "ploga", "snöskottning"),
    # "taklyset", "lysena i korridoren": a light said as "lys"
    ("belysning", "lampa", "lysrör", "glödlampa", "armatur", "lys", "lyse"),
    ("läcka", "läckage", "droppa", "dropp", "vattenläcka"),
    # plumbing said as what is wrong ("toaletten är stopp", "vasken är igensatt")
    ("vvs", "avlopp", "stopp", "igensatt", "tilltäppt", "rörmokare", "vattenlås"),
    ("lön", "löneutbetalning", "lönespec", "lönespecifikation", "utbetalning"),
    ("faktura", "räkning", "fakturor"),
    ("sjukfrånvaro", "sjukskrivning", "sjukskriven", "sjukdom"),
    ("rehabilitering", "rehab", "arbetsträning"),
    ("tjänstebil", "bil", "fordon", "leasingbil", "poolbil"),
    ("tåg", "tågbiljett", "sj", "pendeltåg", "x2000"),
    ("flyg", "flygbiljett", "flygresa", "flyga"),
    ("kopiering", "kopia", "kopiera", "utskrift"),
    # printed matter as people name it ("40 ex av välkomstfoldern", "500 foldrar")
    ("broschyr", "folder", "foldrar", "flyer", "flygblad", "trycksak", "informationsblad"),
    ("upplaga", "exemplar", "ex"),
    ("projektor", "beamer"),
    ("fika", "kaffe", "fikabröd"),
    ("rekrytering", "rekrytera", "nyanställning", "tjänsteannons"),
    (
        "städning",
        "städa",
        "rengöring",
        "rengöra",
        "dammsugning",
        "dammsuga",
        "ostädad",
        "sopa",
        "moppa",
        "skura",
        "våttorka",
    ),
    ("smutsig", "kladdig", "skitig", "dammig", "ostädad", "nedsmutsad", "smuts"),
    ("fönster", "ruta", "fönsterruta"),
    # a pane, said as its glass ("glaset i ytterdörren har spruckit")
    ("ruta", "glasruta", "fönsterglas", "glas"),
    # glass that breaks ("en krossad ruta", "glaset har spruckit", "spräckt")
    ("krossad", "krossa", "sprucken", "spricka", "spräcka", "spräckt"),
    ("fönsterputs", "fönsterputsning", "putsa", "puts"),
    # what vermin people name, for a service called "skadedjur" or "ohyra"
    (
        "skadedjur",
        "ohyra",
        "råtta",
        "musspillning",
        "vägglus",
        "kackerlacka",
        "geting",
        "silverfisk",
        "mus",
        "gnagare",
        "myra",
        "flygfä",
        "bananfluga",
        "fruktfluga",
        "skalbagge",
        "loppa",
    ),
    # a key fob as staff call it ("5 nya brickor", "blippen funkar inte")
    (
        "nyckel",
        "passerkort",
        "nyckelkort",
        "nyckelbricka",
        "bricka",
        "blipp",
        "blippa",
        "passerbricka",
    ),
    ("dörr", "grind", "port", "ytterdörr", "entrédörr", "altandörr"),
    # indoor climate, said as what people feel ("vi fryser", "iskallt", "kvavt")
    # ("16 grader inne", "vi sitter med jackorna på")
    ("värme", "inomhusklimat", "temperatur", "kall", "iskall", "frysa", "kyla", "element", "grad"),
    ("ventilation", "kvav", "instänga", "unken", "luft"),
    # the kitchen's extractor hood as staff call it ("kåpan ovanför spisarna vrålar")
    (
        "ventilation",
        "fläkt",
        "köksfläkt",
        "spisfläkt",
        "kåpa",
        "imkåpa",
        "fläktkåpa",
        "utsug",
        "utsuga",  # "utsuget" is lemmatised as "utsuga"
        "spiskåpa",
        "frånluft",
    ),
    # green things outdoors ("häcken har vuxit sig hög", "snåret vid cykelstället")
    ("buske", "häck", "buskage", "snår", "växtlighet"),
    # the lock at a door as people meet it ("kortläsaren blinkar rött")
    ("lås", "kortläsare", "kortläsarn", "kodlås", "passersystem", "dörrlås"),
    # furniture by kinds a catalogue rarely names ("4 små trappsteg till barnen", "hurtsar")
    ("möbel", "pall", "fotpall", "trappsteg", "trappstege", "hurts", "sittpuff", "byrå"),
    # a gift from the workplace ("Anders går i pension, vi vill ha något att överlämna")
    ("uppvaktning", "uppvakta", "present", "gåva", "avtackning", "presentkort"),
    ("blomma", "bukett", "blombukett", "ros", "tulpan", "blomsterbud"),
    # work clothes and protective gear by the things staff name
    ("arbetskläder", "kockrock", "arbetsbyxa", "arbetsjacka", "varselväst", "arbetssko"),
    ("skyddsutrustning", "hörselkåpa", "hörselskydd", "skyddsglasögon", "skyddshandske"),
    # bulky waste as people say it ("en container till gården", "skrot i källaren")
    ("grovavfall", "skrot", "bråte", "container", "grovsopor"),
)

# Short phrases (surface words) standing for a word a catalogue would use.
PHRASES: dict[tuple[str, ...], str] = {
    ("ska", "bort"): "hämtning",
    ("ställa", "undan"): "magasinering",
    ("ställas", "undan"): "magasinering",
    ("bygga", "om"): "ombyggnad",
    ("byggas", "om"): "ombyggnad",
    # taking a thing down ("istapparna måste tas ner")
    ("tas", "ner"): "nedtagning",
    ("ta", "ner"): "nedtagning",
    ("tas", "ned"): "nedtagning",
    ("ta", "ned"): "nedtagning",
    ("plocka", "ner"): "nedtagning",
    ("bli", "av", "med"): "hämtning",
    ("oss", "av", "med"): "hämtning",
    ("sova", "över"): "hotell",
    # "någonstans att sova", "ett ställe att sova på": somewhere to stay
    ("att", "sova"): "hotell",
    ("skriva", "ut"): "utskrift",
    ("sätta", "upp"): "montering",
    ("satt", "upp"): "montering",
    ("hänga", "upp"): "montering",
    ("skruva", "upp"): "montering",
    ("skruva", "fast"): "montering",
    ("sätta", "fast"): "montering",
    ("sätter", "fast"): "montering",
    # putting a thing together ("nån som skruvar ihop 6 nya bänkar")
    ("skruva", "ihop"): "montering",
    ("skruvar", "ihop"): "montering",
    ("sätta", "ihop"): "montering",
    ("sätter", "ihop"): "montering",
    # carrying things is help with a move ("hjälp att bära skrivbord", "folk som bär")
    ("att", "bära"): "bärhjälp",
    ("som", "bär"): "bärhjälp",
    ("logga", "in"): "inloggning",
    ("second", "hand"): "begagnad",
    ("blir", "över"): "överbliven",
    ("blev", "över"): "överbliven",
    # a whole unit moving out ("hela enheten packar ihop och går till nya lokaler")
    ("packar", "ihop"): "flytt",
    ("packa", "ihop"): "flytt",
    # wiping up after a spill is cleaning up a spill, whatever was spilt
    ("torka", "upp"): "spill",
    ("torkar", "upp"): "spill",
    ("torkas", "upp"): "spill",
    # what has run out over a floor is a spill ("frityroljan har runnit ut över golvet")
    ("runnit", "ut"): "spill",
    ("rann", "ut"): "spill",
    ("rinner", "ut"): "spill",
    # making a place clean is cleaning it ("nån som gör rent där efteråt")
    ("göra", "rent"): "städa",
    ("gör", "rent"): "städa",
    ("gjort", "rent"): "städa",
    ("görs", "rent"): "städa",
    # getting in through a door is what a key or a card is for ("hon behöver kunna ta sig
    # in genom personalingången")
    ("ta", "sig", "in"): "passerkort",
    ("tar", "sig", "in"): "passerkort",
    ("kommer", "in", "genom"): "passerkort",
    ("komma", "in", "genom"): "passerkort",
    # the occasions a workplace marks with a gift
    ("går", "i", "pension"): "avtackning",
}

# Particles that form Swedish particle verbs ("dela ut" ~ "utdelning").
PARTICLES = frozenset({"ut", "in", "upp", "bort", "av", "ner", "fram", "om", "till", "på"})


@cache
def synonym_map() -> dict[str, tuple[str, ...]]:
    """Lemma -> the other lemmas of its group."""
    out: dict[str, list[str]] = {}
    for group in _GROUPS:
        for word in group:
            out.setdefault(word, []).extend(w for w in group if w != word)
    return {w: tuple(dict.fromkeys(others)) for w, others in out.items()}


def synonyms(word: str) -> tuple[str, ...]:
    """Other words for ``word`` (a lemma), or ``()``."""
    return synonym_map().get(word, ())


def particle_forms(verb: str, particle: str) -> tuple[str, ...]:
    """Compound forms of a particle verb: "dela"+"ut" -> "utdela", "utdelning"."""
    if particle not in PARTICLES or len(verb) < 3 or not verb.endswith("a"):
        return ()
    return (particle + verb, particle + verb[:-1] + "ning")
