"""Check a built documentation page as a person would: open it in headless Chromium, save a screenshot, and verify
what the browser rendered -- the page title, the chapter heading, every image decoded (none broken), and a
screenshot that is not blank.

    python tools/build_docs.py --only 11_online          # build the page first
    python tools/check_docs.py _docs/online.html         # -> _docs/screenshots/online.png, exit 1 on a failed check
    python tools/check_docs.py --self-test               # the check must fail on a page with a broken image

Needs Debian's `chromium` (`apt-get install -y chromium`; `--browser` or $CHROMIUM for another binary).
"""
import argparse, base64, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def browser(path:str|None=None) -> str:
    "The Chromium binary: --browser, $CHROMIUM, or chromium/chromium-browser/google-chrome on PATH."
    for b in (path, os.environ.get('CHROMIUM'), 'chromium', 'chromium-browser', 'google-chrome'):
        if b and shutil.which(b): return shutil.which(b)
    raise SystemExit('no Chromium found: apt-get install -y chromium (or pass --browser /path/to/chrome)')

def _chromium(exe:str, *args, timeout:int=120) -> subprocess.CompletedProcess:
    flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--disable-dev-shm-usage',
             '--run-all-compositor-stages-before-draw', '--virtual-time-budget=10000']
    return subprocess.run([exe, *flags, *args], capture_output=True, text=True, timeout=timeout)

def check_page(page:Path, # a built HTML page
               shot:Path, # where the screenshot goes
               exe:str, # Chromium binary
               width:int=1280, height:int=1800, # window size of the screenshot
               min_images:int=1, # the page must show at least this many decoded images
              ) -> list[str]:
    "Problems found on `page` (empty list: it passed). Writes the screenshot to `shot`."
    problems, url = [], page.resolve().as_uri()
    src = page.read_text(errors='replace')
    want = re.search(r'<div class="scoter-header"><h1>(.*?)</h1>', src)
    dom = _chromium(exe, '--dump-dom', url)
    if dom.returncode: return [f'chromium --dump-dom failed ({dom.returncode}): {dom.stderr[-500:]}']
    d = dom.stdout
    title = re.search(r'<title>(.*?)</title>', d, re.S)
    if not title or not title.group(1).strip(): problems.append('the rendered page has no <title>')
    if not want: problems.append('no chapter heading (<div class="scoter-header"><h1>) in the page: not built by tools/build_docs.py?')
    elif title and want.group(1) not in title.group(1): problems.append(f'<title> is {title.group(1)!r}, expected the chapter title {want.group(1)!r}')
    tot, ok = re.search(r'data-images-total="(\d+)"', d), re.search(r'data-images-loaded="(\d+)"', d)
    if not tot or not ok: problems.append('the page did not report its images (load event not reached in the time budget?)')
    else:
        tot, ok = int(tot.group(1)), int(ok.group(1))
        if ok < tot: problems.append(f'{tot - ok} of {tot} images did not load (broken image data or link)')
        if ok < min_images: problems.append(f'{ok} image(s) decoded, expected at least {min_images} (plots missing?)')
    shot.parent.mkdir(parents=True, exist_ok=True); shot.unlink(missing_ok=True)
    r = _chromium(exe, f'--screenshot={shot}', f'--window-size={width},{height}', url)
    if r.returncode or not shot.exists(): problems.append(f'no screenshot ({r.returncode}): {r.stderr[-500:]}'); return problems
    from PIL import Image, ImageStat
    im = Image.open(shot).convert('L')
    if im.size != (width, height): problems.append(f'screenshot is {im.size}, expected {(width, height)}')
    if ImageStat.Stat(im).stddev[0] < 5: problems.append('the screenshot is blank (no visible content)')
    return problems

def self_test(exe:str, page:Path) -> list[str]:
    "The check must pass on `page` and fail on a copy whose first image is corrupted."
    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp)/page.name
        src = page.read_text()
        img = re.compile(r'(<img[^>]*src="data:image/png;base64,)')
        if not img.search(src): print(f'  (self-test skipped: {page.name} has no inline PNG image to corrupt)'); return []
        bad.write_text(img.sub(lambda m: m.group(1) + base64.b64encode(b'not a png').decode(), src, count=1))
        found = check_page(bad, Path(tmp)/'bad.png', exe)
        return [] if any('did not load' in p for p in found) else [f'a corrupted image was not detected (found: {found})']

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('pages', nargs='*', default=[str(ROOT/'_docs'/'online.html')])
    p.add_argument('--out', default=str(ROOT/'_docs'/'screenshots'), help='screenshot folder')
    p.add_argument('--browser', default=None)
    p.add_argument('--min-images', type=int, default=1)
    p.add_argument('--size', type=int, nargs=2, default=(1280, 1800), metavar=('W', 'H'), help='screenshot window size')
    p.add_argument('--self-test', action='store_true', help='also check that a broken image is caught')
    a = p.parse_args(argv)
    exe, failed = browser(a.browser), False
    for page in map(Path, a.pages):
        if not page.exists(): print(f'{page}: missing; build it with tools/build_docs.py'); failed = True; continue
        shot = Path(a.out)/(page.stem + '.png')
        problems = check_page(page, shot, exe, *a.size, min_images=a.min_images)
        if a.self_test: problems += self_test(exe, page)
        print(f'{page}: {"OK" if not problems else "FAILED"}; screenshot {shot}')
        for q in problems: print(f'  - {q}')
        failed |= bool(problems)
    sys.exit(1 if failed else 0)

if __name__ == '__main__':
    main()
