"""Write the run's reports: monitoring and evaluation, German and English, as HTML and PDF, with SVG
charts (each beside its data table and a text version) and the tables as CSV and XLSX."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from . import charts, tables
from .indicators import Indicator
from .run import ALL, Result
from .words import LANGUAGES, WITHHELD, figure, interval, number, p_value, word

KINDS = ("monitoring", "evaluation")


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("survey.evaluation", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment


def _definition(indicator: Indicator, lang: str) -> list[tuple[str, str]]:
    parts = [(word("population", lang), indicator.population.source)]
    if indicator.numerator is not None:
        parts.append((word("numerator", lang), indicator.numerator.source))
    else:
        parts.append((word("mean_of", lang), indicator.mean or ""))
    return parts


def _estimate_cells(
    result: Result, indicator: Indicator, breakdown: str, group: str, wave: str, lang: str
) -> dict[str, Any]:
    row = result.row(indicator.id, breakdown, group, wave)
    share = indicator.is_share
    if row is None or row.suppressed:
        return {"value": WITHHELD, "interval": WITHHELD, "n": WITHHELD, "point": None}
    e = row.estimate
    if e.n == 0:
        return {"value": word("not_estimable", lang), "interval": WITHHELD, "n": "0", "point": None}
    return {
        "value": figure(e.value, lang, share),
        "interval": interval(e.lower, e.upper, lang, share),
        "n": number(e.n, lang, 0),
        "point": (e.value, e.lower, e.upper),
    }


def _test_cells(test: Any, lang: str, share: bool) -> dict[str, str]:
    if test is None:
        return {"value": WITHHELD, "interval": WITHHELD, "p": WITHHELD}
    return {
        "value": figure(test.value, lang, share, signed=True),
        "interval": f"{figure(test.lower, lang, share, signed=True)} – {figure(test.upper, lang, share, signed=True)}",
        "p": p_value(test.p, lang),
    }


def _indicator_context(
    result: Result, indicator: Indicator, lang: str, write_chart: Callable[[str, str], str]
) -> dict[str, Any]:
    waves = result.responses.waves
    share = indicator.is_share
    title = indicator.title.get(lang)
    per_wave = [{"wave": wave, **_estimate_cells(result, indicator, ALL, ALL, wave, lang)} for wave in waves]
    points = [charts.Point(item["wave"], *(item["point"] or (None, None, None))) for item in per_wave]
    percent = " %" if lang == "de" else "%"
    alternative = "; ".join(f"{item['wave']}: {item['value']} ({item['interval']})" for item in per_wave)
    alt_title = word("chart_over_waves", lang, title=title)
    target = indicator.target.value if indicator.target else None
    svg = charts.over_waves(points, alt_title, alternative, lang, share, target, percent)
    chart = write_chart(f"{indicator.id}-waves.{lang}.svg", svg)
    changes = [
        {"label": word("change_since", lang, earlier=c.earlier, later=c.later), **_test_cells(c.test, lang, share)}
        for c in result.changes
        if c.indicator == indicator.id and c.breakdown == ALL
    ]
    trend = next((c for c in result.trends if c.indicator == indicator.id and c.breakdown == ALL), None)
    latest = waves[-1]
    breakdowns: list[dict[str, Any]] = []
    for breakdown_id in indicator.breakdowns:
        breakdown = result.indicators.breakdown(breakdown_id)
        groups = [
            {"title": group.title.get(lang), **_estimate_cells(result, indicator, breakdown_id, group.id, latest, lang)}
            for group in breakdown.groups
        ]
        name = breakdown.title.get(lang)
        text = "; ".join(f"{g['title']}: {g['value']} ({g['interval']})" for g in groups)
        entry: dict[str, Any] = {"title": name, "groups": groups, "chart": None}
        if not breakdowns:  # one chart per indicator: its first breakdown (the rest are in the table)
            chart_title = word("chart_by_group", lang, title=title, breakdown=name) + f" ({latest})"
            svg = charts.by_group(
                [charts.Point(g["title"], *(g["point"] or (None, None, None))) for g in groups],
                chart_title,
                text,
                lang,
                share,
                percent,
            )
            entry.update(
                chart=write_chart(f"{indicator.id}-{breakdown_id}.{lang}.svg", svg),
                chart_title=chart_title,
                alternative=text,
            )
        breakdowns.append(entry)
    return {
        "id": indicator.id,
        "title": title,
        "unit": indicator.unit.get(lang) if indicator.unit else "",
        "comment": indicator.comment,
        "definition": _definition(indicator, lang),
        "per_wave": per_wave,
        "chart": chart,
        "chart_title": alt_title,
        "alternative": alternative,
        "changes": changes,
        "trend": _test_cells(trend.test, lang, share) if trend else None,
        "breakdowns": breakdowns,
        "breakdowns_caption": word("by", lang, breakdown=", ".join(b["title"] for b in breakdowns), wave=latest),
        "latest": per_wave[-1],
    }


def _targets(result: Result, lang: str) -> list[dict[str, Any]]:
    found = []
    baseline = result.indicators.baseline_wave
    for check in result.targets:
        indicator = next(i for i in result.indicators.indicators if i.id == check.indicator)
        share = indicator.is_share
        since = next(
            (
                c
                for c in result.changes
                if c.indicator == indicator.id
                and c.breakdown == ALL
                and c.earlier == baseline
                and c.later == check.wave
            ),
            None,
        )
        found.append(
            {
                "id": indicator.id,
                "title": indicator.title.get(lang),
                "target": f"{word(check.direction, lang)} {figure(check.target, lang, share)}",
                "wave": check.wave,
                "estimate": figure(check.estimate.value, lang, share) if check.estimate else WITHHELD,
                "interval": interval(check.estimate.lower, check.estimate.upper, lang, share)
                if check.estimate
                else WITHHELD,
                "n": number(check.estimate.n, lang, 0) if check.estimate else WITHHELD,
                "status": word(check.status, lang),
                "status_key": check.status.replace(" ", "-"),
                "since": _test_cells(since.test, lang, share) if since else None,
                "since_label": word("since_baseline", lang, wave=baseline) if since else "",
            }
        )
    return found


def _methods(result: Result, lang: str) -> dict[str, Any]:
    options = result.options
    strata = word("strata_note", lang, strata=options.strata) if options.strata else ""
    reasons = {"primary": word("primary", lang, min_n=result.min_n), "secondary": word("secondary", lang)}
    titles = {i.id: i.title.get(lang) for i in result.indicators.indicators}
    breakdown_titles = {b.id: b.title.get(lang) for b in result.indicators.breakdowns}
    group_titles = {(b.id, g.id): g.title.get(lang) for b in result.indicators.breakdowns for g in b.groups}
    return {
        "sources": result.responses.sources,
        "weighting_text": (
            word(
                "weighting_text",
                lang,
                source=Path(result.margins_source).name,
                low=number(options.trim[0], lang),
                high=number(options.trim[1], lang),
            )
            if result.weighting
            else word("unweighted_text", lang)
        ),
        "weighting": [
            {
                "wave": wave,
                "converged": word("yes" if r.converged else "no", lang),
                "iterations": r.iterations,
                "deviation": f"{r.max_deviation:.1e}",
                "trimmed": r.trimmed,
                "n": number(r.n, lang, 0),
                "deff": number(r.deff, lang, 2),
                "effective_n": number(r.effective_n, lang, 0),
            }
            for wave, r in result.weighting.items()
        ],
        "margins": [
            {
                "wave": wave,
                "variable": breakdown_titles.get(v, v),
                "category": group_titles.get((v, c), c),
                "population": number(target, lang, 0),
                "reached": number(reached, lang, 1),
            }
            for wave, found in result.weighted_margins.items()
            for v, c, target, reached in found
        ],
        "intervals_text": word("intervals_text", lang, strata=strata),
        "suppression_text": word("suppression_text", lang, below=result.min_n - 1, count=len(result.withheld)),
        "withheld": _withheld_summary(result, lang, reasons, breakdown_titles, group_titles),
        "rates": [
            {
                "wave": r.wave,
                "batch": r.batch or word("whole_wave", lang),
                "issued": number(r.counts.issued, lang, 0),
                "complete": number(r.counts.complete, lang, 0),
                "partial": number(r.counts.partial, lang, 0),
                "rr1": figure(r.rates.rr1, lang, True) if r.rates.rr1 is not None else WITHHELD,
                "rr2": figure(r.rates.rr2, lang, True) if r.rates.rr2 is not None else WITHHELD,
            }
            for r in result.rates
        ],
        "panel": [
            {
                "title": titles[c.indicator],
                "first": c.earlier,
                "last": c.later,
                **_test_cells(
                    c.test, lang, next(i for i in result.indicators.indicators if i.id == c.indicator).is_share
                ),
                "n": number(c.test.n, lang, 0) if c.test else WITHHELD,
            }
            for c in result.panel
        ],
        "settings": [
            ("min_n", str(result.min_n)),
            ("trim", f"{options.trim[0]:g} – {options.trim[1]:g}"),
            ("strata", options.strata or "–"),
            ("indicators", Path(result.indicators.source).name),
            ("margins", Path(result.margins_source).name if result.margins_source else "–"),
        ],
    }


def _withheld_summary(
    result: Result,
    lang: str,
    reasons: dict[str, str],
    breakdown_titles: dict[str, str],
    group_titles: dict[tuple[str, str], str],
) -> list[dict[str, Any]]:
    """Withheld cells by breakdown, group, wave and reason, with how many indicators (tables/withheld.csv
    lists every cell)."""
    counts: dict[tuple[str, str, str, str], set[str]] = {}
    for item in result.withheld:
        counts.setdefault((item.breakdown, item.group, item.wave, item.status), set()).add(item.indicator)
    return [
        {
            "breakdown": breakdown_titles.get(breakdown, word("all", lang)),
            "group": group_titles.get((breakdown, group), word("all", lang)),
            "wave": wave,
            "indicators": len(found),
            "reason": reasons.get(status, status),
        }
        for (breakdown, group, wave, status), found in counts.items()
    ]


def write(
    result: Result, out: Path, progress: Callable[[str], None] = lambda message: None, pdf: bool = True
) -> list[Path]:
    """Every file of the run in `out`: reports (HTML, PDF), charts/, tables/ and tables.xlsx."""
    out.mkdir(parents=True, exist_ok=True)
    chart_folder = out / "charts"
    chart_folder.mkdir(exist_ok=True)
    written: list[Path] = []

    def write_chart(name: str, svg: str) -> str:
        path = chart_folder / name
        path.write_text(svg, encoding="utf-8")
        written.append(path)
        return f"charts/{name}"

    environment = _environment()
    css = (Path(__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")
    for lang in LANGUAGES:
        progress(f"report text and charts ({lang})")
        domains: dict[str, list[dict[str, Any]]] = {}
        for indicator in result.indicators.indicators:
            domains.setdefault(indicator.domain, []).append(_indicator_context(result, indicator, lang, write_chart))
        context = {
            "lang": lang,
            "other": "en" if lang == "de" else "de",
            "w": functools.partial(word, lang=lang),
            "study": result.indicators.title.get(lang),
            "waves": result.responses.waves,
            "domains": [(word(f"domain_{key}", lang), items) for key, items in domains.items()],
            "summary": [item for items in domains.values() for item in items],
            "targets": _targets(result, lang),
            "methods": _methods(result, lang),
            "min_n": result.min_n,
            "css": css,
        }
        for kind in KINDS:
            html = environment.get_template(f"{kind}.html").render(kind=kind, **context)
            path = out / f"{kind}.{lang}.html"
            path.write_text(html, encoding="utf-8")
            written.append(path)
            if pdf:
                progress(f"PDF {path.stem}.pdf")
                written.append(_pdf(html, out, out / f"{kind}.{lang}.pdf"))
    progress("tables (CSV, XLSX)")
    built = tables.build(result)
    written += tables.write_csv(out / "tables", built)
    written.append(tables.write_xlsx(out / "tables.xlsx", built, result.indicators.title.get("en")))
    return written


def _pdf(html: str, base: Path, path: Path) -> Path:
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property it meets; the report's CSS is its own.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=html, base_url=str(base) + "/").write_pdf(path, uncompressed_pdf=False)
    return path
