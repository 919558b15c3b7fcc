"""Views by stage: rounds and plans, sample and forms, paper entry, statistics and reports, after the
survey, questionnaires, and the residents' public pages. Each parses, calls one service, renders or
redirects (STYLE.md 9); every lookup is office-scoped (selectors.*_for_user raise Http404)."""
