"""``lotse synth``: a deterministic synthetic NRW for benchmarks (issue 14, docs/performance.md)."""
