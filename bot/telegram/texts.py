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
