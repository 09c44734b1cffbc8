"""Round-trip notebooks and percent-format scripts, for editing notebooks in a text editor.

    python tools/nbpy.py to-nb  src.py  nbs/00_data.ipynb   # '# %%' code cells, '# %% [markdown]' prose cells
    python tools/nbpy.py to-py  nbs/00_data.ipynb  src.py

Markdown cells are written as comment lines ('# ' prefix) and read back without it.
Run `nbdev_clean` after `to-nb`.
"""
import json, re, sys
from pathlib import Path

def py_to_cells(text):
    cells, kind, buf = [], None, []
    def flush():
        if kind is None: return
        src = '\n'.join(buf).strip('\n')
        if kind == 'markdown': src = '\n'.join(re.sub(r'^# ?', '', l) for l in src.split('\n'))
        cells.append(dict(cell_type=kind, metadata={}, source=src) | (dict(execution_count=None, outputs=[]) if kind == 'code' else {}))
    for line in text.split('\n'):
        m = re.match(r'^# %%( \[markdown\])?\s*$', line)
        if m:
            flush(); kind, buf = ('markdown' if m.group(1) else 'code'), []
        else: buf.append(line)
    flush()
    return cells

def keep_ids(cells, dst):
    """Reuse the cell ids of the notebook being replaced (same source first, then same position and kind), so that an edit
    does not renumber every cell (nbdev_export writes the ids into the modules)."""
    if not dst.exists(): return
    old = [c for c in json.loads(dst.read_text())['cells'] if 'id' in c]
    by_src, used = {}, set()
    for c in old: by_src.setdefault(''.join(c['source']), []).append(c['id'])
    for c in cells:
        ids = [i for i in by_src.get(''.join(c['source']), []) if i not in used]
        if ids: c['id'] = ids[0]; used.add(ids[0])
    for i, c in enumerate(cells):
        if 'id' not in c and i < len(old) and old[i]['cell_type'] == c['cell_type'] and old[i]['id'] not in used:
            c['id'] = old[i]['id']; used.add(c['id'])

def to_nb(src, dst):
    cells = py_to_cells(Path(src).read_text())
    for c in cells: c['source'] = [l + '\n' for l in c['source'].split('\n')]; c['source'][-1] = c['source'][-1].rstrip('\n')
    keep_ids(cells, Path(dst))
    nb = dict(cells=cells, metadata=dict(kernelspec=dict(display_name='python3', language='python', name='python3')), nbformat=4, nbformat_minor=5)
    Path(dst).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')

def to_py(src, dst):
    nb = json.loads(Path(src).read_text())
    out = []
    for c in nb['cells']:
        s = ''.join(c['source'])
        if c['cell_type'] == 'markdown': out += ['# %% [markdown]'] + ['# ' + l if l else '#' for l in s.split('\n')]
        else: out += ['# %%', s]
        out.append('')
    Path(dst).write_text('\n'.join(out))

if __name__ == '__main__':
    cmd, a, b = sys.argv[1:4]
    {'to-nb': to_nb, 'to-py': to_py}[cmd](a, b)
