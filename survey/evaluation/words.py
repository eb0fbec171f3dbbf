# ruff: noqa: E501 - sentences of the reports stay on one line each
"""The reports' own words in German and English, and numbers written as each language writes them.

The reports are documents for the county, in its two languages; the platform's 21 interface languages
(gettext catalogs) are for the pages, not for these."""

from __future__ import annotations

import math

LANGUAGES = ("de", "en")
WITHHELD = "."  # as official tables mark a value withheld for confidentiality

WORDS: dict[str, dict[str, str]] = {
    "monitoring": {"de": "Monitoringbericht", "en": "Monitoring report"},
    "evaluation": {
        "de": "Evaluationsbericht zum Integrationskonzept",
        "en": "Evaluation report on the integration concept",
    },
    "monitoring_intro": {
        "de": "Die Indikatoren der Befragung über alle Wellen: gewichtete Anteile und Mittelwerte mit 95-%-Konfidenzintervallen, ungewichtete Fallzahlen daneben.",
        "en": "The survey's indicators over all waves: weighted shares and means with 95% confidence intervals, unweighted numbers of respondents beside them.",
    },
    "evaluation_intro": {
        "de": "Die Maßnahmen des Integrationskonzepts an ihren Zielwerten gemessen: erreicht ist ein Ziel, wenn das ganze 95-%-Konfidenzintervall auf der richtigen Seite des Zielwerts liegt; verfehlt, wenn es ganz auf der falschen liegt; sonst offen.",
        "en": "The integration concept's measures against their targets: a target is reached when the whole 95% confidence interval lies on the right side of it, missed when it lies wholly on the wrong side, and open otherwise.",
    },
    "waves": {"de": "Wellen", "en": "Waves"},
    "wave": {"de": "Welle", "en": "Wave"},
    "sources": {"de": "Datengrundlage", "en": "Data"},
    "summary": {"de": "Überblick", "en": "Summary"},
    "indicator": {"de": "Indikator", "en": "Indicator"},
    "estimate": {"de": "Schätzwert", "en": "Estimate"},
    "interval": {"de": "95-%-Konfidenzintervall", "en": "95% confidence interval"},
    "n": {"de": "n (ungewichtet)", "en": "n (unweighted)"},
    "change": {"de": "Veränderung", "en": "Change"},
    "change_since": {"de": "Veränderung %(earlier)s bis %(later)s", "en": "Change %(earlier)s to %(later)s"},
    "p": {"de": "p-Wert", "en": "p-value"},
    "trend": {"de": "Trend je Welle", "en": "Trend per wave"},
    "group": {"de": "Gruppe", "en": "Group"},
    "all": {"de": "Alle Befragten", "en": "All respondents"},
    "population": {"de": "Grundgesamtheit", "en": "Population"},
    "numerator": {"de": "Zähler", "en": "Numerator"},
    "mean_of": {"de": "Mittelwert von", "en": "Mean of"},
    "definition": {"de": "Definition", "en": "Definition"},
    "source_definition": {"de": "Quelle der Definition", "en": "Source of the definition"},
    "by": {"de": "nach %(breakdown)s, Welle %(wave)s", "en": "by %(breakdown)s, wave %(wave)s"},
    "chart_data": {"de": "Daten zur Grafik", "en": "Data of the chart"},
    "text_alternative": {"de": "Textfassung", "en": "Text version"},
    "withheld_note": {
        "de": "„.“: Wert aus Gründen der Geheimhaltung nicht veröffentlicht (weniger als %(min_n)s Befragte in einer Zelle oder zum Schutz einer solchen Zelle).",
        "en": "'.': value withheld for confidentiality (fewer than %(min_n)s respondents in a cell, or to protect such a cell).",
    },
    "target": {"de": "Zielwert", "en": "Target"},
    "target_wave": {"de": "Zielwelle", "en": "Target wave"},
    "status": {"de": "Stand", "en": "Status"},
    "reached": {"de": "erreicht", "en": "reached"},
    "missed": {"de": "verfehlt", "en": "missed"},
    "open": {"de": "offen", "en": "open"},
    "not measured": {"de": "noch nicht erhoben", "en": "not yet measured"},
    "suppressed": {"de": "geheim gehalten", "en": "withheld"},
    "at_least": {"de": "mindestens", "en": "at least"},
    "at_most": {"de": "höchstens", "en": "at most"},
    "since_baseline": {"de": "Veränderung seit %(wave)s", "en": "Change since %(wave)s"},
    "methods": {"de": "Methodischer Anhang", "en": "Methods appendix"},
    "weighting": {"de": "Gewichtung", "en": "Weighting"},
    "weighting_text": {
        "de": "Jede Welle wurde mit iterativer proportionaler Anpassung (Raking) an die Randverteilungen aus %(source)s angepasst; die Gewichte wurden nach jedem Durchlauf auf das %(low)s- bis %(high)s-Fache des mittleren Gewichts begrenzt. Befragte ohne Angabe in einem Gewichtungsmerkmal behalten dort ihren gewichteten Anteil.",
        "en": "Each wave was raked (iterative proportional fitting) to the margins in %(source)s; after each sweep the weights were trimmed to %(low)s to %(high)s times the mean weight. Respondents without a value in a weighting variable keep their weighted share there.",
    },
    "unweighted_text": {
        "de": "Es wurden keine Randverteilungen angegeben: alle Schätzungen sind ungewichtet.",
        "en": "No margins were given: every estimate is unweighted.",
    },
    "converged": {"de": "konvergiert", "en": "converged"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "iterations": {"de": "Iterationen", "en": "Iterations"},
    "max_deviation": {"de": "größte relative Abweichung", "en": "largest relative deviation"},
    "trimmed": {"de": "begrenzte Gewichte", "en": "trimmed weights"},
    "deff": {"de": "Designeffekt (Kish)", "en": "Design effect (Kish)"},
    "effective_n": {"de": "effektive Fallzahl", "en": "Effective n"},
    "margin": {"de": "Merkmal", "en": "Variable"},
    "category": {"de": "Ausprägung", "en": "Category"},
    "population_count": {"de": "Bevölkerung", "en": "Population"},
    "weighted_count": {"de": "gewichtet erreicht", "en": "weighted total reached"},
    "intervals": {"de": "Konfidenzintervalle", "en": "Confidence intervals"},
    "intervals_text": {
        "de": "Standardfehler durch Taylor-Linearisierung des Verhältnisschätzers (Ziehung mit Zurücklegen%(strata)s), die Gewichte als fest behandelt. Anteile: Intervall auf der Logit-Skala, Mittelwerte: symmetrisch (±1,96 Standardfehler). Veränderungen zwischen Wellen: Befragte als Einheiten über beide Wellen, sodass Panelteilnehmende richtig berücksichtigt sind; Test mit der Normalverteilung. Trend: Steigung der kleinsten Quadrate je Welle.",
        "en": "Standard errors by Taylor linearisation of the ratio estimator (with-replacement design%(strata)s), weights treated as fixed. Shares: interval on the logit scale; means: symmetric (±1.96 standard errors). Changes between waves: respondents as units across both waves, so that panel members are accounted for; normal test. Trend: least-squares slope per wave.",
    },
    "strata_note": {"de": ", Schichten: %(strata)s", "en": ", strata: %(strata)s"},
    "suppression": {"de": "Geheimhaltung", "en": "Confidentiality"},
    "suppression_text": {
        "de": "Für jede veröffentlichte Zahl wurde die Tabelle der gewichteten Fallzahlen (Gruppen × ja/nein, bei Mittelwerten Gruppen × Anzahl) samt Rändern geprüft. Zellen mit 1 bis %(below)s Befragten werden gesperrt (primäre Geheimhaltung), weitere Zellen, soweit nötig, damit keine gesperrte Zelle aus Rändern und anderen Zellen berechnet oder auf weniger als ±10 %% ihres Werts eingegrenzt werden kann (sekundäre Geheimhaltung). Die Tabellen eines Indikators in einer Welle (insgesamt und je Aufgliederung) haben dieselbe Summenzeile, die Zeile „insgesamt“; sie werden gemeinsam geschützt: Muss eine Tabelle diese Zeile sperren, werden in dieser Welle der Indikator insgesamt und alle seine Gruppen gesperrt, damit die Summe nicht aus einer anderen Tabelle gewonnen werden kann. Ein Schätzwert wird samt Intervall, Fallzahl und Veränderungen mit „.“ ausgewiesen, wenn eine Zelle seiner Gruppe gesperrt ist. Gesperrte Zellen in diesem Lauf: %(count)s.",
        "en": "For every published figure the table of weighted counts behind it (groups × yes/no, or groups × count for means), margins included, was checked. Cells of 1 to %(below)s respondents are withheld (primary suppression), and further cells where needed so that no withheld cell can be worked out, or narrowed to less than ±10%% of its value, from the margins and other cells (secondary suppression). The tables of an indicator in one wave (overall and one per breakdown) share one line of totals, the overall row, and are protected together: when any of them has to withhold that line, the indicator's overall figure and all its groups are withheld in that wave, so that the total cannot be taken from another table. An estimate, its interval, n and changes show '.' when a cell of its group is withheld. Cells withheld in this run: %(count)s.",
    },
    "withheld_cells": {
        "de": "Gesperrte Zellen (jede einzelne in tables/withheld.csv)",
        "en": "Withheld cells (each one in tables/withheld.csv)",
    },
    "indicators_count": {"de": "Indikatoren", "en": "Indicators"},
    "breakdown": {"de": "Aufgliederung", "en": "Breakdown"},
    "cell": {"de": "Zelle", "en": "Cell"},
    "reason": {"de": "Grund", "en": "Reason"},
    "primary": {"de": "primär: weniger als %(min_n)s Befragte", "en": "primary: fewer than %(min_n)s respondents"},
    "secondary": {"de": "sekundär: schützt eine gesperrte Zelle", "en": "secondary: protects a withheld cell"},
    "response_rates": {"de": "Rücklaufquoten", "en": "Response rates"},
    "response_rates_text": {
        "de": "Nach den Standard Definitions der AAPOR (10. Auflage): RR1 zählt nur vollständige Interviews, RR2 auch abgebrochene nach der Teilausfüllungsschwelle.",
        "en": "After AAPOR's Standard Definitions (10th edition): RR1 counts complete interviews only, RR2 partial ones past the threshold too.",
    },
    "no_rates": {"de": "Keine Dispositionen angegeben.", "en": "No dispositions given."},
    "batch": {"de": "Code-Serie", "en": "Code batch"},
    "issued": {"de": "ausgegeben", "en": "issued"},
    "complete": {"de": "vollständig", "en": "complete"},
    "partial": {"de": "teilweise", "en": "partial"},
    "whole_wave": {"de": "ganze Welle", "en": "whole wave"},
    "panel": {"de": "Veränderung bei denselben Personen (Panel)", "en": "Within-person change (panel)"},
    "panel_text": {
        "de": "Befragte, die an der ersten und der letzten Welle teilgenommen haben: mittlere Veränderung je Person (bei Anteilen in Prozentpunkten), gewichtet mit dem Gewicht der letzten Welle.",
        "en": "Respondents who took part in the first and the last wave: the mean change per person (for shares in percentage points), weighted with the last wave's weight.",
    },
    "pairs": {"de": "Personen", "en": "Persons"},
    "no_panel": {
        "de": "Die Daten enthalten keine Personen in mehreren Wellen.",
        "en": "The data hold no person in more than one wave.",
    },
    "settings": {"de": "Einstellungen dieses Laufs", "en": "Settings of this run"},
    "points": {"de": "Prozentpunkte", "en": "percentage points"},
    "chart_over_waves": {"de": "%(title)s über die Wellen", "en": "%(title)s over the waves"},
    "chart_by_group": {"de": "%(title)s nach %(breakdown)s", "en": "%(title)s by %(breakdown)s"},
    "language": {"de": "Sprache", "en": "Language"},
    "other_language": {"de": "English version", "en": "Deutsche Fassung"},
    "domain_language": {"de": "Sprache", "en": "Language"},
    "domain_education": {"de": "Bildung", "en": "Education"},
    "domain_work_income": {"de": "Arbeit und Einkommen", "en": "Work and income"},
    "domain_housing": {"de": "Wohnen", "en": "Housing"},
    "domain_health": {"de": "Gesundheit", "en": "Health"},
    "domain_discrimination": {"de": "Diskriminierung", "en": "Discrimination"},
    "domain_participation_belonging": {"de": "Teilhabe und Zugehörigkeit", "en": "Participation and belonging"},
    "not_estimable": {"de": "keine Befragten", "en": "no respondents"},
}


def word(key: str, /, lang: str, **values: object) -> str:
    text = WORDS[key][lang]
    return text % values if values else text


def number(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return WITHHELD
    text = f"{value:,.{digits}f}"
    if lang == "de":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def figure(value: float | None, lang: str, share: bool, signed: bool = False) -> str:
    """A share as a percentage (or percentage points when `signed`), a mean as a number."""
    if value is None or math.isnan(value):
        return WITHHELD
    shown = number(value * 100 if share else value, lang)
    if signed and value > 0:
        shown = "+" + shown
    if share and not signed:
        return f"{shown} %" if lang == "de" else f"{shown}%"
    return shown


def interval(lower: float | None, upper: float | None, lang: str, share: bool) -> str:
    if lower is None or upper is None or math.isnan(lower) or math.isnan(upper):
        return WITHHELD
    return f"{figure(lower, lang, share, signed=False)} – {figure(upper, lang, share, signed=False)}"


def p_value(p: float | None, lang: str) -> str:
    if p is None or math.isnan(p):
        return WITHHELD
    if p < 0.001:
        return "< 0,001" if lang == "de" else "< 0.001"
    return number(p, lang, 3)
