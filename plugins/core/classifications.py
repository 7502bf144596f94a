"""The classifications content may carry, lowest first (Government Security Classifications): a constant of
its own so the settings can check KB_CLASSIFICATION without importing the models."""

CLASSIFICATIONS = ("unrestricted", "official", "official-sensitive")
