"""Alley search: residents type names with or without diacritics, đ or d, any case."""

from __future__ import annotations

import pytest

from core.search import fold, score, words

HEM_51 = fold("Hẻm 51 Đường 3 Tháng 2")


# --- fold ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hẻm 51 Đường 3 Tháng 2", "hem 51 duong 3 thang 2"),
        ("Phường Ninh Kiều", "phuong ninh kieu"),
        ("đ Đ", "d d"),
        ("ĐỒNG KHỞI", "dong khoi"),
        ("ă â ê ô ơ ư ạ ả ã á à", "a a e o o u a a a a a"),
        ("Hẻm 51/3, đường 3-Tháng-2!", "hem 51 3 duong 3 thang 2"),
        ("  Hẻm\t51 \n ", "hem 51"),
        ("", ""),
        ("!?", ""),
    ],
)
def test_fold_gives_lower_case_ascii_words(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_reads_decomposed_diacritics_as_composed_ones() -> None:
    # Some keyboards send "ẻ" as "e" followed by a combining hook above.
    assert fold("He\u0309m 51") == fold("Hẻm 51") == "hem 51"


def test_fold_is_idempotent() -> None:
    assert fold(HEM_51) == HEM_51


def test_words_splits_a_query_into_folded_words() -> None:
    assert words(" Hẻm 51, Đường 3 Tháng 2 ") == ["hem", "51", "duong", "3", "thang", "2"]


# --- score ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "hem 51 3 thang 2",
        "Hẻm 51 Đường 3 Tháng 2",
        "hẻm 51",
        "HEM 51",
        "hem 51",
        "duong 3 thang 2",
        "đường",
        "51 hem",
    ],
)
def test_a_query_with_or_without_diacritics_finds_the_alley(query: str) -> None:
    assert score(words(query), HEM_51) > 0


@pytest.mark.parametrize("query", ["hem 52", "hem 51 4 thang 2", "kiet 51", "51a"])
def test_a_query_with_a_word_not_in_the_name_does_not_find_the_alley(query: str) -> None:
    assert score(words(query), HEM_51) == 0


@pytest.mark.parametrize("query", ["than", "thang", "du", "he 5"])
def test_the_beginning_of_a_word_finds_the_alley(query: str) -> None:
    assert score(words(query), HEM_51) > 0


def test_the_middle_of_a_word_does_not_find_the_alley() -> None:
    assert score(words("ang"), HEM_51) == 0


def test_a_whole_word_scores_above_its_beginning() -> None:
    assert score(words("thang"), HEM_51) > score(words("than"), HEM_51)


def test_a_whole_word_match_ranks_above_a_prefix_match() -> None:
    query = words("hem 5")

    assert score(query, fold("Hẻm 5")) > score(query, fold("Hẻm 51")) > 0


def test_more_matching_words_score_higher() -> None:
    assert score(words("hem 51 thang 2"), HEM_51) > score(words("hem 51"), HEM_51)


@pytest.mark.parametrize("query", ["", "   ", "?!,"])
def test_an_empty_query_scores_zero(query: str) -> None:
    assert score(words(query), HEM_51) == 0


def test_no_query_words_score_zero() -> None:
    assert score([], HEM_51) == 0
