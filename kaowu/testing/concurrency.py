"""Running the same work in many threads at once, each with its own database connection (for the
PostgreSQL concurrency tests)."""

import threading

from django.db import connections

THREADS = 50


def in_threads(work, n: int = THREADS) -> tuple[list, list]:
    """Run work(i) in n threads released at the same moment; each thread uses (and closes) its own
    database connection. Returns (results, exceptions)."""
    barrier = threading.Barrier(n)
    results, errors, lock = [], [], threading.Lock()

    def run(i):
        try:
            barrier.wait(timeout=30)
            result = work(i)
            with lock:
                results.append(result)
        except Exception as exc:  # noqa: BLE001 — reported by the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors
