"""One pytest test per notebook: each runs top to bottom with nbdev's test machinery (`IN_TEST` set,
cells flagged `#| slow` or `#| cuda` skipped), so a failing assert in a chapter fails its test here."""
import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

@pytest.mark.parametrize('nb', NBS, ids=lambda p: p.stem)
def test_notebook(nb):
    from nbdev.test import test_nb
    os.environ.setdefault('MPLBACKEND', 'Agg')
    ok, secs = test_nb(nb, skip_flags=['slow', 'cuda'], force_flags=[], showerr=True)
    assert ok, f'{nb.name} failed (see the traceback above)'
