"""The ledger's enumerations, in a module without SQLModel so that light readers can share them.

Stored by *name* ("ACTIVE", "INITIATIVE_GROUP", "UNDECIDED"): that is how SQLAlchemy writes an enum
column, and what the plain-SQL readers (``ledger/members/reads.py``, ``report/sql.py``) compare against.
"""

from __future__ import annotations

from enum import Enum


class MemberStatus(str, Enum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    DECEASED = "deceased"
    EXCLUDED = "excluded"


class RoleKind(str, Enum):
    INITIATIVE_GROUP = "initiative_group"
    COMMITTEE = "committee"


class Decision(str, Enum):
    SAME = "same"
    DIFFERENT = "different"
    UNDECIDED = "undecided"
