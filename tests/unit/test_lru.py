"""The process's one cache: LRU order, count, weight and time bounds, thread safety."""

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


def test_weight_is_kept_through_puts_replacements_pops_and_clear() -> None:
    cache: Lru[str, list[int]] = Lru(10, weigh=len)
    cache.put("a", [1, 2])
    cache.put("b", [1])
    cache.put("a", [1, 2, 3])  # replaced: its old weight goes
    assert cache.weight == 4
    assert cache.pop("a") == [1, 2, 3] and cache.weight == 1 and len(cache) == 1
    assert cache.pop("a") is None
    cache.clear()
    assert cache.weight == 0 and cache.keys() == []


def test_over_the_weight_the_oldest_go_unless_spared_and_never_the_one_just_put() -> None:
    in_use = {4}
    cache: Lru[str, int] = Lru(10, weigh=lambda v: v, max_weight=5, spare=in_use.__contains__)
    cache.put("x", 2)
    cache.put("busy", 4)  # over 5, and the oldest (x) may go
    assert cache.keys() == ["busy"] and cache.weight == 4
    cache.put("y", 3)  # over again, but the oldest is spared: both stay
    assert cache.keys() == ["busy", "y"] and cache.weight == 7
    alone: Lru[str, int] = Lru(10, weigh=lambda v: v, max_weight=5)
    alone.put("huge", 9)  # over the bound by itself: kept, as the one just put
    assert alone.keys() == ["huge"]


def test_a_value_put_with_a_ttl_is_gone_once_it_expires() -> None:
    clock = Clock()
    cache: Lru[str, int] = Lru(10, weigh=lambda v: v, clock=clock)
    cache.put("a", 1, ttl=5)
    cache.put("b", 2)  # no ttl: kept until evicted
    clock.now += 4.9
    assert cache.get("a") == 1
    clock.now += 0.2
    assert cache.get("a") is None and cache.peek("b") == 2
    assert cache.keys() == ["b"] and cache.weight == 2


def test_threads_putting_and_popping_together_keep_count_and_weight_exact() -> None:
    cache: Lru[int, int] = Lru(50, weigh=lambda v: v)

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
    assert len(cache) <= 50 and cache.weight == len(cache.keys())
