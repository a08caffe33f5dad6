"""File writers (xlsx) for reports and filing lists; the only writer of spreadsheets."""
