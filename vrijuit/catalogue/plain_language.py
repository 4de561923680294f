"""A plain-language check for Dutch texts: how easy is an activity's description to read?

The formulas are those the ``textstat`` package uses after ``set_lang("nl")``; we do not
depend on it (no new package for two formulas):

- Flesch-Douma: 206.835 - 0.93 * words per sentence - 77 * syllables per word.
  Higher is easier; around 60 and above is plain Dutch (B1).
- LIX: words per sentence + 100 * long words (more than 6 letters) / words.
  Lower is easier; below 40 is easy, above 50 is hard.

Syllables are counted as vowel groups (a e i o u y), where ij, ie, ei, ee, oo, aa, uu, oe,
ou, au, eu and ui count as one group. That is close enough for a hint, not a dictionary.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

# A sentence over this many words is marked: B1 guidelines advise at most 15 to 20.
LONG_SENTENCE_WORDS = 20
# Words of this many letters or more are often hard compounds ("inschrijvingsformulier").
LONG_WORD_LETTERS = 13
# LIX counts words of more than this many letters as long.
LIX_LONG_WORD_LETTERS = 6

EASY_FROM = 60
FAIR_FROM = 45
VERDICTS = {
    "easy": _("easy"),
    "fair": _("fair"),
    "difficult": _("difficult"),
}

_SENTENCE_END = re.compile(r"([.!?]+|\n+)")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_VOWEL_GROUP = re.compile(r"ij|ie|ei|ee|oo|aa|uu|oe|ou|au|eu|ui|[aeiouy]")


def syllables(word: str) -> int:
    """The number of syllables of a Dutch word, counted as vowel groups (at least 1)."""
    return max(1, len(_VOWEL_GROUP.findall(word.lower())))


def letters(word: str) -> int:
    return sum(1 for c in word if c.isalpha())


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences_of(text: str) -> list[str]:
    """The sentences of ``text``: split on . ! ? and line breaks, empty ones left out."""
    parts = _SENTENCE_END.split(text or "")[::2]
    return [part.strip() for part in parts if words_of(part)]


@dataclass(frozen=True)
class Report:
    sentences: list[str]
    word_count: int
    syllable_count: int
    flesch_douma: float
    lix: float
    verdict: str
    long_sentences: list[str] = field(default_factory=list)
    long_words: list[str] = field(default_factory=list)

    @property
    def sentence_count(self):
        return len(self.sentences)

    @property
    def verdict_label(self):
        return VERDICTS[self.verdict]

    @property
    def is_empty(self):
        return self.word_count == 0


def verdict_for(score: float) -> str:
    if score >= EASY_FROM:
        return "easy"
    if score >= FAIR_FROM:
        return "fair"
    return "difficult"


def check_text(text: str) -> Report:
    """Readability of a Dutch ``text``: Flesch-Douma, LIX, a verdict, the sentences over
    ``LONG_SENTENCE_WORDS`` words and the words of ``LONG_WORD_LETTERS`` letters or more."""
    sentences = sentences_of(text)
    words = [word for sentence in sentences for word in words_of(sentence)]
    if not words:
        return Report([], 0, 0, 0.0, 0.0, "easy")
    syllable_count = sum(syllables(word) for word in words)
    per_sentence = len(words) / len(sentences)
    flesch = 206.835 - 0.93 * per_sentence - 77 * syllable_count / len(words)
    lix_long = sum(1 for word in words if letters(word) > LIX_LONG_WORD_LETTERS)
    long_words = []
    for word in words:
        if letters(word) >= LONG_WORD_LETTERS and word not in long_words:
            long_words.append(word)
    return Report(
        sentences=sentences,
        word_count=len(words),
        syllable_count=syllable_count,
        flesch_douma=round(flesch, 1),
        lix=round(per_sentence + 100 * lix_long / len(words), 1),
        verdict=verdict_for(flesch),
        long_sentences=[s for s in sentences if len(words_of(s)) > LONG_SENTENCE_WORDS],
        long_words=long_words,
    )


def _mark_words(sentence: str) -> str:
    html, last = [], 0
    for match in _WORD.finditer(sentence):
        html.append(escape(sentence[last : match.start()]))
        word = match.group()
        html.append(
            f"<mark>{escape(word)}</mark>" if letters(word) >= LONG_WORD_LETTERS else escape(word)
        )
        last = match.end()
    html.append(escape(sentence[last:]))
    return "".join(html)


def highlight(text: str):
    """``text`` as safe HTML with sentences over the limit and long words in ``<mark>``."""
    pieces = _SENTENCE_END.split(text or "")
    html = []
    for i, piece in enumerate(pieces):
        if i % 2:
            html.append("<br>" if "\n" in piece else escape(piece))
        elif len(words_of(piece)) > LONG_SENTENCE_WORDS:
            stripped = piece.strip()
            lead = piece[: len(piece) - len(piece.lstrip())]
            html.append(f'{escape(lead)}<mark class="long-sentence">{_mark_words(stripped)}</mark>')
        else:
            html.append(_mark_words(piece))
    return mark_safe("".join(html))  # noqa: S308 - every piece of the text is escaped above
