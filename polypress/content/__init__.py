"""Canonical sources: TOML front matter and Markdown blocks read into a Document."""
