"""derive.measure.cuda: the GPU path, driven by a fake torch with known costs.

The GPU path is NOT YET RUN ON HARDWARE: these tests check how ``cuda_runs`` drives
torch and what it computes, not what a real GPU does.
"""

from fractions import Fraction

from derive.measure.cpu import Settings
from derive.measure.cuda import cuda_runs
from derive.numeric import crossover
from tests.measure.measuring import GPU, INSTANTIATE, LAUNCH, RECORD, TINY


def test_cuda_runs_measure_what_the_fake_gpu_costs(fake_gpu):
    result, reason = cuda_runs(TINY, clock=fake_gpu.clock)
    assert reason is None and result.device == "Fake GPU" and result.trials == 2
    # a kernel launch: `number` launches and one synchronize per sample
    assert result.launch.median == Fraction(LAUNCH + GPU // result.launch.number, 1000)
    for cmp, n in zip(result.chains, TINY.num_ops):
        assert cmp.num_ops == n and cmp.calls == TINY.calls
        assert cmp.eager_call_us == Fraction(n * LAUNCH + GPU, 1000)
        assert cmp.replay_call_us == Fraction(LAUNCH + GPU, 1000)
        # first graph call: a warm-up pass, n ops recorded, instantiation, a replay, a sync
        first = n * LAUNCH + n * RECORD + INSTANTIATE + LAUNCH + GPU
        assert cmp.first_call_us == Fraction(first, 1000)
        assert (cmp.fit.t_launch_us, cmp.fit.t_gpu_us) == (Fraction(LAUNCH, 1000), Fraction(GPU, 1000))
        assert cmp.fit.capture_cost_ops == Fraction(first - GPU, LAUNCH)
        assert cmp.deviation == 0
        assert cmp.crossover_model == crossover(n, cmp.fit.capture_cost_ops)


def test_cuda_runs_warm_up_on_a_side_stream_before_capturing(fake_gpu):
    cuda_runs(Settings(repeat=1, warmup=0, min_sample_ns=0, calls=2, trials=1, num_ops=(3,)),
              clock=fake_gpu.clock)
    log = fake_gpu.log
    start = log.index("side-stream")
    assert log[start:start + 9] == ["side-stream", "launch", "launch", "launch", "main-stream",
                                    "capture", "record", "record", "record"]
    assert log[start + 9:start + 12] == ["instantiate", "replay", "sync"]



def test_cuda_runs_without_torch(no_torch):
    assert cuda_runs(TINY) == (None, "torch is not installed (pip install 'derive[measure]')")
