"""What the user typed -> a tree of words that every backend translates the same way.

We never hand user text to an engine's own query parser: tantivy's and Elasticsearch's
``query_string`` both give meaning to ``field:``, ``*``, ``"``, ``(``, ``AND``… and answer
hostile input with syntax errors (a 500 for the journalist). The query language is parsed here,
leniently (a stray quote, bracket or ``OR`` is ignored, never an error):

* bare text is cut into **words** (:mod:`indexer.segmentation`): "tuyển dụng", "Thanh Hóa",
  "chữ ký số" are one word each, and a word matches only as adjacent syllables, in order, within
  one clause of the text (a phrase). Words are ANDed;
* ``"quoted phrase"`` is one word however long; ``-word`` and ``-"phrase"`` exclude;
  ``A OR B`` (also ``|``) between words, phrases or groups; ``( … )`` groups;
* **typed diacritics mean something**: a syllable typed with its marks matches only that
  syllable (old and new tone placement are one: hoá = hóa, kỹ = kĩ); a syllable typed without
  marks matches any marks ("thanh hoa" finds "Thanh Hóa"). Each syllable becomes a
  :class:`Term`: its exact key, or its folded key;
* a word that is a dictionary entry (:mod:`indexer.lexicon`) also matches its synonyms (VNPT =
  Tập đoàn Bưu chính Viễn thông Việt Nam, CĐS = chuyển đổi số), and a province or partner
  name is reported as ``detected`` so the page can offer it as a filter. A partner matches the
  words as typed or the articles the partner tagger found it in (``Word.or_tagged``); a year
  (``2021``) likewise matches the number or the articles of that year (``year`` facet: published
  then, or an agreement period covering it), and is reported as ``detected``. Typed without marks,
  such a word means that name (its own spellings, or the unmarked letters as typed), not any
  word its letters fold to: ``quang nam`` is Quảng Nam, never "Tuyên Quang năm". A short
  abbreviation typed in capitals (``AI``) matches only where the page writes it in capitals. A province name that is
  also a word or a person (Hòa Bình, Thái Bình, Hồ Chí Minh) typed with capitals matches only the
  articles the tagger found to be about that province (``Word.tagged``); typed in lowercase it is
  the plain word.

Scoring, shared by both backends (tantivy_query.py and es_bodies.py build the same clauses):

* every required word scores BM25 in the title (×TITLE_BOOST) and the body (×1), the best of its
  alternatives counting; so title matches beat body matches;
* each word typed as it stands in the page, diacritics and all, adds EXACT_BOOST: with "Dak Lak"
  typed, the page that writes "Dak Lak" ranks above the one writing "Đắk Lắk";
* the bare words of a run, adjacent and in order (slop PROXIMITY_SLOP syllables), add
  PROXIMITY_BOOST: "Thanh Hóa VNPT" side by side beats the two names far apart;
* an article whose primary province is a province named in the query, or whose title names a
  partner named in the query, gets ENTITY_BOOST each, and an agreement or report about them
  KIND_BOOST: the signing in Thanh Hóa beats a passing mention of Thanh Hóa;
* a partner found by the tagger under another of its names scores TAG_SCORE for that word; a
  partner's words score fully only in articles the tagger found it in, UNTAGGED_WEIGHT of that
  elsewhere: "Viettel" typed matches the text of "Viettel Post" too (the word is in the name),
  but a story about the postal company ranks below the group's;
* excluded words and every filter score nothing.

The punctuation gap lives here too: "Về kinh tế, số doanh nghiệp" must not match the phrase
"kinh tế số", so clause-ending punctuation becomes a sentinel word that the analyzers drop,
leaving a position hole that no phrase can cross.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.lexicon import Entry, Lexicon, exact_key, is_marked, load_lexicon, syllables
from indexer.normalize import GAP_PATTERN, GAP_WORD, canonical, search_key, with_gaps  # noqa: F401 (the engines import the gap words from here)
from indexer.segmentation import YEAR, is_function_phrase, segment

MAX_QUERY_CHARS = 500
MAX_WORDS = 24  # words (and phrases) in one query, synonyms not counted
MAX_DEPTH = 8  # nested brackets deeper than this are read as plain text
MAX_TOKEN_CHARS = 40
# Ranking, shared by both backends: see the module docstring.
TITLE_BOOST = 3.0
EXACT_BOOST = 1.0
PROXIMITY_BOOST = 2.0
PROXIMITY_SLOP = 2
ENTITY_BOOST = 4.0
TAG_SCORE = 2.0  # a partner found by the tagger but not in the typed words
UNTAGGED_WEIGHT = 0.2  # a partner's words in an article not tagged with it ("Viettel" of Viettel Post)
KIND_BOOST = 2.0
RANKED_KINDS = ("agreement", "report")

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
# The query language's tokens; anything else (control characters, ``field:``, ``*``) separates.
_LEX = re.compile(
    r"""
    (?P<quote>"[^"]*")
  | (?P<open>\()
  | (?P<close>\))
  | (?P<or>(?<!\S)(?:OR|\||hoặc)(?!\S))
  | (?P<and>(?<!\S)(?:AND|&&?)(?!\S))
  | (?P<neg>(?<![^\s(])-(?=[^\s\-])|(?<!\S)NOT(?=\s|$))
  | (?P<syl>[^\W_]+)
  | (?P<gap>[,;:!?…]+|\.(?=\s|$)|\s[—/]+(?=\s)|[\[\]{}])
""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Term:
    """One syllable to match: by its exact key (typed with marks) or its folded key."""

    key: str
    exact: bool


def term(syllable: str) -> Term:
    if syllable == GAP_WORD:  # a dictionary spelling's comma: a hole in the phrase
        return Term(GAP_WORD, False)
    if is_marked(syllable):
        return Term(exact_key(syllable), True)
    return Term(search_key(syllable), False)


@dataclass(frozen=True)
class Phrase:
    """Syllables that must stand side by side, in this order, within one clause."""

    terms: tuple[Term, ...]
    text: str

    @classmethod
    def of(cls, sylls: tuple[str, ...], exact: bool | None = None) -> Phrase:
        """``exact`` None: the typed rule per syllable; True: every syllable exact; False: folded."""
        if exact is None:
            terms = tuple(term(s) for s in sylls)
        elif exact:
            terms = tuple(term(s) if s == GAP_WORD else Term(exact_key(s), True) for s in sylls)
        else:
            terms = tuple(term(s) if s == GAP_WORD else Term(search_key(s), False) for s in sylls)
        return cls(terms, " ".join(sylls))


@dataclass(frozen=True)
class Word:
    """A word or quoted phrase: the document must contain one of its alternatives."""

    alternatives: tuple[Phrase, ...]  # as typed first, then the dictionary's synonyms
    typed: str
    quoted: bool = False
    facet: str = ""  # "province" / "partner" when the word names one
    value: str = ""
    tagged: bool = False  # matches only articles tagged with that province
    cased: bool = False  # a short abbreviation ("AI"): as typed, in capitals only
    or_tagged: bool = False  # a partner: also every article tagged with it
    shown: tuple[Phrase, ...] = ()  # other spellings, bolded in snippets but not searched

    @property
    def exact(self) -> Phrase:
        """The typed syllables with their diacritics as typed: the ranking boost of exactness."""
        return Phrase.of(tuple(self.typed.split()), exact=True)


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


Node = Word | AnyOf | AllOf


@dataclass(frozen=True)
class ParsedText:
    root: AllOf | None
    runs: tuple[tuple[Word, ...], ...] = ()  # bare words typed side by side (proximity)
    words: tuple[Word, ...] = field(default=())  # every required word (highlight, boosts)
    detected: tuple[Word, ...] = ()  # words that name a province or partner

    @property
    def is_empty(self) -> bool:
        return self.root is None


# -- lexing and segmentation --------------------------------------------------------------------
@dataclass
class _Tok:
    kind: str  # word / stop (an optional function word) / or / neg / open / close / gap
    word: Word | None = None
    run: int = -1  # which bare run a word came from (proximity)


def _word(sylls: tuple[str, ...], entry: Entry | None, quoted: bool = False) -> Word:
    if entry is None and not quoted and len(sylls) == 1 and YEAR.fullmatch(sylls[0]):
        # The year as written, or the articles of that year (published then, or an agreement
        # period covering it): "Sáng 11-11" never says which year it is.
        return Word((Phrase.of(sylls),), sylls[0], facet="year", value=sylls[0], or_tagged=True)
    core = sylls[entry.prefix :] if entry else sylls
    tagged = False
    if entry is not None and entry.ambiguous:
        # "Hòa Bình" typed as a name is the province (the tagger's evidence decides which
        # articles are about it); "hòa bình" typed as a word is peace.
        if not entry.prefix and not all(s[:1].isupper() for s in core):
            entry = None
        tagged = entry is not None
    if entry is None:
        return Word((Phrase.of(core),), " ".join(core), quoted)
    if entry.facet == "partner":
        # A company is what the partner tagger found (it knows "Viettel Post" is not Viettel and
        # every alias of each), or the words as typed: "Tập đoàn Viettel" means the group, so
        # its bare "Viettel" must not bring in Viettel Post.
        typed = Phrase.of(sylls, exact=True) if not any(is_marked(s) for s in sylls) else Phrase.of(sylls)
        shown = tuple(Phrase.of(s, exact=True) for s in (entry.syllables[entry.prefix :], *entry.synonyms))
        return Word((typed,), " ".join(sylls), quoted, entry.facet, entry.value, or_tagged=True, shown=shown)
    # A known name or term typed without marks means that name, not whatever else its letters
    # spell: "quang nam" is Quảng Nam (or a page that writes "quang nam"), not "Tuyên Quang năm".
    typed = Phrase.of(core, exact=True) if not any(is_marked(s) for s in core) else Phrase.of(core)
    alts = [typed]
    for syn in (entry.syllables[entry.prefix :], *entry.synonyms):  # a dictionary spelling is exact
        alt = Phrase.of(syn, exact=True)
        if all(alt.terms != a.terms for a in alts):
            alts.append(alt)
    return Word(tuple(alts), " ".join(core), quoted, entry.facet, entry.value, tagged, entry.strict)


def _lex(text: str, lexicon: Lexicon) -> list[_Tok]:
    toks: list[_Tok] = []
    run: list[str] = []
    runs = 0

    def flush() -> None:
        nonlocal runs
        if run:
            segs = segment(run, lexicon)
            for k, seg in enumerate(segs):
                nxt = segs[k + 1].syllables if k + 1 < len(segs) else ()
                optional = seg.entry is None and (
                    is_function_phrase(seg.syllables)
                    # "năm 2023": the year says it (and matches the articles of that year)
                    or (seg.syllables == ("năm",) and len(nxt) == 1 and bool(YEAR.fullmatch(nxt[0])))
                )
                toks.append(_Tok("stop" if optional else "word", _word(seg.syllables, seg.entry), runs))
            runs += 1
            run.clear()

    for m in _LEX.finditer(text):
        kind = m.lastgroup
        if kind == "syl":
            # A syllable longer than the index keeps (MAX_TOKEN_CHARS) is still required: no
            # article holds it, so the query finds nothing rather than silently everything.
            run.append(m.group())
            continue
        flush()
        if kind == "quote":
            sylls = syllables(m.group().strip('"'))
            if sylls:
                toks.append(_Tok("word", _word(tuple(sylls), None, quoted=True)))
        elif kind in ("or", "neg", "open", "close", "gap"):
            toks.append(_Tok(kind))
        # "and": words are ANDed anyway
    flush()
    return toks


# -- parsing --------------------------------------------------------------------------------------
class _Parser:
    """query := item* ; item := unary (OR unary)* ; unary := '-' primary | primary ;
    primary := WORD | '(' query ')'. Everything malformed is skipped, never an error."""

    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = [t for t in toks if t.kind != "gap"]
        self.pos = 0
        self.words = 0

    def peek(self) -> str | None:
        return self.toks[self.pos].kind if self.pos < len(self.toks) else None

    def query(self, depth: int) -> AllOf | None:
        must: list[Node] = []
        excluded: list[Node] = []
        while self.peek() is not None:
            if self.peek() == "close":
                if depth:
                    break
                self.pos += 1  # a stray ")" at the top
                continue
            for negated, node in self.item(depth):
                (excluded if negated else must).append(node)
        if not must and not excluded:
            return None
        return AllOf(tuple(dict.fromkeys(must)), tuple(dict.fromkeys(excluded)))

    def item(self, depth: int) -> list[tuple[bool, Node]]:
        """One required node (words ORed together), plus any excluded ones met on the way:
        "-A OR B" reads as -A B, and "A OR -B" as A -B."""
        negated, node = self.unary(depth)
        if node is None:
            return []
        if negated:
            return [(True, node)]
        options, extra = [node], []
        while self.peek() == "or":
            self.pos += 1
            neg2, other = self.unary(depth)
            if other is not None:
                (extra if neg2 else options).append(other)
        first = options[0] if len(options) == 1 else AnyOf(tuple(dict.fromkeys(options)))
        return [(False, first)] + [(True, x) for x in extra]

    def unary(self, depth: int) -> tuple[bool, Node | None]:
        negated = False
        while self.peek() == "neg":
            negated = True
            self.pos += 1
        return negated, self.primary(depth)

    def primary(self, depth: int) -> Node | None:
        kind = self.peek()
        if kind == "word":
            tok = self.toks[self.pos]
            self.pos += 1
            self.words += 1
            return tok.word if self.words <= MAX_WORDS else None
        if kind == "open":
            self.pos += 1
            if depth >= MAX_DEPTH:
                return None
            inner = self.query(depth + 1)
            if self.peek() == "close":
                self.pos += 1
            if inner is None:
                return None
            if not inner.excluded and len(inner.children) == 1:
                return inner.children[0]
            return inner
        if kind is not None:  # a function word, or a stray OR, "-" or ")" where a word should be
            self.pos += 1
        return None


def parse_text(text: str, lexicon: Lexicon | None = None) -> ParsedText:
    """The query as a tree of words (see the module docstring); over-long input is cut."""
    lexicon = lexicon or load_lexicon()
    text = canonical((text or "")[:MAX_QUERY_CHARS]).translate(_QUOTES)
    toks = _lex(text, lexicon)
    root = _Parser(toks).query(0)
    if root is None and any(t.kind == "stop" for t in toks):  # nothing but function words: search them
        toks = [_Tok("word", t.word, t.run) if t.kind == "stop" else t for t in toks]
        root = _Parser(toks).query(0)
    if root is None:
        return ParsedText(None)
    required = tuple(dict.fromkeys(_required_words(root)))
    in_root = set(required)
    runs: dict[int, list[Word]] = {}
    for t in toks:
        if t.kind == "word" and t.run >= 0 and t.word in in_root:
            runs.setdefault(t.run, []).append(t.word)
    # Consecutive runs separated only by a space-free operator were split by it: keep them apart.
    proximity = tuple(tuple(ws) for ws in runs.values() if len(ws) > 1)
    detected = tuple(w for w in required if w.facet)
    return ParsedText(root, proximity, required, detected)


def _required_words(node: Node) -> list[Word]:
    """Words that add to the score: everything but what is excluded."""
    if isinstance(node, Word):
        return [node]
    out: list[Word] = []
    for child in node.children:
        out.extend(_required_words(child))
    return out


def excluded_words(node: Node | None) -> list[Word]:
    """Words the results must not contain (``python -m indexer words`` lists them)."""
    if node is None or isinstance(node, Word):
        return []
    out: list[Word] = []
    if isinstance(node, AllOf):
        for ex in node.excluded:
            out.extend(_required_words(ex))
    for child in node.children:
        out.extend(excluded_words(child))
    return out


def describe(node: Node | None) -> str:
    """The parsed query in the query language itself, for the page ("tuyển dụng" Thanh Hóa)."""
    if node is None:
        return ""
    if isinstance(node, Word):
        return f'"{node.typed}"' if " " in node.typed else node.typed
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(describe(c) for c in node.children) + ")"
    parts = [describe(c) for c in node.children] + ["-" + describe(c) for c in node.excluded]
    return " ".join(parts)
