"""Load forms/: read every file, check its structure, check its meaning, return the model and all errors."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from renderer.definition.assemble import build
from renderer.definition.catalogue import problem
from renderer.definition.errors import FormsInvalid, LoadError
from renderer.definition.guard import guarded
from renderer.definition.model import Definition
from renderer.definition.reader import Document, plain, read_yaml
from renderer.definition.structure import check_structure
from renderer.definition.translate import texts_in, with_languages
from renderer.definition.translations import overrides_of, translation_errors
from renderer.definition.version import content_hash, version_label

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
DATA_FILES = ("residents.yaml", "translations.yaml")


@dataclass(frozen=True)
class LoadResult:
    definition: Definition | None          # None when any error was found (warnings do not stop it)
    problems: list[LoadError] = field(default_factory=list)     # errors and warnings, in the order found
    files: int = 0

    @property
    def errors(self) -> list[LoadError]:
        """The problems that stop the forms loading."""
        return [p for p in self.problems if not p.is_warning]

    @property
    def warnings(self) -> list[LoadError]:
        """Shown to the analyst; the forms still serve."""
        return [p for p in self.problems if p.is_warning]


def load_forms(root: Path = FORMS_DIR) -> LoadResult:
    """Read, check and build everything under `root`; never raises for a problem in the YAML."""
    errors: list[LoadError] = []
    docs: dict[str, list[Document]] = {"journeys": [], "fragments": [], "lists": [], "cities": [], "residents": [],
                                       "translations": []}
    files = sorted(p for p in root.rglob("*.yaml") if "schema" not in p.relative_to(root).parts)
    for path in files:
        shown = f"{root.name}/{path.relative_to(root).as_posix()}"
        # Journeys and fragments keep positions for the model; data files are parsed fast.
        data_file = path.relative_to(root).parts[0] in ("lists", "cities") or path.name in DATA_FILES
        doc, read_errors = guarded(shown, errors, partial(read_yaml, path, shown, fast=data_file)) or (None, [])
        errors += read_errors
        if doc is None:
            continue
        kind = _kind_of(doc)
        if kind is None:
            errors.append(problem("file.unknown_kind", doc.position()))
            continue
        schema = "form" if kind in ("journeys", "fragments") else "data"
        structure_errors = guarded(shown, errors, partial(check_structure, doc, schema))
        errors += structure_errors or []
        if structure_errors == []:
            docs[kind].append(doc)
    list_docs = _by_name(docs["lists"], "list", errors)
    lists = {name: plain(doc.data.get("options") or doc.data.get("tree") or doc.data.get("items"))
             for name, doc in list_docs.items()}
    fragments = _by_name(docs["fragments"], "fragment", errors)
    residents: dict[str, Any] = {}
    for doc in docs["residents"]:
        residents.update(plain(doc.data["residents"]))
    definition, meaning_errors = build(docs["journeys"], fragments, lists, docs["cities"], residents, list_docs,
                                       docs["residents"])
    texts = [str(t) for kind in ("journeys", "fragments", "lists", "cities", "residents") for doc in docs[kind]
             for t in texts_in(doc.data)]
    meaning_errors += guarded("forms/translations.yaml", errors,
                              partial(translation_errors, docs["translations"], texts)) or []
    # A fragment included by several journeys reports its problem once.
    seen = {(e.position, e.code, e.message) for e in errors}
    for e in meaning_errors:
        if (e.position, e.code, e.message) not in seen:
            seen.add((e.position, e.code, e.message))
            errors.append(e)
    blocking = any(not e.is_warning for e in errors)
    if definition is not None and not blocking:
        definition = replace(definition, version=content_hash(root), label=version_label(root))
        definition = with_languages(definition, texts, overrides_of(docs["translations"]))
    return LoadResult(None if blocking else definition, errors, len(files))


def load_or_raise(root: Path = FORMS_DIR) -> Definition:
    """The definition, or FormsInvalid listing every error (for the server's start-up)."""
    result = load_forms(root)
    if result.definition is None:
        raise FormsInvalid(result.errors)
    return result.definition


def _kind_of(doc: Document) -> str | None:
    data = doc.data
    if not isinstance(data, dict):
        return None
    for key, kind in (("journey", "journeys"), ("fragment", "fragments"), ("list", "lists"),
                      ("city", "cities"), ("residents", "residents"), ("translations", "translations")):
        if key in data:
            return kind
    return None


def _by_name(docs: list[Document], key: str, errors: list[LoadError]) -> dict[str, Document]:
    named: dict[str, Document] = {}
    for doc in docs:
        name = str(doc.data[key])
        if name in named:
            errors.append(problem("list.duplicate" if key == "list" else "fragment.duplicate", doc.position([key]),
                                  name=name, other=named[name].file))
        named[name] = doc
    return named
