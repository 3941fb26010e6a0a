"""polypress: publish official documents in many languages as HTML and PDF."""

__version__ = "0.1.0"
