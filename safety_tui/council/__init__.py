"""Sharing plans with a council's duty desk on the council's own PostgreSQL. Core: no Textual.

Opt-in: nothing here runs unless a council database is configured
(``SAFETY_TUI_DATABASE_URL`` or the ``council_url`` setting). The councillor's own
store stays local; only the duty view of a started plan is published.
"""
