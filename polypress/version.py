"""The version of polypress: the build keys every output on it, extraction writes it into .pot headers."""

__version__ = "0.1.0"
