"""The words etom-kg itself prints, in Russian and English, and how names are picked by language.

Names of things (processes, applications, confidence levels, link bases...) come
from the graph's ``skos:prefLabel`` / ``rdfs:label``; this module holds only the
program's own words: field names, headings, severities, notes. Every command
that prints for people takes ``--lang ru|en|both`` and asks here, so
``--lang ru`` is Russian all the way.
"""
from __future__ import annotations

import os

LANGS = ("ru", "en", "both")

#: The default of every ``--lang`` option: the standard is Russian (ГОСТ Р 53633),
#: every element has a Russian name from its text, and the English names are
#: translations. ``ETOM_KG_LANG`` changes the default for a whole session.
DEFAULT_LANG = os.environ.get("ETOM_KG_LANG", "ru")
if DEFAULT_LANG not in LANGS:
    DEFAULT_LANG = "ru"

# key: (ru, en)
WORDS: dict[str, tuple[str, str]] = {
    # show
    "level": ("уровень", "level"),
    "parent": ("родитель", "parent"),
    "children": ("состав", "children"),
    "verticals": ("вертикальные группы", "verticals"),
    "definition": ("определение", "definition"),
    "characteristic": ("функциональная характеристика", "functional characteristic"),
    "functions": ("функции", "functions"),
    "handoffs": ("передачи", "hand-offs"),
    "to": ("→ к   ", "→ to  "),
    "from": ("← от  ", "← from"),
    "extension": ("расширение", "extension"),
    "inherited": ("унаследовано", "inherited"),
    # kinds of process
    "ProcessArea": ("главная область процессов", "process area"),
    "HorizontalProcessGrouping": ("горизонтальная группа процессов",
                                  "horizontal process grouping"),
    "ProcessGrouping": ("группа процессов уровня 1", "level-1 process grouping"),
    "ProcessElement": ("элемент процессов", "process element"),
    # validation severities (SHACL has no Russian labels for them)
    "Violation": ("нарушение", "violation"),
    "Warning": ("предупреждение", "warning"),
    "Info": ("сведения", "info"),
    # link tables
    "confidence": ("достоверность", "confidence"),
    "id": ("ID", "ID"),
    "name": ("наименование", "name"),
    "basis": ("основание", "basis"),
    "via": ("маршрут", "via"),
    "block": ("функциональный блок", "functional block"),
    "role": ("роль", "role"),
    "component": ("компонент", "component"),
    "components": ("компоненты", "components"),
    "no links": ("нет связей", "no links"),
    "not certain": ("не подтверждено", "not certain"),
    "inherited from": ("унаследовано от", "inherited from"),
    "via release crosswalk": ("через перекрёстную таблицу релиза", "via release crosswalk"),
    "and release crosswalk": ("и перекрёстную таблицу релиза", "and release crosswalk"),
    "GOST": ("ГОСТ", "GOST"),
    "TMF R16": ("Frameworx R16", "Frameworx R16"),
    "TMF ODA": ("ODA", "ODA"),
    "exactMatch": ("точное соответствие", "exactMatch"),
    "closeMatch": ("близкое соответствие", "closeMatch"),
    "broadMatch": ("более общий элемент", "broadMatch"),
    "narrowMatch": ("более частный элемент", "narrowMatch"),
    "relatedMatch": ("связанный элемент", "relatedMatch"),
    "via ": ("через ", "via "),
    " and ": (" и ", " and "),
    "release crosswalk": ("перекрёстную таблицу релиза", "release crosswalk"),
    "not confirmed": ("связи средней и низкой достоверности — сопоставления проекта или "
                      "косвенные маршруты, TM Forum их не подтверждает",
                      "medium and low confidence links are project mappings or indirect "
                      "routes (crosswalk, co-assignment), not confirmed by TM Forum"),
    "inherited note": ("элемент ниже уровня 2 наследует связи элементов над ним; такие связи "
                       "помечены ↑ и имеют не более чем среднюю достоверность",
                       "an element below level 2 inherits the links of the elements above it; "
                       "those links are marked ↑ and are at most of medium confidence"),
    "from element": ("от", "from"),
    # search
    "scheme": ("схема", "scheme"),
    "field": ("поле", "field"),
    "match": ("совпадение", "match"),
    "label": ("наименование", "name"),
    "function": ("функция", "function"),
    "function definition": ("определение функции", "function definition"),
    "term": ("термин", "term"),
    # classify
    "process": ("процесс", "process"),
    "element": ("элемент стандарта", "standard element"),
    "reason": ("почему не отнесён", "why unclassified"),
    # writers
    "wrote": ("записано", "wrote"),
}


def word(key: str, lang: str = DEFAULT_LANG) -> str:
    """The program's word ``key`` in ``lang`` (``both``: "ru / en"); unknown keys as given."""
    pair = WORDS.get(key)
    if pair is None:
        return key
    if lang == "both":
        return pair[0] if pair[0] == pair[1] else f"{pair[0]} / {pair[1]}"
    return pair[0] if lang == "ru" else pair[1]


def pick(labels: dict, lang: str = DEFAULT_LANG, sep: str = " / ") -> str:
    """A name in ``lang`` from ``{"ru": ..., "en": ...}``, falling back to what exists;
    ``both`` joins the Russian and English names."""
    if lang == "both":
        values = [labels[k] for k in ("ru", "en") if labels.get(k)]
        if len(values) == 2 and values[0] == values[1]:
            values = values[:1]
        return sep.join(values)
    other = "en" if lang == "ru" else "ru"
    return labels.get(lang) or labels.get(other) or next(
        (v for v in labels.values() if v), "")


__all__ = ["LANGS", "DEFAULT_LANG", "WORDS", "word", "pick"]
