"""Use cases: one function per thing a user does. Web, API, CLI and jobs call these and nothing else
that writes. Each opens no transaction of its own making beyond the SQLAlchemy session: it writes,
records the audit entry, and commits; on a domain error nothing has been flushed."""
