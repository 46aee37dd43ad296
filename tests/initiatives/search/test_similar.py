"""Similar dossiers: a near copy comes first, drafts and the dossier itself never show, the
index gives what comparing every dossier gives, and the page keeps outsiders out."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from caicach.core.reminders import registered
from caicach.initiatives.models import Campaign, Initiative, InitiativeStatus
from caicach.initiatives.search import similar
from tests.conftest import Org, People, forget_kept
from tests.initiatives.factories import make_campaign

WORDS = [
    "nâng",
    "cao",
    "hiệu",
    "quả",
    "tiếp",
    "nhận",
    "hồ",
    "sơ",
    "trực",
    "tuyến",
    "một",
    "cửa",
    "liên",
    "thông",
    "số",
    "hóa",
    "văn",
    "bản",
    "điện",
    "tử",
    "cải",
    "cách",
    "thủ",
    "tục",
    "hành",
    "chính",
    "chuyển",
    "đổi",
    "số",
    "phục",
    "vụ",
    "người",
    "dân",
    "doanh",
    "nghiệp",
    "lưu",
    "trữ",
    "tra",
    "cứu",
    "đánh",
    "giá",
    "chấm",
    "điểm",
    "chỉ",
    "số",
    "hài",
    "lòng",
    "quy",
    "trình",
    "nội",
    "bộ",
    "phần",
    "mềm",
    "tổng",
    "hợp",
    "báo",
    "cáo",
    "định",
    "kỳ",
]

ORIGINAL = (
    "Số hóa hồ sơ đất đai tại bộ phận một cửa cấp xã",
    "Quét và lưu trữ toàn bộ hồ sơ đất đai lưu tại xã, gắn mã để tra cứu khi người dân nộp hồ sơ.",
)


def add(
    campaign: Campaign, org: Org, title: str, essence: str, status: str = InitiativeStatus.SUBMITTED
) -> Initiative:
    return Initiative.objects.create(
        campaign=campaign, unit=org.commune, title=title, essence=essence, status=status
    )


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return make_campaign(org, people)


@pytest.fixture
def pool(campaign: Campaign, org: Org) -> dict[str, Initiative]:
    rng = random.Random(7)
    for n in range(40):
        add(campaign, org, " ".join(rng.sample(WORDS, 6)), " ".join(rng.choices(WORDS, k=30)) + f" số {n}")
    return {
        "original": add(campaign, org, *ORIGINAL, status=InitiativeStatus.RECOGNISED),
        "copy": add(campaign, org, ORIGINAL[0] + " năm 2025", ORIGINAL[1].replace("toàn bộ", "tất cả")),
        "draft_copy": add(campaign, org, *ORIGINAL, status=InitiativeStatus.DRAFT),
        "unrelated": add(
            campaign,
            org,
            "Tổ chức hội thi tìm hiểu pháp luật",
            "Hội thi cho thanh niên về pháp luật giao thông.",
        ),
    }


def test_terms_are_syllables_and_syllable_pairs_the_title_counted_twice() -> None:
    counts = similar.term_counts("Cải cách", "cải cách hành chính")
    bucket = similar._bucket
    assert (
        counts[bucket("cai cach")] == 3 and counts[bucket("hanh chinh")] == 1 and counts[bucket("cai")] == 3
    )


def test_a_near_copy_comes_first_and_drafts_and_itself_never_show(pool: dict[str, Initiative]) -> None:
    found = similar.similar_to(pool["copy"])
    assert found[0].initiative == pool["original"] and found[0].percent >= 60
    shown = {entry.initiative.pk for entry in found}
    assert pool["draft_copy"].pk not in shown and pool["copy"].pk not in shown
    assert pool["unrelated"].pk not in shown
    assert [entry.similarity for entry in found] == sorted(
        (entry.similarity for entry in found), reverse=True
    )
    assert len(found) <= similar.RESULTS


def test_without_an_index_only_a_small_pool_is_compared_directly(
    pool: dict[str, Initiative], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``DIRECT_LIMIT`` sent dossiers and before the nightly index exists, the panel is
    empty rather than slow; at the limit, every dossier is compared."""
    assert similar.load_index() is None
    sent = similar.compared().exclude(pk=pool["copy"].pk).count()
    monkeypatch.setattr(similar, "DIRECT_LIMIT", sent)
    assert similar.similar_to(pool["copy"])[0].initiative == pool["original"]
    monkeypatch.setattr(similar, "DIRECT_LIMIT", sent - 1)
    assert similar.similar_to(pool["copy"]) == []


def test_the_index_finds_what_comparing_every_dossier_finds(
    pool: dict[str, Initiative], campaign: Campaign, org: Org
) -> None:
    direct = {
        key: [(e.initiative.pk, round(e.similarity, 6)) for e in similar.similar_to(row)]
        for key, row in pool.items()
    }
    similar.save_index(similar.build_index())
    try:
        assert similar.load_index() is not None
        indexed = {
            key: [(e.initiative.pk, round(e.similarity, 6)) for e in similar.similar_to(row)]
            for key, row in pool.items()
        }
        assert indexed == direct
        # Recall of the index's candidates against the exact cosine, over every dossier.
        recall = similar.recall_at(list(similar.compared()[:20]))
        assert recall is not None and recall >= 0.95
        # The measure can fail: an index that proposes no candidate finds nothing.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(similar.SimilarityIndex, "candidates", lambda *args, **kwargs: [])
            forget_kept()  # scored again, by the blind index
            blind = similar.recall_at(list(similar.compared()[:20]))
        assert blind is not None and blind < 0.5
        # Sent after the nightly build: still found, compared one by one.
        late = add(campaign, org, ORIGINAL[0], ORIGINAL[1])
        assert similar.similar_to(pool["original"])[0].initiative == late
    finally:
        default_storage.delete(similar.INDEX_PATH)
        similar.forget_index()


def test_scores_are_kept_until_a_dossier_is_written_or_the_texts_change(
    pool: dict[str, Initiative], campaign: Campaign, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second look scores nothing again; a dossier sent since, a dossier edited, or the
    asked dossier's own unsaved texts are seen at once."""
    first = similar.similar_to(pool["copy"])
    folded: list[object] = []
    real = similar._texts

    def spy(row: tuple[str, ...]) -> Counter[int]:
        folded.append(row)
        return real(row)

    monkeypatch.setattr(similar, "_texts", spy)
    again = similar.similar_to(pool["copy"])
    assert again == first and folded == []
    # Another dossier, another limit: scored on its own.
    assert similar.similar_to(pool["original"])[0].initiative == pool["copy"] and folded
    assert len(similar.similar_to(pool["copy"], limit=1)) == 1
    # An index built since (here one that proposes nothing): scored on it, not kept from before.
    similar.save_index(similar.build_index())
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(similar.SimilarityIndex, "candidates", lambda *args, **kwargs: [])
            assert similar.similar_to(pool["copy"]) == []
    finally:
        default_storage.delete(similar.INDEX_PATH)
        similar.forget_index()
    # A closer copy sent since comes first.
    folded.clear()
    closer = add(campaign, org, *ORIGINAL)
    assert similar.similar_to(pool["copy"])[0].initiative in (closer, pool["original"]) and folded
    # The asked dossier's texts as edited, not yet saved.
    unrelated = pool["unrelated"]
    assert not {pool["original"].pk, closer.pk} & {e.initiative.pk for e in similar.similar_to(unrelated)}
    unrelated.title, unrelated.essence = ORIGINAL
    assert similar.similar_to(unrelated)[0].initiative.pk in (pool["original"].pk, closer.pk)
    # The original and the copy rewritten: no longer close.
    Initiative.objects.filter(pk__in=[pool["original"].pk, closer.pk]).update(
        title="Hội thi văn nghệ", essence="Hội thi văn nghệ quần chúng."
    )
    shown = {entry.initiative.pk for entry in similar.similar_to(pool["copy"])}
    assert pool["original"].pk not in shown and closer.pk not in shown


def test_the_index_is_rebuilt_every_night() -> None:
    assert "initiatives.similarity_index" in registered()


def url(initiative: Initiative) -> str:
    return reverse("initiatives:initiative_similar", kwargs={"pk": initiative.pk})


def test_the_panel_shows_links_only_to_dossiers_the_reader_may_open(
    client: Client, pool: dict[str, Initiative], people: People, django_assert_max_num_queries: Any
) -> None:
    assert client.get(url(pool["copy"])).status_code == 302  # to the sign-in page
    client.force_login(people.outsider)
    assert client.get(url(pool["copy"])).status_code == 404
    client.force_login(people.admin)
    with django_assert_max_num_queries(14):  # however many dossiers: counted, compared, fetched once
        page = client.get(url(pool["copy"]), headers={"HX-Request": "true"})
    body = page.content.decode()
    assert "<html" not in body and ORIGINAL[0] in body
    assert f'href="{pool["original"].get_absolute_url()}"' in body
    full = client.get(url(pool["copy"])).content.decode()
    assert "<html" in full and "Sáng kiến tương tự" in full


def test_the_dossier_page_loads_the_panel_after_it_shows(
    client: Client, pool: dict[str, Initiative], people: People
) -> None:
    client.force_login(people.admin)
    body = client.get(pool["copy"].get_absolute_url()).content.decode()
    assert f'hx-get="{url(pool["copy"])}"' in body and 'hx-trigger="load"' in body
