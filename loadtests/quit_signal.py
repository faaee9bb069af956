"""SIGINT for a Locust process, delivered where Locust waits for it and nowhere else.

Python's own SIGINT handler raises KeyboardInterrupt in whatever code runs when the signal
arrives. In Locust that is most often a user's greenlet, between two lines of its bookkeeping
(an answer taken, the state it confirms not yet written), and gevent ends that user there.
The handler here raises nothing where it lands: it asks the hub to throw KeyboardInterrupt
into the main greenlet, where Locust waits for the run and quits as on Ctrl-C, and users are
then stopped as Locust stops them, at a request.
"""

from __future__ import annotations

import signal
import threading

import gevent


def _throw_into_main(_number, _frame) -> None:
    hub = gevent.get_hub()
    hub.loop.run_callback(hub.parent.throw, KeyboardInterrupt)


def install() -> None:
    """From the main thread (a locustfile's import): SIGINT ends the run through the main greenlet.
    A SIGINT ignored on purpose (``SIG_IGN``) stays ignored."""
    if threading.current_thread() is threading.main_thread() \
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _throw_into_main)
