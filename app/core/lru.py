"""A bounded, thread-safe least-recently-used cache, shared by every in-process cache."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LRUCache(Generic[V]):
    """Values by key; at most ``size`` of them, the least recently used dropped first.

    One lock around every call: the threads of a server process share one cache.
    """

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("an LRU cache needs room for at least one entry")
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, fresh: Callable[[V], bool] | None = None) -> V | None:
        """The value for ``key``, or None; one that ``fresh`` rejects is dropped under the lock."""
        with self._lock:
            value = self._items.get(key)
            if value is None:
                return None
            if fresh is not None and not fresh(value):
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
