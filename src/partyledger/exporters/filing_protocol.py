"""A printable DRAFT of the founding congress protocol, with the ledger's numbers filled in (HTML, A4).

The organizers still write the protocol themselves: chair, secretary, the votes and the decisions are
blanks to fill in, and every page says "ПРОЕКТ / ЖОБА" so the draft is never filed as it is. What the
ledger knows goes in: the party's name, the congress date when set, the initiative group who count,
who attended in person (per unit), the members counted per unit against the law's minimums. Russian
first, Kazakh below (the state bodies' languages). One self-contained page: no scripts, no links, no
fonts or images fetched from anywhere; every value from the ledger is HTML-escaped.

Like the workbook's layout (``filing_layout.py``), this text is not a form the research confirms.
"""

from __future__ import annotations

from collections import Counter
from html import escape

_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35; color: #000; }
h1 { font-size: 14pt; text-align: center; margin: 0.4em 0; }
h2 { font-size: 12pt; margin: 1em 0 0.3em; }
.draft { border: 2px solid #000; padding: 4pt 8pt; text-align: center; font-weight: bold; letter-spacing: 0.1em; }
.mark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 72pt; color: #ddd;
        transform: rotate(-30deg); z-index: -1; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; page-break-inside: auto; }
th, td { border: 1px solid #000; padding: 2pt 4pt; }
td.n { text-align: right; }
.blank { display: inline-block; min-width: 45mm; border-bottom: 1px solid #000; }
li .blank { min-width: 25mm; }
.lang { page-break-before: always; }
"""


def quoted(name: str) -> str:
    """The party's name in «», unless it already carries them ("Партия «Жаңа Жол»")."""
    return name if "«" in name else f"«{name}»"


def _n(value) -> str:
    return "—" if value is None else str(value)


def _blank() -> str:
    return '<span class="blank">&nbsp;</span>'


def _facts(data, snapshot) -> dict:
    attendance_min = snapshot.founding_congress_min
    if attendance_min is None:
        attendance_min = snapshot.initiative_group_min
    present = Counter(p.unit_code for p in data.attendance)
    group = Counter(p.unit_code for p in data.group)
    rows = [(u, len(data.by_unit.get(u.code, ())), group[u.code], present[u.code]) for u in data.units]
    return {"party": escape(quoted(data.party_name)) if data.party_name else f"«{_blank()}»", "day": data.as_of.strftime("%d.%m.%Y"),
            "congress": data.congress_on.strftime("%d.%m.%Y") if data.congress_on else _blank(),
            "group": len(data.group), "attended": len(data.attendance), "attendance_min": _n(attendance_min),
            "committee": len(data.committee), "members": sum(r[1] for r in rows),
            "total_min": _n(data.total_min), "per_unit_min": _n(data.per_unit_min),
            "units_met": sum(1 for r in rows if data.per_unit_min is not None and r[1] >= data.per_unit_min),
            "units": len(rows), "rows": rows}


def _table(f: dict, heads: tuple[str, ...], kk: bool) -> str:
    body = "".join(
        f"<tr><td>{escape(u.code)}</td><td>{escape(u.name_kk if kk else u.name_ru)}</td>"
        f'<td class="n">{members}</td><td class="n">{group}</td><td class="n">{present}</td></tr>'
        for u, members, group, present in f["rows"])
    head = "".join(f"<th>{h}</th>" for h in heads)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _agenda(items: tuple[str, ...], votes: str) -> str:
    return "<ol>" + "".join(f"<li>{item}<br>{votes}</li>" for item in items) + "</ol>"


def _russian(f: dict) -> str:
    votes = f"Голосовали: «за» {_blank()} «против» {_blank()} «воздержались» {_blank()}"
    return f"""
<div class="draft">ПРОЕКТ — не для подачи без проверки и подписей</div>
<h1>ПРОТОКОЛ<br>учредительного съезда политической партии {f["party"]}</h1>
<p>Дата проведения: {f["congress"]} &nbsp; Место проведения: {_blank()}</p>
<p>Членов инициативной группы, отвечающих требованиям закона на {f["day"]}: <b>{f["group"]}</b>.
Зарегистрировались и участвуют в съезде лично: <b>{f["attended"]}</b> (требуется не менее {f["attendance_min"]}).
Членов организационного комитета: <b>{f["committee"]}</b>.</p>
<p>Членов партии по спискам: <b>{f["members"]}</b> (требуется не менее {f["total_min"]});
областей и городов, где учтено не менее {f["per_unit_min"]} членов: <b>{f["units_met"]}</b> из {f["units"]}.</p>
{_table(f, ("Код", "Область, город", "Членов партии", "Инициативная группа", "Участвуют лично"), False)}
<p>Председатель съезда: {_blank()} &nbsp; Секретарь съезда: {_blank()}</p>
<h2>Повестка дня</h2>
{_agenda(("О создании политической партии " + f["party"] + ".", "Об утверждении устава партии.",
          "Об утверждении программы партии.", "Об избрании руководящих органов партии.",
          "О лицах, уполномоченных представить документы на государственную регистрацию."), votes)}
<p>Председатель съезда {_blank()} (подпись) &nbsp; Секретарь съезда {_blank()} (подпись)</p>
"""


def _kazakh(f: dict) -> str:
    votes = f"Дауыс берді: «жақтап» {_blank()} «қарсы» {_blank()} «қалыс қалды» {_blank()}"
    return f"""
<div class="draft lang">ЖОБА — тексерусіз және қолдарсыз тапсыруға болмайды</div>
<h1>{f["party"]} саяси партиясының<br>құрылтай съезінің ХАТТАМАСЫ</h1>
<p>Өткізілген күні: {f["congress"]} &nbsp; Өткізілген орны: {_blank()}</p>
<p>{f["day"]} күнгі заң талаптарына сай бастамашыл топ мүшелері: <b>{f["group"]}</b>.
Съезге тіркеліп, жеке өзі қатысатындар: <b>{f["attended"]}</b> (кемінде {f["attendance_min"]} қажет).
Ұйымдастыру комитетінің мүшелері: <b>{f["committee"]}</b>.</p>
<p>Тізімдер бойынша партия мүшелері: <b>{f["members"]}</b> (кемінде {f["total_min"]} қажет);
кемінде {f["per_unit_min"]} мүше есепке алынған облыстар мен қалалар: <b>{f["units_met"]}</b> / {f["units"]}.</p>
{_table(f, ("Коды", "Облыс, қала", "Партия мүшелері", "Бастамашыл топ", "Жеке қатысады"), True)}
<p>Съезд төрағасы: {_blank()} &nbsp; Съезд хатшысы: {_blank()}</p>
<h2>Күн тәртібі</h2>
{_agenda((f["party"] + " саяси партиясын құру туралы.", "Партия жарғысын бекіту туралы.",
          "Партия бағдарламасын бекіту туралы.", "Партияның басшы органдарын сайлау туралы.",
          "Мемлекеттік тіркеуге құжаттарды тапсыруға уәкілетті адамдар туралы."), votes)}
<p>Съезд төрағасы {_blank()} (қолы) &nbsp; Съезд хатшысы {_blank()} (қолы)</p>
"""


def protocol_html(data, snapshot) -> str:
    """The draft for ``data`` (``filing.FilingData``) under the law in force on its date (``snapshot``)."""
    f = _facts(data, snapshot)
    return f"""<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>ПРОЕКТ / ЖОБА: протокол учредительного съезда / құрылтай съезінің хаттамасы</title>
<style>{_CSS}</style></head>
<body>
<div class="mark" aria-hidden="true">ПРОЕКТ / ЖОБА</div>
{_russian(f)}
<div lang="kk">{_kazakh(f)}</div>
</body></html>
"""
