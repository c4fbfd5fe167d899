"""Fakes for the measuring tests: small settings, a steady fake clock, and a fake torch
whose GPU costs are known (it checks how the GPU path drives torch and what it computes,
not what a real GPU does: that path is not yet run on hardware).

Nothing here imports derive except its ``Settings``; the fixtures that install the fake
torch (``fake_gpu``) or hide torch (``no_torch``) are in ``conftest.py``.
"""

from contextlib import contextmanager
from types import SimpleNamespace

from derive.measure.cpu import Settings

TINY = Settings(repeat=3, warmup=1, min_sample_ns=50_000, calls=6, trials=2, num_ops=(3, 30))


def steady_clock(step_ns):
    """A fake clock that moves ``step_ns`` between any two readings (keep ``step_ns``
    >= the settings' ``min_sample_ns``, or autorange never finds a long enough sample)."""
    now = [0]

    def clock():
        now[0] += step_ns
        return now[0]
    return clock


LAUNCH, GPU, RECORD, INSTANTIATE = 5000, 20000, 1000, 100_000     # ns


class FakeTorch:
    """Just enough of torch for cuda_runs: one launch costs LAUNCH ns of the fake clock,
    a synchronize waits GPU ns, recording an op in a capture RECORD ns, instantiating a
    graph INSTANTIATE ns. Events are logged to check the capture protocol."""

    __version__ = "0.fake"

    def __init__(self, device=True):
        self.now = 0
        self.log = []
        self.recording = None
        fake = self

        class Graph:
            def __init__(self):
                self.ops = []

            def replay(self):
                assert self.ops, "replay of an empty graph"
                fake.tick(LAUNCH, "replay")

        @contextmanager
        def graph(g):
            fake.log.append("capture")
            fake.recording = g.ops
            yield
            fake.recording = None
            fake.tick(INSTANTIATE, "instantiate")

        @contextmanager
        def stream(s):
            fake.log.append("side-stream")
            yield
            fake.log.append("main-stream")

        stream_object = SimpleNamespace(wait_stream=lambda other: None)
        self.cuda = SimpleNamespace(
            is_available=lambda: device, synchronize=lambda: self.tick(GPU, "sync"),
            Stream=lambda: stream_object, current_stream=lambda: stream_object,
            stream=stream, graph=graph, CUDAGraph=Graph, get_device_name=lambda index: "Fake GPU",
        )
        self.version = SimpleNamespace(cuda="fake")

    def tick(self, ns, event):
        self.now += ns
        self.log.append(event)

    def clock(self):
        return self.now

    def moving_clock(self):
        """The fake clock, moved 50 µs by each reading too, so that CPU figures progress."""
        self.now += 50_000
        return self.now

    def get_num_threads(self):
        return 1

    def ones(self, *shape):                         # torch.mm on the CPU: free here
        return shape

    def mm(self, left, right):
        return left

    def zeros(self, size, device):
        assert device == "cuda"
        fake = self

        class Tensor:
            def add_(self, value):
                if fake.recording is not None:
                    fake.recording.append(value)
                    fake.tick(RECORD, "record")
                else:
                    fake.tick(LAUNCH, "launch")
        return Tensor()
