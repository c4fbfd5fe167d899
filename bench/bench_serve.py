"""``derive serve`` under load, on loopback: throughput, latency percentiles, errors.

    python bench/bench_serve.py [--clients 50] [--seconds 60] [--workers 2] [--pause 1]

Starts ``derive serve`` on a free port of 127.0.0.1 (and nowhere else) with ``--rate 0``
(all clients share one address), then, in one run:

1. **in-process reference** — the same number of worker processes calling the library's
   ``check`` directly on the same mix, as fast as they can: checks a second, measured
   before and after the saturation phase (the machine is shared) and averaged;
2. **saturation** — ``--clients`` clients, each sending its next request as soon as the last
   is answered, for ``--seconds``: the server's throughput, as a share of the reference;
3. **classroom** — the same clients with a student's pause between requests (``--pause``,
   1 s on average, exponential), for half as long: the latency a class sees.

The mix: 45% right answers, 45% wrong ones (counterexamples, named mistakes), 10% hostile
ones from the parser's corpus (power towers, 100 000 parentheses, NUL, look-alikes…).
Every response is checked: a right answer must come back ``equivalent``, a wrong one
``not_equivalent``, a hostile one 422 — anything else counts as an error; a request sent
and never answered is lost. Bounded: at most ``--max-requests`` requests, each with a
30 s client timeout, and the phases' time. Targets on the 2-core machine: 0 errors,
0 lost, p95 under 250 ms for ordinary answers, throughput at least 80% of the reference.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RIGHT = [
    {"quantity": "crossover", "answer": "4", "set": {"n": "30", "c": "90"}},
    {"quantity": "crossover", "answer": "max(1, floor((c - 1)/(n - 1)) + 1)", "assume": ["n >= 2"]},
    {"quantity": "graph_total", "answer": "c + k - 1"},
    {"quantity": "asymptote", "answer": "n"},
    {"quantity": "crossover", "answer": "ceil(c/(n-1))", "assume": ["n >= 2", "c integer"]},
]
WRONG = [
    {"quantity": "crossover", "answer": "5", "set": {"n": "30", "c": "90"}},
    {"quantity": "crossover", "answer": "ceil(c/(n-1))", "assume": ["n >= 2"]},
    {"quantity": "graph_total", "answer": "c + k"},
    {"quantity": "asymptote", "answer": "n*c/(c + 1)"},
    {"quantity": "break_even", "answer": "c/(n - 1)"},
]
HOSTILE = [{"quantity": "crossover", "answer": text} for text in (
    "9**9**9**9", "(" * 100_000 + "n" + ")" * 100_000, "n+" * 20_000 + "n", "n\x00", "с + 1",
    "__import__('os').system('echo pwned')", "n\u202e + 1", r"\input{/etc/passwd}", "1e1000000000")]


def _mix(rng):
    roll = rng.random()
    if roll < 0.45:
        return "right", rng.choice(RIGHT)
    if roll < 0.90:
        return "wrong", rng.choice(WRONG)
    return "hostile", rng.choice(HOSTILE)


_EXPECTED = {"right": (200, "equivalent"), "wrong": (200, "not_equivalent"), "hostile": (422, None)}


# -- the in-process reference -------------------------------------------------------------------

def _in_process(seconds, seed, counter):
    from derive.serve.work import check_json, warm

    warm()
    rng, done, end = random.Random(seed), 0, time.monotonic() + seconds
    while time.monotonic() < end:
        _, body = _mix(rng)
        try:
            check_json(body)
        except (ValueError, TypeError, ArithmeticError):
            pass
        except Exception as error:                   # ParseError and the like: a refusal
            if type(error).__name__ not in ("ParseError", "BindingError", "ModelError"):
                raise
        done += 1
    counter.put(done)


def reference(workers, seconds):
    context = multiprocessing.get_context("spawn")
    counter = context.Queue()
    processes = [context.Process(target=_in_process, args=(seconds, i, counter)) for i in range(workers)]
    for p in processes:
        p.start()
    total = sum(counter.get() for _ in processes)
    for p in processes:
        p.join()
    return total / seconds


# -- the load ------------------------------------------------------------------------------------

class _Connection:
    """A minimal HTTP/1.1 keep-alive client: the load generator shares the CPUs with the
    server, so it must cost little (httpx's client costs about as much as the server)."""

    retried = 0                                     #: requests sent again on a fresh connection

    def __init__(self, host, port):
        self.host, self.port, self.reader, self.writer = host, port, None, None

    async def post(self, path, body):
        """``(status, body)``. A kept-alive connection the server closed while idle is
        reopened and the request sent again, once, as HTTP clients do: nothing was read."""
        fresh = self.writer is None
        try:
            return await self._post(path, body)
        except (ConnectionError, asyncio.IncompleteReadError):
            if fresh:
                raise
            self.close()
            _Connection.retried += 1
            return await self._post(path, body)

    async def _post(self, path, body):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed by the server")
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(url, clients, seconds, pause, max_requests, seed):
    host, port = url.rsplit("/", 1)[-1].split(":")
    results, budget = [], [max_requests]
    end = time.monotonic() + seconds

    async def student(number):
        rng = random.Random(seed * 1000 + number)
        connection = _Connection(host, int(port))
        try:
            while time.monotonic() < end and budget[0] > 0:
                budget[0] -= 1
                kind, body = _mix(rng)
                data = json.dumps(body).encode()
                start = time.perf_counter()
                try:
                    status, answer = await asyncio.wait_for(connection.post("/api/check", data), 30)
                    verdict = json.loads(answer).get("verdict") if status == 200 else None
                except (OSError, asyncio.TimeoutError, ValueError, asyncio.IncompleteReadError) as error:
                    status, verdict = type(error).__name__, None
                    connection.close()
                    connection = _Connection(host, int(port))
                elapsed = time.perf_counter() - start
                results.append((kind, elapsed, (status, verdict) == _EXPECTED[kind], status))
                if pause:
                    await asyncio.sleep(rng.expovariate(1 / pause))
        finally:
            connection.close()

    started = time.monotonic()
    await asyncio.gather(*(student(i) for i in range(clients)))
    wall = time.monotonic() - started
    return results, wall, max_requests - budget[0]


def _percentiles(times):
    if not times:
        return (float("nan"),) * 3
    ordered = sorted(times)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return pick(0.50), pick(0.95), pick(0.99)


def report(name, results, wall, sent, ref=None):
    ordinary = [t for kind, t, _, _ in results if kind != "hostile"]
    hostile = [t for kind, t, _, _ in results if kind == "hostile"]
    errors = [(kind, status) for kind, _, ok, status in results if not ok]
    rate = len(results) / wall
    share = f" ({rate / ref:.0%} of in-process)" if ref else ""
    print(f"\n{name}: {len(results)} answered of {sent} sent in {wall:.1f} s, lost {sent - len(results)}, "
          f"errors {len(errors)}{' ' + str(errors[:5]) if errors else ''}")
    print(f"  throughput {rate:.1f} requests/s{share}")
    for label, times in (("ordinary", ordinary), ("hostile", hostile)):
        p50, p95, p99 = _percentiles(times)
        print(f"  {label:9s} n={len(times):6d}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms")
    return rate


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--pause", type=float, default=1.0,
                        help="a student's mean pause between requests in the classroom phase (s)")
    args = parser.parse_args()
    if not (1 <= args.clients <= 500 and 1 <= args.seconds <= 600 and 1 <= args.workers <= 64
            and 0 <= args.pause <= 60):
        parser.error("--clients 1..500, --seconds 1..600, --workers 1..64, --pause 0..60")

    print(f"derive serve load test: {args.clients} clients, {args.seconds:g} s, {args.workers} workers, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
    before = reference(args.workers, min(20.0, args.seconds))
    print(f"\nin-process reference, before: {args.workers} processes calling check: {before:.1f} checks/s")

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "derive", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", str(args.workers), "--rate", "0"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(600):
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        results, wall, sent = asyncio.run(load(url, args.clients, args.seconds, 0, args.max_requests, 1))
        after = reference(args.workers, min(20.0, args.seconds))   # the server idle meanwhile
        ref = (before + after) / 2
        print(f"in-process reference, after: {after:.1f} checks/s; the mean, {ref:.1f}, is the reference")
        report("saturation (no pause between requests)", results, wall, sent, ref)
        results, wall, sent = asyncio.run(load(url, args.clients, args.seconds / 2, args.pause,
                                               args.max_requests, 2))
        report(f"classroom ({args.pause:g} s mean pause per student)", results, wall, sent)
        print(f"  kept-alive connections closed by the server while idle, request sent again: "
              f"{_Connection.retried}")
        health = httpx.get(url + "/health").json()
        print(f"\nafter: {health}, load average {os.getloadavg()[0]:.2f}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
