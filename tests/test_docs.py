"""The docs site, checked as a person would: build one chapter's page (executed, with its plot) and open it in headless
Chromium (tools/check_docs.py: title, heading, every image decoded, screenshot not blank), then check that the
checker itself fails on a page with a broken image. Skipped, with the reason in pytest's summary, where no Chromium
is installed (`apt-get install -y chromium`; .ci/run installs it when it can)."""
import shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((shutil.which(b) for b in ('chromium', 'chromium-browser', 'google-chrome') if shutil.which(b)), None)

@pytest.mark.skipif(CHROMIUM is None, reason='no Chromium on PATH (apt-get install -y chromium)')
def test_built_page_renders(tmp_path):
    out = tmp_path/'_docs'
    b = subprocess.run([sys.executable, 'tools/build_docs.py', '--only', '01_metrics', '--out', str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=900)
    assert b.returncode == 0, b.stdout[-2000:] + b.stderr[-2000:]
    page = out/'metrics.html'
    assert page.exists(), sorted(p.name for p in out.iterdir())
    c = subprocess.run([sys.executable, 'tools/check_docs.py', str(page), '--out', str(tmp_path/'shots'), '--self-test',
                        '--browser', CHROMIUM], cwd=ROOT, capture_output=True, text=True, timeout=600)
    print(c.stdout)
    assert c.returncode == 0, c.stdout[-3000:] + c.stderr[-2000:]
    assert (tmp_path/'shots'/'metrics.png').stat().st_size > 10_000
