"""Lesson audio and video: uploaded by editors (checked by type and content), served only to people on the course."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from onward.learning.admin import LessonForm
from onward.learning.models import Lesson, LessonKind

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _form(lesson: Lesson, name: str, content: bytes, content_type: str) -> LessonForm:
    data = {
        "module": lesson.module_id,
        "title": lesson.title,
        "kind": LessonKind.AUDIO,
        "body": lesson.body,
        "pass_mark_percent": 100,
        "position": 0,
    }
    return LessonForm(data, {"media": SimpleUploadedFile(name, content, content_type=content_type)}, instance=lesson)


def test_editors_upload_audio_checked_by_its_content(learning_world: dict[str, Any], settings: Any) -> None:
    lesson = Lesson.objects.filter(module__course=learning_world["course"]).first()
    assert lesson is not None
    good = _form(lesson, "talk.mp3", MP3, "audio/mpeg")
    assert good.is_valid(), good.errors
    assert good.instance.media_content_type == "audio/mpeg"
    disguised = _form(lesson, "talk.mp3", b"<html><script>", "audio/mpeg")
    assert not disguised.is_valid()
    assert "media" in disguised.errors
    other_type = _form(lesson, "talk.exe", MP3, "application/octet-stream")
    assert not other_type.is_valid()
    settings.LESSON_MEDIA_MAX_BYTES = 10
    assert not _form(lesson, "talk.mp3", MP3, "audio/mpeg").is_valid()


def test_media_is_served_only_to_people_on_the_course(learning_world: dict[str, Any], person_client: Any) -> None:
    w = learning_world
    lesson = Lesson.objects.filter(module__course=w["course"]).first()
    assert lesson is not None
    lesson.kind = LessonKind.AUDIO
    lesson.media.save("talk.mp3", ContentFile(MP3))
    lesson.media_content_type = "audio/mpeg"
    lesson.save()
    client = person_client(w["person"])
    client.post(f"/me/learning/courses/{w['course'].pk}/enrol/")
    page = client.get(f"/me/learning/lessons/{lesson.pk}/").content.decode()
    assert (
        f'<audio class="onward-lesson-media" controls preload="none" src="/me/learning/lessons/{lesson.pk}/media/"'
        in page
    )
    response = client.get(f"/me/learning/lessons/{lesson.pk}/media/")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert b"".join(response.streaming_content) == MP3
    assert person_client(w["other"]).get(f"/me/learning/lessons/{lesson.pk}/media/").status_code == 403
