"""Benchmarks and data generators (never timed tests). See bench/README.md."""
