"""The bilingual review edition: English and translation side by side, unit by unit, for revisers.

Not part of the site: ``python -m polypress review --lang fr`` writes
``build/review/<lang>/<document>.html`` and ``.pdf``. ``units.py`` gathers what a reviser
needs to see (plain data); ``render.py`` lays it out through the project's templates.
"""
