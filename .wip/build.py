"""Write notebooks/11_inside_the_lstm.ipynb (unexecuted) from the cells below."""
import json
import sys
from pathlib import Path

import nbformat

REPO = Path("/work/main")
setup_cell = None
nb01 = nbformat.read(REPO / "notebooks/01_input_shapes.ipynb", 4)
for c in nb01.cells:
    if c.cell_type == "code":
        setup_cell = c.source.replace('notebook="01"', 'notebook="11"')
        break

URL = ("https://colab.research.google.com/github/lstm-course/lstm-notebooks/blob/main/"
       "notebooks/11_inside_the_lstm.ipynb")
cells = []


def md(text):
    cells.append(nbformat.v4.new_markdown_cell(text.strip("\n")))


def code(text):
    cells.append(nbformat.v4.new_code_cell(text.strip("\n")))


exec((Path(__file__).parent / "cells.py").read_text())

nb = nbformat.v4.new_notebook()
nb.cells = cells
nb.metadata = nb01.metadata
out = REPO / "notebooks/11_inside_the_lstm.ipynb"
nbformat.write(nb, out)
print("wrote", out, len(cells), "cells")
