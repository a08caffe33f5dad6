"""One "full name" cell split into surname, given name and patronymic, and which order it was written in.

The official order (ФИО, Аты-жөні) is surname first, and that is the default. But sign-up forms in
English, and many people typing quickly in any script, write the given name first ("Zhanna Abenova",
"Айгүл Омарова"); stored surname-first, such a member would be filed under her given name. A
whole-sheet rule by header language would be wrong for half the rows either way, so each cell is read
on its own evidence:

- one word in capitals is the surname ("Given SURNAME", "SURNAME Given");
- otherwise, when only the *last* word ends like a surname (-ов/-ова/-ев/-ева/-ский/-ская/-ұлы/-қызы
  and their Latin forms) and the first does not, the name was written given-first. With three words the
  middle one must then look like a patronymic ("Alibek Nursultanovich Omarov").

Endings shared with given names (-ин/-ина: Марина, Кристина) are not evidence. When the evidence is
absent or points both ways, the official order stands. ``split_full_name_order`` says whether the
order was turned, so the importer can report it (issue ``name.order_guessed``).
"""

from __future__ import annotations

from partyledger.ledger.cleaning.normalize import clean_name, clean_text

PATRONYMIC_WORDS = frozenset({"ұлы", "улы", "қызы", "кызы", "оглы", "гызы", "уулу",
                              "uly", "uli", "kyzy", "qyzy", "kizi", "ogly", "ogli", "gyzy", "uulu"})
_SURNAME_ENDINGS = ("ов", "ова", "ев", "ева", "ёв", "ёва", "ский", "ская", "цкий", "цкая", "ұлы", "қызы", "улы",
                    "кызы", "ov", "ova", "ev", "eva", "yev", "yeva", "sky", "skiy", "skii", "skaya", "uly", "kyzy",
                    "uli", "qyzy")
_PATRONYMIC_ENDINGS = ("ович", "евич", "ьич", "овна", "евна", "ична", "инична", "ұлы", "қызы", "улы", "кызы",
                       "ovich", "evich", "yevich", "ovna", "evna", "yevna", "ichna", "uly", "kyzy", "uli", "qyzy")


def _ends_with(word: str, endings: tuple[str, ...]) -> bool:
    """``word`` ends with one of ``endings`` and has at least two letters before it ("Лев", "Eva" do not count)."""
    low = word.lower()
    if not low.endswith(endings):          # most words: one C call instead of one per ending
        return False
    return any(low.endswith(e) and len(low) >= len(e) + 2 for e in endings)


def looks_like_surname(word: str) -> bool:
    return _ends_with(word, _SURNAME_ENDINGS)


def _written_given_first(words: list[str]) -> bool:
    first, last = words[0], words[-1]
    if not looks_like_surname(last) or looks_like_surname(first):
        return False
    if len(words) == 2:
        return True
    return len(words) == 3 and _ends_with(words[1], _PATRONYMIC_ENDINGS)


def split_full_name_order(text: object) -> tuple[str | None, str | None, str | None, bool]:
    """(surname, given name, patronymic, turned): ``turned`` when the cell was read as given name first."""
    cleaned = clean_text(text)
    if cleaned is None:
        return None, None, None, False
    if "," in cleaned:                      # "Фамилия, Имя Отчество": the comma marks the surname
        head, _, tail = cleaned.partition(",")
        rest = tail.replace(",", " ").split()
        surname = head.strip() or None
        return (clean_name(surname), clean_name(rest[0]) if rest else None,
                clean_name(" ".join(rest[1:])) if len(rest) > 1 else None, False)
    words = cleaned.split(" ")
    if len(words) >= 3 and words[-1].lower() in PATRONYMIC_WORDS:
        words[-2:] = [words[-2] + " " + words[-1]]          # "Нұрсұлтан ұлы" is one patronymic
    turned = False
    capitals = [i for i, w in enumerate(words) if len(w) > 1 and w.isupper()]
    if len(capitals) == 1 and len(words) > 1:
        words.insert(0, words.pop(capitals[0]))
    elif len(words) in (2, 3) and _written_given_first(words):
        words.insert(0, words.pop())
        turned = True
    surname = words[0]
    given = words[1] if len(words) > 1 else None
    patronymic = " ".join(words[2:]) or None
    return clean_name(surname), clean_name(given), clean_name(patronymic), turned


def split_full_name(text: object) -> tuple[str | None, str | None, str | None]:
    """One ФИО cell to (surname, given name, patronymic), each tidied by ``clean_name``.

    "Фамилия Имя Отчество" (the official order); "Фамилия, Имя Отчество"; "Given SURNAME" and
    "SURNAME Given" (the one word in capitals is the surname); "Zhanna Abenova" and "Alibek
    Nursultanovich Omarov" (given first, told by the surname's ending); a Kazakh patronymic written as
    two words ("Нұрсұлтан ұлы", "Bolat kyzy") stays one patronymic.
    """
    return split_full_name_order(text)[:3]
