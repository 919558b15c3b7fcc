"""Scale data and benchmarks (issue 10): `manage.py seed_scale` and `make bench`. Not part of CI."""
