"""Checklists: the YAML format and its loader, the walk's composition, cards and periodic reviews. Core: no Textual."""
