"""Synthetic archives that look like the real thing, for the benchmarks.

Everything comes from one seeded `random.Random`, so a size and a seed always give the same
archive, byte for byte. What is realistic about it, since that is what the numbers depend on:

- titles of 6-16 words (~80 characters), a few with inline math;
- 1-30 authors (most papers 3-8), some with accented names (François, Dvořák), in Unicode
  as the Hugging Face and arXiv APIs give them;
- abstracts of ~1,200 characters with some LaTeX: $\\alpha$, $\\frac{a}{b}$, $O(n \\log n)$,
  escaped percent signs, \\'e accents;
- new-style arXiv ids that match the paper's month; a code link on ~40% of papers and a
  project page on ~15%;
- 3-9 "ai keywords" as tags, drawn from a Zipf-like vocabulary: a head of common terms
  ("large language models" is on ~8% of papers) and a long tail of rarer ones, as on
  Hugging Face Papers;
- 30-60 papers a day, each in one or two of four listings, a one-line summary on papers from
  the Hugging Face listing.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from paperfeed.archive import Archive
from paperfeed.model import Paper, Record
from paperfeed.paper_ids import paper_id_from_arxiv

LISTINGS: tuple[tuple[str, str], ...] = (
    ("hf-daily", "Hugging Face Daily Papers"),
    ("cs-lg", "arXiv cs.LG"),
    ("cs-cl", "arXiv cs.CL"),
    ("cs-cv", "arXiv cs.CV"),
)
LISTING_WEIGHTS = (5, 3, 2, 2)
FIRST_DAY = date(2020, 1, 6)

_HEAD_TAGS = (
    "large language models", "diffusion models", "reinforcement learning", "transformers",
    "vision-language models", "multimodal learning", "instruction tuning", "benchmark",
    "retrieval-augmented generation", "chain-of-thought", "in-context learning", "fine-tuning",
    "LoRA", "mixture of experts", "reasoning", "text-to-image", "video generation", "agents",
    "RLHF", "preference optimization", "DPO", "quantization", "knowledge distillation",
    "self-supervised learning", "contrastive learning", "graph neural networks", "3D reconstruction",
    "NeRF", "Gaussian splatting", "speech recognition", "text-to-speech", "code generation",
    "mathematical reasoning", "hallucination", "alignment", "safety", "jailbreak", "tokenization",
    "long context", "attention mechanism", "state space models", "Mamba", "scaling laws",
    "pretraining", "synthetic data", "data curation", "evaluation", "robotics", "embodied AI",
    "world models", "object detection", "semantic segmentation", "image editing", "super-resolution",
    "federated learning", "privacy", "efficient inference", "speculative decoding", "KV cache",
    "pruning", "sparsity", "multilingual", "machine translation", "question answering",
    "summarization", "information retrieval", "recommendation", "time series", "medical imaging",
    "protein design", "molecule generation", "weather forecasting", "autonomous driving",
    "point clouds", "optical flow", "pose estimation", "human motion", "audio generation",
    "music generation", "visual question answering", "OCR", "document understanding", "tool use",
    "planning", "theorem proving", "program synthesis", "continual learning", "meta-learning",
    "domain adaptation", "out-of-distribution detection", "uncertainty estimation", "calibration",
    "interpretability", "mechanistic interpretability", "adversarial robustness", "watermarking",
)  # fmt: skip
_TAIL_LEFT = (
    "adaptive", "hierarchical", "sparse", "dense", "multi-scale", "cross-modal", "causal",
    "zero-shot", "few-shot", "self-supervised", "token-level", "parameter-efficient", "robust",
    "federated", "differentiable", "probabilistic", "latent", "temporal", "spatial", "neural",
    "contrastive", "generative", "discriminative", "compositional", "structured", "online",
    "offline", "distributed", "quantized", "low-rank", "recurrent", "graph-based", "implicit",
    "explicit", "masked", "autoregressive", "bidirectional", "unsupervised", "semi-supervised",
)  # fmt: skip
_TAIL_RIGHT = (
    "attention", "retrieval", "decoding", "routing", "planning", "alignment", "reasoning",
    "segmentation", "tracking", "distillation", "compression", "rendering", "reconstruction",
    "editing", "captioning", "grounding", "reward modeling", "curriculum learning", "search",
    "optimization", "regularization", "normalization", "embeddings", "tokenizers", "adapters",
    "memory", "exploration", "calibration", "augmentation", "pretraining", "evaluation",
    "benchmarks", "agents", "policies", "simulators", "representations", "priors", "kernels",
)  # fmt: skip
_WORDS = (
    "model", "models", "learning", "training", "data", "method", "approach", "framework",
    "performance", "results", "task", "tasks", "language", "image", "video", "network",
    "networks", "representation", "features", "benchmark", "benchmarks", "evaluation", "state",
    "art", "novel", "propose", "proposed", "show", "demonstrate", "experiments", "dataset",
    "datasets", "accuracy", "efficient", "efficiency", "scalable", "robust", "generalization",
    "inference", "latency", "memory", "compute", "tokens", "context", "reasoning", "agent",
    "policy", "reward", "supervision", "alignment", "generation", "retrieval", "diffusion",
    "transformer", "attention", "layer", "layers", "parameters", "pretrained", "fine-tuned",
    "downstream", "zero-shot", "baseline", "baselines", "outperforms", "significantly",
    "consistently", "across", "multiple", "various", "challenging", "real-world", "synthetic",
    "large-scale", "empirical", "theoretical", "analysis", "we", "our", "this", "the", "a", "of",
    "and", "to", "in", "for", "with", "on", "that", "by", "is", "are", "which", "while", "from",
    "as", "an", "these", "it", "both", "also", "can", "without", "than", "under", "into",
)  # fmt: skip
_TITLE_WORDS = (
    "Scaling", "Efficient", "Robust", "Learning", "Towards", "Rethinking", "Understanding",
    "Unified", "Adaptive", "Sparse", "Latent", "Multimodal", "Reasoning", "Diffusion", "Agents",
    "Language", "Vision", "Models", "Transformers", "Retrieval", "Alignment", "Generation",
    "Benchmark", "Video", "Image", "Speech", "Memory", "Planning", "Reward", "Policy", "Tokens",
    "Context", "Attention", "Graph", "Neural", "Self-Play", "Preference", "Optimization",
    "Distillation", "Compression", "Quantization", "Editing", "Control", "World", "Embodied",
)  # fmt: skip
_CONNECTORS = ("for", "with", "via", "in", "of", "and", "beyond", "through", "without", "at", "on")
_FIRST = (
    "Wei", "Jing", "Yuxuan", "Hao", "Xin", "Li", "Chen", "Ming", "Anna", "David", "Maria",
    "James", "Sarah", "Michael", "Laura", "Ahmed", "Fatima", "Ravi", "Priya", "Arjun", "Sofia",
    "Lucas", "Emma", "Noah", "Olivia", "Hiroshi", "Yuki", "Kenji", "Minho", "Seo-yeon", "Ivan",
    "Olga", "Pierre", "Camille", "Matteo", "Giulia", "Jakob", "Lena", "Tomás", "Ana", "Omar",
    "François", "José", "René", "Jürgen", "Zoë", "Björn", "Sebastián",
)  # fmt: skip
_LAST = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
    "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Kim", "Park",
    "Lee", "Choi", "Tanaka", "Suzuki", "Sato", "Patel", "Sharma", "Singh", "Gupta", "Kumar",
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo", "Bianchi", "Dubois",
    "Martin", "Bernard", "Novak", "Ivanov", "Petrov", "Nguyen", "Tran", "Silva", "Santos",
    "Oliveira", "Kowalski", "Nowak", "Andersson", "Johansson", "Hansen", "Jensen", "Cohen",
    "Levi", "Haddad", "Okafor", "Mensah", "O'Brien", "Murphy", "Kelly", "Rodríguez",
    "Gómez", "Pérez", "Dvořák", "Erdős", "Schölkopf", "Ng", "Bengio",
)  # fmt: skip
_MATH = (
    "$\\alpha$", "$\\beta$-VAE", "$\\frac{a}{b}$", "$O(n \\log n)$", "$\\mathcal{O}(n^2)$",
    "$k$", "$\\ell_1$", "$\\epsilon$-greedy", "$\\times 3$", "$\\sim 10^{9}$", "$\\lambda$",
    "$\\frac{1}{\\sqrt{d}}$", "$p < 0.05$", "$\\geq 2\\times$", "$x_t$", "$\\nabla f$",
)  # fmt: skip


def _zipf_cdf(count: int, exponent: float) -> list[float]:
    weights = [1.0 / (rank**exponent) for rank in range(1, count + 1)]
    total = sum(weights)
    return list(itertools.accumulate(w / total for w in weights))


@dataclass(frozen=True)
class Vocabulary:
    tags: tuple[str, ...]
    cdf: tuple[float, ...]

    def draw(self, rng: random.Random, count: int) -> tuple[str, ...]:
        picked: dict[str, None] = {}
        while len(picked) < count:
            picked[self.tags[min(bisect.bisect(self.cdf, rng.random()), len(self.tags) - 1)]] = None
        return tuple(picked)


def vocabulary(rng: random.Random, size: int = 3000, exponent: float = 1.05) -> Vocabulary:
    """The head terms first, then generated two-word terms, ranked for a Zipf law."""
    tail = [f"{left} {right}" for left in _TAIL_LEFT for right in _TAIL_RIGHT]
    rng.shuffle(tail)
    tags = (*_HEAD_TAGS, *tail)[:size]
    return Vocabulary(tags, tuple(_zipf_cdf(len(tags), exponent)))


def _author(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _authors(rng: random.Random) -> tuple[str, ...]:
    # Mostly 3-8 authors, a long tail up to 30 (large collaborations), a few single authors.
    count = max(1, min(30, int(rng.lognormvariate(1.6, 0.6))))
    return tuple(_author(rng) for _ in range(count))


def _title(rng: random.Random) -> str:
    words = [rng.choice(_TITLE_WORDS) for _ in range(rng.randint(2, 5))]
    words.append(rng.choice(_CONNECTORS))
    words += [rng.choice(_TITLE_WORDS) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.5:
        words.insert(0, rng.choice(("ScaleNet:", "OmniGen:", "FlashRL:", "TinyLM:", "Orca:", "Aurora:")))
    if rng.random() < 0.1:
        words.append(rng.choice(_MATH))
    words += [rng.choice(_TITLE_WORDS).lower() for _ in range(rng.randint(0, 4))]
    return " ".join(words)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 28))]
    if rng.random() < 0.35:
        words.insert(rng.randrange(len(words)), rng.choice(_MATH))
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}\\%")
    if rng.random() < 0.05:
        words.insert(rng.randrange(len(words)), rng.choice(("caf\\'e", 'na\\"ive', "r\\'esum\\'e")))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _abstract(rng: random.Random) -> str:
    target = int(rng.gauss(1200, 250))
    sentences: list[str] = []
    length = 0
    while length < target:
        sentence = _sentence(rng)
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences)


def summary_line(rng: random.Random) -> str:
    """A one-line summary, as Hugging Face's ai_summary."""
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(15, 30))).capitalize() + "."


def paper_text(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    """A title, an abstract and the authors of one paper."""
    return _title(rng), _abstract(rng), _authors(rng)


def lab_name(rng: random.Random) -> str:
    """A lowercase surname, for code and project URLs."""
    return rng.choice(_LAST).lower()


def _paper(rng: random.Random, vocab: Vocabulary, day: date, number: int, listings: tuple[str, ...]) -> Paper:
    arxiv_id = f"{day:%y%m}.{number:05d}"
    links: list[tuple[str, str]] = []
    if rng.random() < 0.4:
        links.append(("code", f"https://github.com/{rng.choice(_LAST).lower()}-lab/{arxiv_id.replace('.', '-')}"))
    if rng.random() < 0.15:
        links.append(("project", f"https://{rng.choice(_LAST).lower()}.github.io/{arxiv_id}/"))
    summary = summary_line(rng) if "hf-daily" in listings else ""
    return Paper(
        title=_title(rng),
        abstract=_abstract(rng),
        authors=_authors(rng),
        arxiv_id=arxiv_id,
        published=day - timedelta(days=rng.randint(1, 3)),
        listed=day,
        tags=vocab.draw(rng, rng.randint(3, 9)),
        summary=summary,
        links=tuple(sorted(links)),
    )


def _listings_of(rng: random.Random) -> tuple[str, ...]:
    names = [name for name, _ in LISTINGS]
    first = rng.choices(names, weights=LISTING_WEIGHTS)[0]
    if rng.random() < 0.3:
        second = rng.choice([name for name in names if name != first])
        return (first, second)
    return (first,)


def _instant(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Synthetic:
    archive: Archive
    fresh_day: date
    fresh: dict[str, tuple[Paper, ...]]  # the fresh night's listings: name -> papers
    now: datetime  # the clock of the fresh night's run


def synthesize(papers: int, seed: int = 6, fresh_papers: int = 45) -> Synthetic:
    """An archive of `papers` papers, and the next night's listings (`fresh_papers` new papers
    plus a few already archived, as real listings repeat papers from the day before)."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    archive: Archive = {}
    day = FIRST_DAY
    numbers: dict[str, int] = {}
    while len(archive) < papers:
        for _ in range(min(rng.randint(30, 60), papers - len(archive))):
            month = f"{day:%y%m}"
            numbers[month] = numbers.get(month, 0) + rng.randint(1, 40)
            listed_in = _listings_of(rng)
            paper = _paper(rng, vocab, day, numbers[month], listed_in)
            record_id = paper_id_from_arxiv(paper.arxiv_id or "")
            archive[record_id] = Record(record_id, paper, _instant(day), _instant(day), listed_in)
        day += timedelta(days=1)
    fresh: dict[str, list[Paper]] = {name: [] for name, _ in LISTINGS}
    for _ in range(fresh_papers):
        month = f"{day:%y%m}"
        numbers[month] = numbers.get(month, 0) + rng.randint(1, 40)
        listed_in = _listings_of(rng)
        paper = _paper(rng, vocab, day, numbers[month], listed_in)
        for name in listed_in:
            fresh[name].append(paper)
    recent = list(archive.values())[-30:]
    for record in rng.sample(recent, min(5, len(recent))):
        fresh[record.listings[0]].append(record.paper)
    return Synthetic(
        archive, day, {name: tuple(found) for name, found in fresh.items()}, _instant(day) + timedelta(hours=1)
    )
