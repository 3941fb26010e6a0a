"""Everything about translation: catalogues, extraction, merging, translating documents, checks, glossaries, statistics."""
