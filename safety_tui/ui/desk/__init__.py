"""The duty officer's desk: a Textual app over the council database (``safety-tui desk``)."""
