"""safety-tui: a pre-visit safety planner for councillors and council officers."""

__version__ = "0.1.0"
