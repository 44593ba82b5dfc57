"""Import a script under tools/ as a module, to call its main(argv)."""
import importlib.util
import os.path as osp
import sys

from ..paths import REPO_ROOT


def load_tool(relative_path: str):
    """The module of ``tools/<relative_path>``; its folder is on
    ``sys.path`` while it loads, as when Python runs it, for the modules it
    imports from beside it."""
    path = osp.join(REPO_ROOT, 'tools', relative_path)
    name = 'tool_' + relative_path.replace('/', '_').replace('.py', '')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, osp.dirname(path))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(osp.dirname(path))
    return module
