"""Web fonts for the scripts a phone may lack: subsets of Debian's Noto TTFs (fonts-noto-core) holding
only the characters the study shows, as WOFF2 in survey/static/fonts/, and the `@font-face` rules
between the markers in survey/static/survey.css. Run after a text of the study changes:

    .venv/bin/python bench/fonts.py build      # needs fontTools (the test extra) and fonts-noto-core
    .venv/bin/python bench/fonts.py weigh      # bytes a Tigrinya and a German page add, in Chromium

Ethiopic: every Ethiopic character of the study's Tigrinya texts. Arabic script: only the letters that
Pashto and Sorani add to Arabic and Persian (e.g. Pashto's ۍ); phones with Arabic fonts have the rest.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

FONT_DIR = ROOT / "survey" / "static" / "fonts"
STYLESHEET = ROOT / "survey" / "static" / "survey.css"
NOTO = Path("/usr/share/fonts/truetype/noto")
BEGIN, END = "/* fonts: made by bench/fonts.py build */", "/* end of fonts */"

ETHIOPIC = [(0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)]
ARABIC = [(0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF)]
# Arabic-script characters every Arabic or Persian font has: Arabic letters, marks and digits, and the
# Persian additions. What the study uses beyond these is shipped.
ARABIC_AND_PERSIAN = set(range(0x060C, 0x0670)) | set(range(0x06F0, 0x06FA)) | {0x067E, 0x0686, 0x0698, 0x06A9, 0x06AF}
ARABIC_AND_PERSIAN |= {0x06CC, 0x0671, 0x0679, 0x06C0, 0x06D4}


@dataclass(frozen=True)
class Face:
    family: str  # the name survey.css uses for it
    source: str  # the Noto family in fonts-noto-core
    file_stem: str
    languages: tuple[str, ...]  # whose texts decide the characters
    ranges: list[tuple[int, int]]
    common: frozenset[int] = frozenset()  # characters of these ranges not shipped
    whole_ranges: bool = False  # unicode-range: the script's blocks (short) rather than each character

    def css_range(self, points: list[int]) -> str:
        if self.whole_ranges:
            return ",".join(f"U+{low:X}-{high:X}" for low, high in self.ranges)
        return unicode_range(points)

    def wanted(self, characters: Iterable[str]) -> list[int]:
        points = {ord(character) for character in characters}
        return sorted(
            point
            for point in points
            if any(low <= point <= high for low, high in self.ranges) and point not in self.common
        )


FACES = (
    Face("Survey Ethiopic", "Noto Sans Ethiopic", "ethiopic", ("ti",), ETHIOPIC, whole_ranges=True),
    Face(
        "Survey Arabic",
        "Noto Naskh Arabic",
        "arabic-extra",
        ("ar", "fa", "fa-AF", "ps", "ckb"),
        ARABIC,
        frozenset(ARABIC_AND_PERSIAN),
    ),
)
WEIGHTS = {400: "Regular", 700: "Bold"}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def study_texts(languages: tuple[str, ...]) -> str:
    """Every text a page in these languages can show: questionnaires, UI catalogs, CLDR names of
    countries and languages, and the autonyms of every language (shown on every language list)."""
    from babel.messages.pofile import read_po

    from survey.i18n.languages import autonym, babel_locale_name, locale_for

    parts: list[str] = []
    tags: set[str] = set()
    for path in sorted((ROOT / "questionnaires").glob("*.json")):
        if path.name == "schema.json":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        parts.extend(_strings(data))
        tags |= set(data.get("languages", {}))
    for path in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
        tags.add(path.parent.parent.name.replace("_", "-"))
        if path.parent.parent.name.replace("_", "-") in languages:
            with path.open("rb") as handle:
                catalog = read_po(handle)
            parts.extend(str(message.string) for message in catalog if message.id and message.string)
    for tag in languages:
        locale = locale_for(tag)
        if locale is not None:
            parts.extend(locale.territories.values())
            parts.extend(locale.languages.values())
            parts.append(str(locale.get_display_name(babel_locale_name(tag))))
    parts.extend(autonym(tag) for tag in sorted(tags))
    return "".join(parts)


def unicode_range(points: list[int]) -> str:
    spans: list[list[int]] = []
    for point in points:
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return ",".join(f"U+{low:X}" if low == high else f"U+{low:X}-{high:X}" for low, high in spans)


def local_names(source: Path) -> str:
    """`local()` with the font's full and PostScript names, as installed fonts are matched."""
    from fontTools.ttLib import TTFont

    names = TTFont(str(source))["name"]
    return ",".join(f'local("{names.getDebugName(number)}")' for number in (4, 6))


def subset(source: Path, points: list[int]) -> bytes:
    from fontTools import subset as fontsubset
    from fontTools.ttLib import TTFont

    options = fontsubset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # shaping (joining forms, marks) needs every layout feature
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright, names and the licence fields
    font = TTFont(str(source), recalcTimestamp=False)  # the same file from the same sources
    subsetter = fontsubset.Subsetter(options)
    subsetter.populate(unicodes=[*points, 0x200C, 0x200D, 0x25CC])  # joiners, dotted circle for marks
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def build() -> None:
    if not NOTO.is_dir():
        sys.exit(f"{NOTO} is missing: apt-get install fonts-noto-core")
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    for old in FONT_DIR.glob("*.woff2"):
        old.unlink()
    rules = [BEGIN]
    for face in FACES:
        points = face.wanted(study_texts(face.languages))
        for weight, style in WEIGHTS.items():
            source = NOTO / f"{face.source.replace(' ', '')}-{style}.ttf"
            data = subset(source, points)
            name = f"{face.file_stem}-{weight}.{hashlib.sha256(data).hexdigest()[:10]}.woff2"
            (FONT_DIR / name).write_bytes(data)
            print(f"{name}: {len(points)} characters, {len(data)} bytes", file=sys.stderr)
            rules.append(
                f'@font-face{{font-family:"{face.family}";font-weight:{weight};font-display:swap;'
                f'src:{local_names(source)},url(fonts/{name}) format("woff2");'
                f"unicode-range:{face.css_range(points)}}}"
            )
    rules.append(END)
    css = STYLESHEET.read_text(encoding="utf-8")
    block = "\n".join(rules)
    if BEGIN in css:
        css = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, css, flags=re.DOTALL)
    else:
        css = css.rstrip("\n") + "\n" + block + "\n"
    STYLESHEET.write_text(css, encoding="utf-8")
    print(f"wrote the @font-face rules into {STYLESHEET.relative_to(ROOT)}", file=sys.stderr)


def css_cost() -> tuple[int, int]:
    """gzip bytes of survey.css as served, with and without the font rules (and the two family names)."""
    import gzip

    css = STYLESHEET.read_text(encoding="utf-8")
    without = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", "", css, flags=re.DOTALL)
    without = without.replace(',"Survey Ethiopic","Survey Arabic"', "")
    return len(gzip.compress(css.encode(), 6)), len(gzip.compress(without.encode(), 6))


FIRST_PAGE_JS = """() => performance.getEntriesByType('resource')
  .filter(r => r.name.includes('/static/fonts/')).map(r => [r.name.split('/').pop(), r.transferSize])"""


def _fonts_on_first_page(browser: object, base: str, language: str) -> list[tuple[str, int]]:
    """Choose `language`, press Start; in a fresh context (empty cache) with that session, the fonts the
    first question page fetches and their bytes on the wire."""
    from slow_network import STEP_MS

    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/{QUESTIONNAIRE_ID}/", timeout=STEP_MS)
    page.locator(f'input[name="language"][value="{language}"]').check()
    with page.expect_navigation(timeout=STEP_MS):
        page.click("form button[type=submit]")
    with page.expect_navigation(timeout=STEP_MS):
        page.click("form button.start")
    url, cookies = page.url, context.cookies()
    context.close()
    fresh = browser.new_context()  # type: ignore[attr-defined]
    fresh.add_cookies(cookies)
    page = fresh.new_page()
    page.goto(url, wait_until="load", timeout=STEP_MS)
    page.evaluate("document.fonts.ready.then(() => true)")
    fetched = [(name, int(size)) for name, size in page.evaluate(FIRST_PAGE_JS)]
    fresh.close()
    return fetched


QUESTIONNAIRE_ID = "wetterau-integration"


def report() -> None:
    """The table: fonts fetched by the first question page in Tigrinya, Pashto and German on a phone
    without Ethiopic and Arabic fonts (Chromium seeing Liberation only) and on one with Noto installed."""
    import tempfile

    from playwright.sync_api import sync_playwright
    from servers import Gunicorn, prepare_instance
    from slow_network import CHROMIUM, CHROMIUM_ARGS

    with_fonts, without_fonts = css_cost()
    rows = []
    with tempfile.TemporaryDirectory(prefix="survey-fonts-") as folder:
        config = Path(folder) / "fonts.conf"
        config.write_text(
            '<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts/truetype/liberation</dir>'
            f"<cachedir>{folder}/cache</cachedir></fontconfig>",
            encoding="utf-8",
        )
        instance = prepare_instance(Path(folder) / "instance")
        with Gunicorn(instance) as site, sync_playwright() as playwright:
            base = f"http://127.0.0.1:{site.port}"
            devices = {
                "phone without the fonts": {"FONTCONFIG_FILE": str(config), "HOME": folder},
                "phone with Noto installed": {"HOME": folder},
            }
            for device, env in devices.items():
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
                try:
                    for language in ("ti", "ps", "de"):
                        fetched = _fonts_on_first_page(browser, base, language)
                        rows.append((language, device, sum(size for _, size in fetched), fetched))
                finally:
                    browser.close()
    print("| first question page | device | font bytes fetched | files |")
    print("| --- | --- | ---: | --- |")
    for language, device, total, fetched in rows:
        files = ", ".join(name for name, _ in fetched) or "none"
        print(f"| {language} | {device} | {total:,} | {files} |")
    print(
        f"\nsurvey.css (gzip): {with_fonts:,} bytes with the @font-face rules, {without_fonts:,} without: "
        f"+{with_fonts - without_fonts} bytes once per year (cached as immutable), for every language"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("build", "weigh"))
    chosen = parser.parse_args(argv)
    if chosen.action == "build":
        build()
    else:
        report()


if __name__ == "__main__":
    main()
