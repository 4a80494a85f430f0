use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
fn fib(n: u64) -> u64 { match n { 0 | 1 => 1, n => fib(n - 1) + fib(n - 2) } }
fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("fib");
    for n in [10u64, 15].iter() {
        g.bench_with_input(BenchmarkId::from_parameter(n), n, |b, &n| b.iter(|| fib(black_box(n))));
    }
    g.finish();
}
criterion_group!{ name = benches; config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_millis(300)).warm_up_time(std::time::Duration::from_millis(100)); targets = bench }
criterion_main!(benches);
