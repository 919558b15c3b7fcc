"""Excel exports built in the background: the export registry, the jobs and their downloads (issue 10)."""
