"""Writes of QA inspections, one module per stage (STYLE.md: a module past 400 lines becomes a package)."""
