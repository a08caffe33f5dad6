"""The two scores that decide what happens to a candidate pair, apart from the scorer that makes them.

The readiness report counts an open pair at or above ``HIGH_CONFIDENCE`` as one member, and it runs
on the terminal app's start-up path, which loads neither SQLAlchemy nor the scorer's rapidfuzz and
transliteration table (together ~0.1 s). So the report imports the number from here, the one place
it is defined, instead of keeping a copy.
"""

DEFAULT_THRESHOLD = 60
"""Pairs scoring at least this (out of 100) go to the review queue."""

HIGH_CONFIDENCE = 80
"""At or above this an open pair is counted as one member by the readiness report until decided."""
