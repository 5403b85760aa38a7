"""Moldova's 35 second-level units and the starting nomenclature of social services, named in ro, ru and en.

Static reference data (DESIGN.md §7), shared by the services that name them: the registry seeds its tables from
it, notifications words its notices with it. District codes are ISO 3166-2:MD; service type codes are ours and
stable. Names keep their diacritics.
"""

from __future__ import annotations

from typing import NamedTuple

LANGUAGES = ("ro", "ru", "en")


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

_DISTRICTS = {label.code: label for label in DISTRICTS}
_SERVICE_TYPES = {label.code: label for label in SERVICE_TYPES}


def district_name(code: str, language: str = "ro") -> str:
    """The district's name in the language (Romanian for an unknown language); an unknown code as it came."""
    return _name(_DISTRICTS, code, language)


def service_name(code: str, language: str = "ro") -> str:
    """The social service's name in the language; an unknown code as it came."""
    return _name(_SERVICE_TYPES, code, language)


def _name(table: dict[str, Label], code, language: str) -> str:
    label = table.get(code) if isinstance(code, str) else None
    if label is None:
        return "" if code is None else str(code)
    return getattr(label, language if language in LANGUAGES else "ro")
