"""Run the same work in several threads released at once, each on its own database
connection, for the PostgreSQL concurrency tests."""
import threading

from django.db import connection


def run_at_once(task, arguments, prepare=None, timeout=120):
    """Call task(prepared) in one thread per item of `arguments`, all released by a
    barrier; `prepared` is prepare(item) (run before the barrier) or the item itself.
    Returns (results, errors); errors holds repr() of any exception."""
    connection.close()  # each thread opens its own connection
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def run(item):
        try:
            prepared = prepare(item) if prepare else item
            barrier.wait(timeout=30)
            results.append(task(prepared))
        except Exception as exc:  # noqa: BLE001 - returned to the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
