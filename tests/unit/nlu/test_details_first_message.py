"""Details prefilled from a person's first message: a labelled development set.

Each case is a first message to the service desk, the service it was matched to and
what a person filling in the order form would take from it (only the service's own
order fields; a field left out must not be prefilled). "Now" is Monday 30 November
2026, 10:00 in Stockholm. The cases are written here for development, in six batches:
the first alongside the rules, each later one before the rules were changed for it.
The held-out set in tests/eval/details.csv is written independently and measured with
``make details-eval``, never read while developing.

Every case must have no wrong prefill (precision); a missed detail is only counted
(recall floors below), because the form asks for what is missing. The first five
batches label a room alone ("i matsalen") as a location; the rules do not take it (a
place must say where in the municipality), so those count as misses.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu.details import extract_details, names_building, parse_date, parse_day, parse_time
from nlu.details_eval import DETAIL_FIELDS, matches, score

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))

# order_fields of the services used here (copied from the default catalogue)
ORDER_FIELDS: dict[str, list[str]] = {
    "ARK-02": ["location", "date", "description"],
    "FAS-01": ["location", "description"],
    "FAS-02": ["location", "description"],
    "FAS-03": ["location", "description"],
    "FAS-04": ["location", "description"],
    "FAS-05": ["location", "quantity", "description"],
    "HR-02": ["description", "date"],
    "INK-02": ["location", "quantity", "description"],
    "IT-01": ["description", "location"],
    "IT-02": ["quantity", "location", "description"],
    "IT-04": ["quantity", "description"],
    "KNF-01": ["date", "time", "participants", "location"],
    "KNF-02": ["date", "time", "participants", "location"],
    "KNF-03": ["date", "time", "participants", "location", "description"],
    "KNF-04": ["date", "time", "location", "description"],
    "KON-01": ["location", "description"],
    "KON-02": ["location", "quantity", "description"],
    "KON-03": ["quantity", "date", "description"],
    "LOK-01": ["location", "description"],
    "LOK-02": ["location", "date", "description"],
    "LOK-03": ["location", "date", "description"],
    "LOK-04": ["location", "date", "quantity"],
    "LOK-05": ["location", "description"],
    "MAT-01": ["location", "description"],
    "MAT-02": ["location", "date", "description"],
    "MOB-01": ["location", "quantity", "description", "date"],
    "MOB-02": ["location", "description", "date"],
    "MOB-03": ["location", "description"],
    "RES-01": ["destination", "date", "return_date", "participants"],
    "RES-02": ["destination", "date", "return_date", "participants"],
    "TRA-01": ["location", "destination", "date"],
    "TRA-02": ["location", "destination", "date", "description"],
    "TRA-03": ["date", "time", "location"],
    "UTB-01": ["description", "participants"],
}

D = {  # dates relative to Monday 30 November 2026
    "idag": "2026-11-30", "tis": "2026-12-01", "ons": "2026-12-02", "tor": "2026-12-03",
    "fre": "2026-12-04", "lör": "2026-12-05", "mån": "2026-12-07",
}  # fmt: skip

CASES: list[tuple[str, str, dict[str, str]]] = [
    # --- conference rooms, coffee, food, meeting support
    ("KNF-01", "Hej! Jag behöver boka ett konferensrum i kommunhuset, sal B, på torsdag kl 13-15 "
     "för 12 personer.",
     {"location": "kommunhuset, sal B", "date": D["tor"], "time": "13:00-15:00",
      "participants": "12"}),
    ("KNF-01", "Kan jag få boka ett rum för 8 personer i morgon förmiddag?",
     {"date": D["tis"], "participants": "8"}),
    ("KNF-01", "Vi blir 20 på planeringsdagen den 14 januari, behöver en stor sal på Björkskolan "
     "hus C", {"location": "Björkskolan hus C", "date": "2027-01-14", "participants": "20"}),
    ("KNF-01", "boka mötesrum nästa tisdag mellan 9 och 11, vi är sex stycken",
     {"date": "2026-12-08", "time": "09:00-11:00", "participants": "6"}),
    ("KNF-01", "Behöver ett konferensrum på jobbet i eftermiddag", {"date": D["idag"]}),
    ("KNF-01", "Sammanträdesrum till styrelsemötet den 10 december kl. 9.00–12.00, ca 15 "
     "deltagare", {"date": "2026-12-10", "time": "09:00-12:00", "participants": "15"}),
    ("KNF-01", "Jag vill boka lokal i rum 214 på fredag",
     {"location": "rum 214", "date": D["fre"]}),
    ("KNF-01", "Boka konferensrummet Eken på stadshuset till onsdag förmiddag",
     {"location": "konferensrummet Eken på stadshuset", "date": D["ons"]}),
    ("KNF-01", "Behöver ett rum till mötet med facket på måndag, vi är fyra",
     {"date": D["mån"], "participants": "4"}),
    ("KNF-01", "Rum för 6 personer den 2/12 kl 10:15",
     {"date": "2026-12-02", "time": "10:15", "participants": "6"}),
    ("KNF-01", "Boka rum på förmiddagen på torsdag för 5", {"date": D["tor"], "participants": "5"}),
    ("KNF-01", "Konferensrum på Solgården den 3–5 december för 10 personer",
     {"location": "Solgården", "date": "2026-12-03", "participants": "10"}),
    ("KNF-01", "Rum för utbildning mellan 14 och 16 december i kommunhuset",
     {"location": "kommunhuset", "date": "2026-12-14"}),
    ("KNF-01", "Boka rum i helgen för 10", {"participants": "10"}),
    ("KNF-01", "Vi behöver ett grupprum i mötet om budgeten", {}),
    ("KNF-02", "Fika till 15 på torsdag kl 14 i matsalen",
     {"participants": "15", "date": D["tor"], "time": "14:00", "location": "matsalen"}),
    ("KNF-02", "Vi vill beställa fika till ledningsgruppen på fredag, 10 personer, till rum 301 "
     "i stadshuset",
     {"date": D["fre"], "participants": "10", "location": "rum 301 i stadshuset"}),
    ("KNF-02", "Kaffe och bulle till mötet i eftermiddag för ett tjugotal",
     {"participants": "20", "date": D["idag"]}),
    ("KNF-02", "Hej, kan ni leverera fika till matsalen på Solgården på onsdag kl 15? Vi blir "
     "ungefär 30.",
     {"location": "matsalen på Solgården", "date": D["ons"], "time": "15:00",
      "participants": "30"}),
    ("KNF-02", "Fika till personalmötet på förmiddagen imorgon", {"date": D["tis"]}),
    ("KNF-02", "Jag vill ha fika på mötet på tisdag för tolv personer",
     {"date": D["tis"], "participants": "12"}),
    ("KNF-02", "Fika kl. 9.30 på måndag till 14 personer i personalrummet",
     {"time": "09:30", "date": D["mån"], "participants": "14", "location": "personalrummet"}),
    ("KNF-02", "Fika för 12 personer vecka 50", {"participants": "12"}),
    ("KNF-02", "Fika på torsdag, vi blir tjugo, i lärarrummet",
     {"date": D["tor"], "participants": "20", "location": "lärarrummet"}),
    ("KNF-02", "Kaffe till 8 i morgon kl 14, rum 214",
     {"participants": "8", "date": D["tis"], "time": "14:00", "location": "rum 214"}),
    ("KNF-02", "Fikabeställning: 25 pers, den 9 december klockan 10, Solgårdens samlingssal",
     {"participants": "25", "date": "2026-12-09", "time": "10:00",
      "location": "Solgårdens samlingssal"}),
    ("KNF-03", "Lunch till 18 personer den 3 december kl 12 i konferensrummet Björken",
     {"participants": "18", "date": "2026-12-03", "time": "12:00",
      "location": "konferensrummet Björken"}),
    ("KNF-03", "Vi behöver smörgåsar till utbildningsdagen i helgen, ca 40 deltagare",
     {"participants": "40"}),
    ("KNF-03", "Beställa mat till nämndsammanträdet i sessionssalen på rådhuset, torsdag kl "
     "17.30, 11 ledamöter",
     {"location": "sessionssalen på rådhuset", "date": D["tor"], "time": "17:30",
      "participants": "11"}),
    ("KNF-03", "Kan vi få vegetarisk lunch till 8 personer på Västra skolan på fredag?",
     {"participants": "8", "location": "Västra skolan", "date": D["fre"]}),
    ("KNF-03", "Mat till 30 personer 2026-12-11 klockan 12, Kulturhuset",
     {"participants": "30", "date": "2026-12-11", "time": "12:00", "location": "Kulturhuset"}),
    ("KNF-03", "Julbord för 45 anställda den 17 december på Solgården",
     {"participants": "45", "date": "2026-12-17", "location": "Solgården"}),
    ("KNF-04", "Behöver hjälp med tekniken vid konferensen i Medborgarhuset den 8 december från "
     "kl 8", {"location": "Medborgarhuset", "date": "2026-12-08", "time": "08:00"}),
    ("KNF-04", "Teknisk support till hybridmöte på torsdag kl 10 i sal A, kommunhuset",
     {"location": "sal A, kommunhuset", "date": D["tor"], "time": "10:00"}),
    ("KNF-04", "Projektorn i mötet strular, kan någon komma?", {}),
    ("KNF-04", "Hjälp med ljud och bild i aulan på Västra skolan, onsdag halv tre",
     {"location": "aulan på Västra skolan", "date": D["ons"], "time": "14:30"}),
    # --- transport, removals, pool cars
    ("TRA-01", "Skicka ett paket från kommunhuset till Björkskolan i morgon",
     {"location": "kommunhuset", "destination": "Björkskolan", "date": D["tis"]}),
    ("TRA-01", "Bud till Stadsarkivet på fredag, hämtas i receptionen på stadshuset",
     {"destination": "Stadsarkivet", "location": "receptionen på stadshuset", "date": D["fre"]}),
    ("TRA-01", "Behöver budtransport av handlingar till tingsrätten",
     {"destination": "tingsrätten"}),
    ("TRA-01", "Kan ni köra tre kartonger från förrådet på Solgården till Västra skolan på "
     "onsdag?",
     {"location": "förrådet på Solgården", "destination": "Västra skolan", "date": D["ons"]}),
    ("TRA-01", "Bud från Ekbackens förskola till Storgatan 12 den 7 december",
     {"location": "Ekbackens förskola", "destination": "Storgatan 12", "date": "2026-12-07"}),
    ("TRA-02", "Flytthjälp från Kyrkogatan 5 till Kungsgatan 20 på fredag",
     {"location": "Kyrkogatan 5", "destination": "Kungsgatan 20", "date": D["fre"]}),
    # A street named by its ending alone, with its number.
    ("TRA-02", "Vi flyttar från Storgatan 12 till Torget 3 på fredag",
     {"location": "Storgatan 12", "destination": "Torget 3", "date": D["fre"]}),
    ("TRA-02", "Vår enhet flyttar till nya lokaler på Björkskolan hus C i januari",
     {"destination": "Björkskolan hus C"}),
    ("TRA-02", "Hjälp att flytta möbler från rum 12 till rum 20 på Solgården",
     {"location": "rum 12", "destination": "rum 20 på Solgården"}),
    ("TRA-03", "Boka bil på torsdag kl 8 för att åka till Sundsvall",
     {"date": D["tor"], "time": "08:00"}),
    ("TRA-03", "Jag behöver en poolbil från garaget vid stadshuset i morgon klockan 7.30",
     {"location": "garaget vid stadshuset", "date": D["tis"], "time": "07:30"}),
    ("TRA-03", "Bilpool till mötet i Umeå på fredag", {"date": D["fre"]}),
    ("TRA-03", "Poolbil imorgon mellan 8 och 16", {"date": D["tis"], "time": "08:00-16:00"}),
    # --- travel and hotels
    ("RES-01", "Tåg till Malmö den 3 december, hem den 4 december",
     {"destination": "Malmö", "date": "2026-12-03", "return_date": "2026-12-04"}),
    ("RES-01", "Vi är tre som ska åka till Göteborg på konferens 3–5 februari",
     {"destination": "Göteborg", "participants": "3", "date": "2027-02-03",
      "return_date": "2027-02-05"}),
    ("RES-01", "Boka tjänsteresa till Stockholm på onsdag, tillbaka på fredag",
     {"destination": "Stockholm", "date": D["ons"], "return_date": D["fre"]}),
    ("RES-01", "Resa till Luleå den 14 januari och hem dagen efter",
     {"destination": "Luleå", "date": "2027-01-14", "return_date": "2027-01-15"}),
    ("RES-01", "Jag behöver flyg till Umeå nästa vecka", {"destination": "Umeå"}),
    ("RES-01", "Tjänsteresa till mässan i Jönköping mellan 8 och 10 december för 2 personer",
     {"destination": "Jönköping", "date": "2026-12-08", "return_date": "2026-12-10",
      "participants": "2"}),
    ("RES-01", "Resa för fyra personer från Sundsvall till Östersund den 1 december",
     {"destination": "Östersund", "participants": "4", "date": "2026-12-01"}),
    ("RES-01", "Kan jag få hjälp att boka resa? Har fått ärendenummer SD-2026-00042", {}),
    ("RES-01", "Tåg Stockholm–Göteborg den 5 december",
     {"destination": "Göteborg", "date": "2026-12-05"}),
    ("RES-01", "Tjänsteresa till Bryssel 2027, vet inte datum än", {"destination": "Bryssel"}),
    ("RES-02", "Hotell i Umeå 2 nätter från den 9 december",
     {"destination": "Umeå", "date": "2026-12-09", "return_date": "2026-12-11"}),
    ("RES-02", "Behöver hotellrum i Göteborg den 3 till 5 maj för 2 personer",
     {"destination": "Göteborg", "date": "2027-05-03", "return_date": "2027-05-05",
      "participants": "2"}),
    ("RES-02", "Boka hotell till kursen i Stockholm, incheckning 16 december, utcheckning 18 "
     "december",
     {"destination": "Stockholm", "date": "2026-12-16", "return_date": "2026-12-18"}),
    ("RES-02", "Hotellrum för tre kollegor i Malmö på torsdag, hem på fredag",
     {"destination": "Malmö", "date": D["tor"], "return_date": D["fre"], "participants": "3"}),
    ("RES-02", "Hotell nära centralen i Karlstad 7-9 dec",
     {"destination": "Karlstad", "date": "2026-12-07", "return_date": "2026-12-09"}),
    ("RES-02", "Hotell i Sundsvall från måndag till onsdag nästa vecka, 3 rum",
     {"destination": "Sundsvall", "date": "2026-12-07", "return_date": "2026-12-09"}),
    # --- cleaning and windows
    ("LOK-02", "Extra städning i matsalen på Björkskolan på fredag efter julavslutningen",
     {"location": "matsalen på Björkskolan", "date": D["fre"]}),
    ("LOK-02", "Vi behöver extrastäd i konferensrummet efter mötet i morgon", {"date": D["tis"]}),
    ("LOK-02", "Extra städning mellan 3 och 5 december i hus B på Björkskolan",
     {"date": "2026-12-03", "location": "hus B på Björkskolan"}),
    ("LOK-02", "Städning av omklädningsrummen i sporthallen den 3–5 december",
     {"location": "omklädningsrummen i sporthallen", "date": "2026-12-03"}),
    ("LOK-03", "Storstädning av hela förskolan Ekhagen inför jul, helst 21 december",
     {"location": "förskolan Ekhagen", "date": "2026-12-21"}),
    ("LOK-03", "Storstäd på äldreboendet Solgården vecka 50",
     {"location": "äldreboendet Solgården"}),
    ("LOK-04", "Fönsterputs på Björkskolan, 45 fönster, gärna vecka 2",
     {"location": "Björkskolan", "quantity": "45"}),
    ("LOK-04", "Kan ni putsa fönstren i receptionen på kommunhuset på måndag? Det är 6 fönster.",
     {"location": "receptionen på kommunhuset", "date": D["mån"], "quantity": "6"}),
    ("LOK-04", "Vi vill ha fönsterputs i alla 12 rum på plan 3", {"location": "plan 3"}),
    ("LOK-04", "Fönsterputs av 30 fönster på Storgatan 12 den 14 december",
     {"quantity": "30", "location": "Storgatan 12", "date": "2026-12-14"}),
    ("LOK-01", "Toaletterna på plan 2 i stadshuset har inte städats på hela veckan",
     {"location": "Toaletterna på plan 2 i stadshuset"}),
    ("LOK-01", "Det har inte städats i klassrummet sedan i måndags", {}),
    ("LOK-01", "Papperskorgarna på jobbet töms aldrig", {}),
    ("LOK-05", "Någon har kräkts i entrén till Västra skolan, behöver sanering direkt",
     {"location": "entrén till Västra skolan"}),
    ("LOK-05", "Vattenläcka i källaren på Solgården, behöver sanering",
     {"location": "källaren på Solgården"}),
    # --- property faults and outdoor care
    ("FAS-01", "Dörren vid entrén till Västra skolan går inte att låsa",
     {"location": "entrén till Västra skolan"}),
    ("FAS-01", "Det droppar från taket i rum 214", {"location": "rum 214"}),
    ("FAS-01", "Elementet på mitt kontor har varit kallt i tre veckor", {}),
    ("FAS-01", "Lampan i trapphuset på Storgatan 12 är trasig",
     {"location": "trapphuset på Storgatan 12"}),
    ("FAS-01", "Ventilationen på äldreboendet Solgården låter konstigt",
     {"location": "äldreboendet Solgården"}),
    ("FAS-01", "Felanmälan: trasigt fönster på Björkskolan hus C, rum C112",
     {"location": "Björkskolan hus C, rum C112"}),
    ("FAS-01", "Sedan i fredags läcker det från handfatet på toaletten på plan 1 i stadshuset",
     {"location": "toaletten på plan 1 i stadshuset"}),
    ("FAS-02", "Akut! Vattenläcka i köket på Ekbackens förskola",
     {"location": "köket på Ekbackens förskola"}),
    ("FAS-02", "Larmet går hela tiden i kommunhuset", {"location": "kommunhuset"}),
    ("FAS-02", "Hissen har fastnat, ring mig på 070-123 45 67", {}),
    ("FAS-02", "Strömavbrott i hela huset", {}),
    ("FAS-03", "Det är väldigt halt vid entrén till stadshuset, kan ni sanda?",
     {"location": "entrén till stadshuset"}),
    ("FAS-03", "Snöröjning behövs på parkeringen vid Björkskolan i morgon bitti",
     {"location": "parkeringen vid Björkskolan"}),
    ("FAS-03", "Ingen har plogat på skolgården", {"location": "skolgården"}),
    ("FAS-04", "Gräsklippning behövs runt Solgården", {"location": "Solgården"}),
    ("FAS-04", "Buskarna utanför entrén på Västra skolan behöver klippas",
     {"location": "entrén på Västra skolan"}),
    ("FAS-05", "Behöver 3 nya passerkort till nyanställda på Solgården",
     {"quantity": "3", "location": "Solgården"}),
    ("FAS-05", "Min nyckel till förrådet har försvunnit", {}),
    ("FAS-05", "Beställa tre passerkort till nya vikarier, hämtas i receptionen i stadshuset",
     {"quantity": "3", "location": "receptionen i stadshuset"}),
    # --- supplies, IT, post, office material, printing
    ("INK-02", "Vi behöver 10 lådor handskar, skickas till Solgårdens äldreboende",
     {"quantity": "10", "location": "Solgårdens äldreboende"}),
    ("INK-02", "Beställa munskydd, 5 kartonger, leverans till förrådet på Björkskolan",
     {"quantity": "5", "location": "förrådet på Björkskolan"}),
    ("INK-02", "Slut på handsprit på avdelningen", {}),
    ("IT-01", "Skrivaren på plan 3 i kommunhuset skriver inte ut",
     {"location": "plan 3 i kommunhuset"}),
    ("IT-01", "Jag kommer inte in i Teams sedan i morse", {}),
    ("IT-01", "Datorn i rum 214 startar inte, mitt telefonnummer är 08-123 456 78",
     {"location": "rum 214"}),
    ("IT-01", "Wifi fungerar inte i biblioteket på Västra skolan",
     {"location": "biblioteket på Västra skolan"}),
    ("IT-02", "Vi behöver fem nya bärbara datorer till nyanställda på Björkskolan",
     {"quantity": "5", "location": "Björkskolan"}),
    ("IT-02", "Beställning av 2 datorer och 2 skärmar till ekonomienheten", {"quantity": "2"}),
    ("IT-02", "Jag behöver en ny dator", {"quantity": "1"}),
    ("IT-02", "Behöver 3 dockningsstationer, ärendenummer SD-2026-00042 gäller samma sak",
     {"quantity": "3"}),
    ("IT-04", "Beställa 4 mobiltelefoner med abonnemang till hemtjänstgruppen", {"quantity": "4"}),
    ("IT-04", "Min mobil är trasig, ärende SD-2026-00042", {}),
    ("IT-04", "Behöver nytt abonnemang, mitt nummer är 070-987 65 43", {}),
    ("KON-01", "Posten till Solgården har inte kommit på tre dagar", {"location": "Solgården"}),
    ("KON-01", "Kan ni hämta utgående post i receptionen på kommunhuset varje dag?",
     {"location": "receptionen på kommunhuset"}),
    ("KON-02", "10 paket papper till kopiatorn på plan 2",
     {"quantity": "10", "location": "plan 2"}),
    ("KON-02", "Beställ 20 kollegieblock och pennor till Västra skolan",
     {"quantity": "20", "location": "Västra skolan"}),
    ("KON-02", "Pärmar och post-it behövs på kontoret", {}),
    ("KON-02", "Ring mig på 0701234567 om kontorsmaterial till Solgården",
     {"location": "Solgården"}),
    ("KON-03", "Trycka 50 exemplar av årsredovisningen till den 10 december",
     {"quantity": "50", "date": "2026-12-10"}),
    ("KON-03", "Kopiera 200 sidor till utbildningen på fredag",
     {"quantity": "200", "date": D["fre"]}),
    ("KON-03", "Tryck av 300 foldrar i A4 till mässan 2027", {"quantity": "300"}),
    # --- furniture, archive, meals, HR, e-learning
    ("MOB-01", "Vi behöver tre kontorsstolar till rum 118 i stadshuset",
     {"quantity": "3", "location": "rum 118 i stadshuset"}),
    ("MOB-01", "Beställa 24 elevbord och 24 stolar till klassrum B12 på Björkskolan, leverans "
     "vecka 3", {"quantity": "24", "location": "klassrum B12 på Björkskolan"}),
    ("MOB-01", "Nytt skrivbord till mig som började för tre veckor sedan", {}),
    ("MOB-02", "Hämta gamla soffor från personalrummet på Solgården på tisdag",
     {"location": "personalrummet på Solgården", "date": D["tis"]}),
    ("MOB-02", "Vi har 15 stolar som ska till återbruk, de står i källaren i kommunhuset",
     {"location": "källaren i kommunhuset"}),
    ("MOB-03", "Montera två skrivbord i rum 301", {"location": "rum 301"}),
    ("ARK-02", "Arkivleverans från ekonomikontoret på plan 5 i stadshuset, 12 kartonger, på "
     "torsdag", {"location": "ekonomikontoret på plan 5 i stadshuset", "date": D["tor"]}),
    ("MAT-01", "Ett barn på förskolan Ekhagen behöver glutenfri kost",
     {"location": "förskolan Ekhagen"}),
    ("MAT-01", "Laktosfri mat till en elev på mellanstadiet", {}),
    ("MAT-02", "Maten som levererades till Solgården idag var kall",
     {"location": "Solgården", "date": D["idag"]}),
    ("MAT-02", "Det saknades 5 portioner i matsalen på Västra skolan igår",
     {"location": "matsalen på Västra skolan"}),
    ("HR-02", "Vi behöver hjälp att rekrytera en lärare till Björkskolan, start den 11 januari",
     {"date": "2027-01-11"}),
    ("UTB-01", "Anmäla 12 medarbetare till e-utbildningen i GDPR", {"participants": "12"}),
    ("UTB-01", "E-utbildning för vår arbetsgrupp, vi är 7", {"participants": "7"}),
]  # fmt: skip

# A second batch, written after the first version of the rules and before changing them
# for it: other wordings, signatures, abbreviations and traps.
CASES += [
    ("KNF-01", "hej, behöver boka stora konferensrummet på plan 4 imorgon 13.00-16.00, vi är "
     "ett tiotal",
     {"location": "stora konferensrummet på plan 4", "date": D["tis"], "time": "13:00-16:00",
      "participants": "10"}),
    ("KNF-02", "Kan vi få kaffe och kaka till APT:n på onsdag? 17 personer. Levereras till "
     "Lindens förskola, personalrummet",
     {"date": D["ons"], "participants": "17",
      "location": "Lindens förskola, personalrummet"}),
    ("KNF-03", "Vi har en workshop den 11/12 mellan 12 och 13 och vill beställa lunch för 22 "
     "personer. Adress: Kyrkogatan 8, plan 3",
     {"date": "2026-12-11", "time": "12:00-13:00", "participants": "22",
      "location": "Kyrkogatan 8, plan 3"}),
    ("KNF-01", "Jag skulle vilja boka Sessionssalen den 16 december hela dagen",
     {"location": "Sessionssalen", "date": "2026-12-16"}),
    ("KNF-02", "Fika till fredagsmötet, 9 st, i Lilla salen kl 15",
     {"participants": "9", "location": "Lilla salen", "time": "15:00"}),
    ("KNF-04", "Behöver någon som kan fixa ljudet på kommunfullmäktige i Rådhussalen ikväll",
     {"location": "Rådhussalen", "date": D["idag"]}),
    ("KNF-01", "Hej! Boka gärna ett rum åt mig och 3 kollegor på tisdag eftermiddag",
     {"date": D["tis"], "participants": "4"}),
    ("KNF-01", "Behöver lokal för utbildning 8-9 december, ca 25 deltagare, helst på "
     "Stadsbiblioteket",
     {"date": "2026-12-08", "participants": "25", "location": "Stadsbiblioteket"}),
    ("KNF-02", "Fika imorgon kl 9 för styrelsen (7 pers) i Solrosen, Solgården",
     {"date": D["tis"], "time": "09:00", "participants": "7", "location": "Solrosen, Solgården"}),
    ("KNF-03", "lunch till 14 pers torsdag 12:00 sal 3",
     {"participants": "14", "date": D["tor"], "time": "12:00", "location": "sal 3"}),
    ("TRA-01", "Hej, kan ni hämta två lådor med pärmar hos oss på Socialkontoret och köra dem "
     "till arkivet i stadshuset? Helst före fredag.",
     {"location": "Socialkontoret", "destination": "arkivet i stadshuset"}),
    ("TRA-02", "Vi behöver hjälp att flytta 6 skrivbord från Östra skolan till Norra skolan den "
     "18 december",
     {"location": "Östra skolan", "destination": "Norra skolan", "date": "2026-12-18"}),
    ("TRA-03", "Behöver bil från Bilpoolen på Stationsgatan 3, tisdag 8-17",
     {"location": "Stationsgatan 3", "date": D["tis"], "time": "08:00-17:00"}),
    ("TRA-01", "Budet ska gå till Tingsrätten senast kl 14 idag",
     {"destination": "Tingsrätten", "date": D["idag"]}),
    ("TRA-02", "Flytt av arkivet, från källaren till vinden i rådhuset",
     {"location": "källaren", "destination": "vinden i rådhuset"}),
    ("RES-01", "Hej! Jag ska på utbildning i Örebro 14–15 januari, kan ni boka tåg?",
     {"destination": "Örebro", "date": "2027-01-14", "return_date": "2027-01-15"}),
    ("RES-01", "Flyg till Kiruna den 2 december för mig och en kollega, hemresa den 4:e",
     {"destination": "Kiruna", "date": "2026-12-02", "return_date": "2026-12-04",
      "participants": "2"}),
    ("KNF-03", "Lunch till 30 personer den 10 december kl 12 i Kulturhuset stora salen",
     {"date": "2026-12-10", "time": "12:00", "participants": "30",
      "location": "Kulturhuset stora salen"}),
    ("RES-01", "Tåg till Luleå den 2 december, hem den 4:e. Bara jag som åker",
     {"destination": "Luleå", "date": "2026-12-02", "return_date": "2026-12-04",
      "participants": "1"}),
    ("RES-02", "Hotell i Visby 9/12–11/12",
     {"destination": "Visby", "date": "2026-12-09", "return_date": "2026-12-11"}),
    ("RES-02", "Behöver övernattning i Stockholm natten till den 10 december",
     {"destination": "Stockholm", "date": "2026-12-09", "return_date": "2026-12-10"}),
    ("RES-01", "Tjänsteresa Sundsvall - Stockholm tur och retur, måndag",
     {"destination": "Stockholm", "date": D["mån"]}),
    ("RES-01", "Vi är fem från socialtjänsten som ska på konferens i Malmö 2-4 december",
     {"destination": "Malmö", "participants": "5", "date": "2026-12-02",
      "return_date": "2026-12-04"}),
    ("RES-02", "hotell för 2 nätter i umeå från och med torsdag",
     {"destination": "umeå", "date": D["tor"], "return_date": "2026-12-05"}),
    ("RES-01", "Kan ni boka resa åt mig? Jag ska till ett möte.", {}),
    ("LOK-02", "Hej! Vi har haft vattenskada och behöver extra städning på avdelning 3, "
     "Solgården, så snart som möjligt", {"location": "avdelning 3, Solgården"}),
    ("LOK-03", "Storstädning av Tallbackens förskola under jullovet",
     {"location": "Tallbackens förskola"}),
    ("LOK-04", "putsa fönster på Ekbackens skola, ca 80 st, nån gång i januari",
     {"location": "Ekbackens skola", "quantity": "80"}),
    ("LOK-01", "Golvet i matsalen är inte moppat", {"location": "matsalen"}),
    ("LOK-01", "Ingen har tömt soporna utanför köket på Granbacken sedan i fredags",
     {"location": "köket på Granbacken"}),
    ("LOK-05", "Det har varit översvämning i källaren, behöver sanering omgående",
     {"location": "källaren"}),
    ("FAS-01", "Ytterdörren på Vårdcentralen Norr går inte att stänga",
     {"location": "Vårdcentralen Norr"}),
    ("FAS-01", "Det är kallt i hela huset på Bergsgatan 14", {"location": "Bergsgatan 14"}),
    ("FAS-02", "Vattenläcka!! Rum 112 på Västra skolan, det forsar från taket",
     {"location": "Rum 112 på Västra skolan"}),
    ("FAS-02", "Brandlarmet tjuter utan anledning", {}),
    ("FAS-03", "Halt på gångvägen mellan parkeringen och entrén",
     {"location": "gångvägen mellan parkeringen och entrén"}),
    ("FAS-04", "Trasig gunga på lekplatsen vid Lindens förskola",
     {"location": "lekplatsen vid Lindens förskola"}),
    ("FAS-05", "Jag har tappat min passerbricka", {}),
    ("FAS-05", "Behöver nycklar till 2 nya medarbetare i hemtjänsten, Norrgruppen",
     {"quantity": "2"}),
    ("INK-02", "Vi behöver förkläden och visir, typ 20 förpackningar av varje", {"quantity": "20"}),
    ("IT-01", "Skärmen i sal 2 flimrar", {"location": "sal 2"}),
    ("IT-01", "Min dator är jätteseg sedan uppdateringen i tisdags", {}),
    ("IT-01", "Projektorn i Aulan på Norrskolan fungerar inte",
     {"location": "Aulan på Norrskolan"}),
    ("IT-02", "Vi har 3 nyanställda som börjar 4 januari och behöver datorer", {"quantity": "3"}),
    ("IT-04", "Behöver beställa mobil till en ny medarbetare", {"quantity": "1"}),
    ("IT-04", "Vi behöver 12 nya abonnemang, se bifogad lista", {"quantity": "12"}),
    ("KON-02", "Toner till skrivaren i rum 3.14", {"location": "rum 3.14"}),
    ("KON-02", "Skicka 5 förpackningar kopieringspapper A4 till Björkbackens förskola",
     {"quantity": "5", "location": "Björkbackens förskola"}),
    ("KON-03", "Vi behöver 150 kopior av inbjudan till den 8 december",
     {"quantity": "150", "date": "2026-12-08"}),
    ("KON-03", "Tryck 40 ex av broschyren, 24 sidor, färg", {"quantity": "40"}),
    ("KON-01", "Vi har inte fått någon post på Granbackens äldreboende sedan måndag",
     {"location": "Granbackens äldreboende"}),
    ("MOB-01", "Vill beställa 2 höj- och sänkbara skrivbord till mitt kontor i rum 417",
     {"quantity": "2", "location": "rum 417"}),
    ("MOB-02", "Hämtning av 10 stolar och 2 bord i matsalen på Lindens förskola, helst nästa "
     "vecka", {"location": "matsalen på Lindens förskola"}),
    ("MOB-03", "En stol på lärarrummet har gått sönder", {"location": "lärarrummet"}),
    ("ARK-02", "Vi vill skicka 20 arkivboxar till Stadsarkivet den 15 januari",
     {"date": "2027-01-15"}),
    ("MAT-01", "Elev i klass 3B på Ekbackens skola behöver nötfri kost",
     {"location": "Ekbackens skola"}),
    ("MAT-02", "Fel mat levererades till Solbackens förskola idag, fick fisk istället för "
     "kyckling", {"location": "Solbackens förskola", "date": D["idag"]}),
    ("MAT-02", "Maten kom 40 min sent i dag till Granbacken",
     {"location": "Granbacken", "date": D["idag"]}),
    ("HR-02", "Vi behöver rekrytera två undersköterskor till Solgården med start 1 februari",
     {"date": "2027-02-01"}),
    ("UTB-01", "Alla 35 medarbetare på enheten ska gå brandutbildningen", {"participants": "35"}),
    ("UTB-01", "E-utbildning i dokumenthantering för mig", {}),
    ("KNF-02", "Fika på tisdag 8/12 kl 14.00, ca 12-15 personer, i Stora salen på Kulturhuset",
     {"date": "2026-12-08", "time": "14:00", "participants": "15",
      "location": "Stora salen på Kulturhuset"}),
    ("KNF-01", "Rum för 4 personer, onsdag 10-11",
     {"participants": "4", "date": D["ons"], "time": "10:00-11:00"}),
    ("KNF-03", "Lunchmöte fredag den 11 december, 10 pers, kl 11.30",
     {"date": "2026-12-11", "participants": "10", "time": "11:30"}),
    ("TRA-03", "Poolbil till Sundsvall tisdag–torsdag", {"date": D["tis"]}),
    ("RES-01", "Tåg till Göteborg tisdag, åter onsdag kväll",
     {"destination": "Göteborg", "date": D["tis"], "return_date": D["ons"]}),
    ("RES-02", "Hotell i Lund för 3 personer 1 natt den 10 december",
     {"destination": "Lund", "date": "2026-12-10", "return_date": "2026-12-11",
      "participants": "3"}),
    ("FAS-01", "Ringer från Hemtjänsten Norr, dörren till vårt kontor på Storgatan 2 är trasig. "
     "Mitt nummer 070-555 12 34", {"location": "Storgatan 2"}),
    ("LOK-02", "Extra städ behövs i gymnastiksalen efter luciafirandet den 13 december",
     {"location": "gymnastiksalen", "date": "2026-12-13"}),
    ("KNF-04", "Support till digitalt möte i Teams på torsdag kl 9",
     {"date": D["tor"], "time": "09:00"}),
    ("IT-01", "Wifi funkar inte på Solgården avd 2", {"location": "Solgården avd 2"}),
    ("KON-02", "Beställer 3 kartonger kaffefilter och 2 paket servetter till fikarummet",
     {"location": "fikarummet"}),
]  # fmt: skip

# A third batch, written after the second round of changes and measured before any
# change for it: e-mail style, colloquial words, abbreviations and more traps.
CASES += [
    ("KNF-02", "Hej! Vi har ledningsgruppsmöte på torsdag kl 08.30-10.00 i Kommunstyrelsesalen "
     "och behöver kaffe, te och frukostmacka till 11 personer. Mvh Karin",
     {"date": D["tor"], "time": "08:30-10:00", "location": "Kommunstyrelsesalen",
      "participants": "11"}),
    ("KNF-01", "behöver ett rum imorn för 4 pers", {"date": D["tis"], "participants": "4"}),
    ("KNF-01", "Kan jag boka Älvsalen tis 8/12 9-12?",
     {"location": "Älvsalen", "date": "2026-12-08", "time": "09:00-12:00"}),
    ("KNF-03", "Beställning av lunch: onsdag 9 december, 16 deltagare, Konferenscentrum "
     "Solsidan, leverans kl 11.45",
     {"date": "2026-12-09", "participants": "16", "location": "Konferenscentrum Solsidan",
      "time": "11:45"}),
    ("KNF-02", "Vi vill beställa fika för ungefär 50 personer till vår julavslutning fredag den "
     "18 december i Folkets hus",
     {"participants": "50", "date": "2026-12-18", "location": "Folkets hus"}),
    ("KNF-04", "Vi har ett hybridmöte i morgon och kameran i rum 2.14 krånglar, kan någon komma "
     "kl 8?", {"date": D["tis"], "location": "rum 2.14", "time": "08:00"}),
    ("KNF-01", "Hej, jag vill boka ett konferensrum för 10-12 personer nästa vecka, helst "
     "tisdag", {"participants": "12", "date": "2026-12-08"}),
    ("KNF-02", "Fika till 6 personer idag kl 14, i mitt rum",
     {"participants": "6", "date": D["idag"], "time": "14:00"}),
    ("TRA-01", "Behöver skicka originalavtal från HR på stadshuset till Kommunhuset i Norrby "
     "senast imorgon",
     {"location": "stadshuset", "destination": "Kommunhuset i Norrby", "date": D["tis"]}),
    ("TRA-02", "Hej! Vi ska flytta hela enheten till Kyrkogatan 10 vecka 51",
     {"destination": "Kyrkogatan 10"}),
    ("TRA-03", "Boka bilpoolsbil fredag 07:00–18:00, hämtas vid Stadshusets garage",
     {"date": D["fre"], "time": "07:00-18:00", "location": "Stadshusets garage"}),
    ("TRA-01", "Paket ska hämtas i receptionen på Björkskolan och lämnas på Socialkontoret, "
     "Storgatan 5",
     {"location": "receptionen på Björkskolan", "destination": "Socialkontoret, Storgatan 5"}),
    ("RES-01", "Behöver tågbiljetter t/r Stockholm 15/12 för två personer",
     {"destination": "Stockholm", "date": "2026-12-15", "participants": "2"}),
    ("RES-02", "Hej, boka hotellrum i Göteborg för mig 10-12 december tack!",
     {"destination": "Göteborg", "date": "2026-12-10", "return_date": "2026-12-12"}),
    ("RES-01", "Jag ska på kurs i Uppsala, avresa måndag 7 december och hemresa onsdag 9 "
     "december",
     {"destination": "Uppsala", "date": "2026-12-07", "return_date": "2026-12-09"}),
    ("RES-01", "Resa till Umeå", {"destination": "Umeå"}),
    ("RES-02", "Övernattning Luleå 3/12", {"destination": "Luleå", "date": "2026-12-03"}),
    ("RES-01", "Vi är 3 personer som ska till Bryssel på studieresa 1–4 februari",
     {"destination": "Bryssel", "participants": "3", "date": "2027-02-01",
      "return_date": "2027-02-04"}),
    ("LOK-02", "Behöver extra städ av personalköket på plan 2 på fredag",
     {"location": "personalköket på plan 2", "date": D["fre"]}),
    ("LOK-01", "Det är smutsigt i trapphus B på Ängsvägen 3",
     {"location": "trapphus B på Ängsvägen 3"}),
    ("LOK-03", "Vi flyttar in i nya lokaler på Hamngatan 7 den 14 december och vill ha "
     "storstädning innan", {"location": "Hamngatan 7"}),
    ("LOK-04", "Fönsterputs Solgården", {"location": "Solgården"}),
    ("LOK-05", "Sanering behövs akut på toaletten vid receptionen i kommunhuset",
     {"location": "toaletten vid receptionen i kommunhuset"}),
    ("FAS-01", "Det läcker från ett element i klassrum 204, Västra skolan",
     {"location": "klassrum 204, Västra skolan"}),
    ("FAS-01", "Kan ni byta lysrör i korridoren utanför mitt rum?", {}),
    ("FAS-02", "AKUT: ingen värme på hela Solgården", {"location": "Solgården"}),
    ("FAS-03", "Isigt och halt på trappan till huvudingången på Stadshuset",
     {"location": "trappan till huvudingången på Stadshuset"}),
    ("FAS-04", "Lövblåsning och krattning behövs på skolgården på Norrskolan",
     {"location": "skolgården på Norrskolan"}),
    ("FAS-05", "Hej! Behöver 2 nycklar till förrådet", {"quantity": "2"}),
    ("FAS-05", "Passerkort till vår nya vikarie", {}),
    ("INK-02", "Beställning: 15 förpackningar handskar storlek M, 10 förpackningar storlek L",
     {}),
    ("INK-02", "Vi behöver 200 st engångsförkläden levererade till Lindgårdens äldreboende",
     {"quantity": "200", "location": "Lindgårdens äldreboende"}),
    ("IT-01", "Telefonen i receptionen är död", {"location": "receptionen"}),
    ("IT-01", "Skrivaren på 3:e våningen har pappersstopp", {"location": "3:e våningen"}),
    ("IT-02", "Behöver en dator och en skärm till nyanställd som börjar 11 januari", {}),
    ("IT-02", "Vi behöver 6 datorer till nya klassrummet i paviljongen",
     {"quantity": "6", "location": "nya klassrummet i paviljongen"}),
    ("IT-04", "Jag behöver byta till ett nytt abonnemang", {}),
    ("KON-01", "Vi vill ha posthämtning två gånger i veckan på Solgården",
     {"location": "Solgården"}),
    ("KON-02", "Beställa 4 whiteboardtavlor och pennor", {"quantity": "4"}),
    ("KON-02", "Kontorsmaterial till Ekbackens skola: 10 block, 20 pennor, 5 pärmar",
     {"location": "Ekbackens skola"}),
    ("KON-03", "Kan ni trycka 25 exemplar av kallelsen till nämnden, behövs till onsdag",
     {"quantity": "25", "date": D["ons"]}),
    ("KON-03", "Kopiering av 3 uppsättningar handlingar á 120 sidor", {}),
    ("MOB-01", "Vi behöver 8 stolar till samtalsrummet på Socialkontoret",
     {"quantity": "8", "location": "samtalsrummet på Socialkontoret"}),
    ("MOB-02", "Gamla skrivbord ska hämtas från Storgatan 12, plan 3, vecka 2",
     {"location": "Storgatan 12, plan 3"}),
    ("MOB-03", "Hjälp att montera hyllor i biblioteket", {"location": "biblioteket"}),
    ("ARK-02", "Arkivleverans från Socialförvaltningen, Hamngatan 4, på onsdag 16/12",
     {"location": "Socialförvaltningen, Hamngatan 4", "date": "2026-12-16"}),
    ("MAT-01", "Min son på Ängens förskola har celiaki", {"location": "Ängens förskola"}),
    ("MAT-02", "Det fanns hår i maten på Solgården i lunch idag",
     {"location": "Solgården", "date": D["idag"]}),
    ("MAT-02", "Leveransen till köket på Björkskolan kom inte igår",
     {"location": "köket på Björkskolan"}),
    ("UTB-01", "Hela arbetslaget, 14 personer, ska gå webbutbildningen i informationssäkerhet",
     {"participants": "14"}),
    ("HR-02", "Rekrytering av enhetschef, tillträde 1 mars", {"date": "2027-03-01"}),
    ("KNF-01", "Hej! Finns det något ledigt rum på tisdag? Vi är typ 5-6 st",
     {"date": D["tis"], "participants": "6"}),
    ("KNF-02", "Tårta till 25 st på fredag för Annas avtackning, i personalrummet på Ekbackens "
     "skola kl 14.30",
     {"participants": "25", "date": D["fre"], "location": "personalrummet på Ekbackens skola",
      "time": "14:30"}),
    ("KNF-03", "Mat till 8 personer 2026-12-03 12:00 Rådhuset sal 2",
     {"participants": "8", "date": "2026-12-03", "time": "12:00", "location": "Rådhuset sal 2"}),
    ("TRA-03", "Bil från kommunhuset i morgon kl 7 till kl 16",
     {"location": "kommunhuset", "date": D["tis"], "time": "07:00-16:00"}),
    ("RES-01", "Jag ska åka tåg till Stockholm på måndag och tillbaka samma dag",
     {"destination": "Stockholm", "date": D["mån"], "return_date": D["mån"]}),
    ("RES-02", "Hotell i Östersund från 2 december till 4 december, 2 personer",
     {"destination": "Östersund", "date": "2026-12-02", "return_date": "2026-12-04",
      "participants": "2"}),
    ("LOK-02", "Städning efter fest i Aulan, Kulturskolan, lördag",
     {"location": "Aulan, Kulturskolan", "date": D["lör"]}),
    ("FAS-01", "Dörren till personalingången på Granbacken går inte att öppna med kortet",
     {"location": "personalingången på Granbacken"}),
    ("IT-01", "Får felmeddelande 0x80070005 när jag loggar in", {}),
    ("KON-02", "Behöver 3 st USB-möss", {"quantity": "3"}),
    ("KNF-01", "Boka ett rum för 30 den 3 december mellan 13 och 16 i stadshuset",
     {"participants": "30", "date": "2026-12-03", "time": "13:00-16:00",
      "location": "stadshuset"}),
    ("MOB-01", "Beställa möbler till nya kontoret på Hamngatan 7, ca 20 arbetsplatser, inflytt "
     "1 februari",
     {"quantity": "20", "location": "nya kontoret på Hamngatan 7", "date": "2027-02-01"}),
    ("FAS-02", "Strömmen har gått på Ekbackens förskola, hus B",
     {"location": "Ekbackens förskola, hus B"}),
    ("TRA-01", "Bud från Socialkontoret till Stadsarkivet",
     {"location": "Socialkontoret", "destination": "Stadsarkivet"}),
]  # fmt: skip

# A fourth batch, written after the third round of changes and measured before any
# change for it.
CASES += [
    ("KNF-01", "Hej, finns det möjlighet att boka Styrelserummet på onsdag förmiddag kl 9-11? "
     "Vi blir 8 st.",
     {"location": "Styrelserummet", "date": D["ons"], "time": "09:00-11:00",
      "participants": "8"}),
    ("KNF-01", "Boka möteslokal för arbetsplatsträff 10 dec 13-16 ca 18 pers",
     {"date": "2026-12-10", "time": "13:00-16:00", "participants": "18"}),
    ("KNF-02", "kaffe + fralla för 12 pers imorgon 08.00 i konferensrum Ugglan",
     {"participants": "12", "date": D["tis"], "time": "08:00",
      "location": "konferensrum Ugglan"}),
    ("KNF-02", "Vi behöver fika till ett möte med 7 externa gäster nu på torsdag",
     {"participants": "7", "date": D["tor"]}),
    ("KNF-03", "Julmiddag för personalgruppen, 24 personer, den 15:e december kl 18 på "
     "Restaurang Kajen",
     {"participants": "24", "date": "2026-12-15", "time": "18:00",
      "location": "Restaurang Kajen"}),
    ("KNF-03", "Vi önskar beställa smörgåstårta till 20 personer till fredag eftermiddag",
     {"participants": "20", "date": D["fre"]}),
    ("KNF-04", "Behöver teknikstöd vid presskonferens i Kommunfullmäktigesalen den 7/12 kl "
     "10.00",
     {"location": "Kommunfullmäktigesalen", "date": "2026-12-07", "time": "10:00"}),
    ("KNF-04", "Kan ni sätta upp mikrofoner och högtalare i gympasalen på Ekbackens skola "
     "inför luciafirandet?", {"location": "gympasalen på Ekbackens skola"}),
    ("TRA-01", "Hämta en kartong med protokoll i vaktmästeriet på Rådhuset, lämna till "
     "Stadsarkivet. Tack!",
     {"location": "vaktmästeriet på Rådhuset", "destination": "Stadsarkivet"}),
    ("TRA-02", "Flytthjälp behövs 12/1: från Solgården avd 3 till Solgården avd 5",
     {"date": "2027-01-12", "location": "Solgården avd 3", "destination": "Solgården avd 5"}),
    ("TRA-03", "vill boka elbil tisdag 9-15", {"date": D["tis"], "time": "09:00-15:00"}),
    ("RES-01", "Hej! Kan ni boka tåg Sundsvall–Umeå 9 dec, åter 10 dec? Mvh Per",
     {"destination": "Umeå", "date": "2026-12-09", "return_date": "2026-12-10"}),
    ("RES-01", "Jag ska delta i SKR:s konferens i Stockholm 20–21 januari",
     {"destination": "Stockholm", "date": "2027-01-20", "return_date": "2027-01-21"}),
    ("RES-02", "Behöver hotell en natt i Härnösand, 16 december",
     {"destination": "Härnösand", "date": "2026-12-16", "return_date": "2026-12-17"}),
    ("RES-01", "Flyg Arlanda-Kiruna för 3 personer den 8 december med hemresa dagen därpå",
     {"destination": "Kiruna", "participants": "3", "date": "2026-12-08",
      "return_date": "2026-12-09"}),
    ("RES-02", "Hotellbokning åt vår nya chef som kommer på besök", {}),
    ("LOK-02", "Vi har haft öppet hus och behöver extra städning av entréhallen i morgon",
     {"location": "entréhallen", "date": D["tis"]}),
    ("LOK-03", "Storstädning önskas på Lyckans förskola vecka 1",
     {"location": "Lyckans förskola"}),
    ("LOK-04", "Kan ni putsa fönstren på Stadsbiblioteket? Det är 60 fönster",
     {"location": "Stadsbiblioteket", "quantity": "60"}),
    ("LOK-01", "Städningen på Granbacken har varit dålig senaste veckorna",
     {"location": "Granbacken"}),
    ("LOK-05", "Råttor i källarförrådet, Björkvägen 12",
     {"location": "källarförrådet, Björkvägen 12"}),
    ("FAS-01", "Hej, handtaget till dörren in till rum 108 har lossnat", {"location": "rum 108"}),
    ("FAS-01", "Ventilationen fungerar inte i hela B-huset", {"location": "B-huset"}),
    ("FAS-02", "Det brinner inte men brandlarmet på Västra skolan tjuter och går inte att "
     "stänga av", {"location": "Västra skolan"}),
    ("FAS-03", "Snöröjning saknas vid infarten till Solgården",
     {"location": "infarten till Solgården"}),
    ("FAS-04", "Ogräs i rabatterna framför stadshuset",
     {"location": "rabatterna framför stadshuset"}),
    ("FAS-05", "Behöver beställa 15 passerkort till sommarvikarierna", {"quantity": "15"}),
    ("FAS-05", "Kortläsaren vid personalingången fungerar inte",
     {"location": "personalingången"}),
    ("INK-02", "Behöver 10 kartonger nitrilhandskar strl M", {"quantity": "10"}),
    ("INK-02", "Hur beställer jag skyddsmaterial?", {}),
    ("IT-01", "Hela nätverket ligger nere på Norrbackaskolan", {"location": "Norrbackaskolan"}),
    ("IT-01", "Kan inte logga in i Visma sedan i morse", {}),
    ("IT-01", "Storskärmen i Sessionssalen har ingen bild", {"location": "Sessionssalen"}),
    ("IT-02", "Beställning av 15 Chromebooks till årskurs 4 på Lindens skola",
     {"quantity": "15", "location": "Lindens skola"}),
    ("IT-04", "2 telefoner till nya undersköterskor på Solgården", {"quantity": "2"}),
    ("IT-04", "Abonnemang för 070-1234567 ska sägas upp", {}),
    ("KON-01", "Internposten till Socialkontoret har inte hämtats idag",
     {"location": "Socialkontoret"}),
    ("KON-02", "Behöver kuvert och frimärken till receptionen", {"location": "receptionen"}),
    ("KON-02", "Kan vi få 6 pärmar, 2 hålslag och post-it-lappar", {}),
    ("KON-03", "Trycksaker: 500 flyers A5 till 10 december",
     {"quantity": "500", "date": "2026-12-10"}),
    ("KON-03", "Jag behöver kopiera 30 ex av ett dokument på 4 sidor", {"quantity": "30"}),
    ("MOB-01", "Behöver ett nytt skrivbord", {"quantity": "1"}),
    ("MOB-01", "Önskar 12 nya stolar till matsalen på Solgården, leverans senast 20 januari",
     {"quantity": "12", "location": "matsalen på Solgården", "date": "2027-01-20"}),
    ("MOB-02", "Återbruk: 3 bokhyllor och 1 soffa står i förrådet på plan 1",
     {"location": "förrådet på plan 1"}),
    ("MOB-03", "Kontorsstolen i rum 12 går inte att höja", {"location": "rum 12"}),
    ("ARK-02", "Vi har 15 arkivkartonger att leverera till arkivet", {}),
    ("MAT-01", "Behöver specialkost till nyinflyttad boende på avdelning 2, Solgården",
     {"location": "avdelning 2, Solgården"}),
    ("MAT-02", "Matvagnen till Solgården kom utan dessert idag",
     {"location": "Solgården", "date": D["idag"]}),
    ("HR-02", "Behöver stöd med rekrytering av 2 socialsekreterare", {}),
    ("UTB-01", "Anmälan av 9 deltagare till e-kursen", {"participants": "9"}),
    ("KNF-01", "rum till 5 st kl 10 fre", {"participants": "5", "time": "10:00", "date": D["fre"]}),
    ("KNF-02", "Fika på måndag den 14:e, 30 pers, Stora konferensrummet",
     {"date": "2026-12-14", "participants": "30", "location": "Stora konferensrummet"}),
    ("TRA-01", "Kan ni köra över lite material från oss på Solgården till Björkskolan i "
     "eftermiddag?",
     {"location": "Solgården", "destination": "Björkskolan", "date": D["idag"]}),
    ("RES-01", "Kan du boka en resa till Göteborg åt mig och min kollega den 17 december, vi "
     "åker hem samma kväll",
     {"destination": "Göteborg", "participants": "2", "date": "2026-12-17",
      "return_date": "2026-12-17"}),
    ("LOK-02", "Behöver städning efter vattenläckan i Rum 3 på Lindens förskola snarast",
     {"location": "Rum 3 på Lindens förskola"}),
    ("FAS-01", "Trasigt lås på toaletten i personalrummet",
     {"location": "toaletten i personalrummet"}),
    ("IT-01", "Datorn i konferensrummet på plan 5 fungerar inte med projektorn",
     {"location": "konferensrummet på plan 5"}),
    ("KNF-01", "Boka rum, 20 pers, mellan kl 13 och 15 på fredag",
     {"participants": "20", "time": "13:00-15:00", "date": D["fre"]}),
    ("MAT-02", "Fel antal portioner till Solgården den 27 november", {"location": "Solgården"}),
    ("KON-02", "50 st kuvert C4 till HR-avdelningen", {"quantity": "50"}),
]  # fmt: skip

# A fifth batch, written after the fourth round of changes and measured before any
# change for it: the phrase types of the task in new sentences, and typing without
# Swedish letters.
CASES += [
    ("KNF-02", "Hej, kan vi få fika till 15 i kommunhuset, sal B på torsdag kl 9.30?",
     {"participants": "15", "location": "kommunhuset, sal B", "date": D["tor"],
      "time": "09:30"}),
    ("KNF-01", "Jag vill boka ett mötesrum på Björkskolan hus C i morgon eftermiddag, vi blir "
     "20", {"location": "Björkskolan hus C", "date": D["tis"], "participants": "20"}),
    ("FAS-03", "Kan ni sanda vid entrén till Västra skolan? Det är spegelblankt.",
     {"location": "entrén till Västra skolan"}),
    ("IT-01", "Projektorn i rum 214 startar inte", {"location": "rum 214"}),
    ("LOK-02", "Vi behöver extra städning på äldreboendet Solgården i helgen",
     {"location": "äldreboendet Solgården"}),
    ("KNF-03", "Kan ni leverera lunch till matsalen på Solgården på fredag för 12 personer?",
     {"location": "matsalen på Solgården", "date": D["fre"], "participants": "12"}),
    ("KNF-02", "Fika på mötet på torsdag, vi blir 9", {"date": D["tor"], "participants": "9"}),
    ("KNF-01", "Behöver ett rum i morgon på förmiddagen till 6 personer",
     {"date": D["tis"], "participants": "6"}),
    ("LOK-01", "Det är inte städat i klassrummet", {}),
    ("FAS-01", "Elementen är kalla på jobbet", {}),
    ("KNF-04", "Hjälp med tekniken i mötet i eftermiddag", {"date": D["idag"]}),
    ("RES-01", "Hej! Behöver tåg till Malmö på onsdag och hem dagen efter",
     {"destination": "Malmö", "date": D["ons"], "return_date": D["tor"]}),
    ("RES-02", "Hotell i Umeå den 3 till 5 februari", {"destination": "Umeå",
     "date": "2027-02-03", "return_date": "2027-02-05"}),
    ("RES-01", "Resa till Göteborg mellan 14 och 16 januari för 3 personer",
     {"destination": "Göteborg", "date": "2027-01-14", "return_date": "2027-01-16",
      "participants": "3"}),
    ("RES-01", "Åker till Stockholm den 10 december och kommer hem den 12 december",
     {"destination": "Stockholm", "date": "2026-12-10", "return_date": "2026-12-12"}),
    ("RES-01", "tjänsteresa till Luleå på tisdag, tillbaka på fredag",
     {"destination": "Luleå", "date": D["tis"], "return_date": D["fre"]}),
    ("TRA-01", "Bud från Rådhuset till Björkskolan på måndag",
     {"location": "Rådhuset", "destination": "Björkskolan", "date": D["mån"]}),
    ("TRA-02", "Flytt från Kyrkogatan 3 till Stadshuset den 3–5 februari",
     {"location": "Kyrkogatan 3", "destination": "Stadshuset", "date": "2027-02-03"}),
    ("MOB-01", "Vi behöver tre kontorsstolar till personalrummet", {"quantity": "3",
     "location": "personalrummet"}),
    ("KON-03", "Tryck 50 exemplar av verksamhetsplanen", {"quantity": "50"}),
    ("KON-02", "10 paket papper och 5 pärmar till Solgården", {"location": "Solgården"}),
    ("KON-02", "Skicka 10 paket papper till expeditionen på Västra skolan",
     {"quantity": "10", "location": "expeditionen på Västra skolan"}),
    ("IT-04", "Ring mig på 070-111 22 33 om mobilbeställningen", {}),
    ("IT-02", "Angående SD-2026-00042: vi behöver fortfarande datorerna", {}),
    ("KON-03", "Vi behöver årsberättelsen för 2026 tryckt", {}),
    ("LOK-04", "Fönsterputs vecka 50 på Solgården", {"location": "Solgården"}),
    ("KNF-02", "Fika kl 14 på torsdag i lärarrummet", {"time": "14:00", "date": D["tor"],
     "location": "lärarrummet"}),
    ("FAS-01", "Dörren har inte gått att låsa på tre veckor sedan, i rum 12",
     {"location": "rum 12"}),
    ("MOB-03", "Stolen jag fick för tre veckor sedan är redan trasig", {}),
    ("KNF-02", "fika for 10 pers pa fredag i matsalen pa Bjorkskolan",
     {"participants": "10", "date": D["fre"], "location": "matsalen pa Bjorkskolan"}),
    ("FAS-01", "det droppar fran taket i koket pa Solgarden",
     {"location": "koket pa Solgarden"}),
    ("KNF-01", "Konferensrum for 8 personer imorgon kl 13-15",
     {"participants": "8", "date": D["tis"], "time": "13:00-15:00"}),
    ("RES-01", "Tag till Goteborg 3-5 maj", {"destination": "Goteborg", "date": "2027-05-03",
     "return_date": "2027-05-05"}),
    ("LOK-02", "Extra stadning i aulan pa Vastra skolan den 3 december",
     {"location": "aulan pa Vastra skolan", "date": "2026-12-03"}),
    ("KNF-03", "Mat till 25 deltagare på utbildningsdagen den 9 december i Medborgarhuset, "
     "stora salen",
     {"participants": "25", "date": "2026-12-09", "location": "Medborgarhuset, stora salen"}),
    ("KNF-01", "Hej! Vi är ett 15-tal som behöver ett rum på onsdag", {"participants": "15",
     "date": D["ons"]}),
    ("KNF-02", "Fika till ca 40 personer på julavslutningen fredag den 18:e",
     {"participants": "40", "date": "2026-12-18"}),
    ("KNF-03", "Lunch för 10-12 personer på torsdag kl 12 i rum 301",
     {"participants": "12", "date": D["tor"], "time": "12:00", "location": "rum 301"}),
    ("RES-02", "Hotellrum i Stockholm för två nätter från 7 december, vi är 2",
     {"destination": "Stockholm", "date": "2026-12-07", "return_date": "2026-12-09",
      "participants": "2"}),
    ("RES-01", "Tåg Göteborg–Stockholm t/r 14/12", {"destination": "Stockholm",
     "date": "2026-12-14"}),
    ("FAS-02", "Vattenläcka i källaren på Storgatan 12, ring 08-123 45 67",
     {"location": "källaren på Storgatan 12"}),
    ("LOK-05", "Akut sanering behövs i omklädningsrummet", {}),
    ("FAS-05", "Behöver 4 nya nycklar till förrådet på Solgården", {"quantity": "4",
     "location": "förrådet på Solgården"}),
    ("IT-02", "Beställ 12 bärbara datorer till Västra skolan, leverans vecka 2",
     {"quantity": "12", "location": "Västra skolan"}),
    ("MAT-02", "Maten till Björkskolan var kall i torsdags", {"location": "Björkskolan"}),
    ("KON-03", "Kopiera 2026 års budget i 40 ex", {"quantity": "40"}),
    ("MOB-01", "Fem skrivbord och fem stolar till rum 12 på plan 3", {"quantity": "5",
     "location": "rum 12 på plan 3"}),
    ("UTB-01", "Vi blir 20 som ska gå utbildningen", {"participants": "20"}),
]  # fmt: skip

# A sixth batch, written for the final rules and measured before any change for it. From
# here on a room alone ("i matsalen") is not labelled a location: the desk serves many
# buildings (see the module's ``_anchored``); earlier batches keep their first labels.
CASES += [
    ("KNF-02", "Kan vi få kaffe och kanelbullar till 18 personer i Blå rummet på Stadshuset kl "
     "13 på onsdag?",
     {"participants": "18", "location": "Blå rummet på Stadshuset", "time": "13:00",
      "date": D["ons"]}),
    ("KNF-01", "Vill boka konferensrum för 6 personer den 9 december kl 10-12",
     {"participants": "6", "date": "2026-12-09", "time": "10:00-12:00"}),
    ("KNF-03", "Lunch till styrgruppen, 9 personer, tisdag 15 december kl 11.30 i Rådhuset",
     {"participants": "9", "date": "2026-12-15", "time": "11:30", "location": "Rådhuset"}),
    ("KNF-04", "Vi behöver hjälp med mikrofoner till föreläsningen i aulan på Norrskolan den "
     "10/12 kl 18",
     {"location": "aulan på Norrskolan", "date": "2026-12-10", "time": "18:00"}),
    ("KNF-02", "Fika på fredag till personalen i köket", {"date": D["fre"]}),
    ("FAS-01", "Det regnar in genom taket i gymnastiksalen på Ekbackens skola",
     {"location": "gymnastiksalen på Ekbackens skola"}),
    ("FAS-01", "Belysningen i trapphuset på Kyrkogatan 7 är trasig",
     {"location": "trapphuset på Kyrkogatan 7"}),
    ("FAS-02", "Översvämning i källaren på Lindens förskola!",
     {"location": "källaren på Lindens förskola"}),
    ("FAS-03", "Gångvägen till Solgården är inte sandad", {"location": "Gångvägen till Solgården"}),
    ("FAS-04", "Löv behöver blåsas bort på parkeringen vid Stadshuset",
     {"location": "parkeringen vid Stadshuset"}),
    ("FAS-05", "Jag behöver 2 extra nycklar till rum 305",
     {"quantity": "2", "location": "rum 305"}),
    ("LOK-01", "Toaletterna i hus D på Västra skolan är smutsiga",
     {"location": "Toaletterna i hus D på Västra skolan"}),
    ("LOK-02", "Behöver extrastädning i Lilla salen på Kulturhuset på lördag",
     {"location": "Lilla salen på Kulturhuset", "date": D["lör"]}),
    ("LOK-03", "Storstädning av Solgårdens kök, helst mellan jul och nyår",
     {"location": "Solgårdens kök"}),
    ("LOK-04", "Fönsterputs på Norrskolan, alla fönster i hus A och B",
     {"location": "Norrskolan"}),
    ("LOK-05", "Akut sanering i badrummet på avdelning 4, Solgården",
     {"location": "badrummet på avdelning 4, Solgården"}),
    ("IT-01", "Skrivaren i kopieringsrummet på plan 2 fungerar inte",
     {"location": "kopieringsrummet på plan 2"}),
    ("IT-01", "Wifi:t fungerar inte i hela kommunhuset", {"location": "kommunhuset"}),
    ("IT-02", "Behöver 4 nya skärmar till ekonomiavdelningen på plan 3",
     {"quantity": "4", "location": "ekonomiavdelningen på plan 3"}),
    ("IT-04", "Vi behöver 3 mobiler till nattpersonalen", {"quantity": "3"}),
    ("KON-02", "Skicka 5 paket kopieringspapper till Björkskolans expedition",
     {"quantity": "5", "location": "Björkskolans expedition"}),
    ("KON-03", "Tryck upp 100 affischer till julmarknaden den 12 december",
     {"quantity": "100", "date": "2026-12-12"}),
    ("MOB-01", "Vi behöver 10 nya stolar till konferensrummet på Socialkontoret",
     {"quantity": "10", "location": "konferensrummet på Socialkontoret"}),
    ("MOB-02", "Hämtning av gamla möbler i källaren på Storgatan 5 nästa vecka",
     {"location": "källaren på Storgatan 5"}),
    ("MAT-02", "Fel på leveransen till Lindens förskola idag, det saknades 10 portioner",
     {"location": "Lindens förskola", "date": D["idag"]}),
    ("RES-01", "Jag och en kollega ska till Umeå den 8 december och åker hem den 9",
     {"participants": "2", "destination": "Umeå", "date": "2026-12-08",
      "return_date": "2026-12-09"}),
    ("RES-02", "Hotell i Örebro tre nätter från 14 januari",
     {"destination": "Örebro", "date": "2027-01-14", "return_date": "2027-01-17"}),
    ("RES-01", "Tjänsteresa Stockholm 3/12, tillbaka samma dag",
     {"destination": "Stockholm", "date": "2026-12-03", "return_date": "2026-12-03"}),
    ("RES-02", "Rum för 2 på hotell i Visby 20–22 januari",
     {"participants": "2", "destination": "Visby", "date": "2027-01-20",
      "return_date": "2027-01-22"}),
    ("TRA-01", "Bud från Stadshuset till Rådhuset i eftermiddag",
     {"location": "Stadshuset", "destination": "Rådhuset", "date": D["idag"]}),
    ("TRA-02", "Flytthjälp från plan 2 till plan 5 på Socialkontoret den 14 december",
     {"location": "plan 2", "destination": "plan 5 på Socialkontoret", "date": "2026-12-14"}),
    ("TRA-03", "Boka bil imorgon 07.30-16.00 för resa till Östersund",
     {"date": D["tis"], "time": "07:30-16:00"}),
    ("KNF-01", "Hej! Kan jag boka Ekensalen på fredag för 30 personer?",
     {"location": "Ekensalen", "date": D["fre"], "participants": "30"}),
    ("KNF-02", "Behöver fika till tre personer kl 10 imorgon",
     {"participants": "3", "time": "10:00", "date": D["tis"]}),
    ("HR-02", "Rekrytering av 3 lärare till Björkskolan, tillträde 1 augusti",
     {"date": "2027-08-01"}),
    ("UTB-01", "Vi är 11 i arbetsgruppen som ska gå e-utbildningen", {"participants": "11"}),
    ("FAS-01", "Dörren i entrén är trasig", {}),
    ("LOK-01", "Ingen har städat i personalrummet på två veckor", {}),
    ("KNF-02", "Fika för 25 i matsalen på torsdag", {"participants": "25", "date": D["tor"]}),
    ("KON-01", "Kan ni hämta posten på Solgården varje fredag?", {"location": "Solgården"}),
]  # fmt: skip


def _rows() -> list[dict[str, str]]:
    return [
        {"text": text, "service": code, **{f: gold.get(f, "") for f in DETAIL_FIELDS}}
        for code, text, gold in CASES
    ]


def test_the_development_set_is_large_and_labels_only_order_fields() -> None:
    assert len(CASES) >= 80
    for code, text, gold in CASES:
        assert set(gold) <= set(ORDER_FIELDS[code]) - {"description"}, (code, text)


@pytest.mark.parametrize(
    ("code", "text", "gold"), CASES, ids=[f"{c[0]}:{c[1][:40]}" for c in CASES]
)
def test_no_wrong_prefill(code: str, text: str, gold: dict[str, str]) -> None:
    found = extract_details(text, ORDER_FIELDS[code], NOW)
    assert set(found) <= set(ORDER_FIELDS[code]) - {"description"}
    wrong = {f: v for f, v in found.items() if not matches(f, v, gold.get(f, ""))}
    assert not wrong, f"wrong prefill {wrong}, expected {gold}"


def test_recall_on_the_development_set() -> None:
    report = score(_rows(), ORDER_FIELDS, NOW)
    fields = report["fields"]
    assert report["micro_precision"] == 1.0
    assert report["micro_recall"] >= 0.85
    for field in ("location", "destination", "date", "time", "participants"):
        assert fields[field]["recall"] >= 0.8, (field, fields[field])
    for field in ("return_date", "quantity"):
        assert fields[field]["recall"] >= 0.7, (field, fields[field])


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # A span that ends the request is its day (Monday 30 November + 3 weeks).
        ("vi vill ha fönsterputs på 24 fönster på Ängsskolan hus B om tre veckor", "2026-12-21"),
        ("extra städning i matsalen om en vecka.", "2026-12-07"),
        # Inside the request it is often about something else: asked, not guessed.
        ("vi flyttar om två veckor, behöver flyttkartonger nu", None),
    ],
)
def test_a_span_ending_the_first_message_is_its_date(text: str, date: str | None) -> None:
    assert extract_details(text, ("date", "location", "description"), NOW).get("date") == date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("i morgon kl 06:30 då", "2026-12-01"),
        ("kl 10 på fredag", "2026-12-04"),
        ("kl 10 den 4/12", "2026-12-04"),
        # A clock time alone is no day (dateparser would read "13-15" as a year).
        ("14:00", None),
        ("13-15", None),
        ("10.30", None),
        ("kl 14", None),
    ],
)
def test_a_day_is_read_only_when_named(text: str, day: str | None) -> None:
    found = parse_day(text, NOW)
    assert (found.value.isoformat() if found else None) == day


@pytest.mark.parametrize(
    ("place", "building"),
    [
        ("sal A", False),
        ("rum 214 på plan 2", False),
        ("toaletterna på plan 2", False),
        ("gamla kontoret", False),
        ("Rum 214", False),
        ("socialkontoret", True),
        ("Kommunhuset, sal A", True),
        ("toaletterna på Lärkans förskola", True),
        ("Storgatan 12", True),
        ("Björkskolan hus C", True),
        ("stadshuset", True),
        ("i Malmö", True),
    ],
)
def test_a_place_names_its_building_or_is_only_a_room(place: str, building: bool) -> None:
    assert names_building(place) is building


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("maten ska va där vid tolv", "12:00"),
        ("runt 14 på fredag", "14:00"),
        ("boka bil till imorgon vid 8", "08:00"),
        # "vid" before a thing or a place is no time.
        ("vi sitter vid två bord", None),
        ("vi ses vid entrén", None),
    ],
)
def test_an_hour_after_vid_or_runt_is_a_time(text: str, clock: str | None) -> None:
    now = datetime(2026, 12, 1, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert extract_details(text, ("time",), now).get("time") == clock


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # Today is Tuesday 1 December 2026.
        ("om två veckor på måndag", "2026-12-14"),
        ("måndag om två veckor", "2026-12-14"),
        ("på fredag om en vecka", "2026-12-11"),
        ("veckan efter nästa på onsdag", "2026-12-16"),
        ("tisdag v. 51", "2026-12-15"),
        ("torsdag vecka 2", "2027-01-14"),
        ("första måndagen i januari", "2027-01-04"),
        ("sista fredagen i december", "2026-12-25"),
        ("imorrn", "2026-12-02"),
    ],
)
def test_a_weekday_in_a_later_week_or_month(text: str, day: str) -> None:
    now = datetime(2026, 12, 1, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    found = parse_date(text, now)
    assert found is not None and found.value.isoformat() == day


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("åtta på morgonen", "08:00"),
        ("tre på eftermiddagen", "15:00"),
        ("mellan nio och elva", "09:00-11:00"),
        ("från ett till tre", "13:00-15:00"),
        ("mellan oss och dem", None),
    ],
)
def test_hours_in_words_with_the_part_of_the_day_or_as_a_range(
    text: str, clock: str | None
) -> None:
    found = parse_time(text)
    assert (found.as_text() if found and found.valid else None) == clock


def test_where_something_goes_yields_to_where_the_work_is() -> None:
    now = datetime(2026, 12, 1, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    story = "eleverna flyttas till Björkskolan. jag ska rensa i källaren på Östra skolan"
    assert extract_details(story, ("location",), now) == {"location": "källaren på Östra skolan"}
    # Alone, where it goes is the place ("stolar till Björkskolan").
    alone = "leverera stolar till Björkskolan på fredag"
    assert extract_details(alone, ("location",), now) == {"location": "Björkskolan"}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # A unit of a preschool or a care home is named, not numbered.
        (
            "Vattnet läcker i tvättstugan på Solrosens förskola, avdelning Humlan",
            "tvättstugan på Solrosens förskola, avdelning Humlan",
        ),
        ("trasig lampa på Solgården avdelning Humlan", "Solgården avdelning Humlan"),
        ("trasig lampa på Solgården, avd Blåklockan", "Solgården, avd Blåklockan"),
        ("lampan är trasig i Kommunhuset rum Linden", "Kommunhuset rum Linden"),
        # "min avdelning" says whose, not where.
        ("min avdelning behöver nya stolar", None),
    ],
)
def test_a_unit_named_after_the_building_is_part_of_the_place(text: str, place: str | None) -> None:
    found = extract_details(text, ("location", "description"), NOW)
    assert found.get("location") == place


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Minutes to an hour after a word for being ready by then.
        ("Lunch till ledningsgruppen, den ska stå framdukad tio i tolv. Vi är 9 st", "11:50"),
        ("fika till mötet, senast fem i tre", "14:55"),
        # ... but not a count of groups.
        ("vi är fem i tre grupper", None),
    ],
)
def test_a_time_in_words_after_ready_by(text: str, expected: str | None) -> None:
    assert extract_details(text, ("time",), NOW).get("time") == expected


def test_a_garage_is_a_place_only_with_the_building_it_belongs_to() -> None:
    text = "Boka en elbil i morgon kl 8, hämtar den i garaget under Stadshuset, ansvar 2530"
    assert extract_details(text, ("location",), NOW)["location"] == "garaget under Stadshuset"
    assert "location" not in extract_details("bilen står i garaget", ("location",), NOW)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # A named place in the genitive owns the place after it.
        ("hamtar den pa Ekskolans parkering. ansvar 4310", "Ekskolans parkering"),
        ("Vi ses vid Stadshusets entré kl 10", "Stadshusets entré"),
        ("fika i Solgårdens kök på fredag", "Solgårdens kök"),
        ("lampan i Kulturhusets stora sal är trasig", "Kulturhusets stora sal"),
        # ... not a thing or people after it.
        ("skicka till Björkskolans elever", None),
        ("hjälp med Stadshusets skrivare", None),
    ],
)
def test_a_place_owned_by_a_named_place(text: str, place: str | None) -> None:
    assert extract_details(text, ("location",), NOW).get("location") == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Lindens förskola: lampan i tamburen har slocknat", "Lindens förskola"),
        ("Solgården: elementen är kalla", "Solgården"),
        ("Storgatan 8: lampan i trapphuset blinkar", "Storgatan 8"),
        # A label that is no place is no place.
        ("Nya skrivaren: den är trasig", None),
        ("Lunch till mötet: 12 personer", None),
        ("Obs: lampan är trasig", None),
    ],
)
def test_a_place_said_as_a_label_before_a_colon(text: str, place: str | None) -> None:
    assert extract_details(text, ("location", "description"), NOW).get("location") == place


def test_a_range_of_weekdays_with_next_week_said_after_the_first() -> None:
    said = "hotell i Malmö för 2 personer från måndag nästa vecka till onsdag"
    found = extract_details(said, ("destination", "date", "return_date"), NOW)
    assert (found["date"], found["return_date"]) == ("2026-12-07", "2026-12-09")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # "är" folds like "år", but only "år" counts: "rum 214 är …" is the room
        ("i rum 214 är elementet iskallt sen i måndags", "rum 214"),
        ("I sal 3 är det jättekallt", "sal 3"),
        ("rum 4 år gammalt", None),
    ],
)
def test_a_room_before_is_is_a_place(text: str, place: str | None) -> None:
    assert extract_details(text, ("location",), NOW).get("location") == place
