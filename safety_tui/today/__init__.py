"""What the start screen shows, read in one go off the UI thread: open plans, reviews due, to-dos. Core: no Textual."""
