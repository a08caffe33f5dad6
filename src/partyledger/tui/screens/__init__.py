"""One screen per organizer task (STYLE.md, Textual)."""
