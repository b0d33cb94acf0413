"""MkDocs hook: a page for each notebook of docs/notebooks.

The page shows the notebook's markdown cells as they are and its code cells
as Python blocks, with a link to the .ipynb file (copied beside it). The
notebooks are committed without outputs and are not run here: the tests run
them (tests/test_notebooks.py).
"""

import json
from pathlib import Path

from mkdocs.structure.files import File

FOLDER = "notebooks"


def on_files(files, config):
    for path in sorted((Path(config.docs_dir) / FOLDER).glob("*.ipynb")):
        page = f"{FOLDER}/{path.stem}.md"
        files.append(File.generated(config, page, content=render(path)))
    return files


def render(path):
    cells = json.loads(path.read_text())["cells"]
    blocks = []
    for cell in cells:
        source = "".join(cell["source"]).strip()
        if cell["cell_type"] == "markdown":
            blocks.append(source)
        elif cell["cell_type"] == "code":
            blocks.append(f"```python\n{source}\n```")
        if len(blocks) == 1:
            blocks.append(f"[Download the notebook]({path.name}) and run it in Jupyter "
                          "from a shell where `PYNQ_REMOTE_DEVICES` is set.")
    return "\n\n".join(blocks) + "\n"
