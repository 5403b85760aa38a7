"""Who takes part in the demo round: districts, CSOs with their accreditations, authorities and evaluators.

Twenty CSOs, some accredited for other services or districts and some with expired accreditations, so that
eligibility at opening has real work to do. IDNOs are fictitious but well formed (13 digits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

TODAY = date.today()
VALID = (TODAY - timedelta(days=400), TODAY + timedelta(days=4 * 365))
EXPIRED = (TODAY - timedelta(days=5 * 365), TODAY - timedelta(days=30))
BODY = "Agenția Națională pentru Asistență Socială"


@dataclass(frozen=True)
class Cso:
    key: str
    idno: str
    name: str
    districts: tuple[str, ...]
    accreditations: tuple[tuple[str, tuple[date, date]], ...]
    email: str = field(default="")

    @property
    def contact(self) -> str:
        return self.email or f"office@{self.key}.md"


CSOS: tuple[Cso, ...] = (
    Cso("speranta", "1003600011111", "AO Casa Speranței", ("MD-CU",), (("home-care", VALID),)),
    Cso("concordia", "1003600022222", "AO Concordia. Proiecte Sociale", ("MD-CU", "MD-OR"), (("home-care", VALID),)),
    Cso("homecare", "1003600033333", "AO Home Care Moldova", ("MD-CU", "MD-IA"), (("home-care", VALID),)),
    Cso("diaconia", "1003600044444", "AO Diaconia", ("MD-BA",), (("day-centre", EXPIRED),)),
    Cso("somato", "1003600055555", "AO Somato", ("MD-CU",), (("day-centre", VALID),)),
    Cso("motivatie", "1003600066666", "AO Motivație", ("MD-OR",), (("respite-care", VALID),)),
    Cso("keystone", "1003600077777", "AO Keystone Moldova", ("MD-OR", "MD-RE"), (("respite-care", VALID),)),
    Cso("caritas", "1003600088888", "AO Caritas Moldova", ("MD-CU", "MD-BA"), (("social-canteen", VALID),)),
    Cso("lumos", "1003600099999", "AO Lumos Moldova", ("MD-UN",), (("family-type-home", VALID),)),
    Cso("ceva", "1003600101010", "AO CCF Moldova", ("MD-CL",), (("professional-foster-care", VALID),)),
    Cso("alianta", "1003600121212", "AO Alianța Infonet", ("MD-SO",), (("mobile-team", VALID),)),
    Cso("gagauz", "1003600131313", "AO Gagauz Yeri Sosial", ("MD-GA",), (("home-care", VALID), ("day-centre", VALID))),
    Cso("balti", "1003600141414", "AO Bălți Solidar", ("MD-BA",), (("home-care", EXPIRED),)),
    Cso("nord", "1003600151515", "AO Nord Asistență", ("MD-ED", "MD-BR"), (("personal-assistance", VALID),)),
    Cso("sud", "1003600161616", "AO Sud Îngrijire", ("MD-CA",), (("home-care", VALID),)),
    Cso("centru", "1003600171717", "AO Centrul de Zi Izvor", ("MD-HI",), (("day-centre", VALID),)),
    Cso("maternal", "1003600181818", "AO Centrul Maternal Pro Familia", ("MD-CU",), (("maternal-centre", VALID),)),
    Cso("protectie", "1003600191919", "AO Locuința Protejată", ("MD-ST",), (("protected-housing", VALID),)),
    Cso("echipa", "1003600202020", "AO Echipa Mobilă Orhei", ("MD-OR",), (("mobile-team", EXPIRED),)),
    Cso("ialoveni", "1003600212121", "AO Ialoveni pentru Vârstnici", ("MD-IA",), (("home-care", VALID),)),
)

# district -> the authority's e-mail (the demo logs in as each department)
AUTHORITIES = {"MD-CU": "das@chisinau.md", "MD-BA": "das@balti.md", "MD-OR": "das@orhei.md", "MD-IA": "das@ialoveni.md"}


def evaluator_emails(district: str) -> list[str]:
    """Three committee members per district (the minimum committee)."""
    slug = AUTHORITIES[district].split("@")[1].split(".")[0]
    return [f"evaluator{n}@{slug}.md" for n in range(1, 4)]


def cso(key: str) -> Cso:
    return next(c for c in CSOS if c.key == key)


# Reference costs per beneficiary (MDL per place per year): (service, district or "*" for national, amount, source).
# Seeded for this year and the next, before any call is published, so every demo call's lots carry one. Against the
# round's budgets (6,000 MDL per place per year, or 3,000 over the 24-month respite call): Chișinău's home care
# sits below its budget, Bălți's day centre (national value) and Orhei's respite care above it.
REFERENCE_COSTS: tuple[tuple[str, str, str, str], ...] = (
    ("home-care", "MD-CU", "5800.00", "Decizia Consiliului municipal Chișinău nr. 5/12 din {year_before}"),
    ("home-care", "*", "5200.00", "Hotărîrea Guvernului nr. 800 din {year_before} (costul mediu național)"),
    ("day-centre", "*", "7200.00", "Hotărîrea Guvernului nr. 800 din {year_before} (costul mediu național)"),
    ("respite-care", "MD-OR", "4200.00", "Decizia Consiliului raional Orhei nr. 3/7 din {year_before}"),
    ("respite-care", "*", "4600.00", "Hotărîrea Guvernului nr. 800 din {year_before} (costul mediu național)"),
)
