"""Near-duplicate clustering: syndicated copies share a cluster with one canonical copy."""

import unicodedata

from indexer.article import Article
from indexer.duplicates import DuplicateClusterer, cluster_articles

STORY = " ".join(
    f"Câu thứ {i}: UBND tỉnh Tuyên Quang và Tập đoàn VNPT triển khai hạng mục {i} của thỏa thuận "
    f"hợp tác chuyển đổi số, xây dựng chính quyền số và đào tạo kỹ năng số cho người dân."
    for i in range(12)
)
OTHER = " ".join(
    f"Đoạn {i}: giá cam sành Hàm Yên giảm mạnh vì nguồn cung từ các tỉnh phía Nam tăng, thương lái "
    f"thu mua cầm chừng, người trồng cam lo lắng về đầu ra của vụ {i}."
    for i in range(12)
)


def art(url, body, published):
    return Article(url=url, title=url, body=body, published=published)


def test_copies_cluster_and_the_earliest_is_canonical():
    original = art("https://vnpt.vn/a", STORY, "2023-01-09T15:40:00+07:00")
    # a copy a day later: NFD text, old tone marks, its own intro line
    copy_text = unicodedata.normalize("NFD", "Diendandoanhnghiep.vn " + STORY.replace("Hóa", "Hoá"))
    copy = art("https://ddn.vn/b", copy_text, "2023-01-10T08:30:00+07:00")
    unrelated = art("https://tq.vn/c", OTHER, "2023-01-09T10:00:00+07:00")
    c = DuplicateClusterer()
    c.add(copy)
    c.add(unrelated)
    assert copy.is_canonical and c.pop_updates() == []
    c.add(original)  # arrives later but was published first
    assert original.cluster_id == copy.cluster_id != unrelated.cluster_id
    assert original.is_canonical
    assert c.pop_updates() == [copy.id]  # the caller re-saves the demoted copy
    assert c.apply(copy).is_canonical is False
    assert c.state(unrelated.id) == (unrelated.id, True)


def test_rebuild_from_stored_articles_is_order_independent():
    a = art("https://vnpt.vn/a", STORY, "2023-01-09T15:40:00+07:00")
    b = art("https://ddn.vn/b", STORY + " Thêm một câu cuối bài.", "2023-01-10T08:30:00+07:00")
    c = art("https://tq.vn/c", OTHER, "2022-05-01T10:00:00+07:00")
    first = {x.id: (x.cluster_id, x.is_canonical) for x in cluster_articles([b, c, a])}
    for x in (a, b, c):
        x.cluster_id, x.is_canonical = "", True
    clusterer, changed = DuplicateClusterer.rebuild([c, a, b])
    assert {x.id: (x.cluster_id, x.is_canonical) for x in (a, b, c)} == first
    assert a.cluster_id == b.cluster_id == a.id and a.is_canonical and not b.is_canonical
    assert {x.id for x in changed} == {a.id, b.id, c.id}  # all were unclustered
    assert DuplicateClusterer.rebuild([b, a, c])[1] == []  # stored state is current
    d = art("https://x.vn/d", STORY, "2023-02-01T00:00:00+07:00")
    clusterer.add(d)
    assert d.cluster_id == a.cluster_id and not d.is_canonical


def test_recrawled_page_keeps_its_place():
    c = DuplicateClusterer()
    a = art("https://vnpt.vn/a", STORY, "2023-01-09T15:40:00+07:00")
    b = art("https://ddn.vn/b", STORY, "2023-01-10T08:30:00+07:00")
    c.add(a), c.add(b)
    again = art("https://vnpt.vn/a", STORY, "2023-01-09T15:40:00+07:00")
    c.add(again)
    assert again.cluster_id == b.cluster_id and again.is_canonical
    assert len(c.clusters()) == 1


def test_short_texts_are_never_called_copies():
    a = art("https://x.vn/a", "Thông báo lịch tiếp công dân.", "2023-01-01")
    b = art("https://x.vn/b", "Thông báo lịch tiếp công dân.", "2023-01-02")
    cluster_articles([a, b])
    assert a.cluster_id != b.cluster_id and a.is_canonical and b.is_canonical


def template(province):
    return " ".join(
        f"Câu {i}: Ứng dụng công dân số của tỉnh {province} đạt thêm nhiều lượt tải, người dân "
        f"dùng ứng dụng để nộp hồ sơ, tra cứu thông tin và phản ánh hiện trường trong tháng {i}."
        for i in range(12)
    )


def test_one_template_for_many_provinces_is_not_one_story():
    a = art("https://x.vn/a", template("Cần Thơ"), "2023-05-01T08:00:00+07:00")
    b = art("https://x.vn/b", template("Hà Giang"), "2023-05-02T08:00:00+07:00")
    cluster_articles([a, b])
    assert a.cluster_id != b.cluster_id


def test_copies_on_portals_of_different_provinces_still_cluster():
    # neither copy names a province; each portal's fallback makes its own province primary
    a = art("https://tq.gov.vn/a", STORY.replace("UBND tỉnh Tuyên Quang", "Bộ"), "2023-05-01")
    b = art("https://th.gov.vn/b", STORY.replace("UBND tỉnh Tuyên Quang", "Bộ"), "2023-05-03")
    a.primary_province, b.primary_province = "Tuyên Quang", "Thanh Hóa"
    cluster_articles([a, b])
    assert a.cluster_id == b.cluster_id


def test_same_text_years_apart_is_a_rerun_not_a_copy():
    a = art("https://x.vn/a", STORY, "2021-01-01T08:00:00+07:00")
    b = art("https://x.vn/b", STORY, "2023-06-01T08:00:00+07:00")
    cluster_articles([a, b])
    assert a.cluster_id != b.cluster_id


def test_signatures_and_lsh_bands_are_datasketchs():
    """duplicates.py computes MinHash and the LSH bands itself (datasketch imports scipy: 55 MB in
    the crawler and each extraction worker); the numbers must stay datasketch's, so clusters and
    the bench figures do not move."""
    from datasketch import MinHash
    from datasketch.lsh import _optimal_param

    from indexer.duplicates import lsh_bands, minhash, shingles

    texts = [
        template("Cần Thơ"),
        template("Hà Giang") + " Bài viết thêm một câu.",
        "Tỉnh Tuyên Quang ký thỏa thuận hợp tác chuyển đổi số với VNPT giai đoạn 2024-2026.",
    ]
    for text in texts:
        grams = shingles(text)
        reference = MinHash(num_perm=128)
        reference.update_batch([g.encode("utf-8") for g in grams])
        assert (minhash(grams, 128) == reference.hashvalues).all()
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        assert lsh_bands(threshold, 128) == _optimal_param(threshold, 128, 0.5, 0.5)


def test_lsh_buckets_shared_by_several_keys_survive_removals():
    import numpy as np

    from indexer.duplicates import _LSH

    lsh = _LSH(0.7, 128)
    same = np.arange(128, dtype=np.uint32)
    other = same.copy()
    other[-1] += 1  # shares every band but the last with ``same``
    lsh.insert("a", same)
    lsh.insert("b", same)
    lsh.insert("c", other)
    assert lsh.query(same) == {"a", "b", "c"}
    lsh.remove("a", same)
    assert lsh.query(same) == {"b", "c"} and lsh.query(other) == {"b", "c"}
    lsh.remove("b", same)
    lsh.remove("c", other)
    assert lsh.query(same) == set() and all(not table for table in lsh.tables)
