"""Rows arriving from member files: preview or commit an import batch, its undo and records, the fast
member-row writer, and quarantine for the rows that could not become members.

Separate because an import works on thousands of rows at once and must stay undoable as a whole
(``BatchChange`` before-values, the batch's ``batch_id`` on every member it created); the members
package changes one person at a time from a form or a command.
"""
