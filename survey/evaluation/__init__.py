"""The evaluation of the study: indicators, weights, estimates with intervals, safe tables and reports."""
