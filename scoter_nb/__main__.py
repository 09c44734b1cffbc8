# Written by hand (nbdev does not generate this file): `python -m scoter_nb ...` runs the `scoter` command (chapter 12).
# It is the form that multi-process launchers start: `accelerate launch -m scoter_nb ...`, `torchrun -m scoter_nb ...`.
from .cli import main

if __name__ == '__main__': main()
