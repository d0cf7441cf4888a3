"""Bad input, reported field by field so forms can show each message beside its field."""

from __future__ import annotations


class InvalidInput(ValueError):
    """One message per field name; nothing has been written when this is raised."""

    def __init__(self, errors: dict[str, object]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = {field: str(message) for field, message in errors.items()}
