"""The member ledger: models, encrypted storage, normalisation, validation, dedupe, services."""
