"""The process's one cache: LRU order, count and time bounds, thread safety."""

import threading

from core.lru import Lru


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_past_its_size_the_least_recently_used_goes_and_a_get_renews() -> None:
    cache: Lru[str, int] = Lru(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now b is the oldest
    cache.put("c", 3)
    assert cache.keys() == ["a", "c"] and cache.get("b") is None


def test_a_peek_leaves_the_order_as_it_was() -> None:
    cache: Lru[str, int] = Lru(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.peek("a") == 1
    cache.put("c", 3)
    assert cache.keys() == ["b", "c"]


def test_a_value_put_with_a_ttl_is_gone_once_it_expires() -> None:
    clock = Clock()
    cache: Lru[str, int] = Lru(10, clock=clock)
    cache.put("a", 1, ttl=5)
    cache.put("b", 2)  # no ttl: kept until evicted
    clock.now += 4.9
    assert cache.get("a") == 1
    clock.now += 0.2
    assert cache.get("a") is None and cache.peek("b") == 2
    assert cache.keys() == ["b"]


def test_threads_putting_and_popping_together_keep_the_count_bound() -> None:
    cache: Lru[int, int] = Lru(50)

    def work(offset: int) -> None:
        for i in range(2000):
            key = offset * 10_000 + i % 100
            cache.put(key, 1)
            if i % 3 == 0:
                cache.pop(key)
            cache.get(key)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == len(cache.keys()) <= 50
