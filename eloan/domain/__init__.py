"""The programme's rules as pure Python: no Flask, no database, no I/O (ARCHITECTURE.md)."""
