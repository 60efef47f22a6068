"""What the bridge itself says in Telegram; the assistant's own words live in domain.yml."""

from __future__ import annotations

TECHNICAL_ERROR = "Det blev ett tekniskt fel hos assistenten. Försök igen strax."
#: The first message a new person gets: an automated assistant, not a person (AI Act art. 50).
ASK_NAME = (
    "Hej! Jag är kommunens automatiska assistent för interna tjänster – alltså ingen människa. "
    "Du kan när som helst be att få prata med en person på servicedesken.\n\n"
    "Innan vi börjar: vad heter du? Skriv för- och efternamn."
)
ASK_NAME_AGAIN = "Skriv ditt för- och efternamn, till exempel Anna Svensson."
ASK_DEPARTMENT = "Tack, {name}! Vilken förvaltning arbetar du på?"
CHANGE_DEPARTMENT = "Vilken förvaltning arbetar du på nu?"
DEPARTMENT_NOT_FOUND = "Jag hittar ingen förvaltning som heter så. Välj en av knapparna."
DEPARTMENT_SAVED = "Tack! Jag har sparat att du arbetar på {department}."
WHAT_CAN_I_DO = "Vad kan jag hjälpa dig med?"
FILE_SAVED = "Tack! Jag har sparat filen {file} i ärende {number}."
FILE_SAVED_NO_TICKET = (
    "Jag har sparat filen {file}, men du har inget öppet ärende att koppla den till. "
    "Skicka den gärna igen med ärendenumret i bildtexten (till exempel SD-2026-00012) "
    "när ärendet är skapat, eller berätta vad det gäller så hjälper jag dig."
)
FILE_TOO_BIG = (
    "Filen är tyvärr för stor för mig (högst 20 MB). Skicka en mindre fil, "
    "eller be servicedesken om ett annat sätt att lämna den."
)
UNSUPPORTED = "Jag kan bara läsa text, bilder och filer. Skriv gärna vad du behöver hjälp med."

#: Phrases (after lower-casing) that start the förvaltning question again.
CHANGE_DEPARTMENT_PHRASES = frozenset(
    {"byt förvaltning", "ändra förvaltning", "byta förvaltning", "/forvaltning", "/förvaltning"}
)
WORKING_ON_IT = "Jag jobbar på det … svaret kommer här så snart det är klart."

#: Linking this Telegram user to the person's web chat (see servicedesk.linking).
LINKED = (
    "Klart! Ditt Telegramkonto är nu kopplat till dig i webbchatten. Dina ärenden syns både "
    "här och där – skriv till exempel ”mina ärenden”. Vill du ta bort kopplingen skriver du "
    "/koppla_fran."
)
ALREADY_LINKED = "Ditt Telegramkonto är redan kopplat med den här koden. Allt är som det ska."
LINK_CODE_WRONG = (
    "Den koden känner jag inte igen. Kontrollera att du skrev av den rätt, eller hämta en ny "
    "kod under ”Koppla Telegram” i webbchatten."
)
LINK_CODE_EXPIRED = (
    "Koden har gått ut – den gäller bara en kort stund. Hämta en ny kod under "
    "”Koppla Telegram” i webbchatten."
)
LINK_CODE_USED = (
    "Koden är redan använd och fungerar bara en gång. Hämta en ny kod under "
    "”Koppla Telegram” i webbchatten."
)
LINK_TOO_MANY = (
    "Du har försökt med för många felaktiga koder. Vänta en kvart och försök sedan igen "
    "med en ny kod från webbchatten."
)
LINK_HOW = (
    "För att koppla Telegram till webbchatten: välj ”Koppla Telegram” i webbchatten och "
    "skicka koden du får hit, till exempel /koppla ABCDE-FGH23."
)
UNLINKED = (
    "Klart! Ditt Telegramkonto är inte längre kopplat till webbchatten. Ärenden du gör här "
    "syns nu bara här."
)
NOT_LINKED = (
    "Ditt Telegramkonto är inte kopplat till någon webbchatt, så det finns inget att ta bort."
)
