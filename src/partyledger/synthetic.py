"""Synthetic people for samples, tests, benchmarks and the demo. Never real data.

IINs are built from made-up birth dates and serials with a valid two-pass check digit, so they look
like real IINs without belonging to anyone we know of. Names are common Kazakh and Russian names in
Cyrillic. ``messy_*`` helpers write a value the way volunteers type it into a sign-up sheet.

Everything is driven by a ``random.Random`` seed, so files made from it are reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

# code -> (Russian, Kazakh, English, centre); spellings people use, for generated sheets only.
UNIT_NAMES: dict[str, tuple[str, str, str, str]] = {
    "10": ("область Абай", "Абай облысы", "Abai Region", "Семей"),
    "11": ("Акмолинская область", "Ақмола облысы", "Akmola Region", "Кокшетау"),
    "15": ("Актюбинская область", "Ақтөбе облысы", "Aktobe Region", "Актобе"),
    "19": ("Алматинская область", "Алматы облысы", "Almaty Region", "Конаев"),
    "23": ("Атырауская область", "Атырау облысы", "Atyrau Region", "Атырау"),
    "27": ("Западно-Казахстанская область", "Батыс Қазақстан облысы", "West Kazakhstan Region", "Уральск"),
    "31": ("Жамбылская область", "Жамбыл облысы", "Zhambyl Region", "Тараз"),
    "33": ("область Жетісу", "Жетісу облысы", "Jetisu Region", "Талдыкорган"),
    "35": ("Карагандинская область", "Қарағанды облысы", "Karaganda Region", "Караганда"),
    "39": ("Костанайская область", "Қостанай облысы", "Kostanay Region", "Костанай"),
    "43": ("Кызылординская область", "Қызылорда облысы", "Kyzylorda Region", "Кызылорда"),
    "47": ("Мангистауская область", "Маңғыстау облысы", "Mangystau Region", "Актау"),
    "55": ("Павлодарская область", "Павлодар облысы", "Pavlodar Region", "Павлодар"),
    "59": ("Северо-Казахстанская область", "Солтүстік Қазақстан облысы", "North Kazakhstan Region", "Петропавловск"),
    "61": ("Туркестанская область", "Түркістан облысы", "Turkistan Region", "Туркестан"),
    "62": ("область Ұлытау", "Ұлытау облысы", "Ulytau Region", "Жезказган"),
    "63": ("Восточно-Казахстанская область", "Шығыс Қазақстан облысы", "East Kazakhstan Region", "Усть-Каменогорск"),
    "71": ("Астана", "Астана", "Astana", "Астана"),
    "75": ("Алматы", "Алматы", "Almaty", "Алматы"),
    "79": ("Шымкент", "Шымкент", "Shymkent", "Шымкент"),
}

KZ_MALE = ["Әлібек", "Нұрлан", "Ерлан", "Асқар", "Бауыржан", "Дәурен", "Ғалым", "Қайрат", "Серік",
           "Жандос", "Мұрат", "Ержан", "Талғат", "Арман", "Дархан", "Айдос", "Нұрсұлтан", "Ербол"]
KZ_FEMALE = ["Әйгерім", "Гүлнар", "Жанар", "Ақбота", "Динара", "Салтанат", "Айгүл", "Меруерт",
             "Гүлжан", "Назерке", "Жансая", "Құралай", "Аружан", "Айжан", "Балжан", "Мөлдір"]
KZ_SURNAME_ROOTS = ["Нұрланов", "Сейітқали", "Жұмабаев", "Омаров", "Тоқтаров", "Әбдірахманов",
                    "Қасымов", "Серікбаев", "Бекмұхамбетов", "Ахметов", "Ермеков", "Сәтбаев",
                    "Құнанбаев", "Мұхамеджанов", "Төлеуов", "Байжанов", "Ысқақов", "Оспанов"]
RU_MALE = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Николай", "Юрий", "Артём",
           "Евгений", "Виктор", "Игорь", "Михаил"]
RU_FEMALE = ["Елена", "Ольга", "Наталья", "Татьяна", "Юлия", "Ирина", "Светлана", "Анна", "Мария",
             "Екатерина", "Людмила", "Жанна"]
RU_SURNAMES = ["Иванов", "Ковалёв", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
               "Новиков", "Фёдоров", "Морозов", "Волков", "Хасанов", "Шевченко", "Ким", "Цой"]

MOBILE_PREFIXES = ["700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"]


def iin_check_digit(first11: str) -> int | None:
    """Two-pass mod-11 check digit; None when both passes give 10 (no such IIN is issued)."""
    digits = [int(c) for c in first11]
    k = sum(d * w for d, w in zip(digits, range(1, 12))) % 11
    if k == 10:
        k = sum(d * w for d, w in zip(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])) % 11
        if k == 10:
            return None
    return k


def synthetic_iin(birth_date: date, sex: str, rng: random.Random) -> str:
    """A checksum-valid IIN for a made-up person (serial drawn until a check digit exists)."""
    century = (birth_date.year - 1800) // 100          # 0 for 1800s, 1 for 1900s, 2 for 2000s
    digit7 = 2 * century + (1 if sex == "M" else 2)
    head = f"{birth_date:%y%m%d}{digit7}"
    while True:
        first11 = head + f"{rng.randrange(10000):04d}"
        check = iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)


@dataclass(frozen=True)
class Person:
    iin: str
    surname: str
    given_name: str
    patronymic: str | None
    birth_date: date
    sex: str
    unit_code: str
    locality: str
    phone: str            # E.164
    joined_on: date
    address: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


def _feminine(surname: str) -> str:
    for ending, fem in (("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("ин", "ина")):
        if surname.endswith(ending):
            return surname + "а"
    return surname


# Russian patronymics are irregular enough to list: (male, female) from the father's name.
RU_PATRONYMICS = {
    "Александр": ("Александрович", "Александровна"), "Сергей": ("Сергеевич", "Сергеевна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"), "Андрей": ("Андреевич", "Андреевна"),
    "Алексей": ("Алексеевич", "Алексеевна"), "Николай": ("Николаевич", "Николаевна"),
    "Юрий": ("Юрьевич", "Юрьевна"), "Артём": ("Артёмович", "Артёмовна"),
    "Евгений": ("Евгеньевич", "Евгеньевна"), "Виктор": ("Викторович", "Викторовна"),
    "Игорь": ("Игоревич", "Игоревна"), "Михаил": ("Михайлович", "Михайловна"),
}


def _patronymic(rng: random.Random, sex: str, kazakh: bool) -> str | None:
    if rng.random() < 0.08:
        return None
    if kazakh:
        father = rng.choice(KZ_MALE)
        if rng.random() < 0.5:
            return father + ("ұлы" if sex == "M" else "қызы")
        return father + ("ович" if sex == "M" else "овна")
    male, female = RU_PATRONYMICS[rng.choice(RU_MALE)]
    return male if sex == "M" else female


def make_person(rng: random.Random, *, as_of: date, unit_code: str | None = None,
                min_age: int = 16, max_age: int = 80) -> Person:
    sex = rng.choice("MF")
    kazakh = rng.random() < 0.7
    if kazakh:
        given = rng.choice(KZ_MALE if sex == "M" else KZ_FEMALE)
        surname = rng.choice(KZ_SURNAME_ROOTS)
    else:
        given = rng.choice(RU_MALE if sex == "M" else RU_FEMALE)
        surname = rng.choice(RU_SURNAMES)
    if sex == "F":
        surname = _feminine(surname)
    age_days = rng.randrange(min_age * 365 + 5, max_age * 365)
    birth = as_of - timedelta(days=age_days)
    unit = unit_code or rng.choice(list(UNIT_NAMES))
    phone = "+7" + rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    joined = as_of - timedelta(days=rng.randrange(0, 400))
    street = rng.choice(["ул. Абая", "пр. Республики", "ул. Сатпаева", "мкр. Самал", "ул. Толе би"])
    return Person(iin=synthetic_iin(birth, sex, rng), surname=surname, given_name=given,
                  patronymic=_patronymic(rng, sex, kazakh), birth_date=birth, sex=sex, unit_code=unit,
                  locality=UNIT_NAMES[unit][3], phone=phone, joined_on=joined,
                  address=f"{street}, {rng.randrange(1, 200)}, кв. {rng.randrange(1, 120)}")


def make_people(n: int, *, seed: int = 42, as_of: date = date(2026, 11, 1),
                unit_weights: dict[str, float] | None = None) -> list[Person]:
    """``n`` distinct people (unique IINs), spread over the 20 units (optionally weighted)."""
    rng = random.Random(seed)
    units = list(unit_weights or UNIT_NAMES)
    weights = [unit_weights[u] for u in units] if unit_weights else None
    seen: set[str] = set()
    people: list[Person] = []
    while len(people) < n:
        unit = rng.choices(units, weights)[0] if weights else rng.choice(units)
        person = make_person(rng, as_of=as_of, unit_code=unit)
        if person.iin not in seen:
            seen.add(person.iin)
            people.append(person)
    return people


# ---- how volunteers write things ------------------------------------------------------------

def messy_phone(e164: str, rng: random.Random) -> str:
    n = e164[2:]
    forms = [f"+7 {n[:3]} {n[3:6]} {n[6:8]} {n[8:]}", f"8 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
             f"8{n}", f"+7{n}", f"8 {n[:3]} {n[3:6]} {n[6:]}", f"+7 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
             f"7{n}", f"8-{n[:3]}-{n[3:6]}-{n[6:8]}-{n[8:]}", n]
    return rng.choice(forms)


def messy_date(d: date, rng: random.Random) -> str:
    forms = [f"{d:%d.%m.%Y}", f"{d.day}.{d.month}.{d.year}", f"{d:%Y-%m-%d}", f"{d:%d/%m/%Y}",
             f"{d.day}/{d.month}/{d.year}", f"{d:%d.%m.%Y} г."]
    return rng.choice(forms)


def messy_region(unit_code: str, rng: random.Random) -> str:
    ru, kk, en, _centre = UNIT_NAMES[unit_code]
    forms = [ru, kk, en, ru.lower(), ru.upper(), ru.replace("область", "обл."), kk.replace("облысы", "обл.")]
    return rng.choice(forms)


def messy_name(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return text.upper()
    if roll < 0.2:
        return text.lower()
    if roll < 0.3:
        return f"  {text}\u00a0"
    return text


def with_changes(person: Person, **changes: object) -> Person:
    return replace(person, **changes)
