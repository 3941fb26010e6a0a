"""Close matches: the old translation whose English is nearest a new text, found fast among thousands."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable

from babel.messages.catalog import Message
from rapidfuzz import fuzz, process

#: Lowest similarity (0-100, rapidfuzz ratio: msgmerge's fstrcmp) for an old translation to be offered fuzzy.
FUZZY_CUTOFF = 60.0
#: msgmerge's n-gram: a text of this many characters or more is compared only with texts sharing one of its
#: character 4-grams, so a short label is never offered the translation of an unrelated one ("Tags" ≠ "Tables").
GRAM = 4
#: msgmerge's weight for a candidate of another context (msgctxt): a close second to one of the same.
OTHER_CONTEXT_WEIGHT = 0.99


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


class FuzzyMatcher:
    """Best old translation for a new source text: rapidfuzz over pruned candidates, as msgmerge chooses.

    As GNU msgmerge (msgl-fsearch.c): a candidate must score at least the cutoff, must share a
    character 4-gram with the text when the text has four characters or more, and one of another
    context counts 0.99 of its score.

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
        self._grams: dict[int, frozenset[str]] = {}  # character 4-grams of the texts compared so far
        for position, text in enumerate(self._texts):
            for gram in _trigrams(text):
                self._index.setdefault(gram, []).append(position)

    def best(self, text: str, context: str | None = None) -> Message | None:
        low = bisect_left(self._lengths, int(len(text) * self._factor))
        high = bisect_right(self._lengths, int(len(text) / self._factor) + 1)
        if low >= high:
            return None
        grams = _trigrams(text)
        if len(grams) < 3:
            # Short text: the length window scored in C, best first; the first that shares a 4-gram and
            # that no later (lower) score can beat wins.
            found = process.extract(
                text, self._texts[low:high], scorer=fuzz.ratio, processor=None, score_cutoff=self.cutoff, limit=None
            )
            pieces = _char_grams(text)
            scored = ((low + index, score) for _, score, index in found)
            candidates = ((p, s) for p, s in scored if not pieces or pieces & self._char_grams(p))
        else:
            shared: Counter[int] = Counter()
            for gram in grams:
                postings = self._index.get(gram, ())
                if len(postings) <= self.COMMON:
                    shared.update(p for p in postings if low <= p < high)
            candidates = ((p, None) for p, _ in shared.most_common(self.SHORTLIST))
        best, best_score = None, self.cutoff
        for position, score in candidates:
            if score is None:
                score = fuzz.ratio(text, self._texts[position], score_cutoff=best_score)
            elif best is not None and score <= best_score:
                break  # sorted: nothing after this can score higher
            if _key(self._messages[position])[1] != context:
                score *= OTHER_CONTEXT_WEIGHT
            if score > best_score or (best is None and score >= best_score):
                best, best_score = position, score
        return self._messages[best] if best is not None else None

    def _char_grams(self, position: int) -> frozenset[str]:
        found = self._grams.get(position)
        if found is None:
            found = self._grams[position] = _char_grams(self._texts[position])
        return found


def _char_grams(text: str) -> frozenset[str]:
    """The text's character 4-grams; none for a text shorter than that (compared with every candidate)."""
    return frozenset(text[i : i + GRAM] for i in range(len(text) - GRAM + 1))


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _translated(message: Message) -> bool:
    string = message.string
    return any(string) if isinstance(string, (list, tuple)) else bool(string)
