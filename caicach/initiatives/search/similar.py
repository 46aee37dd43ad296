"""Similar dossiers: the ten sent dossiers, of any year and unit, closest to a given one in
title and description, so a council sees a re-submitted or copied initiative at once.

How it is measured: each dossier is a TF-IDF vector over its folded syllables and syllable
pairs (Vietnamese words are mostly two syllables: "cải cách" is the pair, not the two
halves), the title counted twice, term frequency dampened (1 + log tf), L2-normalised; two
dossiers are as similar as the cosine of their vectors.

How it stays fast at 200,000 dossiers: terms are hashed into ``BUCKETS`` columns (no
vocabulary to keep), and an index keeps, for each column, the dossiers for which it is one
of their ``TOP_TERMS`` heaviest terms. A query adds up its weights over those postings
(numpy, a few milliseconds), takes the best ``CANDIDATES`` and re-ranks them by the exact
cosine computed from their text. The index is rebuilt every night (and on demand) into the
file storage; dossiers sent since are compared directly. Under ``DIRECT_LIMIT`` dossiers
no index is needed: every one is compared directly."""

from __future__ import annotations

import heapq
import io
import math
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from caicach.core import clock
from caicach.core.choices import kept_while_read
from caicach.core.search import terms
from caicach.initiatives.models import Initiative, InitiativeStatus

BUCKETS = 1 << 20
TOP_TERMS = 32
# Re-ranked exactly: 50 gave recall@10 0.88 at 200,000 dossiers, 100 gives 0.98 (bench/national.py).
CANDIDATES = 100
RESULTS = 10
MIN_SIMILARITY = 0.15
DIRECT_LIMIT = 3000
INDEX_PATH = "similarity/initiatives.npz"
TEXT_FIELDS = ("title", "essence", "purpose", "solution_steps", "context", "measures")
RELOAD_SECONDS = 60


def compared() -> QuerySet[Initiative]:
    """The dossiers worth comparing with: those sent (a draft is nobody's business yet)."""
    return Initiative.objects.exclude(
        status__in=[InitiativeStatus.DRAFT, InitiativeStatus.AWAITING_CONFIRMATION]
    )


def _bucket(term: str) -> int:
    # crc32, not hash(): the same term must land in the same column in every process.
    return zlib.crc32(term.encode()) & (BUCKETS - 1)


def term_counts(title: str, *texts: str) -> Counter[int]:
    """The hashed terms of a dossier: syllables and syllable pairs, the title's twice."""
    counts: Counter[int] = Counter()
    for text, times in ((title, 2), (" ".join(texts), 1)):
        words = terms(text)
        for term in [*words, *(f"{a} {b}" for a, b in pairwise(words))]:
            counts[_bucket(term)] += times
    return counts


def _vector(counts: Counter[int], idf: Callable[[int], float]) -> dict[int, float]:
    weights = {term: (1 + math.log(tf)) * idf(term) for term, tf in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


def _texts(row: tuple[Any, ...]) -> Counter[int]:
    return term_counts(*(value or "" for value in row))


@dataclass(frozen=True)
class SimilarityIndex:
    built_at: float
    documents: int  # how many dossiers the document frequencies count
    doc_ids: np.ndarray[Any, np.dtype[np.int64]]
    df: np.ndarray[Any, np.dtype[np.int32]]
    indptr: np.ndarray[Any, np.dtype[np.int64]]
    postings: np.ndarray[Any, np.dtype[np.int32]]  # positions in doc_ids
    weights: np.ndarray[Any, np.dtype[np.float32]]

    def idf(self, term: int) -> float:
        return math.log((1 + self.documents) / (1 + int(self.df[term]))) + 1

    def candidates(self, vector: dict[int, float], exclude: int, limit: int | None = None) -> list[int]:
        """The dossier ids whose indexed terms weigh most against ``vector``."""
        limit = CANDIDATES if limit is None else limit
        scores = np.zeros(len(self.doc_ids), dtype=np.float32)
        for term, weight in vector.items():
            start, end = self.indptr[term], self.indptr[term + 1]
            if start != end:
                # Within one column each dossier appears once: plain fancy indexing adds up.
                scores[self.postings[start:end]] += self.weights[start:end] * weight
        positions = np.flatnonzero(scores > 0)
        if len(positions) > limit + 1:
            best = np.argpartition(-scores[positions], limit)[: limit + 1]
            positions = positions[best]
        ranked = positions[np.argsort(-scores[positions], kind="stable")]
        return [int(pk) for pk in self.doc_ids[ranked] if int(pk) != exclude][:limit]


def build_index(progress: Callable[[int, int], None] | None = None) -> bytes:
    """The index of every sent dossier, as an .npz file. Two passes over the database in
    chunks (document frequencies, then vectors), so memory holds the postings, not the
    texts."""
    rows = compared().order_by("pk").values_list("pk", *TEXT_FIELDS)
    total = rows.count()
    df = np.zeros(BUCKETS, dtype=np.int32)
    for done, (_, *text) in enumerate(rows.iterator(chunk_size=2000), start=1):
        for term in _texts(tuple(text)):
            df[term] += 1
        if progress is not None and done % 2000 == 0:
            progress(done, 2 * total)
    documents = total

    def idf(term: int) -> float:
        return math.log((1 + documents) / (1 + int(df[term]))) + 1

    doc_ids: list[int] = []
    columns: list[np.ndarray[Any, Any]] = []
    values: list[np.ndarray[Any, Any]] = []
    for done, (pk, *text) in enumerate(rows.iterator(chunk_size=2000), start=1):
        vector = _vector(_texts(tuple(text)), idf)
        heaviest = sorted(vector.items(), key=lambda pair: -pair[1])[:TOP_TERMS]
        doc_ids.append(pk)
        columns.append(np.array([term for term, _ in heaviest], dtype=np.int32))
        values.append(np.array([weight for _, weight in heaviest], dtype=np.float32))
        if progress is not None and done % 2000 == 0:
            progress(total + done, 2 * total)
    lengths = [len(column) for column in columns]
    owners = np.repeat(np.arange(len(doc_ids), dtype=np.int32), lengths)
    all_columns = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int32)
    all_values = np.concatenate(values) if values else np.zeros(0, dtype=np.float32)
    order = np.argsort(all_columns, kind="stable")
    indptr = np.zeros(BUCKETS + 1, dtype=np.int64)
    np.cumsum(np.bincount(all_columns, minlength=BUCKETS), out=indptr[1:])
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        built_at=np.array([clock.now().timestamp()]),
        documents=np.array([documents]),
        doc_ids=np.array(doc_ids, dtype=np.int64),
        df=df,
        indptr=indptr,
        postings=owners[order],
        weights=all_values[order],
    )
    return buffer.getvalue()


def save_index(content: bytes) -> None:
    if default_storage.exists(INDEX_PATH):
        default_storage.delete(INDEX_PATH)
    default_storage.save(INDEX_PATH, ContentFile(content))
    forget_index()


_lock = threading.Lock()
_cached: dict[str, Any] = {}


def forget_index() -> None:
    with _lock:
        _cached.clear()


def load_index() -> SimilarityIndex | None:
    """The stored index, kept in this process and looked at again every minute."""
    with _lock:
        if _cached and time.monotonic() - _cached["checked"] < RELOAD_SECONDS:
            index: SimilarityIndex | None = _cached["index"]
            return index
        index = None
        if default_storage.exists(INDEX_PATH):
            with default_storage.open(INDEX_PATH, "rb") as stored:
                data = np.load(io.BytesIO(stored.read()))
                index = SimilarityIndex(
                    built_at=float(data["built_at"][0]),
                    documents=int(data["documents"][0]),
                    doc_ids=data["doc_ids"],
                    df=data["df"],
                    indptr=data["indptr"],
                    postings=data["postings"],
                    weights=data["weights"],
                )
        _cached.update(checked=time.monotonic(), index=index)
        return index


@dataclass(frozen=True)
class Similar:
    initiative: Initiative
    similarity: float  # the cosine, 0 to 1

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def _direct_idf(pool: QuerySet[Initiative]) -> Callable[[int], float]:
    """Document frequencies counted on the spot, when there is no index (a small database)."""
    df: Counter[int] = Counter()
    documents = 0
    for row in pool.values_list(*TEXT_FIELDS).iterator(chunk_size=2000):
        documents += 1
        df.update(_texts(row).keys())
    return lambda term: math.log((1 + documents) / (1 + df[term])) + 1


def similar_to(initiative: Initiative, *, limit: int = RESULTS) -> list[Similar]:
    """The ``limit`` sent dossiers most similar to ``initiative`` (itself excluded), best
    first, none below ``MIN_SIMILARITY``.

    The scores are kept until a dossier is written or the index rebuilt: re-scoring the
    candidates folds and counts their texts again (most of a panel's cost at 200,000
    dossiers), and a council opens the same dossiers many times over. The dossier's own
    texts are part of the key, for a dossier compared before it is saved."""
    index = load_index()
    texts = tuple(getattr(initiative, name) or "" for name in TEXT_FIELDS)
    key = (
        initiative.pk,
        zlib.crc32("\x00".join(texts).encode()),
        limit,
        None if index is None else index.built_at,
        DIRECT_LIMIT,
        CANDIDATES,
    )
    best = kept_while_read("similar dossiers", key, lambda: _best_scores(initiative, texts, index, limit))
    found = Initiative.objects.select_related("unit", "campaign").in_bulk([pk for pk, _ in best])
    return [Similar(initiative=found[pk], similarity=score) for pk, score in best if pk in found]


def _best_scores(
    initiative: Initiative, texts: tuple[str, ...], index: SimilarityIndex | None, limit: int
) -> list[tuple[int, float]]:
    """``similar_to``'s (dossier id, cosine) pairs, best first."""
    pool = compared().exclude(pk=initiative.pk)
    # Counted no further than the limit: a country's 200,000 dossiers took 33 ms to count.
    if index is None and pool.order_by()[: DIRECT_LIMIT + 1].count() > DIRECT_LIMIT:
        return []  # the nightly index is not built yet: nothing rather than a slow page
    idf = index.idf if index is not None else _direct_idf(compared())
    vector = _vector(_texts(texts), idf)
    if index is None:
        ids: Iterable[int] | None = None  # compare with every dossier
    else:
        fresh = pool.filter(pk__gt=int(index.doc_ids.max()) if len(index.doc_ids) else 0)
        ids = [*index.candidates(vector, exclude=initiative.pk), *fresh.values_list("pk", flat=True)[:500]]
    rows = pool if ids is None else pool.filter(pk__in=list(ids))
    scored = [
        (pk, _cosine(vector, _vector(_texts(tuple(text)), idf)))
        for pk, *text in rows.values_list("pk", *TEXT_FIELDS).iterator(chunk_size=500)
    ]
    return sorted((pair for pair in scored if pair[1] >= MIN_SIMILARITY), key=lambda pair: -pair[1])[:limit]


def exact_neighbours(
    queries: Iterable[Initiative], idf: Callable[[int], float], k: int = RESULTS
) -> dict[int, list[tuple[int, float]]]:
    """The true ``k`` nearest of each query by cosine over every sent dossier, in one pass
    over the table (the yardstick for the index's recall; slow by design)."""
    vectors = {q.pk: _vector(_texts(tuple(getattr(q, name) for name in TEXT_FIELDS)), idf) for q in queries}
    best: dict[int, list[tuple[float, int]]] = {pk: [] for pk in vectors}
    for pk, *text in compared().values_list("pk", *TEXT_FIELDS).iterator(chunk_size=2000):
        other = _vector(_texts(tuple(text)), idf)
        for query_pk, vector in vectors.items():
            score = _cosine(vector, other)
            if pk != query_pk and score >= MIN_SIMILARITY:
                heap = best[query_pk]
                if len(heap) < k:
                    heapq.heappush(heap, (score, pk))
                elif score > heap[0][0]:
                    heapq.heapreplace(heap, (score, pk))
    return {q: [(pk, score) for score, pk in sorted(heap, reverse=True)] for q, heap in best.items()}


def recall_at(queries: list[Initiative], k: int = RESULTS) -> float | None:
    """recall@k of ``similar_to`` against the exact cosine, over ``queries``. A dossier that
    ties with the k-th true neighbour counts as found (the order among equals is arbitrary).
    None when no query has a neighbour above the threshold."""
    index = load_index()
    idf = index.idf if index is not None else _direct_idf(compared())
    truth = exact_neighbours(queries, idf, k)
    hits = total = 0
    for query in queries:
        expected = truth[query.pk]
        if not expected:
            continue
        floor = expected[-1][1] - 1e-9
        found = similar_to(query, limit=k)
        expected_ids = {pk for pk, _ in expected}
        hits += min(
            len(expected), sum(1 for e in found if e.initiative.pk in expected_ids or e.similarity >= floor)
        )
        total += len(expected)
    return hits / total if total else None
