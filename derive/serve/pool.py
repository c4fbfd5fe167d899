r"""A pool of worker processes for untrusted work: each task bounded in time and memory.

The checker bounds its own proofs with ``SIGALRM`` (:mod:`derive.alarm`), which exists
only in a process's main thread — not in a web server's threads — and no bound inside a
process can stop a C-level loop or a runaway allocation. So every request that reads a
user's text runs here, in the main thread of a worker process that the server can kill:

* **time** — the server waits ``seconds`` for an answer; a worker that overruns is killed
  (``SIGKILL``) and a fresh one takes its place, while the other workers keep answering;
* **memory** — each worker's address space is capped (``RLIMIT_AS``): an allocation past
  ``memory_mb`` raises ``MemoryError`` in the worker, which answers with the CLI's line;
* **queue** — a request waits at most ``queue_seconds`` for a free worker, then is refused.

Workers are forked from a *fork server* that has already imported sympy, z3 and the
checker, so a replacement is ready in milliseconds, not seconds, and the server's own
process (with its event loop and threads) is never forked.

A task is a module-level function and its arguments (pickled); its result comes back, or
its exception as :class:`TaskError` carrying the CLI's one line.

>>> import asyncio, operator
>>> async def demo():
...     async with Pool(1, seconds=5) as pool:
...         return await pool.run(operator.add, 30, 60)
>>> asyncio.run(demo())
90
"""

import asyncio
import multiprocessing
import os
import pickle
import resource
import signal
import socket
import struct

from ..errors import DeriveError, error_line

__all__ = ["Busy", "Overrun", "Pool", "TaskError"]


class TaskError(Exception):
    """The task refused its input: ``line`` is what the CLI prints (``derive: error: …``)."""

    def __init__(self, line, crashed=False):
        super().__init__(line)
        self.line, self.crashed = line, crashed


class Overrun(TaskError):
    """The task took longer than the pool's bound; its worker was killed and replaced."""


class Busy(Exception):
    """No worker came free within the queue's bound."""


def _worker(conn, memory_mb):
    """A worker's main loop: receive ``(function, args)``, send ``("ok", result)`` or an error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the server stops workers; ^C is its business
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            function, args = conn.recv()
        except EOFError:
            return
        try:
            reply = ("ok", function(*args))
        except (ValueError, TypeError, ArithmeticError, OSError, RecursionError, MemoryError) as error:
            reply = ("error", error_line(error))
        except Exception as error:                    # DeriveError and ParseError, or a bug
            crashed = not isinstance(error, DeriveError)
            reply = ("crash" if crashed else "error", error_line(error))
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("error", error_line(MemoryError())))


class _Worker:
    """A worker process and the server's end of its socket pair (asyncio streams, opened lazily)."""

    def __init__(self, context, memory_mb):
        parent, child = context.Pipe()               # duplex: a socket pair, framed as Connection does
        self.process = context.Process(target=_worker, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.sock = socket.socket(fileno=os.dup(parent.fileno()))
        parent.close()
        self.reader = self.writer = None

    async def ask(self, function, args):
        """Send ``(function, args)``; the worker's reply (framed as ``Connection.send_bytes``)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(sock=self.sock)
        data = pickle.dumps((function, args))
        self.writer.write(struct.pack("!i", len(data)) + data)
        await self.writer.drain()
        size, = struct.unpack("!i", await self.reader.readexactly(4))
        if size == -1:                                # Connection's header for 2 GiB and more
            size, = struct.unpack("!Q", await self.reader.readexactly(8))
        return pickle.loads(await self.reader.readexactly(size))

    def close_streams(self):
        """Close the server's end (in the event loop's thread)."""
        if self.writer is not None:
            self.writer.close()
        else:
            self.sock.close()

    def kill(self):
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class Pool:
    """``size`` worker processes; ``await pool.run(function, *args)`` runs one task in one.

    ``seconds`` bounds a task (the worker is killed past it), ``memory_mb`` a worker's
    address space, ``queue_seconds`` the wait for a free worker. ``preload`` names modules
    the fork server imports once, so that every worker starts with them loaded.
    """

    def __init__(self, size, *, seconds=10.0, memory_mb=2048, queue_seconds=30.0,
                 preload=("derive.serve.work",)):
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"size must be a whole number >= 1, got {size!r}")
        if not seconds > 0:
            raise ValueError(f"seconds must be > 0, got {seconds!r}")
        self.size, self.seconds, self.memory_mb, self.queue_seconds = size, seconds, memory_mb, queue_seconds
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(preload))
        self._idle = None
        self._workers = set()
        self.replaced = 0                            #: workers killed and replaced so far

    async def __aenter__(self):
        await self.start()
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def start(self):
        """Start the workers (the fork server first, once)."""
        self._idle = asyncio.Queue()
        workers = await asyncio.to_thread(lambda: [self._spawn() for _ in range(self.size)])
        for worker in workers:
            self._idle.put_nowait(worker)

    def _spawn(self):
        worker = _Worker(self._context, self.memory_mb)
        self._workers.add(worker)
        return worker

    async def warm(self, function, *args):
        """Run ``function(*args)`` once in every worker (to fill caches before traffic).

        A worker that fails or overruns here is replaced, as in :meth:`run`.
        """
        held = [await self._idle.get() for _ in range(self.size)]

        async def one(worker):
            try:
                await self._ask(worker, function, args)
            except (TaskError, OSError):
                await self._replace(worker)
            else:
                self._idle.put_nowait(worker)

        await asyncio.gather(*(one(worker) for worker in held))

    @property
    def alive(self):
        """How many workers are running."""
        return sum(worker.process.is_alive() for worker in self._workers)

    async def run(self, function, *args):
        """``function(*args)`` in a worker; :class:`TaskError`, :class:`Overrun` or :class:`Busy`."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_seconds)
        except asyncio.TimeoutError:
            raise Busy(f"no worker came free within {self.queue_seconds:g} s") from None
        try:
            status, value = await self._ask(worker, function, args)
        except BaseException:
            await self._replace(worker)              # overrun, died, or the request was cancelled
            raise
        self._idle.put_nowait(worker)
        if status == "ok":
            return value
        raise TaskError(value, crashed=status == "crash")

    async def _ask(self, worker, function, args):
        try:
            return await asyncio.wait_for(worker.ask(function, args), self.seconds)
        except asyncio.TimeoutError:
            raise Overrun(f"derive: error: checking this input took longer than {self.seconds:g} s "
                          "and was stopped") from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            raise TaskError("derive: error: the worker checking this input stopped "
                            "(it was killed, probably for using too much memory)") from None

    async def _replace(self, worker):
        self._workers.discard(worker)
        self.replaced += 1
        worker.close_streams()
        await asyncio.to_thread(worker.kill)
        self._idle.put_nowait(await asyncio.to_thread(self._spawn))

    async def close(self):
        """Stop every worker."""
        workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.close_streams()
        await asyncio.to_thread(lambda: [worker.kill() for worker in workers])


def default_size():
    """The number of workers when none is asked for: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
