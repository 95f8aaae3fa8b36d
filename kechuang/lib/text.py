"""Chinese text helpers in plain Python (no Django), shared by the libraries' full-text search
(core.search) and the matching engine (kechuang.matching.engine.text)."""

import unicodedata

# Words that say nothing about what a record is about, in any context.
STOP_WORDS = frozenset({
    "的", "了", "和", "与", "及", "或", "等", "在", "是", "为", "对", "以", "由", "于",
    "其", "该", "本", "此", "这", "那", "之", "而", "并", "也", "都", "就", "将", "把",
    "被", "从", "到", "向", "上", "下", "中", "内", "外", "一种", "一个", "一些", "以及", "及其",
    "进行", "通过", "具有", "可以", "能够", "用于", "采用", "基于", "包括", "所述", "涉及", "提供", "实现", "方法",
    "技术", "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "is",
    "are",
})


def fold(text: str) -> str:
    """NFKC (full-width letters, digits and punctuation to half-width) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()
