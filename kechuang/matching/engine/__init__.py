"""The matching engine: plain Python and numpy, no Django, so that it can be tested, benchmarked
and reused on its own. See docs/matching.md."""

from .bm25 import Bm25Index
from .encoders import BUNDLED_ENCODERS, E5SmallEncoder, Encoder, SentenceTransformerEncoder, UniversalSentenceEncoder
from .matcher import SIGNAL_LABELS_ZH, SIGNALS, Explanation, Match, Matcher, Need, Record, Weights, weights_for
from .text import Tokenizer, normalise
from .vectors import VectorIndex

__all__ = ["BUNDLED_ENCODERS", "SIGNALS", "SIGNAL_LABELS_ZH", "Bm25Index", "E5SmallEncoder", "Encoder",
           "Explanation", "Match", "Matcher", "Need", "Record", "SentenceTransformerEncoder", "Tokenizer",
           "UniversalSentenceEncoder", "VectorIndex", "Weights", "normalise", "weights_for"]
