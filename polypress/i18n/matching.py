"""Close matches: the old translation whose English is nearest a new text, found fast among thousands."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable

from babel.messages.catalog import Message
from rapidfuzz import fuzz, process

#: Lowest similarity (0-100, rapidfuzz ratio) for an old translation to be offered as a fuzzy match.
FUZZY_CUTOFF = 60.0


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


class FuzzyMatcher:
    """Best old translation for a new source text: rapidfuzz over pruned candidates.

    Scoring every old unit would be quadratic (Babel's difflib takes over a minute per
    changed unit on 10,000 units). Candidates are first pruned by length (a ratio of at
    least *cutoff* needs lengths within a factor cutoff/(200-cutoff)), then, for texts of
    several words, by shared word trigrams: the few candidates sharing the most trigrams
    are scored, in C, by rapidfuzz.
    """

    #: Candidates scored per query after trigram pruning.
    SHORTLIST = 12
    #: A trigram shared by more units than this says little and is not indexed.
    COMMON = 400

    def __init__(self, candidates: Iterable[Message], cutoff: float = FUZZY_CUTOFF) -> None:
        entries = sorted(((len(_key(m)[0]), _key(m)[0], m) for m in candidates if _translated(m)), key=lambda e: e[0])
        self._lengths = [e[0] for e in entries]
        self._texts = [e[1] for e in entries]
        self._messages = [e[2] for e in entries]
        self.cutoff = cutoff
        self._factor = cutoff / (200.0 - cutoff)
        self._index: dict[tuple[str, ...], list[int]] = {}
        for position, text in enumerate(self._texts):
            for gram in _trigrams(text):
                self._index.setdefault(gram, []).append(position)

    def best(self, text: str) -> Message | None:
        low = bisect_left(self._lengths, int(len(text) * self._factor))
        high = bisect_right(self._lengths, int(len(text) / self._factor) + 1)
        if low >= high:
            return None
        grams = _trigrams(text)
        if len(grams) < 3:  # short text: the length window is small, score it all
            found = process.extractOne(
                text, self._texts[low:high], scorer=fuzz.ratio, processor=None, score_cutoff=self.cutoff
            )
            return self._messages[low + found[2]] if found else None
        shared: Counter[int] = Counter()
        for gram in grams:
            postings = self._index.get(gram, ())
            if len(postings) <= self.COMMON:
                shared.update(p for p in postings if low <= p < high)
        best, best_score = None, self.cutoff
        for position, _ in shared.most_common(self.SHORTLIST):
            score = fuzz.ratio(text, self._texts[position], score_cutoff=best_score)
            if score > best_score or (best is None and score >= best_score):
                best, best_score = position, score
        return self._messages[best] if best is not None else None


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _translated(message: Message) -> bool:
    string = message.string
    return any(string) if isinstance(string, (list, tuple)) else bool(string)
