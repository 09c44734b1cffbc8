"""Pack a ReasoningStore folder losslessly into a small folder (to carry it to a machine with a size limit), and unpack it.

    python tools/pack_store.py pack runs/beauty/history_store .gpu/history_store
    python tools/pack_store.py unpack .gpu/history_store runs/beauty/history_store

H.npy (float16) is split into its low and high bytes before xz compression: the high bytes (sign, exponent) compress well,
and absent steps are zeros. Unpacking checks the SHA-1 of every file against the packed list, so the copy is exact.
"""
import hashlib, json, lzma, shutil, sys
from pathlib import Path
import numpy as np

def sha1(p): return hashlib.sha1(Path(p).read_bytes()).hexdigest()

def pack(src, dst):
    src, dst = Path(src), Path(dst); dst.mkdir(parents=True, exist_ok=True)
    files = {f.name: sha1(f) for f in sorted(src.iterdir()) if f.is_file()}
    for name in files:
        f = src/name
        if name == 'H.npy':
            h = np.load(f, mmap_mode='r')
            if h.dtype != np.float16: raise SystemExit(f'{f}: expected float16, got {h.dtype}')
            b = np.ascontiguousarray(h).view(np.uint8).reshape(-1, 2)
            for i, part in enumerate(('lo', 'hi')):
                (dst/f'H.{part}.xz').write_bytes(lzma.compress(np.ascontiguousarray(b[:, i]).tobytes(), preset=6))
            (dst/'H.header').write_bytes(f.read_bytes()[:f.stat().st_size - b.size])  # the .npy header, byte for byte
        elif f.stat().st_size > 1 << 16: (dst/(name + '.xz')).write_bytes(lzma.compress(f.read_bytes(), preset=6))
        else: shutil.copy(f, dst/name)
    (dst/'files.json').write_text(json.dumps(files, indent=1))
    print(f'packed {src} ({sum((src/n).stat().st_size for n in files) / 2**20:.1f} MiB) into {dst} '
          f'({sum(f.stat().st_size for f in dst.iterdir()) / 2**20:.1f} MiB)')

def unpack(src, dst):
    src, dst = Path(src), Path(dst); dst.mkdir(parents=True, exist_ok=True)
    files = json.loads((src/'files.json').read_text())
    for name, digest in files.items():
        if name == 'H.npy':
            lo, hi = (np.frombuffer(lzma.decompress((src/f'H.{p}.xz').read_bytes()), np.uint8) for p in ('lo', 'hi'))
            b = np.empty((len(lo), 2), np.uint8); b[:, 0], b[:, 1] = lo, hi
            (dst/name).write_bytes((src/'H.header').read_bytes() + b.tobytes())
        elif (src/(name + '.xz')).exists(): (dst/name).write_bytes(lzma.decompress((src/(name + '.xz')).read_bytes()))
        else: shutil.copy(src/name, dst/name)
        if sha1(dst/name) != digest: raise SystemExit(f'{dst/name}: SHA-1 differs from the packed original')
    print(f'unpacked {src} into {dst}: {len(files)} files, SHA-1 checked')

if __name__ == '__main__':
    if len(sys.argv) != 4 or sys.argv[1] not in ('pack', 'unpack'): raise SystemExit(__doc__)
    (pack if sys.argv[1] == 'pack' else unpack)(sys.argv[2], sys.argv[3])
