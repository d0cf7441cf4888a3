"""A bounded store of things made once and asked for again on every request (built
addresses, Flask's answer per function, a select's options, dates as shown): one rule
for when a store starts again, so that none of them can fill the memory."""

from __future__ import annotations

LIMIT = 4096  # entries a store holds before it starts again


def kept(store: dict, key, make):
    """`make()`, kept in `store` under `key`; made each time when `key` is no key (a list
    among an address's values). The store starts again when it holds `LIMIT`: the
    addresses of a large region's rows, functions made per request (`after_this_request`)
    or the choices of many searches cannot fill the memory."""
    try:
        return store[key]
    except KeyError:
        pass
    except TypeError:
        return make()
    if len(store) >= LIMIT:
        store.clear()
    found = store[key] = make()
    return found
