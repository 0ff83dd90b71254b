"""The question bank's CSV with pictures: a zip of the sheet and the pictures it names (mmgame.bank.sheet,
mmgame.services.bank). A bad line, a missing or refused picture, or a zip that names a file outside itself
adds nothing and keeps no file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.bank import sheet
from mmgame.models import Market
from tests import pictures

pytestmark = pytest.mark.django_db(transaction=True)  # files are deleted on commit, and on a rollback

HEADER = "question,lo,hi,picture,picture_alt"


def zipped(text: str, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("lesson/questions.csv", text)
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def stored(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def problems(refused) -> list[tuple[int, str]]:
    return [(p["line"], p["reason"]) for p in refused.value.details["problems"]]


def test_a_zip_of_the_sheet_and_its_pictures_adds_each_question_with_its_picture(host, game, media):
    text = f"{HEADER}\nHow many beans?,0,2000,jar.jpg,A jar of red beans\nHow tall is the tree?,0,50,,\n"
    data = zipped(text, {"lesson/jar.jpg": pictures.jar(), "__MACOSX/lesson/._jar.jpg": b"mac"})

    beans, tree = services.import_questions(host, game, data)

    assert beans.picture_alt == "A jar of red beans" and tree.picture == ""
    assert [path.name for path in stored(media)] == [beans.picture_name]


@pytest.mark.parametrize(
    ("line", "files", "says"),
    [
        ("Q,0,10,jar.jpg,A jar", {}, "the zip holds no file named jar.jpg"),
        ("Q,0,10,jar.svg,A jar", {"jar.svg": pictures.SVG}, "picture: the file is not a picture"),
        ("Q,0,10,bomb.png,A jar", {"bomb.png": pictures.bomb()}, "picture: a picture has at most 30 million pixels"),
        ("Q,0,10,jar.jpg,", {"jar.jpg": pictures.jar()}, "the picture jar.jpg needs a picture_alt"),
        ("Q,0,10,../../x.png,A jar", {"x.png": pictures.jar()}, "names a folder"),
    ],
)
def test_a_bad_picture_line_adds_nothing_and_keeps_no_file(host, game, media, line, files, says):
    good = "A good one?,0,2000,good.jpg,A good jar"
    data = zipped(f"{HEADER}\n{good}\n{line}\n", {"good.jpg": pictures.jar(), **files})

    with pytest.raises(services.BadSheet) as refused:
        services.import_questions(host, game, data)

    [(number, reason)] = problems(refused)
    assert number == 3 and says in reason
    assert not Market.objects.exists() and stored(media) == []  # the good line's picture went with it


def test_a_csv_alone_that_names_a_picture_asks_for_the_zip(host, game, media):
    with pytest.raises(services.BadSheet) as refused:
        services.import_questions(host, game, f"{HEADER}\nQ,0,10,jar.jpg,A jar\n")

    assert "upload a zip of the CSV file and its pictures" in problems(refused)[0][1]


@pytest.mark.parametrize(
    ("member", "says"),
    [("../../x.png", "a name outside the zip"), ("/etc/x.png", "a name outside the zip")],
)
def test_a_zip_naming_a_file_outside_itself_is_refused_whole(host, game, media, member, says):
    data = zipped(f"{HEADER}\nQ,0,10,,\n", {member: pictures.jar()})

    with pytest.raises(services.BadSheet) as refused:
        services.import_questions(host, game, data)

    assert problems(refused)[0][0] == 1 and says in problems(refused)[0][1]
    assert not Market.objects.exists() and stored(media) == []


def test_a_zip_that_unpacks_to_too_much_is_refused_before_unpacking(host, game, media, settings):
    settings.MAX_UPLOAD_BODY = 100_000
    data = zipped(f"{HEADER}\nQ,0,10,,\n", {"zeros.png": b"\0" * 200_000})  # compresses to a few hundred bytes

    with pytest.raises(services.BadSheet) as refused:
        services.import_questions(host, game, data)

    assert "unpacks to more than" in problems(refused)[0][1]


def test_a_game_with_pictures_downloads_as_a_zip_that_imports_the_same_questions(host, game, other_game, media):
    picture = services.picture_from(pictures.sticker(), name="s.png", alt="A round blue sticker")
    source = services.add_market(host, game, question="How many stickers?", lo=0, hi=100, picture=picture)

    exported = services.export_questions(host, game)
    [copy] = services.import_questions(other_game.host, other_game, exported)

    assert sheet.is_zip(exported)
    assert (copy.question, copy.picture_alt) == (source.question, "A round blue sticker")
    assert (
        copy.picture != source.picture and (media / copy.picture).read_bytes() == (media / source.picture).read_bytes()
    )


def test_the_bank_page_takes_a_zip(client, host, game, media):
    client.force_login(host)
    data = zipped(f"{HEADER}\nHow many beans?,0,2000,jar.jpg,A jar of red beans\n", {"jar.jpg": pictures.jar()})
    upload = io.BytesIO(data)
    upload.name = "lesson.zip"

    response = client.post(reverse("web:bank_import", args=[game.pk]), {"file": upload})

    assert response.status_code == 302 and response["Location"] == reverse("web:game", args=[game.pk])
    assert Market.objects.get(game=game).picture_alt == "A jar of red beans"
    zip_download = client.get(reverse("web:bank_export", args=[game.pk]))
    assert zip_download["Content-Type"] == "application/zip" and sheet.is_zip(zip_download.content)
