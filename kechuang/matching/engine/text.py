"""Chinese text normalisation and tokenisation for matching.

Text is folded before it is cut: NFKC turns full-width letters, digits and punctuation into
their half-width forms, OpenCC turns traditional characters into simplified ones, and Latin
letters are lower-cased. rjieba then cuts it in search mode (锂离子电池 also yields 离子, 电池),
with a user dictionary of domain phrases (reference-data names, records' own keywords) so that a
phrase such as 熔融纺丝 stays one token instead of two generic ones.
"""

import re
import threading
from collections.abc import Iterable

import opencc
import rjieba

from kechuang.lib.text import STOP_WORDS as BASE_STOP_WORDS
from kechuang.lib.text import fold

# Besides the library search's stop words: what demands and abstracts say around their subject.
_MORE_STOP_WORDS = """
研究 问题 需要 需求 要求 我们 我司 公司 企业 希望 目前 现有 主要 相关 一定 较 很
更 最 不 无 有 个 可 能 使 得 所 如 若 即 又 同时 因此 但是 然而 由于 从而
并且 或者 如何 什么 哪些 利用 使用 进一步 方面 情况 工作 分析 结果 表明 be as
at from this that we our
"""
STOP_WORDS = BASE_STOP_WORDS | frozenset(_MORE_STOP_WORDS.split())

_WORD = re.compile(r"\w")
_converter = opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Half-width, simplified, lower-case form of `text`."""
    return _converter.convert(fold(text))


def is_term(word: str) -> bool:
    # isalnum() is true for Chinese characters too and settles most words without the regex.
    return (word not in STOP_WORDS and not word.isdigit()
            and (word.isalnum() or bool(_WORD.search(word))))


class Tokenizer:
    """rjieba with its own user dictionary; each instance has its own dictionary so that two
    indexes with different vocabularies do not leak words into each other."""

    def __init__(self, user_words: Iterable[str] = ()):
        self._jieba = rjieba.Jieba()
        self._lock = threading.Lock()
        self.user_words: set[str] = set()
        self.add_words(user_words)

    def add_words(self, words: Iterable[str]) -> int:
        """Adds phrases to the dictionary; returns how many were new."""
        added = 0
        with self._lock:
            for word in words:
                word = normalise(word).strip()
                # Single characters and long sentences make poor dictionary entries.
                if 2 <= len(word) <= 12 and " " not in word and word not in self.user_words:
                    self._jieba.add_word(word, None, None)
                    self.user_words.add(word)
                    added += 1
        return added

    def tokens(self, text: str) -> list[str]:
        """Terms of `text` in order, repeated as often as they occur."""
        return [word for word in self._jieba.cut_for_search(normalise(text), True) if is_term(word)]

    def query_weights(self, text: str, phrase_boost: float = 1.0) -> dict[str, float]:
        """Terms of a query with how much each counts: dictionary phrases (domain keyphrases)
        count `phrase_boost` times, since a shared keyphrase says more than a shared word."""
        weights: dict[str, float] = {}
        for term in self.tokens(text):
            weights[term] = weights.get(term, 0.0) + (phrase_boost if term in self.user_words else 1.0)
        return weights


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs of the letters and digits of `text`: a second view that
    still matches where the word cut went wrong (new compounds, names, model numbers)."""
    letters = "".join(ch for ch in normalise(text) if ch.isalnum())
    return [letters[i:i + 2] for i in range(len(letters) - 1)]
