"""Text cleaning: whitespace, characters XML cannot carry, and LaTeX made readable.

Sources give abstracts as arXiv authors typed them: accents as TeX macros (Fr\\'echet),
escaped percent signs, grouping braces, and math between dollar signs. `clean` is applied on
the way in (the archive keeps the source's text); `readable` and `split_math` on the way out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# XML 1.0 allows tab, newline, carriage return and U+0020-U+D7FF, U+E000-U+FFFD, U+10000+.
# C1 controls and noncharacters are legal but poison YAML and feed readers, so they go too.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def _fold_spaces(text: str) -> str:
    """_SPACE.sub(" ", text): every run of whitespace as one space."""
    # Texts come cleaned (`clean` folds their whitespace), so there is
    # mostly nothing to fold. Every whitespace character but the space is unprintable, so a
    # printable text without two spaces in a row is already folded: two fast scans instead of
    # a regex substitution, for every part of every title, abstract and name split.
    if "  " not in text and text.isprintable():
        return text
    return _SPACE.sub(" ", text)


def clean(text: str) -> str:
    """NFC-normalise, drop characters XML and YAML cannot carry, fold whitespace."""
    text = _ILLEGAL.sub("", unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", text).strip()


# Accent macros: \'e, \'{e}, \"{\i}, \c{c}, \v s ...
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_ACCENT = re.compile(
    r"""\\(?P<mark>['`^"~=.]|[uvHckr](?=[\s{]))\s*"""
    r"""(?:\{\s*(?P<braced>\\[ij]|[A-Za-z])\s*\}|(?P<bare>\\[ij](?![A-Za-z])|[A-Za-z]))"""
)
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
# Symbols that read well as single characters, inside or outside math.
SYMBOLS = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "mp": "∓",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "ll": "≪",
    "gg": "≫",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "sqrt": "√",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "forall": "∀",
    "exists": "∃",
    "rightarrow": "→",
    "to": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "leftrightarrow": "↔",
    "mapsto": "↦",
    "uparrow": "↑",
    "downarrow": "↓",
    "ell": "ℓ",
    "propto": "∝",
    "equiv": "≡",
    "circ": "∘",
    "star": "⋆",
    "ast": "∗",
    "dagger": "†",
    "ldots": "…",
    "dots": "…",
    "cdots": "⋯",
    "prime": "′",
    "degree": "°",
    "deg": "°",
    "checkmark": "✓",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "S": "§",
    "P": "¶",
    "copyright": "©",
    "dag": "†",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
}
_ESCAPED = re.compile(r"\\([%&#$_{}])")
_SYMBOL = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])\s?")
_FONT = re.compile(r"\\(?:em|it|bf|sc|rm|tt|sf|emph|textit|textbf|textrm|texttt|textsc|mathrm)\b\s*")
_SPACING = re.compile(r"\\[ ,;:!]")
_GROUP = re.compile(r"\{(?<!\\\{)([^{}$\\]*)\}")  # "(?<!\\)\{", starting with a literal: see _MATH
_MAX_GROUP_DEPTH = 16  # deeper nesting is not TeX anyone writes in a title; it stays as it is
# A tilde is a non-breaking space between words, but stays as it is inside URLs and where
# it means "about" (before a number, after a space).
_TIE = re.compile(r"(?<=[A-Za-z0-9.)\]])~(?=[A-Za-z(\[])")
# A URL-like word. The lookbehind starts a match only at a word's start, so a long word that
# is no URL costs one pass, not one per character (no quadratic backtracking).
_URLISH = re.compile(r"(?<!\S)\S*?(?:://|www\.)\S*")
# TeX dashes: --- is an em dash, -- an en dash (10--20, Spanish--English). Longer runs, arrows
# (-->, <--) and command-line options (--flag after a space) are left as they are.
_EM_DASH = re.compile(r"(?<![-<])---(?![->])")
_EN_DASH = re.compile(r"(?<![-<])--(?![->])")
_OPTION = re.compile(r"(?<=\s)--(?=[A-Za-z])")


def _dashes(text: str) -> str:
    text = _EM_DASH.sub("—", text)
    return _EN_DASH.sub(lambda m: m.group(0) if _OPTION.match(text, m.start()) else "–", text)


def _accent(match: re.Match[str]) -> str:
    base = match.group("braced") or match.group("bare")
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    return unicodedata.normalize("NFC", base + _ACCENTS[match.group("mark")])


def _symbol(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _LETTERS:
        return _LETTERS[name]
    if name in SYMBOLS:
        return SYMBOLS[name]
    return match.group(0)


def _readable_plain(text: str) -> str:
    # Every TeX pass needs a backslash or a brace, the tie a tilde and
    # the dashes two hyphens; most stretches of an abstract have none, so skip what cannot match.
    if "\\" in text or "{" in text:
        text = _readable_tex(text)
    if "~" in text:
        text = _TIE.sub(" ", text)
    if "--" in text:
        text = _dashes(text)
    return _fold_spaces(text).strip()


def _readable_tex(text: str) -> str:
    text = _ACCENT.sub(_accent, text)
    text = _FONT.sub("", text)
    text = _SPACING.sub(" ", text)
    # Escaped braces are literal; park them so that unwrapping groups leaves them alone.
    # (The parking places are noncharacters, which `clean` removes from every input.)
    text = text.replace("\\{", "\ufdd0").replace("\\}", "\ufdd1")
    text = _ESCAPED.sub(r"\1", text)
    text = _SYMBOL.sub(_symbol, text)
    for _ in range(_MAX_GROUP_DEPTH):  # unwrap nested grouping braces from the inside out
        previous, text = text, _GROUP.sub(r"\1", text)
        if text == previous:
            break
    return text.replace("\ufdd0", "{").replace("\ufdd1", "}")


def _protect_urls(text: str, convert: Callable[[str], str]) -> str:
    if "://" not in text and "www." not in text:  # no URL-like word: nothing to protect
        return convert(text)
    out, last = [], 0
    for match in _URLISH.finditer(text):
        out.append(convert(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(convert(text[last:]))
    return "".join(out)


# Math: $...$ or \( ... \); a dollar escaped as \$ is not a delimiter. The escape is checked
# behind the dollar, not before it, so the pattern starts with a literal and the regex engine
# can skip straight to the next "$" or "\".
_MATH = re.compile(r"\$(?<!\\\$)(?!\s)([^$]{1,400}?)(?<![\s\\])\$|\\\((.{1,400}?)\\\)")
# Math simple enough to write as text: symbols, letters, digits, operators, one-level
# sub/superscripts of a few characters.
# The alternatives start with distinct characters, so the possessive `++` gives up nothing
# and stops the exponential backtracking that "_aaaa_aaaa...{" would otherwise cause.
_SIMPLE_MATH = re.compile(r"^(?:\\[A-Za-z]+|[A-Za-z0-9.,:;+\-=<>/|()\[\]!' ]|[_^]\{?[A-Za-z0-9+\-]{1,4}\}?)++$")
_SUPERSCRIPT = str.maketrans("0123456789+-=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ")
_SUBSCRIPT = str.maketrans("0123456789+-=()aeoxijklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖₗₘₙₚₛₜ")


def _script(match: re.Match[str]) -> str:
    body: str = match.group(2)
    table = _SUPERSCRIPT if match.group(1) == "^" else _SUBSCRIPT
    converted = body.translate(table)
    if converted != body and _all_mapped(body, table):
        return converted
    return f"{match.group(1)}{body}" if len(body) == 1 else f"{match.group(1)}({body})"


def _all_mapped(body: str, table: dict[int, int]) -> bool:
    return all(ord(ch) in table for ch in body)


@lru_cache(maxsize=1 << 12)  # the same short formulas ($k$, $\\alpha$) recur across abstracts
def math_as_text(tex: str) -> str | None:
    """Plain text for simple math ($\\epsilon$, $O(n^2)$, $10^{-3}$), None when it needs
    real typesetting."""
    tex = tex.strip()
    if not tex or not _SIMPLE_MATH.match(tex):
        return None
    names = re.findall(r"\\([A-Za-z]+)", tex)
    if any(name not in SYMBOLS and name not in {"mathrm", "text"} for name in names):
        return None
    text = _SYMBOL.sub(_symbol, tex)
    text = re.sub(r"([_^])\{?([A-Za-z0-9+\-]{1,4})\}?", _script, text)
    return _SPACE.sub(" ", text).strip()


def split_math(text: str) -> list[tuple[str, str]]:
    """Split text into ("text", readable text) and ("math", TeX source) parts. Math that
    reads fine as text is folded into the text parts."""
    return list(_split_math_cached(text))


# One paper's title and abstract are split on its page, in each of its index cards and in
# every feed entry (three formats times each feed it is in), which made splitting the bulk of
# the render time (docs/benchmarks.md). The archive passes the same
# string objects each time (their hashes are cached), so a cache makes each text cost
# once. Bounded: 2^18 entries cover the titles, abstracts and summaries of 100,000 papers.
@lru_cache(maxsize=1 << 18)
def _split_math_cached(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_split_math(text))


def _split_math(text: str) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    last = 0

    def add_text(chunk: str) -> None:
        if not chunk:
            return
        if parts and parts[-1][0] == "text":
            parts[-1] = ("text", parts[-1][1] + chunk)
        else:
            parts.append(("text", chunk))

    # Most titles and many abstracts have no math delimiter at all.
    matches = _MATH.finditer(text) if "$" in text or "\\(" in text else ()
    for match in matches:
        add_text(_protect_urls(text[last : match.start()], _readable_inline))
        tex = match.group(1) if match.group(1) is not None else match.group(2)
        simple = math_as_text(tex)
        if simple is not None:
            add_text(simple)
        else:
            parts.append(("math", tex.strip()))
        last = match.end()
    add_text(_protect_urls(text[last:], _readable_inline))
    if not parts or all(kind == "text" and not value.strip() for kind, value in parts):
        # TeX that reads as nothing ("{}", "\\em") is shown as typed: no title is ever blank.
        return [("text", _fold_spaces(text))] if text.strip() else []
    return [(kind, _fold_spaces(value) if kind == "text" else value) for kind, value in parts]


def _readable_inline(text: str) -> str:
    # Like _readable_plain, but keeps the spaces at the edges so pieces join cleanly.
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    body = _readable_plain(text)
    return f"{lead}{body}{trail}" if body else (lead or trail)


@lru_cache(maxsize=1 << 18)  # see _split_math_cached: the same texts come back many times
def readable(text: str) -> str:
    """The whole text as plain readable text; math that needs typesetting stays as $TeX$."""
    pieces = [value if kind == "text" else f"${value}$" for kind, value in _split_math_cached(text)]
    return _fold_spaces("".join(pieces)).strip()


def readable_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """Author names as they read: arXiv writes accents as TeX there too (Sch\\"olkopf)."""
    return tuple(readable(name) for name in names)


def xml_safe(text: str) -> str:
    """Text with every character XML 1.0 (and feed readers) cannot carry removed."""
    return _ILLEGAL.sub("", text)


def first_illegal(text: str) -> str | None:
    """The first character of `text` that `xml_safe` would remove, or None."""
    if text.isprintable():  # the common case, and twice as fast: every such character is unprintable
        return None
    found = _ILLEGAL.search(text)
    return found.group(0) if found else None
