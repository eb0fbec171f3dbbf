"""The only code that reads or writes answer content: drafts sealed under a key only the
respondent's browser holds, and completed responses sealed for the study."""
