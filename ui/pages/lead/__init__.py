"""The Leiden page: the live console of an evening, with the projector, captures and review."""
