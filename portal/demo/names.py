"""The fixed texts of the demo data: names, organisations, courses and case notes.

Kept apart from `demo` so that the builder reads as logic. Everything here is invented;
organisations are named after real towns so that the directory looks familiar to the
offices that try the demo, but no row describes a real person or enterprise.
"""

from __future__ import annotations

WOMEN = (
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Kerstin",
    "Emma",
    "Ingrid",
    "Malin",
    "Johanna",
    "Linnéa",
    "Sofia",
    "Elin",
    "Åsa",
    "Helena",
    "Fatima",
    "Amina",
    "Hanna",
    "Ida",
    "Maja",
    "Ebba",
    "Nour",
    "Leyla",
    "Birgitta",
    "Agnes",
    "Frida",
    "Sanna",
    "Jelena",
    "Hawa",
)
MEN = (
    "Lars",
    "Erik",
    "Anders",
    "Johan",
    "Per",
    "Karl",
    "Mikael",
    "Peter",
    "Jonas",
    "Magnus",
    "Fredrik",
    "Ahmed",
    "Mohammed",
    "Ali",
    "Oskar",
    "Viktor",
    "Emil",
    "Björn",
    "Göran",
    "Hassan",
    "Daniel",
    "Mattias",
    "Jesper",
    "Omar",
    "Tobias",
    "Nils",
    "Stefan",
    "Dragan",
    "Yonas",
    "Tomasz",
)
FAMILY_NAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Lund",
    "Holm",
    "Sandberg",
    "Ekström",
    "Åberg",
    "Öberg",
    "Hassan",
    "Ali",
    "Mohamed",
    "Nowak",
    "Hodžić",
    "Virtanen",
    "Yilmaz",
    "Ahmadi",
    "Haile",
    "Kovačević",
    "Wallin",
)

# (kind, name, municipality): the offices caseworkers work at.
AUTHORITIES = (
    ("forsakringskassan", "Försäkringskassan Trollhättan", "Trollhättan"),
    ("forsakringskassan", "Försäkringskassan Uddevalla", "Uddevalla"),
    ("forsakringskassan", "Försäkringskassan Skövde", "Skövde"),
    ("forsakringskassan", "Försäkringskassan Lidköping", "Lidköping"),
    ("forsakringskassan", "Försäkringskassan Borås", "Borås"),
    ("forsakringskassan", "Försäkringskassan Göteborg", "Göteborg"),
    ("arbetsformedlingen", "Arbetsförmedlingen Vänersborg", "Vänersborg"),
    ("arbetsformedlingen", "Arbetsförmedlingen Åmål", "Åmål"),
    ("arbetsformedlingen", "Arbetsförmedlingen Mariestad", "Mariestad"),
    ("arbetsformedlingen", "Arbetsförmedlingen Falköping", "Falköping"),
    ("arbetsformedlingen", "Arbetsförmedlingen Ulricehamn", "Ulricehamn"),
    ("arbetsformedlingen", "Arbetsförmedlingen Kungälv", "Kungälv"),
    ("arbetsformedlingen", "Arbetsförmedlingen Alingsås", "Alingsås"),
    ("social_services", "Socialtjänsten, Uddevalla kommun", "Uddevalla"),
    ("social_services", "Socialtjänsten, Skövde kommun", "Skövde"),
    ("social_services", "Socialtjänsten, Borås stad", "Borås"),
    ("social_services", "Socialförvaltningen Nordost, Göteborgs stad", "Göteborg"),
    ("labour_market_unit", "Arbetsmarknadsenheten, Trollhättans stad", "Trollhättan"),
    ("labour_market_unit", "Arbetsmarknadsenheten, Lidköpings kommun", "Lidköping"),
    ("labour_market_unit", "Arbetsmarknadsenheten, Marks kommun", "Mark"),
    ("labour_market_unit", "Arbetsmarknadsenheten, Alingsås kommun", "Alingsås"),
    ("health_care", "Västra Götalandsregionen, Rehabiliteringsmedicin", "Göteborg"),
)

# (name, municipality, trades, accessibility, number of supervisors). The first one is
# the demo supervisor's, in Fyrbodal like the demo caseworker and coordinator.
COOPERATIVES = (
    (
        "Kooperativet Älvstranden",
        "Trollhättan",
        ("carpentry", "recycling", "second_hand"),
        ("step_free", "quiet_room", "public_transport"),
        2,
    ),
    ("Trädgårdsglädjen", "Uddevalla", ("gardening", "cafe"), ("step_free", "flexible_hours"), 2),
    ("Dalslands Arbetskooperativ", "Åmål", ("cleaning", "carpentry", "logistics"), ("flexible_hours",), 2),
    ("Kustens Kafé och Catering", "Strömstad", ("cafe", "catering", "bakery"), ("adapted_toilet",), 1),
    (
        "Billingens Återbruk",
        "Skövde",
        ("recycling", "second_hand", "logistics"),
        ("step_free", "adapted_toilet", "public_transport"),
        2,
    ),
    ("Kinnekulle Bageri och Café", "Götene", ("bakery", "cafe"), ("quiet_room",), 2),
    ("Vänerkooperativet", "Lidköping", ("cleaning", "office", "gardening"), ("hearing_loop", "step_free"), 2),
    ("Hjo Sömnad och Textil", "Hjo", ("textiles", "second_hand"), ("quiet_room", "flexible_hours"), 1),
    (
        "Textilverket",
        "Borås",
        ("textiles", "office", "logistics"),
        ("step_free", "hearing_loop", "adapted_toilet", "public_transport"),
        2,
    ),
    ("Ätradalens Gröna Händer", "Ulricehamn", ("gardening", "animal_care"), ("flexible_hours",), 2),
    ("Viskadalens Second hand", "Mark", ("second_hand", "recycling", "cafe"), ("step_free",), 1),
    ("Hisingens Lager och Logistik", "Göteborg", ("logistics", "recycling"), ("step_free", "public_transport"), 2),
    (
        "Kafé Kvarnen",
        "Göteborg",
        ("cafe", "catering", "cleaning"),
        ("hearing_loop", "quiet_room", "public_transport"),
        2,
    ),
    ("Kungälvs Djurgård", "Kungälv", ("animal_care", "gardening"), ("flexible_hours",), 1),
    ("Mjörnstrandens Kontorsservice", "Alingsås", ("office", "cleaning"), ("step_free", "quiet_room"), 2),
)

# (title, hours): the supervisor training of every region's cohort.
MODULES = (
    ("Socialt företagande", 16),
    ("Handledarskap och bemötande", 24),
    ("Arbetsrätt och arbetsmiljö", 12),
    ("Psykisk ohälsa och funktionsnedsättning", 16),
    ("Jämställdhet och 3R", 8),
)

GOALS = (
    "Komma igång med regelbundna arbetsdagar och pröva arbetsförmågan i en lugn miljö.",
    "Bygga upp uthålligheten till 20 timmar i veckan inför en anställning med lönebidrag.",
    "Pröva arbete i café och kök och få intyg om kunskaper i livsmedelshygien.",
    "Träna svenska i vardagliga arbetssituationer och bli tryggare i kontakten med kunder.",
    "Få struktur i vardagen och hitta rutiner som håller efter en lång sjukskrivning.",
    "Pröva lager- och logistikarbete och ta truckkort under placeringen.",
    "Komma tillbaka till arbetslivet efter ett missbruk, med stöd av handledare och en tydlig plan.",
    "Hitta en inriktning för fortsatta studier genom att pröva flera olika arbetsuppgifter.",
    "Öka självförtroendet och få en aktuell referens inför kommande arbetsansökningar.",
    "Arbeta i trädgård och grönyteskötsel och ta reda på om det kan bli ett framtida yrke.",
    "Pröva arbete med djur i en lugn miljö med anpassade arbetstider.",
    "Kartlägga vilka anpassningar som behövs för att klara ett arbete på deltid.",
)

DECLINE_NOTES = {
    "no_capacity": "Alla platser är tillsatta till efter sommaren.",
    "poor_match": "Vi har inga arbetsuppgifter som passar de önskemål som anges.",
    "timing": "Vi kan ta emot någon först om sex veckor.",
    "accessibility": "Arbetet finns på övervåningen och lokalen saknar hiss.",
    "other": "Handledaren är föräldraledig under perioden.",
}

WITHDRAW_NOTES = (
    "Deltagaren har fått ett arbete på egen hand.",
    "Deltagaren vill avvakta av hälsoskäl.",
    "Deltagaren har flyttat från regionen.",
    "Remissen var registrerad två gånger.",
)

DISCONTINUE_NOTES = (
    "Avbrutet på deltagarens begäran efter en period av ökad ohälsa; ny planering görs med handläggaren.",
    "Arbetsuppgifterna gick inte att anpassa till deltagarens behov.",
    "Deltagaren påbörjar behandling på heltid och återkommer när hen är redo.",
)

OUTCOME_NOTES = {
    "employment": "Anställd med lönebidrag i kooperativet.",
    "education": "Börjar på vuxenutbildningen nästa termin.",
    "job_seeking": "Söker arbete med stöd från Arbetsförmedlingen.",
    "other": "Fortsatt rehabilitering i samverkan med vården.",
}
