"""The embedded index on disk: a snapshot plus an append-only change log.

    <folder>/snapshot/   meta.json, records.jsonl, vectors.npy, lexical.npz, character_pairs.npz,
                          words.txt
    <folder>/changes.jsonl  one {"op": "upsert", "record", "vector"} or {"op": "remove", "id"} per line

A change is one appended line, so publishing a record costs a few kilobytes of I/O whatever the
size of the index. Readers replay the log on top of the snapshot and, on later calls, only the
lines appended since (`refresh()`), so every process sees every change without a restart.
`compact()` folds the log into a new snapshot; a snapshot's id in meta.json tells readers to
reload. Writers take an exclusive lock on the folder (fcntl), readers a shared one.
"""

import fcntl
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .bm25 import Bm25Index
from .matcher import Matcher, Record
from .vectors import VectorIndex

COMPACT_AFTER = 2_000
LEXICAL_INDEXES = ("lexical", "character_pairs")


class IndexStore:
    def __init__(self, folder: str | os.PathLike, make_matcher):
        """`make_matcher()` returns an empty Matcher with the encoder, tokenizer and weights."""
        self.folder = Path(folder)
        self.make_matcher = make_matcher
        self.matcher: Matcher | None = None
        self._snapshot_id: str | None = None
        self._offset = 0

    @property
    def snapshot_dir(self) -> Path:
        return self.folder / "snapshot"

    @property
    def log_path(self) -> Path:
        return self.folder / "changes.jsonl"

    @contextmanager
    def _lock(self, exclusive: bool):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- reading ---------------------------------------------------------------------------
    def current(self) -> Matcher:
        """The matcher with every change written so far, by this or any other process."""
        with self._lock(exclusive=False):
            snapshot_id = self._read_snapshot_id()
            if self.matcher is None or snapshot_id != self._snapshot_id:
                self.matcher = self._load_snapshot()
                self._snapshot_id, self._offset = snapshot_id, 0
            self._replay()
        return self.matcher

    def _read_snapshot_id(self) -> str | None:
        meta = self.snapshot_dir / "meta.json"
        return json.loads(meta.read_text())["id"] if meta.exists() else None

    def _load_snapshot(self) -> Matcher:
        matcher = self.make_matcher()
        folder = self.snapshot_dir
        if not (folder / "meta.json").exists():
            return matcher
        encoder = json.loads((folder / "meta.json").read_text())["encoder"]
        if encoder != matcher.encoder.name:
            raise ValueError(f"the index in {self.folder} was built with the encoder {encoder}, not "
                             f"{matcher.encoder.name}: rebuild it (manage.py matching_rebuild)")
        with open(folder / "records.jsonl", encoding="utf-8") as handle:
            records = [Record.from_dict(json.loads(line)) for line in handle]
        matcher.records = {record.id: record for record in records}
        matcher.tokenizer.add_words((folder / "words.txt").read_text(encoding="utf-8").split("\n"))
        for name in LEXICAL_INDEXES:
            with np.load(folder / f"{name}.npz", allow_pickle=False) as state:
                setattr(matcher, name, Bm25Index.from_state({key: state[key] for key in state.files}))
        matcher.vectors = VectorIndex.from_state(
            {"row_ids": [record.id for record in records], "matrix": np.load(folder / "vectors.npy")},
            matcher.encoder.dimension)
        return matcher

    def _replay(self) -> None:
        if not self.log_path.exists():
            return
        with open(self.log_path, encoding="utf-8") as handle:
            handle.seek(self._offset)
            for line in handle:
                if not line.endswith("\n"):
                    break  # a line still being written
                self._apply(json.loads(line))
                self._offset += len(line.encode("utf-8"))

    def _apply(self, change: dict) -> None:
        if change["op"] == "upsert":
            self.matcher.add(Record.from_dict(change["record"]), np.asarray(change["vector"], dtype=np.float32))
        else:
            self.matcher.remove(change["id"])

    # -- writing ---------------------------------------------------------------------------
    def upsert(self, records: list[Record], vectors: np.ndarray | None = None) -> None:
        if not records:
            return
        if vectors is None:
            vectors = self.current().encoder.encode([record.searchable() for record in records])
        if len(records) > COMPACT_AFTER:
            # A bulk load (an Excel import, the demo) goes straight into a new snapshot.
            matcher = self.current()
            with self._lock(exclusive=True):
                matcher.add_many(records, vectors)
                self.write_snapshot(matcher)
                self.log_path.unlink(missing_ok=True)
                self._snapshot_id, self._offset = self._read_snapshot_id(), 0
            return
        lines = [json.dumps({"op": "upsert", "record": record.to_dict(),
                             "vector": [round(float(x), 6) for x in vector]}, ensure_ascii=False)
                 for record, vector in zip(records, vectors, strict=True)]
        self._append(lines)

    def remove(self, record_ids: list[str]) -> None:
        self._append([json.dumps({"op": "remove", "id": record_id}) for record_id in record_ids])

    def _append(self, lines: list[str]) -> None:
        if not lines:
            return
        with self._lock(exclusive=True), open(self.log_path, "a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
        if self.log_path.stat().st_size and self._log_lines() > COMPACT_AFTER:
            self.compact()

    def _log_lines(self) -> int:
        with open(self.log_path, "rb") as handle:
            return sum(1 for _ in handle)

    def compact(self) -> None:
        matcher = self.current()
        with self._lock(exclusive=True):
            self.write_snapshot(matcher)
            self.log_path.unlink(missing_ok=True)
            self._snapshot_id, self._offset = self._read_snapshot_id(), 0

    def write_snapshot(self, matcher: Matcher) -> None:
        """Replaces the snapshot with `matcher` (callers hold the lock or own the folder)."""
        staging = self.folder / f"snapshot-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        records = list(matcher.records.values())
        with open(staging / "records.jsonl", "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        vectors = np.stack([matcher.vectors.vector(record.id) for record in records]) if records else \
            np.zeros((0, matcher.encoder.dimension), dtype=np.float32)
        np.save(staging / "vectors.npy", vectors.astype(np.float32))
        for name in LEXICAL_INDEXES:
            state = getattr(matcher, name).state()
            np.savez(staging / f"{name}.npz", **{key: np.asarray(value) for key, value in state.items()})
        (staging / "words.txt").write_text("\n".join(sorted(matcher.tokenizer.user_words)), encoding="utf-8")
        (staging / "meta.json").write_text(json.dumps({"id": uuid.uuid4().hex, "records": len(records),
                                                       "encoder": matcher.encoder.name}))
        old = self.folder / f"old-{uuid.uuid4().hex}"
        if self.snapshot_dir.exists():
            self.snapshot_dir.rename(old)
        staging.rename(self.snapshot_dir)
        shutil.rmtree(old, ignore_errors=True)

    def rebuild(self, records: list[Record], progress=None) -> Matcher:
        """A new index from `records` (encoded afresh), replacing the snapshot and the log."""
        matcher = self.make_matcher()
        matcher.add_many(records, progress=progress)
        with self._lock(exclusive=True):
            self.write_snapshot(matcher)
            self.log_path.unlink(missing_ok=True)
        self.matcher, self._snapshot_id, self._offset = matcher, self._read_snapshot_id(), 0
        return matcher
