"""A 422's one-line message in the request's language (docs/i18n.md): each pydantic error our bodies can raise,
and each of mmgame.inputs' rules, has words of its own in every catalogue; the code and the `errors` list
(pydantic's English detail, for programs) stay as they are."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import translation
from pydantic import ValidationError

from mmgame import inputs, languages
from mmgame.api import schemas
from mmgame.api.statuses import NOT_VALID, PROBLEMS, describe

from .conftest import target

pytestmark = pytest.mark.django_db

ENGLISH = ("must", "should", "Input", "required", "needs", "Field", "valid", "order takes")


def post_in(api, url: str, body: object, language: str):
    api.client.cookies.pop("django_language", None)
    return api.client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        headers={**api.headers(csrf=True), "accept-language": language},
    )


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            {"title": 5},
            {
                "es": "title: debe ser una cadena",
                "fr": "title\u00a0: doit être une chaîne",
                "de": "title: muss eine Zeichenkette sein",
            },
        ),
        ({}, {"es": "title: obligatorio", "fr": "title\u00a0: obligatoire", "de": "title: erforderlich"}),
        (
            {"title": "Class", "colour": "red"},
            {
                "es": "colour: no es un campo de esta petición",
                "fr": "colour\u00a0: n'est pas un champ de cette requête",
                "de": "colour: ist kein Feld dieser Anfrage",
            },
        ),
        (
            {"title": "x" * 201},
            {
                "es": "title: debe tener como máximo 200 caracteres",
                "fr": "title\u00a0: doit avoir au plus 200 caractères",
                "de": "title: darf höchstens 200 Zeichen haben",
            },
        ),
    ],
)
def test_a_bad_game_is_refused_in_the_requests_language_with_pydantics_detail_kept(host_api, body, said):
    english = host_api.post("/api/games", body).json()
    for language, message in said.items():
        refused = post_in(host_api, "/api/games", body, language)
        assert refused.status_code == 422
        answer = refused.json()
        assert answer["message"] == message, (language, answer)
        assert answer["code"] == english["code"] == "invalid_request"
        assert answer["errors"] == english["errors"]  # pydantic's own words, for programs
        assert not any(word in answer["message"] for word in ENGLISH), answer["message"]


@pytest.mark.parametrize(
    ("order", "code", "said"),
    [
        (
            {"mean": "120"},
            "invalid_request",
            {
                "es": "mean: debe ser un número JSON",
                "fr": "mean\u00a0: doit être un nombre JSON",
                "de": "mean: muss eine JSON-Zahl sein",
            },
        ),
        (
            {"mean": 1e20},
            "invalid_number",
            {
                "es": "mean: debe ser como máximo 10^15 en valor absoluto",
                "fr": "mean\u00a0: doit valoir au plus 10^15 en valeur absolue",
                "de": "mean: darf höchstens 10^15 groß sein",
            },
        ),
        (
            {"sd": None},
            "invalid_request",
            {
                "es": "una orden target necesita sd",
                "fr": "un ordre target demande sd",
                "de": "eine order target braucht sd",
            },
        ),
        (
            {"kind": "sideways"},
            "invalid_request",
            {
                "es": "kind: debe ser uno de target, toward, shares, close",
                "fr": "kind\u00a0: doit être l'un de target, toward, shares, close",
                "de": "kind: muss eines von target, toward, shares, close sein",
            },
        ),
    ],
)
def test_a_malformed_trade_is_refused_in_the_players_language(alice_bot, open_market, order, code, said):
    body = {**target(120, 40, "k1"), **order}
    url = f"/api/markets/{open_market.pk}/trades"
    english = alice_bot.post(url, body).json()
    for language, message in said.items():
        refused = post_in(alice_bot, url, body, language)
        assert refused.status_code == 422
        answer = refused.json()
        assert (answer["code"], answer["message"]) == (code, message), (language, answer)
        assert answer["errors"] == english["errors"]
        assert not any(word in answer["message"] for word in ENGLISH), answer["message"]


def errors_of_every_request_body() -> set[str]:
    """The types of pydantic's errors that bodies of every wrong shape raise against each request schema."""
    junk = ["x", "", " ", 1, -1, 0, 700, 1.5, Decimal("1.5"), True, None, [], [1], [0], ["x"], {}, {"a": 1}]
    junk += ["a" * 5000, 10**20, Decimal("NaN"), "target", list(range(1001))]
    found = set()
    for name in dir(schemas):
        model = getattr(schemas, name)
        if not (isinstance(model, type) and issubclass(model, schemas.Request)) or model is schemas.Request:
            continue
        fields = list(model.model_fields)
        bodies: list[object] = [{}, [], "x", 5, {"stray": 1}, {"kind": "target", "mean": 1}, {"seconds": {"x": 5}}]
        for field in fields:
            for value in junk:
                bodies += [{field: value}, {**dict.fromkeys(fields), field: value}]
        for body in bodies:
            try:
                model.model_validate(body)
            except ValidationError as error:
                found |= {problem["type"] for problem in error.errors()}
    return found


def test_every_error_our_request_bodies_raise_has_words_of_its_own():
    found = errors_of_every_request_body()
    assert found - set(PROBLEMS) - set(inputs.MESSAGES) == set()
    expected = {"missing", "extra_forbidden", "string_type", "literal_error", "number_type", "order_fields_missing"}
    assert expected <= found


@pytest.mark.parametrize("language", ["es", "fr", "de"])
def test_every_problems_words_are_in_every_catalogue(language):
    with translation.override(language):
        for words in [*PROBLEMS.values(), *inputs.MESSAGES.values(), NOT_VALID]:
            assert languages.said(words) != str(words), (language, words)


def test_an_error_of_a_type_we_do_not_know_says_a_translated_sentence_not_pydantics_english():
    errors = [{"type": "uuid_parsing", "loc": ("body", "payload", "id"), "msg": "Input should be a valid UUID"}]
    with translation.override("de"):
        assert languages.said(describe(errors)) == "id: die Anfrage ist ungültig"
    assert str(describe(errors)) == "id: the request is not valid"
