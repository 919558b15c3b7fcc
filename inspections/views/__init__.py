"""Views of QA inspections, one module per stage: parse, call one service, render or redirect
(STYLE.md 9). Every lookup goes through selectors (404 outside the user's offices); changes are POSTs."""
