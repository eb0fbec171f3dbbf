"""XLSForm repeats as rosters: a `begin repeat` row becomes the roster's id, title, count (an earlier
integer question named in `repeat_count`) or "add another?" question; the questions inside become
its pages, asked once per member."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .importer import Importer
    from .sheets import Row

# The "add another?" question and its answers, by language tag or, failing that, its language subtag:
# every language the study offers and a few more. A language of the form that is not here is reported
# and gets the default language's text.
_DARI = ("آیا می‌خواهید یک عضو (دیگر) اضافه کنید؟", "بلی", "نخیر")
_KURMANJI = ("Hûn dixwazin endamekî (din) lê zêde bikin?", "Erê", "Na")
ADD_ANOTHER: dict[str, tuple[str, str, str]] = {
    "en": ("Do you want to add a(nother) member?", "Yes", "No"),
    "de": ("Möchten Sie ein (weiteres) Mitglied hinzufügen?", "Ja", "Nein"),
    "fr": ("Voulez-vous ajouter un (autre) membre ?", "Oui", "Non"),
    "it": ("Vuole aggiungere un (altro) membro?", "Sì", "No"),
    "es": ("¿Desea añadir un (otro) miembro?", "Sí", "No"),
    "pl": ("Czy chcesz dodać (kolejną) osobę?", "Tak", "Nie"),
    "ru": ("Хотите добавить (ещё) одного участника?", "Да", "Нет"),
    "uk": ("Бажаєте додати (ще) одного учасника?", "Так", "Ні"),
    "tr": ("(Bir) üye daha eklemek istiyor musunuz?", "Evet", "Hayır"),
    "ar": ("هل تريد إضافة فرد (آخر)؟", "نعم", "لا"),
    "fa": ("آیا می‌خواهید یک عضو (دیگر) اضافه کنید؟", "بله", "خیر"),
    "zh": ("是否要添加（另一位）成员？", "是", "否"),
    "fa-AF": _DARI,
    "prs": _DARI,  # Dari by its ISO 639-3 code, as an XLSForm column named "Dari" comes in
    "ps": ("آیا غواړئ یو (بل) غړی ور زیات کړئ؟", "هو", "نه"),
    "ro": ("Doriți să adăugați un (alt) membru?", "Da", "Nu"),
    "bg": ("Искате ли да добавите (още един) член?", "Да", "Не"),
    "hr": ("Želite li dodati (još jednog) člana?", "Da", "Ne"),
    "sq": ("Dëshironi të shtoni një anëtar (tjetër)?", "Po", "Jo"),
    "el": ("Θέλετε να προσθέσετε ένα (ακόμη) μέλος;", "Ναι", "Όχι"),
    "ckb": ("دەتانەوێت ئەندامێکی (تر) زیاد بکەن؟", "بەڵێ", "نەخێر"),
    "ku": _KURMANJI,
    "kmr": _KURMANJI,
    "ti": ("(ካልእ) ኣባል ክትውስኹ ትደልዩ ዶ?", "እወ", "ኣይፋል"),
    "so": ("Ma rabtaa inaad ku darto xubin (kale)?", "Haa", "Maya"),  # codespell:ignore haa
}
_REFERENCE = re.compile(r"\s*\$\{([^}\s]+)\}\s*")
_NUMBER = re.compile(r"\s*[0-9]+(\.[0-9]*)?\s*")


def roster(importer: Importer, row: Row, conditions: list[str]) -> dict[str, Any]:
    """The roster (without pages) for a `begin repeat` row; `conditions` are those of the groups
    around it and its own relevant, all of which must hold for it to be asked."""
    name = row.get("name")
    found = importer.fields.get(name)
    spec: dict[str, Any] = {"id": found.id if found else name}
    spec["title"] = importer.text(row, "survey", "label") or {importer.default_language: name}
    if not importer.text(row, "survey", "label"):
        importer.report.add("survey", row.number, "label", "no label: the repeat's name is its title")
    own = importer.expression(row, "relevant")
    wanted = conditions + ([own] if own else [])
    if wanted:
        spec["show_if"] = " and ".join(f"({c})" for c in wanted) if len(wanted) > 1 else wanted[0]
    count = row.get("repeat_count")
    reference = _REFERENCE.fullmatch(count) if count else None
    counted = importer.fields.get(reference.group(1)) if reference else None
    if counted is not None and counted.kind in ("integer", "int") and reference is not None:
        if importer.repeat_of.get(reference.group(1)):
            importer.report.add("survey", row.number, "repeat_count", f"{count!r} is asked inside the repeat")
        else:
            spec["count"] = counted.id
    elif count:
        why = (
            "a fixed number of members has no equivalent"
            if _NUMBER.fullmatch(count)
            else "only ${q} of an earlier integer question is a count"
        )
        importer.report.add(
            "survey", row.number, "repeat_count", f"{count!r} not imported: {why}; 'add another?' is asked instead"
        )
    if "count" not in spec:
        spec["add_another"] = add_another(importer, row)
    importer.unused(row, {"type", "name", "label", "relevant", "repeat_count", "appearance"})
    spec["pages"] = []
    return spec


def add_another(importer: Importer, row: Row | None) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {"text": {}, "yes": {}, "no": {}}
    default = _texts_in(importer.default_language) or ADD_ANOTHER["en"]
    for tag in importer.languages:
        known = _texts_in(tag)
        if known is None:
            importer.report.add(
                "survey",
                row.number if row else None,
                "type",
                f"no 'add another?' text in {tag}: the {default[0]!r} text is used",
            )
        for key, value in zip(("text", "yes", "no"), known or default, strict=True):
            texts[key][tag] = value
    return texts


def _texts_in(tag: str) -> tuple[str, str, str] | None:
    return ADD_ANOTHER.get(tag) or ADD_ANOTHER.get(tag.split("-")[0])


def nested(importer: Importer, row: Row) -> None:
    importer.report.add(
        "survey",
        row.number,
        "type",
        f"'{row.get('type')}' ({row.get('name')}): a repeat inside a repeat has no equivalent "
        "(rosters cannot be nested); its questions are left out",
    )
