"""The member ledger. Shared by every sub-package: ``models`` (the tables), ``enums``, ``issues`` (the
findings about a row) and ``sqltext`` (SQL texts the indexes and the report share word for word).

- ``storage``: the encrypted file, its migrations, backup/restore/rekey, the audit chain, seal, verify;
- ``cleaning``: pure cleaning and validation of one person's fields, and eligibility on a date;
- ``intake``: import batches, their undo and records, the row writer, quarantine;
- ``members``: members, campaign, roles and congress, one at a time; the dashboard's plain-SQL reads;
- ``dedupe``: duplicate candidates, the review queue, undoable merges.
"""
