"""The concrete six sites: names, hosts, categories, robots rules and the deliberately broken URLs.

Names are stable: config/sources.demo.yaml, the tests and the benchmarks refer to them.
"""

from __future__ import annotations

from .sites import BusinessPaper, CustomCmsPortal, JoomlaPortal, NewspaperNfd, Newsroom, SharePointPortal, SiteSpec

ID_RANGES = {  # site → (first id, span) for hand-written articles; generated ones follow
    "tuyenquang-portal": (100, 900),
    "thanhhoa-portal": (1200, 8000),
    "backan-portal": (3000, 5000),
    "baotuyenquang": (140000, 9000),
    "diendandoanhnghiep": (180000, 9000),
    "vnpt-newsroom": (5000, 5000),
}


def build_specs() -> list[SiteSpec]:
    return [
        SharePointPortal(
            name="tuyenquang-portal",
            page_size=4,
            kind="portal",
            province="Tuyên Quang",
            index=0,
            label="Cổng thông tin điện tử tỉnh Tuyên Quang",
            feed_path="/rss.aspx",
            advertise_sitemap=False,
            categories={
                "tin-tuc-su-kien": "Tin tức - Sự kiện",
                "chuyen-doi-so": "Chuyển đổi số",
                "nghien-cuu-trao-doi": "Nghiên cứu - Trao đổi",
                "van-hoa-xa-hoi": "Văn hóa - Xã hội",
            },
            disallow=["/_layouts/", "/Pages/tim-kiem.aspx"],
            specials={
                "/robots.txt": ("robots", {}),
                "/sitemap.xml": ("sitemap", {}),
                "/rss.aspx": ("rss", {"cat": None}),
            },
        ),
        JoomlaPortal(
            name="thanhhoa-portal",
            page_size=4,
            kind="portal",
            province="Thanh Hóa",
            index=1,
            label="Cổng thông tin điện tử tỉnh Thanh Hoá",
            feed_limit=0,
            date_display="none",
            validators=False,
            feed_path="/index.php/tin-tuc?format=feed&type=rss",
            categories={
                "tin-tuc": "Tin tức",
                "chuyen-doi-so": "Chuyển đổi số",
                "kinh-te": "Kinh tế",
                "van-hoa-the-thao": "Văn hoá - Thể thao",
            },
            disallow=["/administrator/", "/index.php/tim-kiem"],
            specials={"/robots.txt": ("robots", {}), "/sitemap.xml": ("sitemap", {})},
        ),
        CustomCmsPortal(
            name="backan-portal",
            page_size=5,
            kind="portal",
            province="Bắc Kạn",
            index=2,
            label="Cổng thông tin điện tử tỉnh Bắc Kạn",
            charset="windows-1258",
            date_display="both",
            feed_path="/rss.xml",
            categories={
                "tin-tuc": "Tin tức - Sự kiện",
                "chuyen-doi-so": "Chuyển đổi số",
                "nong-nghiep": "Nông nghiệp - Nông thôn",
            },
            disallow=["/admin/", "/tim-kiem.htm"],
            ghosts=[
                (
                    "/chi-tiet-tin/8888/thong-bao-ket-qua-xet-tuyen-vien-chuc.htm",
                    "Thông báo kết quả xét tuyển viên chức năm 2024",
                    500,
                )
            ],
            specials={
                "/robots.txt": ("robots", {}),
                "/sitemap.xml": ("sitemap_index", {}),
                "/rss.xml": ("rss", {"cat": None}),
            },
        ),
        NewspaperNfd(
            name="baotuyenquang",
            page_size=5,
            kind="press",
            province="Tuyên Quang",
            index=3,
            form="NFD",
            label="Báo Tuyên Quang điện tử",
            date_display="both",
            feed_path="/rss/tin-moi.rss",
            categories={
                "chuyen-doi-so": "Chuyển đổi số",
                "kinh-te": "Kinh tế",
                "xa-hoi": "Xã hội",
                "the-thao": "Thể thao",
            },
            disallow=["/tim-kiem"],
            specials={
                "/robots.txt": ("robots", {}),
                "/sitemap.xml": ("sitemap", {}),
                "/sitemap-news.xml": ("news_sitemap", {}),
                "/rss/tin-moi.rss": ("rss", {"cat": None}),
            },
        ),
        BusinessPaper(
            name="diendandoanhnghiep",
            page_size=4,
            kind="press",
            province="",
            index=4,
            label="Diễn đàn Doanh nghiệp",
            date_display="both",
            feed_path="/rss/home.rss",
            categories={"chuyen-doi-so": "Chuyển đổi số", "doanh-nghiep": "Doanh nghiệp", "thoi-su": "Thời sự"},
            disallow=["/tim-kiem", "/binh-luan/"],
            ghosts=[
                (
                    "/doanh-nghiep-so-hoa-quy-trinh-ban-hang-bai-da-go-189999.html",
                    "Doanh nghiệp số hóa quy trình bán hàng: bài học từ thực tế",
                    404,
                )
            ],
            specials={"/robots.txt": ("robots", {}), "/sitemap.xml": ("sitemap", {})},
        ),
        Newsroom(
            name="vnpt-newsroom",
            page_size=4,
            kind="partner",
            province="",
            index=5,
            label="VNPT Newsroom",
            date_display="visible",
            feed_path="/feed/atom",
            categories={"tin-tuc": "Tin tức", "chuyen-doi-so": "Chuyển đổi số", "su-kien": "Sự kiện"},
            disallow=["/tim-kiem", "/api/"],
            specials={
                "/robots.txt": ("robots", {}),
                "/sitemap.xml": ("sitemap_index", {}),
                "/feed/atom": ("atom", {}),
                **{f"/sitemap-{c}.xml": ("sitemap_cat", {"cat": c}) for c in ("tin-tuc", "chuyen-doi-so", "su-kien")},
            },
        ),
    ]
