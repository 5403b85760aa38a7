"""Each social service type's checklist of minimum quality standards, answered in every monitoring report.

Moldova's Government approves, for each social service, a framework regulation ("Regulament-cadru") together with
its minimum quality standards ("Standardele minime de calitate"); a provider is accredited and monitored against
them. Each checklist below condenses its regulation into the few standards a monitoring report can answer for a
period (met / partly / not met, with a note); ``source`` names the regulation. Where the decision's number and date
were checked against the published act they are given; otherwise the regulation is named by its title only.

Codes are ours and stable: reports store them and the observatory counts them, so an item is never renumbered;
a changed regulation adds codes. A service type with no checklist here (operators can add service types to the
nomenclature) gets the generic one, drawn from Law 123/2010 on social services.
"""

from __future__ import annotations

from typing import NamedTuple

from services.common.reference_data import LANGUAGES

STATUSES = ("met", "partly", "not_met")
MET = "met"
GENERIC = "generic"


class Standard(NamedTuple):
    code: str
    ro: str
    ru: str
    en: str

    def name(self, language: str = "ro") -> str:
        return getattr(self, language if language in LANGUAGES else "ro")


class Checklist(NamedTuple):
    service_type: str  # ``GENERIC`` for the fallback
    source: str  # the regulation's title as published (in Romanian)
    standards: tuple[Standard, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(standard.code for standard in self.standards)


def _standard(code: str, ro: str, ru: str, en: str) -> Standard:
    return Standard(code, ro, ru, en)


# Items shared by most regulations, re-coded per service so each checklist stays stable on its own.
def _assessment(prefix: str, number: int) -> Standard:
    return _standard(
        f"{prefix}-{number:02d}",
        "Nevoile fiecărui beneficiar sunt evaluate și există un plan individual, revizuit la termen",
        "Потребности каждого получателя оценены, есть индивидуальный план, пересмотренный в срок",
        "Each beneficiary's needs are assessed and an individual plan exists, reviewed on time",
    )


def _rights(prefix: str, number: int) -> Standard:
    return _standard(
        f"{prefix}-{number:02d}",
        "Drepturile, demnitatea și confidențialitatea beneficiarilor sunt respectate",
        "Соблюдаются права, достоинство и конфиденциальность получателей",
        "Beneficiaries' rights, dignity and confidentiality are respected",
    )


def _protection(prefix: str, number: int) -> Standard:
    return _standard(
        f"{prefix}-{number:02d}",
        "Beneficiarii sunt protejați de abuz și neglijare; sesizările și plângerile sunt înregistrate și soluționate",
        "Получатели защищены от насилия и пренебрежения; обращения и жалобы регистрируются и рассматриваются",
        "Beneficiaries are protected from abuse and neglect; reports and complaints are recorded and dealt with",
    )


def _staff(prefix: str, number: int) -> Standard:
    return _standard(
        f"{prefix}-{number:02d}",
        "Personalul are calificarea cerută, este instruit și beneficiază de supervizare",
        "Персонал имеет требуемую квалификацию, проходит обучение и супервизию",
        "Staff hold the required qualifications, are trained and receive supervision",
    )


def _premises(prefix: str, number: int) -> Standard:
    return _standard(
        f"{prefix}-{number:02d}",
        "Spațiile sunt sigure, accesibile și corespund normelor sanitare și antiincendiare",
        "Помещения безопасны, доступны и соответствуют санитарным и противопожарным нормам",
        "Premises are safe, accessible and meet sanitary and fire-safety rules",
    )


def _records(prefix: str, number: int) -> Standard:
    return _standard(
        f"{prefix}-{number:02d}",
        "Dosarele beneficiarilor și evidența serviciilor prestate sunt complete și la zi",
        "Дела получателей и учёт оказанных услуг полны и актуальны",
        "Beneficiaries' files and the record of services delivered are complete and up to date",
    )


CHECKLISTS: tuple[Checklist, ...] = (
    Checklist(
        "personal-assistance",
        "Regulamentul-cadru privind organizarea și funcționarea Serviciului social „Asistență personală” "
        "și Standardele minime de calitate",
        (
            _assessment("PA", 1),
            _standard(
                "PA-02",
                "Asistentul personal acordă sprijinul zilnic prevăzut în plan, în programul stabilit",
                "Персональный ассистент оказывает ежедневную помощь по плану в установленном графике",
                "The personal assistant gives the daily support the plan sets, on the agreed schedule",
            ),
            _rights("PA", 3),
            _protection("PA", 4),
            _staff("PA", 5),
            _records("PA", 6),
        ),
    ),
    Checklist(
        "home-care",
        "Hotărârea Guvernului nr. 1034 din 31.12.2014 cu privire la aprobarea Regulamentului-cadru al Serviciului "
        "de îngrijire socială la domiciliu și a Standardelor minime de calitate",
        (
            _standard(
                "HC-01",
                "Serviciul este accesibil tuturor persoanelor eligibile din aria deservită",
                "Услуга доступна всем имеющим право лицам в обслуживаемой зоне",
                "The service is open to every eligible person in the area it serves",
            ),
            _assessment("HC", 2),
            _standard(
                "HC-03",
                "Vizitele la domiciliu au loc cu frecvența și durata prevăzute în plan",
                "Частота и продолжительность посещений на дому соответствуют плану",
                "Home visits take place as often and for as long as the plan sets",
            ),
            _rights("HC", 4),
            _protection("HC", 5),
            _staff("HC", 6),
            _records("HC", 7),
        ),
    ),
    Checklist(
        "day-centre",
        "Regulamentele-cadru ale centrelor de zi și Standardele minime de calitate (de exemplu, Hotărârea "
        "Guvernului nr. 441 din 17.07.2015 pentru Centrul de zi pentru copiii aflați în situație de risc)",
        (
            _assessment("DC", 1),
            _standard(
                "DC-02",
                "Programul zilnic de activități (educative, de socializare, de recuperare) "
                "se desfășoară conform planului",
                "Ежедневная программа занятий (обучающих, социализирующих, реабилитационных) проводится по плану",
                "The daily programme of activities (learning, social, rehabilitation) runs as planned",
            ),
            _standard(
                "DC-03",
                "Beneficiarii primesc masa și, unde e prevăzut, transportul",
                "Получатели обеспечены питанием и, где предусмотрено, транспортом",
                "Beneficiaries receive meals and, where provided for, transport",
            ),
            _rights("DC", 4),
            _protection("DC", 5),
            _staff("DC", 6),
            _premises("DC", 7),
        ),
    ),
    Checklist(
        "respite-care",
        "Regulamentul-cadru privind organizarea și funcționarea Serviciului social „Respiro” "
        "și Standardele minime de calitate",
        (
            _standard(
                "RC-01",
                "Plasamentul de răgaz respectă durata maximă stabilită și este convenit cu familia",
                "Временное размещение не превышает установленного срока; семья даёт на него согласие",
                "Each respite stay keeps to the maximum length set and is agreed with the family",
            ),
            _assessment("RC", 2),
            _standard(
                "RC-03",
                "Beneficiarii primesc îngrijire, alimentație și activități adaptate pe durata șederii",
                "Получатели в период пребывания получают уход, питание и подходящие им занятия",
                "Beneficiaries receive care, meals and suitable activities during their stay",
            ),
            _rights("RC", 4),
            _protection("RC", 5),
            _staff("RC", 6),
            _premises("RC", 7),
        ),
    ),
    Checklist(
        "protected-housing",
        "Regulamentul-cadru privind organizarea și funcționarea Serviciului social „Locuință protejată” "
        "și Standardele minime de calitate",
        (
            _assessment("PH", 1),
            _standard(
                "PH-02",
                "Beneficiarii își dezvoltă deprinderile de viață independentă, cu sprijinul prevăzut în plan",
                "Получатели развивают навыки самостоятельной жизни при поддержке, предусмотренной планом",
                "Beneficiaries build independent-living skills with the support their plan sets",
            ),
            _standard(
                "PH-03",
                "Beneficiarii sunt sprijiniți să participe la viața comunității și, unde e posibil, să se angajeze",
                "Получателям помогают участвовать в жизни сообщества и, где возможно, трудоустроиться",
                "Beneficiaries are helped to take part in community life and, where possible, to find work",
            ),
            _rights("PH", 4),
            _protection("PH", 5),
            _premises("PH", 6),
        ),
    ),
    Checklist(
        "community-home",
        "Hotărârea Guvernului nr. 885 din 28.12.2015 cu privire la aprobarea Regulamentului-cadru privind "
        "organizarea și funcționarea Serviciului social „Casa comunitară” și a Standardelor minime de calitate",
        (
            _assessment("CH", 1),
            _standard(
                "CH-02",
                "Beneficiarii primesc îngrijire și supraveghere permanentă, adaptate nevoilor lor",
                "Получатели получают постоянный уход и присмотр, соответствующие их потребностям",
                "Beneficiaries receive round-the-clock care and supervision suited to their needs",
            ),
            _standard(
                "CH-03",
                "Viața de zi cu zi este organizată ca într-o familie, cu participarea beneficiarilor la decizii",
                "Повседневная жизнь организована по-семейному; получатели участвуют в принятии решений",
                "Daily life is run as in a family, with beneficiaries taking part in decisions",
            ),
            _rights("CH", 4),
            _protection("CH", 5),
            _staff("CH", 6),
            _premises("CH", 7),
        ),
    ),
    Checklist(
        "mobile-team",
        "Regulamentul-cadru privind organizarea și funcționarea Serviciului social „Echipă mobilă” "
        "și Standardele minime de calitate",
        (
            _assessment("MT", 1),
            _standard(
                "MT-02",
                "Echipa efectuează intervențiile la domiciliu planificate, cu componența multidisciplinară cerută",
                "Бригада проводит плановые выезды на дом в требуемом междисциплинарном составе",
                "The team makes the planned home interventions with the required multidisciplinary members",
            ),
            _standard(
                "MT-03",
                "Familiile sau îngrijitorii sunt consiliați și instruiți să continue îngrijirea",
                "Семьи или опекуны получают консультации и обучение для продолжения ухода",
                "Families or carers are advised and trained to carry on the care",
            ),
            _rights("MT", 4),
            _protection("MT", 5),
            _records("MT", 6),
        ),
    ),
    Checklist(
        "professional-foster-care",
        "Regulamentul Serviciului de asistență parentală profesionistă și Standardele minime de calitate",
        (
            _standard(
                "FC-01",
                "Plasamentul copilului se face prin decizia autorității tutelare, cu plan individual de asistență",
                "Ребёнок размещается по решению органа опеки; для него составлен индивидуальный план помощи",
                "Each child is placed by the guardianship authority's decision, with an individual care plan",
            ),
            _standard(
                "FC-02",
                "Asistentul parental profesionist este atestat și instruit periodic",
                "Профессиональный родитель-воспитатель аттестован и регулярно проходит обучение",
                "The professional foster carer is certified and trained regularly",
            ),
            _standard(
                "FC-03",
                "Copilul are acces la educație, sănătate și menține legătura cu familia, unde e în interesul lui",
                "Ребёнок посещает школу, получает медицинскую помощь и поддерживает отношения в семье, "
                "если это отвечает интересам ребёнка",
                "The child goes to school, receives health care and keeps in touch with family where in their interest",
            ),
            _standard(
                "FC-04",
                "Plasamentul este monitorizat prin vizitele asistentului social și revizuit la termen",
                "Размещение контролируется визитами социального работника и пересматривается в срок",
                "The placement is monitored through the social worker's visits and reviewed on time",
            ),
            _protection("FC", 5),
        ),
    ),
    Checklist(
        "family-type-home",
        "Regulamentul casei de copii de tip familial și Standardele minime de calitate",
        (
            _standard(
                "FH-01",
                "Fiecare copil are un plan individual de îngrijire, revizuit la termen",
                "Каждый ребёнок имеет индивидуальный план ухода, пересматриваемый в срок",
                "Each child has an individual care plan, reviewed on time",
            ),
            _standard(
                "FH-02",
                "Părinții-educatori sunt instruiți și primesc sprijin și supervizare",
                "Родители-воспитатели обучены и получают поддержку и супервизию",
                "The parent-educators are trained and receive support and supervision",
            ),
            _standard(
                "FH-03",
                "Copiii au acces la educație, sănătate și activități de timp liber",
                "Дети имеют доступ к образованию, здравоохранению и досугу",
                "The children go to school, receive health care and have leisure activities",
            ),
            _standard(
                "FH-04",
                "Condițiile de trai ale casei corespund numărului și nevoilor copiilor",
                "Условия проживания в доме соответствуют числу и потребностям детей",
                "The home's living conditions suit the number and needs of the children",
            ),
            _protection("FH", 5),
        ),
    ),
    Checklist(
        "social-canteen",
        "Legea cu privire la cantinele de ajutor social și regulamentul-cadru al cantinei de ajutor social",
        (
            _standard(
                "SC-01",
                "Beneficiarii sunt admiși pe baza evaluării și a deciziei structurii de asistență socială",
                "Получатели допускаются на основании оценки и решения органа социальной помощи",
                "Beneficiaries are admitted on assessment and the social assistance body's decision",
            ),
            _standard(
                "SC-02",
                "Mesele sunt servite zilnic, cu rația și valoarea nutritivă stabilite",
                "Ежедневное питание соответствует установленной норме и пищевой ценности",
                "Meals are served daily with the set ration and nutritional value",
            ),
            _standard(
                "SC-03",
                "Persoanele care nu se pot deplasa primesc hrana la domiciliu",
                "Лицам, которые не могут передвигаться, питание доставляется на дом",
                "People who cannot travel have their meals delivered at home",
            ),
            _premises("SC", 4),
            _records("SC", 5),
        ),
    ),
    Checklist(
        "maternal-centre",
        "Regulamentul-cadru privind organizarea și funcționarea Centrului maternal și Standardele minime de calitate",
        (
            _assessment("MC", 1),
            _standard(
                "MC-02",
                "Mama și copilul primesc găzduire, îngrijire și consiliere pe durata stabilită",
                "Мать и ребёнок получают проживание, уход и консультирование в течение установленного срока",
                "Mother and child receive accommodation, care and counselling for the set period",
            ),
            _standard(
                "MC-03",
                "Mama este sprijinită să-și dezvolte abilitățile parentale și să se reintegreze "
                "în familie sau comunitate",
                "Матери помогают развивать родительские навыки и вернуться в семью или сообщество",
                "The mother is helped to build parenting skills and to return to her family or community",
            ),
            _rights("MC", 4),
            _protection("MC", 5),
            _premises("MC", 6),
        ),
    ),
    Checklist(
        "temporary-placement",
        "Regulamentul-cadru al serviciului de plasament temporar și Standardele minime de calitate",
        (
            _standard(
                "TP-01",
                "Plasamentul se face pe baza deciziei autorității competente și nu depășește durata stabilită",
                "Размещение осуществляется по решению компетентного органа и не превышает установленного срока",
                "Each placement rests on the competent authority's decision and keeps to the set length",
            ),
            _assessment("TP", 2),
            _standard(
                "TP-03",
                "Se lucrează pentru reintegrarea beneficiarului în familie sau pentru o soluție permanentă",
                "Ведётся работа по возвращению получателя в семью или по поиску постоянного решения",
                "Work is done to return the beneficiary to their family or find a permanent solution",
            ),
            _rights("TP", 4),
            _protection("TP", 5),
            _premises("TP", 6),
        ),
    ),
)

GENERIC_CHECKLIST = Checklist(
    GENERIC,
    "Legea nr. 123 din 18.06.2010 cu privire la serviciile sociale (principiile generale de calitate)",
    (
        _assessment("GEN", 1),
        _rights("GEN", 2),
        _protection("GEN", 3),
        _staff("GEN", 4),
        _records("GEN", 5),
    ),
)

_BY_SERVICE = {checklist.service_type: checklist for checklist in CHECKLISTS}


def checklist_for(service_type: str | None) -> Checklist:
    """The service type's checklist; the generic one for a type the nomenclature gained later (or none)."""
    return _BY_SERVICE.get(service_type or "", GENERIC_CHECKLIST)


def standard_name(code: str, language: str = "ro") -> str:
    """A standard's name in the language, whichever checklist it belongs to; an unknown code as it came."""
    for checklist in (*CHECKLISTS, GENERIC_CHECKLIST):
        for standard in checklist.standards:
            if standard.code == code:
                return standard.name(language)
    return code
