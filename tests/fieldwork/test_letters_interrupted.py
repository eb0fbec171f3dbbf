"""An interrupted letter batch leaves the last complete PDF as it was and no half file behind."""

from __future__ import annotations

import pytest
import weasyprint

from survey.fieldwork.letters import write_pdf

HTML = "<html lang='de'><body><p>Sehr geehrte Frau Muster,</p></body></html>"


def test_an_interrupted_batch_keeps_the_previous_pdf_and_leaves_no_part_file(tmp_path, monkeypatch):
    out = tmp_path / "letters" / "batch.pdf"
    write_pdf(HTML, out)
    complete = out.read_bytes()
    assert complete.startswith(b"%PDF") and (out.stat().st_mode & 0o777) == 0o600

    def interrupted(self, target, *args, **kwargs):
        with open(target, "wb") as handle:
            handle.write(b"%PDF-1.7 half a batch")
        raise KeyboardInterrupt  # Ctrl+C, or the machine going down, halfway through

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_pdf(HTML.replace("Muster", "Beispiel"), out)
    assert out.read_bytes() == complete
    assert sorted(path.name for path in out.parent.iterdir()) == ["batch.pdf"]
