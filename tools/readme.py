"""Render README.md from nbs/index.ipynb without Quarto (which is not installable offline).

Prose cells are copied; the title cell's `# Title` / `> summary` become the heading and a quote; code cells that are
not `#| hide` become python blocks, followed by their text output when the notebook holds one.
    python tools/readme.py            # writes README.md
    python tools/readme.py --check    # exits 1 if README.md is out of date
    python tools/readme.py --execute  # first run nbs/index.ipynb (from nbs/) and save its outputs into it
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def render(nb_path=ROOT/'nbs'/'index.ipynb'):
    nb = json.loads(Path(nb_path).read_text())
    out = []
    for c in nb['cells']:
        src = ''.join(c['source']).strip()
        if not src: continue
        if c['cell_type'] == 'markdown': out.append(src); continue
        lines = src.split('\n')
        if any(l.strip().startswith('#|') and 'hide' in l for l in lines): continue
        code = '\n'.join(l for l in lines if not l.strip().startswith('#|')).strip()
        out.append(f'```python\n{code}\n```')
        text = ''.join(''.join(o.get('text', '')) or ''.join(o.get('data', {}).get('text/plain', ''))
                       for o in c.get('outputs', []))
        if text.strip(): out.append(text.rstrip() if text.lstrip().startswith('|') else f'```\n{text.rstrip()}\n```')  # tables are markdown
    return '<!-- generated from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file -->\n\n' + '\n\n'.join(out) + '\n'

def execute(nb_path=ROOT/'nbs'/'index.ipynb'):
    "Run the notebook top to bottom in nbs/ and save it with its outputs."
    import os
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    nb = read_nb(nb_path); cwd = os.getcwd(); os.chdir(Path(nb_path).parent)
    try: CaptureShell().run_all(nb, exc_stop=True)
    finally: os.chdir(cwd)
    write_nb(nb, nb_path)

if __name__ == '__main__':
    if '--execute' in sys.argv: execute()
    md = render(); p = ROOT/'README.md'
    if '--check' in sys.argv:
        ok = p.exists() and p.read_text() == md
        print('README.md is up to date' if ok else 'README.md is out of date: run python tools/readme.py'); sys.exit(0 if ok else 1)
    p.write_text(md); print(f'wrote {p}')
