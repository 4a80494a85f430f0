import pytest

@pytest.mark.parametrize("n", [20000, 40000])
def test_sum(benchmark, n):
    benchmark(sum, range(n))

def test_sorted(benchmark):
    data = list(range(20000, 0, -1))
    benchmark(sorted, data)
