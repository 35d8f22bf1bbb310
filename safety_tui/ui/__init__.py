"""The Textual user interface: the app, its screens, dialogs and widgets, and the duty desk."""
