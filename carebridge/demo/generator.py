"""Carebridge's own synthetic-patient generator, for the demo clinic and for tests.

Everything here is made up from the lists below with a seeded `random.Random`, so the same seed
always gives the same people (only their birth dates move, so that their ages hold whatever the
day). No real person's data is used. Later generators (conditions, medications, results,
appointments) take the same `Draw` and a `PatientSpec`, so a demo record is reproducible too.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from carebridge.lib.dates import age_on

DEFAULT_SEED = 2026
EMAIL_DOMAIN = "demo.carebridge.test"


def listing(text: str) -> tuple[str, ...]:
    """A comma-separated list as a tuple, so long lists of names stay compact and readable."""
    return tuple(item.strip() for item in text.split(","))


GIVEN_NAMES_FEMALE = listing(
    "Amara, Beatrice, Chloe, Dalia, Eleanor, Fatima, Grace, Hannah, Imani, June, Keiko, "
    "Leah, Maeve, Nadia, Olivia, Priya, Rosa, Talia, Wren"
)
GIVEN_NAMES_MALE = listing(
    "Aaron, Bashir, Callum, Darius, Elliot, Felix, Gideon, Hiro, Isaac, Jonah, Kwame, "
    "Liam, Malik, Noah, Omar, Patrick, Rowan, Theo, Victor"
)
FAMILY_NAMES = listing(
    "Abbott, Adeyemi, Brennan, Castellano, Dubois, Eriksen, Fitzgerald, Goldberg, "
    "Halvorsen, Iwasaki, Jablonski, Kowalczyk, Lindqvist, Mbeki, Nakamura, O'Connell, "
    "Petrakis, Quinlan, Rasmussen, Sorensen, Thornton, Underwood, Varga, Whitfield, "
    "Yilmaz, Zielinski"
)
# Patients whose preferred language is Spanish draw from these lists.
SPANISH_GIVEN_NAMES_FEMALE = listing("Ana, Carmen, Inés, Lucía, María José, Sofía, Valeria")
SPANISH_GIVEN_NAMES_MALE = listing("Alejandro, Andrés, Diego, Javier, José, Mateo, Tomás")
SPANISH_FAMILY_NAMES = listing("Álvarez, Delgado, Fuentes, Herrera, Morales, Navarro, Peña")

STREETS = listing(
    "Alder Lane, Birch Hollow Road, Canal Street, Dogwood Court, Elm Terrace, Ferry Road, "
    "Granite Avenue, Harbor View Drive, Ironwood Way, Juniper Street, Kestrel Lane, "
    "Lantern Hill Road, Millrace Drive, North Bend Avenue, Orchard Row"
)
# (city, state, postal code): invented towns along an invented river.
CITIES = (
    ("Riverside", "NY", "12801"),
    ("Millbrook Falls", "NY", "12803"),
    ("East Alder", "NY", "12806"),
    ("Kestrel Point", "NY", "12809"),
    ("Harrow Junction", "VT", "05761"),
)
AREA_CODE = "518"


@dataclass(frozen=True)
class AgeBand:
    label: str
    youngest: int
    oldest: int


# Every age group the portal must handle well: a child a parent acts for, a teenager with
# confidential care, adults, and older adults whose caregivers help them.
AGE_BANDS = (
    AgeBand("child", 1, 11),
    AgeBand("teenager", 12, 17),
    AgeBand("young adult", 18, 39),
    AgeBand("adult", 40, 64),
    AgeBand("older adult", 65, 75),
    AgeBand("oldest adult", 76, 94),
)


@dataclass(frozen=True)
class PatientSpec:
    """One synthetic patient: everything needed to create a `patients.Patient`."""

    mrn: str
    given_name: str
    family_name: str
    birth_date: datetime.date
    sex: str
    phone: str
    address_line: str
    city: str
    state: str
    postal_code: str
    preferred_language: str
    email: str

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age(self, on: datetime.date) -> int:
        return age_on(self.birth_date, on)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: `María José` gives `mariajose`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed.lower() if char.isascii() and char.isalnum())


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (28 February for a 29 February without a match)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_date_for_age(rng: random.Random, age: int, today: datetime.date) -> datetime.date:
    """A random birth date on which someone is exactly `age` years old `today`."""
    latest = years_before(today, age)
    earliest = years_before(today, age + 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))


@dataclass
class Draw:
    """The state of one generation run: the seeded random source, the day ages are counted
    on, and the names and addresses already used (so every patient is distinct)."""

    rng: random.Random
    today: datetime.date
    used_names: set[tuple[str, str]] = field(default_factory=set)
    used_emails: set[str] = field(default_factory=set)


def pick_name(draw: Draw, sex: str, *, speaks_spanish: bool) -> tuple[str, str]:
    """A (given, family) name nobody in this run has yet."""
    if speaks_spanish:
        given = SPANISH_GIVEN_NAMES_FEMALE if sex == "female" else SPANISH_GIVEN_NAMES_MALE
        family = SPANISH_FAMILY_NAMES
    else:
        given = GIVEN_NAMES_FEMALE if sex == "female" else GIVEN_NAMES_MALE
        family = FAMILY_NAMES
    name = (draw.rng.choice(given), draw.rng.choice(family))
    while name in draw.used_names:
        name = (draw.rng.choice(given), draw.rng.choice(family))
    draw.used_names.add(name)
    return name


def fictional_phone(rng: random.Random) -> str:
    """A number in 555-0100 to 555-0199, the range kept for fiction."""
    return f"({AREA_CODE}) 555-01{rng.randint(0, 99):02d}"


def street_address(rng: random.Random) -> str:
    return f"{rng.randint(2, 1999)} {rng.choice(STREETS)}"


def email_for(given_name: str, family_name: str, taken: set[str]) -> str:
    """A unique address on the demo domain, numbered when the name is already used."""
    local = f"{ascii_slug(given_name)}.{ascii_slug(family_name)}"
    email, n = f"{local}@{EMAIL_DOMAIN}", 1
    while email in taken:
        n += 1
        email = f"{local}{n}@{EMAIL_DOMAIN}"
    taken.add(email)
    return email


def make_patient_spec(draw: Draw, *, mrn: str, band: AgeBand, speaks_spanish: bool) -> PatientSpec:
    """One patient in `band`; Spanish speakers get Spanish names and `es` as their language."""
    rng = draw.rng
    sex = rng.choice(("female", "male"))
    given_name, family_name = pick_name(draw, sex, speaks_spanish=speaks_spanish)
    city, state, postal_code = rng.choice(CITIES)
    return PatientSpec(
        mrn=mrn,
        given_name=given_name,
        family_name=family_name,
        birth_date=birth_date_for_age(rng, rng.randint(band.youngest, band.oldest), draw.today),
        sex=sex,
        phone=fictional_phone(rng),
        address_line=street_address(rng),
        city=city,
        state=state,
        postal_code=postal_code,
        preferred_language="es" if speaks_spanish else "en",
        email=email_for(given_name, family_name, draw.used_emails),
    )


def generate_patients(
    count: int = 12,
    *,
    seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
    mrn_prefix: str = "RFC",
    first_number: int = 20001,
) -> list[PatientSpec]:
    """`count` synthetic patients, the same for the same seed, spread across every age band.

    Patients take the age bands in turn, so any `count` of at least six covers a child, a
    teenager and someone over 75. Every fourth patient prefers Spanish.
    """
    draw = Draw(rng=random.Random(seed), today=today or datetime.date.today())
    return [
        make_patient_spec(
            draw,
            mrn=f"{mrn_prefix}-{first_number + index:05d}",
            band=AGE_BANDS[index % len(AGE_BANDS)],
            speaks_spanish=index % 4 == 3,
        )
        for index in range(count)
    ]
