"""The hostile-input corpus: listings built to break paperfeed, run through the real pipeline.

Each case is a listing file as a user would pass it to `paperfeed run --listing FILE`. A case
either parses into papers, which must then show literally on the site and in every feed, or
fails with a one-line error that names the file (and the line, for text). Every case that
parses goes into one site, built with the real `mkdocs build --strict`; faults and crash
leftovers run the same way, each in a scratch project. tests/test_hostile.py checks what the
run did (and opens every page in Chromium); `make robustness` writes docs/robustness.md from it.

    cases_text.py, cases_payloads.py   the cases, by the format they come in
    inputs.py                          the Case record and the builders of each format
    corpus.py                          running the corpus; checking each paper on the site
    faults.py                          faults and crash leftovers
    scan.py                            scanning pages and feeds for code
    running.py                         the CLI, at one clock
    page.py, __main__.py               docs/robustness.md
"""
