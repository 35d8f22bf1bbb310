"""Modal dialogs, one per module. Each returns its answer with ``dismiss(value)``; callers pass
a callback to ``push_screen(dialog, callback)``. Dialogs know nothing of the store or of screens.

(No imports here: Today imports ``dialogs.confirm`` before first paint without the plan model.)
"""
