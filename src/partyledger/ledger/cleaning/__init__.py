"""Cleaning and validation of one person's fields: IIN, names and their transliteration keys, phones,
dates, free text, and who counts on a date (``eligibility``), ending in ``validate.draft_from_fields``.

Separate because it is pure: it takes cell values and returns clean values and ``Issue`` findings,
with no session and no file, so the import, the forms, quarantine fixes and dedupe all clean a row
the same way and the rules can be tested without a ledger.
"""
