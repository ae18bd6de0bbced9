"""A synthetic year of two real listings, day by day, for `make bench-year` (benchmarks/year.py).

The listings, in the shapes their real sources send:

- **Hugging Face daily papers** (`/api/daily_papers?date=YYYY-MM-DD`, the JSON list the API
  gives: `{"paper": {"id", "authors": [{"_id", "name", "hidden"}], "publishedAt",
  "submittedOnDailyAt", "title", "summary", "upvotes", "ai_summary", "ai_keywords",
  "githubRepo", "projectPage", ...}, "title", "summary", "thumbnail", "submittedBy", ...}`):
  about 50 papers on a weekday, 18 at a weekend. About a third are papers arXiv's cs.LG
  listing announced in the three days before, and one in twenty was on the list a few days
  earlier, as popular papers come back; the rest are new to the archive.
- **arXiv RSS for cs.LG** (`/rss/cs.LG`, RSS 2.0 with the arxiv and dc namespaces, one
  `<item>` per announcement): about 125 new papers and 25 cross-lists every weekday, plus 15
  replacements of older papers (which paperfeed skips), and an empty channel at weekends.
  A few cross-lists are papers Hugging Face listed days before.

A few holidays have neither, so some nights bring no paper at all. Everything comes from one
seeded random.Random in date order, so a seed always gives the same year, byte for byte.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

from benchmarks.synth import Vocabulary, lab_name, paper_text, summary_line, vocabulary

HOLIDAYS = frozenset({(1, 1), (12, 24), (12, 25), (12, 26), (12, 31)})  # (month, day): both listings empty
NEW_YORK = timezone(timedelta(hours=-4))  # daylight saving time all year: close enough here
OTHER_CATEGORIES = ("cs.CV", "cs.CL", "cs.AI", "stat.ML", "cs.RO", "math.OC", "eess.AS")


@dataclass(frozen=True)
class WorldPaper:
    """One paper as both sources know it."""

    arxiv_id: str
    title: str
    abstract: str
    authors: tuple[str, ...]
    published: date
    categories: tuple[str, ...]  # primary first
    keywords: tuple[str, ...]  # Hugging Face's ai_keywords
    summary: str  # Hugging Face's ai_summary
    github: str
    project: str
    upvotes: int


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


class World:
    """The two listings' payloads for each day, generated in date order as days are asked for."""

    def __init__(self, seed: int, first_day: date) -> None:
        self.rng = random.Random(seed)
        self.vocab: Vocabulary = vocabulary(self.rng)
        self.first_day = first_day
        self.next_day = first_day - timedelta(days=1)  # the day before the first night's lists
        self.numbers: dict[str, int] = {}
        self.rss: dict[date, bytes] = {}
        self.hf: dict[date, bytes] = {}
        self.announced: dict[date, list[WorldPaper]] = {}
        self.on_hf: dict[date, list[WorldPaper]] = {}
        self.shown_on_hf: set[str] = set()
        self.in_rss: set[str] = set()

    # -- what the server answers -------------------------------------------------------------

    def rss_payload(self, day: date) -> bytes:
        self._generate_through(day)
        return self.rss[day]

    def hf_payload(self, day: date) -> bytes:
        self._generate_through(day)
        return self.hf.get(day, b"[]")  # a day before the simulated year: nothing listed

    # -- generating --------------------------------------------------------------------------

    def _generate_through(self, day: date) -> None:
        while self.next_day <= day:
            self._generate_day(self.next_day)
            self.next_day += timedelta(days=1)

    def _generate_day(self, day: date) -> None:
        rng = self.rng
        holiday = (day.month, day.day) in HOLIDAYS
        weekday = day.weekday() < 5 and not holiday
        announced: list[WorldPaper] = []
        items: list[str] = []
        if weekday:
            for _ in range(max(0, int(rng.gauss(125, 15)))):
                paper = self._new_paper(day, ("cs.LG", *self._extra_categories()))
                announced.append(paper)
                items.append(_rss_item(paper, day, "new"))
            recent_hf = [
                p for d in _days_before(day, 3) for p in self.on_hf.get(d, []) if p.arxiv_id not in self.in_rss
            ]
            for _ in range(max(0, int(rng.gauss(25, 5)))):
                if recent_hf and rng.random() < 0.1:
                    paper = recent_hf.pop(rng.randrange(len(recent_hf)))
                else:
                    paper = self._new_paper(day, (rng.choice(OTHER_CATEGORIES), "cs.LG"))
                announced.append(paper)
                items.append(_rss_item(paper, day, "cross"))
            older = [p for d in _days_before(day, 60) for p in self.announced.get(d, [])]
            for paper in rng.sample(older, min(len(older), max(0, int(rng.gauss(15, 4))))):
                items.append(_rss_item(paper, day, "replace"))
        self.announced[day] = announced
        self.in_rss.update(paper.arxiv_id for paper in announced)
        self.rss[day] = _rss_channel(day, items)

        count = 0 if holiday else max(0, int(rng.gauss(50, 8) if day.weekday() < 5 else rng.gauss(18, 5)))
        from_arxiv = [
            p for d in _days_before(day, 3) for p in self.announced.get(d, []) if p.arxiv_id not in self.shown_on_hf
        ]
        again = [p for d in _days_before(day, 7)[1:] for p in self.on_hf.get(d, [])]
        listed: list[WorldPaper] = []
        for _ in range(count):
            roll = rng.random()
            if roll < 0.35 and from_arxiv:
                paper = from_arxiv.pop(rng.randrange(len(from_arxiv)))
            elif roll < 0.40 and again:
                paper = again.pop(rng.randrange(len(again)))
            else:
                paper = self._new_paper(day, (rng.choice(OTHER_CATEGORIES), *self._extra_categories()))
            if paper.arxiv_id in {p.arxiv_id for p in listed}:
                continue
            listed.append(paper)
            self.shown_on_hf.add(paper.arxiv_id)
        self.on_hf[day] = listed
        self.hf[day] = json.dumps([self._hf_entry(paper, day) for paper in listed], ensure_ascii=False).encode()

    def _extra_categories(self) -> tuple[str, ...]:
        return tuple(self.rng.sample(OTHER_CATEGORIES, self.rng.choice((0, 0, 1, 1, 2))))

    def _new_paper(self, day: date, categories: tuple[str, ...]) -> WorldPaper:
        rng = self.rng
        submitted = day - timedelta(days=rng.randint(1, 3))
        month = f"{submitted:%y%m}"
        self.numbers[month] = self.numbers.get(month, 0) + rng.randint(1, 12)
        arxiv_id = f"{month}.{self.numbers[month]:05d}"
        title, abstract, authors = paper_text(rng)
        slug = arxiv_id.replace(".", "-")
        return WorldPaper(
            arxiv_id=arxiv_id,
            title=title,
            abstract=abstract,
            authors=authors,
            published=submitted,
            categories=tuple(dict.fromkeys(categories)),
            keywords=self.vocab.draw(rng, rng.randint(3, 9)),
            summary=summary_line(rng),
            github=f"https://github.com/{lab_name(rng)}-lab/{slug}" if rng.random() < 0.45 else "",
            project=f"https://{lab_name(rng)}.github.io/{arxiv_id}/" if rng.random() < 0.35 else "",
            upvotes=int(rng.paretovariate(1.3)) - 1,
        )

    def _hf_entry(self, paper: WorldPaper, day: date) -> dict[str, object]:
        rng = self.rng
        submitter = {
            "_id": _hex(rng),
            "avatarUrl": f"/avatars/{_hex(rng)}.svg",
            "fullname": paper.authors[0],
            "name": paper.authors[0].split()[-1].lower(),
            "type": "user",
            "isPro": False,
        }
        inner: dict[str, object] = {
            "id": paper.arxiv_id,
            "authors": [{"_id": _hex(rng), "name": name, "hidden": False} for name in paper.authors],
            "publishedAt": f"{paper.published}T00:00:00.000Z",
            "submittedOnDailyAt": f"{day}T00:00:00.000Z",
            "title": paper.title,
            "submittedOnDailyBy": submitter,
            "summary": paper.abstract,
            "upvotes": paper.upvotes,
            "discussionId": _hex(rng),
            "ai_summary": paper.summary,
            "ai_keywords": list(paper.keywords),
            "ai_summary_model": "qwen3-32b",
        }
        if paper.github:
            inner.update(githubRepo=paper.github, githubRepoAddedBy="author", githubStars=rng.randint(0, 400))
        if paper.project:
            inner["projectPage"] = paper.project
        return {
            "paper": inner,
            "publishedAt": f"{paper.published}T17:59:00.000Z",
            "title": paper.title,
            "summary": paper.abstract,
            "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper.arxiv_id}.png",
            "numComments": rng.randint(0, 3),
            "submittedBy": {**submitter, "isHf": False, "isHfAdmin": False, "isMod": False, "isUserFollowing": False},
            "isAuthorParticipating": rng.random() < 0.3,
        }


def _days_before(day: date, count: int) -> list[date]:
    """The `count` days before `day`, nearest first."""
    return [day - timedelta(days=n) for n in range(1, count + 1)]


def _announced_at(day: date) -> str:
    """Midnight in New York, as arXiv dates its announcements: 'Mon, 04 Jan 2027 00:00:00 -0400'."""
    return format_datetime(datetime(day.year, day.month, day.day, tzinfo=NEW_YORK))


def _rss_item(paper: WorldPaper, day: date, kind: str) -> str:
    version = "v2" if kind == "replace" else "v1"
    categories = "".join(f"\n      <category>{category}</category>" for category in paper.categories)
    return (
        "    <item>\n"
        f"      <title>{escape(paper.title)}</title>\n"
        f"      <link>https://arxiv.org/abs/{paper.arxiv_id}</link>\n"
        f"      <description>arXiv:{paper.arxiv_id}{version} Announce Type: {kind} \n"
        f"Abstract: {escape(paper.abstract)}</description>\n"
        f'      <guid isPermaLink="false">oai:arXiv.org:{paper.arxiv_id}{version}</guid>'
        f"{categories}\n"
        f"      <pubDate>{_announced_at(day)}</pubDate>\n"
        f"      <arxiv:announce_type>{kind}</arxiv:announce_type>\n"
        "      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>\n"
        f"      <dc:creator>{escape(', '.join(paper.authors))}</dc:creator>\n"
        "    </item>\n"
    )


def _rss_channel(day: date, items: list[str]) -> bytes:
    return (
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">\n'
        "  <channel>\n"
        "    <title>cs.LG updates on arXiv.org</title>\n"
        "    <link>http://rss.arxiv.org/rss/cs.LG</link>\n"
        "    <description>cs.LG updates on the arXiv.org e-print archive.</description>\n"
        '    <atom:link href="http://rss.arxiv.org/rss/cs.LG" rel="self" type="application/rss+xml" />\n'
        "    <docs>http://www.rssboard.org/rss-specification</docs>\n"
        "    <language>en-us</language>\n"
        f"    <lastBuildDate>{format_datetime(datetime(day.year, day.month, day.day, 4, tzinfo=UTC))}</lastBuildDate>\n"
        "    <managingEditor>rss-help@arxiv.org</managingEditor>\n"
        f"    <pubDate>{_announced_at(day)}</pubDate>\n"
        "    <skipDays>\n      <day>Saturday</day>\n      <day>Sunday</day>\n    </skipDays>\n"
        + "".join(items)
        + "  </channel>\n</rss>\n"
    ).encode()
