"""Moldova's 35 second-level units and the starting nomenclature of social services (DESIGN.md §7).

District codes are ISO 3166-2:MD; service type codes are ours and stable. Names keep their diacritics.
"""

from __future__ import annotations

from typing import NamedTuple


class Label(NamedTuple):
    code: str
    ro: str
    ru: str
    en: str


DISTRICTS: tuple[Label, ...] = (
    Label("MD-AN", "Anenii Noi", "Новые Анены", "Anenii Noi"),
    Label("MD-BS", "Basarabeasca", "Бессарабка", "Basarabeasca"),
    Label("MD-BR", "Briceni", "Бричаны", "Briceni"),
    Label("MD-CA", "Cahul", "Кагул", "Cahul"),
    Label("MD-CT", "Cantemir", "Кантемир", "Cantemir"),
    Label("MD-CL", "Călărași", "Калараш", "Calarasi"),
    Label("MD-CS", "Căușeni", "Каушаны", "Causeni"),
    Label("MD-CM", "Cimișlia", "Чимишлия", "Cimislia"),
    Label("MD-CR", "Criuleni", "Криуляны", "Criuleni"),
    Label("MD-DO", "Dondușeni", "Дондюшаны", "Donduseni"),
    Label("MD-DR", "Drochia", "Дрокия", "Drochia"),
    Label("MD-DU", "Dubăsari", "Дубоссары", "Dubasari"),
    Label("MD-ED", "Edineț", "Единец", "Edinet"),
    Label("MD-FA", "Fălești", "Фалешты", "Falesti"),
    Label("MD-FL", "Florești", "Флорешты", "Floresti"),
    Label("MD-GL", "Glodeni", "Глодяны", "Glodeni"),
    Label("MD-HI", "Hîncești", "Хынчешты", "Hincesti"),
    Label("MD-IA", "Ialoveni", "Яловены", "Ialoveni"),
    Label("MD-LE", "Leova", "Леова", "Leova"),
    Label("MD-NI", "Nisporeni", "Ниспорены", "Nisporeni"),
    Label("MD-OC", "Ocnița", "Окница", "Ocnita"),
    Label("MD-OR", "Orhei", "Орхей", "Orhei"),
    Label("MD-RE", "Rezina", "Резина", "Rezina"),
    Label("MD-RI", "Rîșcani", "Рышканы", "Riscani"),
    Label("MD-SI", "Sîngerei", "Сынжерей", "Singerei"),
    Label("MD-SO", "Soroca", "Сороки", "Soroca"),
    Label("MD-ST", "Strășeni", "Страшены", "Straseni"),
    Label("MD-SD", "Șoldănești", "Шолданешты", "Soldanesti"),
    Label("MD-SV", "Ștefan Vodă", "Штефан-Водэ", "Stefan Voda"),
    Label("MD-TA", "Taraclia", "Тараклия", "Taraclia"),
    Label("MD-TE", "Telenești", "Теленешты", "Telenesti"),
    Label("MD-UN", "Ungheni", "Унгены", "Ungheni"),
    Label("MD-CU", "Chișinău", "Кишинёв", "Chisinau"),
    Label("MD-BA", "Bălți", "Бельцы", "Balti"),
    Label("MD-GA", "Găgăuzia", "Гагаузия", "Gagauzia"),
)

SERVICE_TYPES: tuple[Label, ...] = (
    Label("personal-assistance", "Asistență personală", "Персональная помощь", "Personal assistance"),
    Label("home-care", "Îngrijire socială la domiciliu", "Социальный уход на дому", "Home care"),
    Label("day-centre", "Centru de zi", "Дневной центр", "Day centre"),
    Label("respite-care", "Servicii de răgaz", "Услуги временной передышки", "Respite care"),
    Label("protected-housing", "Locuință protejată", "Защищённое жильё", "Protected housing"),
    Label("community-home", "Casă comunitară", "Общинный дом", "Community home"),
    Label("mobile-team", "Echipă mobilă", "Мобильная бригада", "Mobile team"),
    Label(
        "professional-foster-care",
        "Asistență parentală profesionistă",
        "Профессиональная родительская опека",
        "Professional foster care",
    ),
    Label(
        "family-type-home",
        "Casă de copii de tip familial",
        "Детский дом семейного типа",
        "Family-type children's home",
    ),
    Label("social-canteen", "Cantină socială", "Социальная столовая", "Social canteen"),
    Label("maternal-centre", "Centru maternal", "Материнский центр", "Maternal centre"),
    Label("temporary-placement", "Plasament temporar", "Временное размещение", "Temporary placement"),
)


class AuthoritySeed(NamedTuple):
    district_code: str
    name: str
    address: str


def _raion_department(district: Label) -> AuthoritySeed:
    seat = "s. Cocieri" if district.code == "MD-DU" else f"or. {district.ro}"
    name = f"Direcția Asistență Socială și Protecție a Familiei {district.ro}"
    return AuthoritySeed(district.code, name, f"{seat}, r-nul {district.ro}")


_MUNICIPAL_DEPARTMENTS = {
    "MD-CU": AuthoritySeed("MD-CU", "Direcția generală asistență socială și sănătate Chișinău", "mun. Chișinău"),
    "MD-BA": AuthoritySeed("MD-BA", "Direcția Asistență Socială și Protecție a Familiei Bălți", "mun. Bălți"),
    "MD-GA": AuthoritySeed(
        "MD-GA", "Direcția principală asistență socială și protecție a familiei a UTA Găgăuzia", "mun. Comrat"
    ),
}

# One social assistance department per district; contacts are left for the departments to fill in.
AUTHORITIES: tuple[AuthoritySeed, ...] = tuple(
    _MUNICIPAL_DEPARTMENTS.get(district.code) or _raion_department(district) for district in DISTRICTS
)
