"""derive.alarm: limits that fire, nest, and leave no timer behind."""

import signal
import threading
import time

import pytest

from derive.alarm import time_limit


class Outer(Exception):
    pass


class Inner(Exception):
    pass


def _spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def _clear():
    return signal.getitimer(signal.ITIMER_REAL)[0] == 0 and signal.getsignal(signal.SIGALRM) in (
        signal.SIG_DFL, None)


def test_a_limit_fires_and_clears_its_timer():
    with pytest.raises(Outer):
        with time_limit(0.05, Outer):
            _spin(2)
    assert _clear()


def test_a_block_within_its_limit_runs_to_the_end():
    with time_limit(1.0, Outer):
        _spin(0.01)
    assert _clear()


def test_an_inner_limit_fires_inside_an_outer_one_which_still_holds():
    started = time.monotonic()
    with pytest.raises(Outer):
        with time_limit(0.4, Outer):
            with pytest.raises(Inner):
                with time_limit(0.05, Inner):
                    _spin(2)
            assert time.monotonic() - started < 0.4     # the inner one fired first
            _spin(2)                                    # the outer one still fires
    assert time.monotonic() - started < 1.5
    assert _clear()


def test_an_outer_limit_shorter_than_the_inner_one_wins():
    with pytest.raises(Outer):
        with time_limit(0.05, Outer):
            with time_limit(5.0, Inner):
                _spin(2)
    assert _clear()


def test_a_foreign_timer_is_left_alone():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with time_limit(0.01, Outer):               # someone else's timer: runs unbounded
            _spin(0.05)
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
        _spin(0.3)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_the_block_runs_unbounded():
    done = []

    def work():
        with time_limit(0.01, Outer):
            _spin(0.05)
        done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]
