"""Build the HTML documentation site from the notebooks, offline (no Quarto): _docs/<notebook>.html + index + API index.

Each notebook is executed in its own process the way the tests run it (cells flagged `#| slow` or `#| cuda` are
skipped; `IN_TEST` is set, so sizes are the small test sizes, unless --full), so pages carry their outputs and
plots. nbdev's processors then add API docs (`show_doc`) after every exported definition and hide exported source,
and nbconvert renders the page; a sidebar links the chapters, `api.html` lists every exported symbol.

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python tools/build_docs.py              # all notebooks -> _docs/
    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python tools/build_docs.py --only 11_online 08_fusion
    python tools/build_docs.py --no-exec                                        # render without running (no outputs)

A notebook that fails to execute is still rendered (outputs up to the failing cell, and a banner naming it); the
command then exits with status 1. Check a built page as a person would with tools/check_docs.py.
"""
import argparse, html, json, os, re, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS, OUT = ROOT/'nbs', ROOT/'_docs'
SKIP_FLAGS = {'slow', 'cuda'}

# --- step 1: execute one notebook (run in a child process, so notebooks do not share state) ---------------------

def execute(src:Path, dst:Path, full:bool=False) -> dict:
    "Run `src` top to bottom like nbdev's test_nb (skip-flagged cells left unrun) and write it, outputs included, to `dst`."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    if full: os.environ.pop('IN_TEST', None)
    else: os.environ['IN_TEST'] = '1'
    nb = read_nb(src)
    flags = lambda src: set(re.findall(r'^\s*#\|\s*([\w-]+)', src, re.M))
    skip = lambda c: c.cell_type != 'code' or bool(SKIP_FLAGS & flags(c.source))
    shell, t0, err = CaptureShell(src), time.time(), None
    try:
        with working_directory(src.parent): shell.run_all(nb, exc_stop=True, preproc=skip)
    except Exception as e:
        err = f'{type(e).__name__}: {e}'
        bad = next((c for c in nb.cells if c.cell_type == 'code' and any(o.get('output_type') == 'error' for o in c.get('outputs', []))), None)
        if bad is not None: err = f'cell {bad.idx_}: {err}'
    nb.metadata['scoter_docs'] = dict(executed=True, in_test=not full, seconds=round(time.time() - t0, 1), error=err)
    write_nb(nb, dst)
    return nb.metadata['scoter_docs']

# --- step 2: nbdev processing (API docs) and HTML ----------------------------------------------------------------

def title_of(nb) -> tuple[str, str]:
    "Title and summary from the first markdown cell ('# Title' then '> summary' lines)."
    for c in nb.cells:
        if c.cell_type != 'markdown': continue
        m = re.search(r'^#\s+(.+?)\s*$', c.source, re.M)
        if m: return m.group(1), ' '.join(l[1:].strip() for l in c.source.splitlines() if l.startswith('>'))
    return '', ''

def _show_docs_proc(module:str|None):
    "An nbdev processor that runs only the `show_doc` cells, against the exported module (no notebook code re-runs)."
    from nbdev.process import Processor
    from execnb.shell import CaptureShell
    class run_show_docs(Processor):
        def begin(self):
            self.k = CaptureShell()
            self.k.run_cell('from nbdev.showdoc import show_doc')
            if module: self.k.run_cell(f'from {module} import *')
        def cell(self, cell):
            if cell.cell_type == 'code' and getattr(cell, 'has_sd', False):
                self.k.cell(cell)
                if self.k.exc: cell.source, cell.outputs = None, []  # a name the module does not export: no doc
    return run_show_docs

def api_process(nb, lib:str):
    "nbdev's doc processors: show_doc after exported definitions, exported/hidden source removed, directives stripped."
    from nbdev.process import NBProcessor
    from nbdev import processors as P
    m = re.search(r'^\s*#\|\s*default_exp\s+(\S+)', '\n'.join(c.source for c in nb.cells if c.cell_type == 'code'), re.M)
    module = f'{lib}.{m.group(1)}' if m else None
    procs = [P.populate_language, P.add_show_docs, P.strip_ansi, P.hide_line, P.filter_stream_, P.rm_header_dash,
             _show_docs_proc(module), P.rm_export, P.clean_magics, P.hide_, P.strip_hidden_metadata]
    NBProcessor(nb=nb, procs=procs).process()
    return module

def to_html_cells(nb) -> list[dict]:
    "Plain nbformat cells for nbconvert: show_doc outputs become markdown, the title cell and hidden cells go."
    from execnb.nbio import nb2dict
    out, titled = [], False
    for c in nb.cells:
        src = c.get('source')
        if src is None or (c.cell_type == 'code' and not src.strip() and not c.get('outputs')): continue
        if c.cell_type == 'markdown' and not titled and re.search(r'^#\s+', src, re.M): titled = True; continue
        d = nb2dict(c)
        if getattr(c, 'has_sd', False) or (c.cell_type == 'code' and re.match(r'\s*show_doc\(', src)):
            md = next((o['data']['text/markdown'] for o in c.get('outputs', []) if 'text/markdown' in o.get('data', {})), None)
            if md is None: continue
            md = ''.join(md) if isinstance(md, list) else md
            md = re.sub(r'^---\s*$|^\[source\]\(.*?\)(\{[^}]*\})?\s*$', '', md, flags=re.M)  # Quarto-only link syntax, rules
            m = re.search(r'show_doc\(\s*([\w.]+)', src)
            anchor = f'<a id="{m.group(1).lower()}"></a>' if m else ''  # nbdev's anchors, as in _modidx.py
            out.append(dict(cell_type='markdown', metadata={}, source=f'{anchor}\n\n{md.strip()}')); continue
        if c.cell_type == 'code': d['source'] = '\n'.join(l for l in src.splitlines() if not re.match(r'^\s*#\|', l)).strip()
        d.pop('id', None); d.setdefault('metadata', {})
        if c.cell_type == 'code': d.setdefault('outputs', []); d.setdefault('execution_count', None)
        out.append(d)
    return out

CSS = """
<style>
#scoter-nav{position:fixed;top:0;left:0;bottom:0;width:250px;overflow-y:auto;padding:16px 12px;background:#f6f7f9;
  border-right:1px solid #ddd;font:14px/1.45 system-ui,sans-serif;z-index:10}
#scoter-nav a{display:block;padding:3px 6px;color:#1a4d8f;text-decoration:none;border-radius:4px}
#scoter-nav a.here{background:#dce8f7;font-weight:600}
#scoter-nav .site{font-weight:700;font-size:16px;margin-bottom:10px}
body{margin-left:270px !important}
.scoter-header{font-family:system-ui,sans-serif;padding:0 16px}.scoter-header h1{margin-bottom:4px}.scoter-header .summary{color:#555;font-size:1.05em;margin-top:0}
.scoter-banner{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;border-radius:4px;margin:8px 0;font:14px system-ui,sans-serif}
.scoter-footer{color:#777;font:12px system-ui,sans-serif;margin:30px 0 20px}
</style>
<script>
/* record which images the browser decoded: tools/check_docs.py reads these attributes from the rendered DOM */
window.addEventListener('load', function(){
  var imgs = Array.from(document.images);
  document.body.dataset.imagesTotal = imgs.length;
  document.body.dataset.imagesLoaded = imgs.filter(function(i){return i.complete && i.naturalWidth > 0}).length;
});
</script>
"""

def nav_html(pages:list[tuple[str, str]], here:str) -> str:
    links = ''.join(f'<a href="{f}"{" class=here" if f == here else ""}>{html.escape(t.replace("`", ""))}</a>' for f, t in pages)
    return f'<nav id="scoter-nav"><div class="site">scoter_nb</div>{links}</nav>'

def render(nb, title:str, summary:str, pages, here:str, banner:str='', footer:str='') -> str:
    "One HTML page (nbconvert's lab template, images inline) with the sidebar, header, banner and footer."
    import nbformat
    from nbconvert import HTMLExporter
    cells = [c | dict(id=f'cell-{i}') for i, c in enumerate(to_html_cells(nb))]
    raw = dict(cells=cells, metadata=dict(language_info=dict(name='python')), nbformat=4, nbformat_minor=5)
    node = nbformat.reads(json.dumps(raw), as_version=4)  # what reading from disk does: multi-line fields joined
    body, _ = HTMLExporter(template_name='lab', exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(node, resources=dict(metadata=dict(name=title)))
    summary = re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(summary))
    head = (f'<div class="scoter-header"><h1>{html.escape(title.replace("`", ""))}</h1><p class="summary">{summary}</p></div>'
            + (f'<div class="scoter-banner">{banner}</div>' if banner else ''))
    body = body.replace('</head>', CSS + '</head>', 1)
    body = re.sub(r'(<main>|<body[^>]*>)', lambda m: m.group(1) + nav_html(pages, here) + head, body, count=1)
    return body.replace('</body>', f'<div class="scoter-footer">{footer}</div></body>', 1)

def page_name(nb_path:Path) -> str:
    "nbdev's page name of a notebook ('11_online.ipynb' -> 'online.html'), which `_modidx.py` links to."
    from nbdev.doclinks import _nbpath2html
    return _nbpath2html(Path(nb_path.name)).name

def api_index(lib:str, pages:set) -> str:
    "Markdown table of every exported symbol per module, linked to the chapter page that documents it."
    import importlib
    idx = importlib.import_module(f'{lib}._modidx').d['syms']
    lines = ['Every symbol the package exports, with the chapter (notebook) that defines and documents it.\n']
    for mod in sorted(idx):
        syms = {k[len(mod) + 1:] if k.startswith(mod + '.') else k: v for k, v in idx[mod].items()}
        top = sorted(s for s in syms if '.' not in s and not s.startswith('_'))
        if not top: continue
        lines.append(f'\n## `{mod}`\n\n| symbol | chapter |\n|---|---|')
        for s in top:
            target = str(syms[s][0]); page = target.split('#')[0]
            link = f'[{Path(page).stem}]({target})' if page in pages else Path(page).stem
            lines.append(f'| `{s}` | {link} |')
    return '\n'.join(lines)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--only', nargs='*', help='notebook stems to build (default: all; none: only the API index)')
    p.add_argument('--out', default=str(OUT))
    p.add_argument('--full', action='store_true', help='execute at full size (IN_TEST unset): slow')
    p.add_argument('--no-exec', action='store_true', help='render the notebooks as stored (no outputs)')
    p.add_argument('--exec-one', nargs=2, metavar=('NB', 'DST'), help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.exec_one:
        print(json.dumps(execute(Path(a.exec_one[0]).resolve(), Path(a.exec_one[1]), a.full))); return
    from execnb.nbio import read_nb
    sys.path.insert(0, str(ROOT))
    out = Path(a.out); (out/'_executed').mkdir(parents=True, exist_ok=True)
    all_nbs = sorted(n for n in NBS.glob('*.ipynb') if not n.name.startswith('_'))
    todo = [n for n in all_nbs if a.only is None or n.stem in a.only]
    if a.only is not None and len(todo) != len(set(a.only)):
        raise SystemExit(f'unknown notebook(s) {sorted(set(a.only) - {n.stem for n in todo})}; have {[n.stem for n in all_nbs]}')
    pages = [('index.html', 'Home')] + [(page_name(n), title_of(read_nb(n))[0] or n.stem) for n in all_nbs if n.stem != 'index'] + [('api.html', 'API index')]
    failed = []
    for n in todo:
        t0 = time.time()
        src, info = n, dict(executed=False)
        if not a.no_exec:
            dst = out/'_executed'/n.name
            env = os.environ | dict(MPLBACKEND='module://matplotlib_inline.backend_inline', PYTHONPATH=str(ROOT))
            r = subprocess.run([sys.executable, __file__, '--exec-one', str(n), str(dst)] + (['--full'] if a.full else []),
                               capture_output=True, text=True, env=env, cwd=ROOT)
            if r.returncode or not dst.exists():
                info = dict(executed=False, error=f'executor crashed: {r.stderr[-800:]}')
            else: src, info = dst, json.loads(r.stdout.strip().splitlines()[-1])
        nb = read_nb(src)
        title, summary = title_of(nb)
        api_process(nb, 'scoter_nb')
        banner = ''
        if info.get('error'): banner = f'Executing this notebook failed ({html.escape(info["error"][:500])}); outputs stop there.'; failed.append(n.stem)
        elif not info.get('executed'): banner = 'Rendered without executing: no outputs.'
        how = ('executed with test sizes (IN_TEST)' if info.get('in_test') else 'executed at full size') if info.get('executed') else 'not executed'
        footer = (f'Built from <code>nbs/{n.name}</code> by <code>tools/build_docs.py</code> on {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}; '
                  f'{how}; cells flagged <code>#| slow</code> or <code>#| cuda</code> were not run.')
        here = page_name(n)
        (out/here).write_text(render(nb, title or n.stem, summary, pages, here, banner, footer))
        print(f'{here:32s} {time.time() - t0:6.1f} s  {"FAILED: " + info["error"][:200] if info.get("error") else how}', flush=True)
    from execnb.nbio import new_nb, mk_cell
    api = new_nb([mk_cell('# API index\n> Exported symbols of scoter_nb by module.', 'markdown'), mk_cell(api_index('scoter_nb', {page_name(n) for n in all_nbs}), 'markdown')])
    (out/'api.html').write_text(render(api, 'API index', 'Exported symbols of scoter_nb by module.', pages, 'api.html'))
    print(f'site: {out/"index.html"}  ({len(todo)} notebook(s) built{", FAILED: " + ", ".join(failed) if failed else ""})')
    if failed: sys.exit(1)

if __name__ == '__main__':
    main()
