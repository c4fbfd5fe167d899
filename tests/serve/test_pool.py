"""The worker pool: a task past its time is killed and replaced; memory is capped; others go on."""

import asyncio
import operator
import time

import pytest

from derive.serve.pool import Overrun, Pool, TaskError

from .conftest import Server


def run(coroutine):
    return asyncio.run(coroutine)


def test_an_overrunning_worker_is_killed_and_replaced_while_the_others_answer():
    async def scenario():
        async with Pool(2, seconds=1.0) as pool:
            await pool.warm(operator.add, 1, 1)      # both workers up before the clock matters
            first = set(pool._workers)
            slow = asyncio.create_task(pool.run(time.sleep, 30))
            await asyncio.sleep(0.1)
            answered = [await pool.run(operator.mul, 30, 3) for _ in range(5)]   # the other worker
            with pytest.raises(Overrun, match="longer than 1 s"):
                await slow
            after = await pool.run(operator.add, 1, 1)
            return answered, after, pool.replaced, pool.alive, first & set(pool._workers)

    answered, after, replaced, alive, kept = run(scenario())
    assert answered == [90] * 5 and after == 2
    assert replaced == 1 and alive == 2 and len(kept) == 1


def test_memory_past_the_cap_is_a_clear_error_and_the_worker_lives_on():
    async def scenario():
        async with Pool(1, seconds=20, memory_mb=512) as pool:
            with pytest.raises(TaskError, match="too large to work with \\(MemoryError\\)"):
                await pool.run(bytearray, 2 * 1024**3)
            return await pool.run(operator.add, 2, 2), pool.replaced

    assert run(scenario()) == (4, 0)


def test_bad_input_comes_back_as_the_cli_s_line():
    from derive.serve.work import check_json

    async def scenario():
        async with Pool(1, seconds=20) as pool:
            return await pool.run(check_json, {"quantity": "crossover", "answer": "9**9**9**9"})

    with pytest.raises(TaskError) as raised:
        run(scenario())
    assert raised.value.line == ("derive: error: exponents must be whole numbers from -64 to 64, "
                                 "got 387420489 (column 5)")
    assert not raised.value.crashed


@pytest.mark.parametrize("size, seconds, message", [(0, 1, "size must be"), (True, 1, "size must be"),
                                                     (1, 0, "seconds must be > 0")])
def test_pool_arguments_are_checked(size, seconds, message):
    with pytest.raises(ValueError, match=message):
        Pool(size, seconds=seconds)


def test_each_client_is_rate_limited_and_told_when_to_come_back():
    server = Server("--workers", "1", "--rate", "1", "--burst", "3")
    try:
        statuses = [server.client.get("/api/derive").status_code for _ in range(6)]
        refused = server.client.get("/api/derive")
        assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "too many requests" in refused.json()["error"]
        assert server.client.get("/health").status_code == 200      # health is never limited
    finally:
        server.stop()


def test_binds_to_localhost_unless_told_otherwise():
    import socket

    server = Server("--workers", "1")
    try:
        host = [line for line in open(f"/proc/net/tcp").read().splitlines()[1:]
                if int(line.split()[1].split(":")[1], 16) == server.port and line.split()[3] == "0A"]
        assert host and all(line.split()[1].split(":")[0] == "0100007F" for line in host)
        with pytest.raises(OSError):                  # not reachable on another address of this machine
            other = socket.gethostbyname(socket.gethostname())
            if other.startswith("127."):
                raise OSError("no other address to try")
            socket.create_connection((other, server.port), timeout=2).close()
    finally:
        server.stop()


def test_over_http_an_overrun_is_a_422_and_the_server_keeps_answering():
    """A derivation that takes seconds here, against a 0.1 s bound: its worker is killed.

    Twenty lines of cubes against squares: each step is a real z3 question, so the whole
    chain takes far longer than the bound however warm the worker is (a single answer
    can be too quick once the worker's caches are warm)."""
    from concurrent.futures import ThreadPoolExecutor

    server = Server("--workers", "2", "--timeout", "0.1", "--rate", "0")
    slow = {"text": "(n*k - c)^3 > (c*k - n)^2\nn*k > c\n" * 10}
    try:
        replaced = server.client.get("/health").json()["replaced"]
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(server.client.post, "/api/steps", json=slow)
            quick = [server.client.post("/api/preview", json={"answer": "4"}).status_code for _ in range(5)]
            response = pending.result(timeout=60)
        assert quick == [200] * 5                       # the other worker answered meanwhile
        assert response.status_code == 422
        assert response.json() == {"error": "derive: error: checking this input took longer than 0.1 s "
                                            "and was stopped"}
        health = server.client.get("/health").json()
        assert health["workers"] == 2 and health["replaced"] > replaced
        assert server.client.post("/api/preview", json={"answer": "4"}).json()["reading"] == "4"
    finally:
        server.stop()
