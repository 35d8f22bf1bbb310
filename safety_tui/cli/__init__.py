"""The command line: the entry point and its plain commands (no Textual in the plain ones)."""
