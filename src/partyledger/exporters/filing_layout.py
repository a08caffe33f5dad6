"""The filing package's layout, in one place: sheet names and their order, column headings, widths, print setup.

The exact form the Ministry of Justice takes is NOT confirmed by the research (research/registration-law.md
section 3.1 and legal-audit.md: "the member-list form and its columns" [U]); the columns below follow the
research's expected field list (surname, given name, patronymic, birth date, IIN, ID document number and
date, residence, date joined, signature). When the ministry's form is known, change this module only:
``exporters/filing.py`` writes whatever is listed here, in this order.

Headings are Russian and Kazakh side by side ("Фамилия / Тегі"), whatever the interface language: these
are the state bodies' languages, and the file goes to a state body. Sheet names carry both too, within
Excel's 31 characters.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str          # the field ``exporters/filing.py`` fills (empty when the ledger does not keep it)
    heading: str      # "Русский / Қазақша"
    width: int


# who the person is and where they live: the same first columns on every list, so a clerk reads them alike
PERSON_COLUMNS: tuple[Column, ...] = (
    Column("no", "№ / №", 5),
    Column("surname", "Фамилия / Тегі", 16),
    Column("given_name", "Имя / Аты", 13),
    Column("patronymic", "Отчество / Әкесінің аты", 16),
    Column("birth_date", "Дата рождения / Туған күні", 11),
    Column("iin", "ИИН / ЖСН", 14),
    Column("unit", "Область, город / Облыс, қала", 18),
    Column("locality", "Населённый пункт / Елді мекен", 16),
)
# the clerk's check against the ID card and the person's own signature close every list
SIGN_OFF_COLUMNS: tuple[Column, ...] = (
    Column("check", "Проверить по удостоверению / Куәлік бойынша тексеру", 14),
    Column("signature", "Подпись / Қолы", 16),
)

MEMBER_COLUMNS: tuple[Column, ...] = PERSON_COLUMNS + (
    Column("address", "Адрес / Мекенжайы", 22),
    # not kept in the ledger: left empty, to be filled from the ID card (research: expected field, [U])
    Column("id_number", "№ удостоверения личности / Жеке куәлік №", 13),
    Column("id_date", "Дата выдачи / Берілген күні", 11),
    Column("application_ref", "№ заявления / Өтініш №", 10),
    Column("signed_on", "Дата заявления / Өтініш күні", 11),
    Column("joined_on", "Дата вступления / Партияға кірген күні", 11),
) + SIGN_OFF_COLUMNS

# the initiative group, the organising committee and the congress attendance: who they are and where
GROUP_COLUMNS: tuple[Column, ...] = PERSON_COLUMNS + (
    Column("since", "В составе с / Құрамында", 11),
) + SIGN_OFF_COLUMNS

ATTENDANCE_COLUMNS: tuple[Column, ...] = PERSON_COLUMNS + (
    Column("checked_in_at", "Время регистрации / Тіркелген уақыты", 16),
) + SIGN_OFF_COLUMNS

TOTALS_COLUMNS: tuple[Column, ...] = (
    Column("code", "Код / Коды", 6),
    Column("unit", "Область, город / Облыс, қала", 30),
    Column("counted", "Членов учтено / Есепке алынған мүшелер", 14),
    Column("minimum", "Минимум по закону / Заң бойынша ең аз", 14),
    Column("met", "Выполнено / Орындалды", 12),
)

# sheet names, in workbook order (the unit sheets sit between the totals and the group lists)
TOTALS_SHEET = "Итоги - Қорытынды"
GROUP_SHEET = "Иниц. группа - Бастамашыл топ"
COMMITTEE_SHEET = "Оргкомитет - Ұйымдастыру ком."
ATTENDANCE_SHEET = "Съезд - Құрылтай съезі"

# first-row titles; {party} is "«Name»: " or empty, {day} the date of the lists
UNIT_TITLE = ("{party}Список членов партии: {unit_ru} ({code}) на {day} / "
              "{party}Партия мүшелерінің тізімі: {unit_kk} ({code}), {day}")
TOTALS_TITLE = "{party}Итоги по областям на {day} / {party}Облыстар бойынша қорытынды, {day}"
GROUP_TITLE = "{party}Инициативная группа на {day} / {party}Бастамашыл топ, {day}"
COMMITTEE_TITLE = "{party}Организационный комитет на {day} / {party}Ұйымдастыру комитеті, {day}"
ATTENDANCE_TITLE = ("{party}Список участников учредительного съезда (лично) / "
                    "{party}Құрылтай съезіне қатысушылар тізімі (жеке өзі)")

YES = "да / иә"
NO = "нет / жоқ"
LATIN_ONLY = "латиница / латын әрпі"    # the "check" column: a name typed only in Latin letters
TOTAL_ROW = "Всего / Барлығы"
GROUP_TOTAL = "Инициативная группа / Бастамашыл топ"
COMMITTEE_TOTAL = "Оргкомитет / Ұйымдастыру комитеті"
ATTENDANCE_TOTAL = "Участвовали в съезде лично / Съезге жеке қатысты"
UNKNOWN = "не установлен / белгісіз"    # a minimum the rules do not know on that date

# print setup, the same on every sheet: A4, the title and heading rows repeated on every page
HEADER_ROWS = 2
PAPER = 9                 # A4 in the OOXML paperSize list (XlsxWriter set_paper, openpyxl PAPERSIZE_A4)
ORIENTATION = "landscape"
FOOTER = "Стр. / Бет &P / &N"   # &P page, &N pages (the OOXML header/footer codes)
