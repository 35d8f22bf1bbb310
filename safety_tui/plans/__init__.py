"""Visit plans: the model, the lifecycle, times, personal settings, and what a plan is exported as. Core: no Textual."""
