"""Errors the model runtime raises to its callers."""


class ModelUnavailable(RuntimeError):
    """A slot's model cannot be loaded: the message says what to install or fix."""
