"""One member at a time: add, find, edit and withdraw members (``service``), the campaign, the roles
of the initiative group and the committee, congress check-in, and the plain-SQL reads the dashboard
uses (``reads``, ``filters``).

Separate because these are the operations an organizer performs from a form or a command, each
audited in its own transaction, as opposed to the bulk import (``intake``) and the duplicate queue
(``dedupe``).
"""
