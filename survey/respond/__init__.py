"""The respondent's journey: language, consent, question pages, review, submit."""
