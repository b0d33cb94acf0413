"""MkDocs hook: pages made of the repository's own files outside docs/.

SECURITY.md, target-server/README.md and the sysmon example's README stay where readers of the
repository look for them; the site shows them as pages, with their links
to docs/ pages made relative to the site.
"""

import re
from pathlib import Path

from mkdocs.structure.files import File

# Page -> (the file, relative to the repository root; the link prefix that leads from
# that file to docs/).
PAGES = {
    "threat-model.md": ("SECURITY.md", "docs/"),
    "server.md": ("target-server/README.md", "../docs/"),
    "sysmon.md": ("extensions/sysmon/README.md", "../../docs/"),
}


def on_files(files, config):
    top = Path(config.config_file_path).parent
    for page, (source, to_docs) in PAGES.items():
        text = (top / source).read_text()
        text = re.sub(r"\]\(" + re.escape(to_docs), "](", text)
        files.append(File.generated(config, page, content=text))
    return files
