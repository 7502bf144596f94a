"""The knowledge base's build: a small core (hookspecs, manager, loading, models,
rendering) and the feature plugins that use it."""
