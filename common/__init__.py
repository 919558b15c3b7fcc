"""The bottom layer: helpers every app may use (Excel, menu registry, attachment checks, the view
helper for service errors, the pagination include). Imports no app of the project (import-linter)."""
