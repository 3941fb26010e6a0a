"""HTML rendering shared by every format: Jinja templates, typography, locale data, fonts."""
