"""bench/__main__.py: the header and the summary of targets it puts on top of RESULTS.md."""

from bench.__main__ import BENCHMARKS, commit, summary, versions

SECTIONS = {
    "e2e_eval": "## End to end\n\n**Target: 60-minute recording → minutes in ≤ 240 s: not met** "
                "(median 300.0 s, runs 290.0, 310.0).\n\n| stage | 60 min |",
    "learning_eval": "## Learning\n\n| recompute | **8.7 s** (target ≤ 30 s: met) |",
    "drafts_eval": "## Drafts\n\nSpeed 12 tokens/s (median of 3).",
}


def test_each_stated_target_is_listed_with_its_verdict():
    text = summary(SECTIONS)
    rows = [line for line in text.splitlines() if line.startswith("| End") or
            line.startswith("| Learning")]
    assert rows == [
        "| End to end | Target: 60-minute recording → minutes in ≤ 240 s: not met (median "
        "300.0 s, runs 290.0, 310.0). | **not met** |",
        "| Learning | recompute · 8.7 s (target ≤ 30 s: met) | **met** |",
    ]


def test_a_section_without_a_target_verdict_is_named():
    assert "Sections stating no target verdict: Drafts." in summary(SECTIONS)


def test_the_header_names_versions_and_the_commit():
    assert "faster-whisper" in versions() and "onnxruntime" in versions()
    assert len(commit().split()[0]) >= 7
    assert "e2e_eval" in BENCHMARKS
