"""Reusable views of the terminal app; each posts past-tense messages up and never queries siblings."""
