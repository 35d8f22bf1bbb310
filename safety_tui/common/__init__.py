"""What every layer uses: the error family, exit codes, the clock, paths, printable text, time formats. Core: no Textual."""
